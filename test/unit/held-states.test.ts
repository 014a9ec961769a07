import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeState, encodeState, OrderAccumulator, PackedStates, type OrderState } from '../../src/core/ingest/accumulate.js';
import { memorySpill } from '../../src/core/ingest/spill.js';

const text = fc.constantFrom('', 'Seller', 'Out of stock', '买家', 'Vendedor cancelou');
const stateArb: fc.Arbitrary<OrderState> = fc.record({
  id: fc.stringMatching(/^[0-9]{1,20}$/),
  attempt: fc.nat(5),
  line: fc.nat(10_000_000),
  created: fc.option(fc.record({
    year: fc.integer({ min: 2000, max: 2100 }), first: fc.integer({ min: 1, max: 31 }), second: fc.integer({ min: 1, max: 31 }),
    seconds: fc.nat(86_399), isoOrder: fc.boolean(), meridiem: fc.boolean(),
  })),
  paid: fc.boolean(), statusCancelled: fc.boolean(), statusUnpaid: fc.boolean(), statusPlaced: fc.boolean(), cod: fc.boolean(), lines: fc.integer({ min: 1, max: 50 }), cancelLines: fc.nat(50),
  cancelBy: text, reason: text, fromCancelLine: fc.boolean(), fbt: fc.boolean(), sample: fc.boolean(),
  amount: fc.option(fc.record({ cents: fc.integer({ min: 0, max: 2 ** 52 }), currency: fc.option(fc.constantFrom('USD', 'VND', 'THB')) })),
  unknown: fc.option(fc.record({ 'Cancel By': fc.constantFrom('Vendedor', '卖方') })),
  items: fc.array(fc.record({
    skuId: fc.option(fc.constantFrom('', '1729', '1730')), sellerSku: fc.option(text), product: fc.option(text), variation: fc.option(text),
    quantity: fc.integer({ min: 1, max: 50 }), cancelled: fc.boolean(),
  }), { maxLength: 3 }),
});

describe('held order states', () => {
  it('come back from their packed slots and from spill records exactly as they went in', () => {
    fc.assert(fc.property(fc.uniqueArray(stateArb, { selector: (s) => s.id, maxLength: 200 }), (states) => {
      const packed = new PackedStates();
      for (const s of states) packed.append(s.id, s);
      expect([...packed.values()]).toEqual(states);
      for (const s of states) expect(decodeState(encodeState(s))).toEqual(s);
    }));
  });

  it('merge to the same orders whether held, or spilled under a budget of a few orders', async () => {
    await fc.assert(fc.asyncProperty(fc.array(stateArb.map((s) => ({ ...s, id: String(Number(s.id) % 40), attempt: 0 })), { maxLength: 300 }), async (rows) => {
      const collect = async (acc: OrderAccumulator) => {
        for (const row of rows) if (acc.add(structuredClone(row))) await acc.flush();
        const out = new Map<string, OrderState>();
        for await (const s of acc.drain()) out.set(s.id, s);
        await acc.dispose();
        return out;
      };
      expect(await collect(new OrderAccumulator(() => Promise.resolve(memorySpill()), 600))).toEqual(await collect(new OrderAccumulator(null)));
    }), { numRuns: 30 });
  });

  it('count free-text reasons against the budget: orders whose every reason differs spill in time', () => {
    const sample = fc.sample(stateArb, { numRuns: 1, seed: 5 })[0];
    if (!sample) throw new Error('no sample');
    const budget = 200_000;
    const acc = new OrderAccumulator(() => Promise.resolve(memorySpill()), budget);
    let asked = -1;
    // 200 orders take about 30 KB as slots; their 2,000-character reasons take 800 KB.
    for (let i = 0; i < 200 && asked < 0; i++) {
      if (acc.add({ ...sample, id: String(i), items: [], unknown: null, reason: `${i} ${'a buyer’s own words '.repeat(100)}` })) asked = i;
    }
    expect(asked).toBeGreaterThan(0);
    expect(asked).toBeLessThan(60);
  });
});
