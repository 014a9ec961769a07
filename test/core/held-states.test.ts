import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUCKETS, decodeRun, encodeRun, IdRanges, mergeStates, SharedRanges, OrderAccumulator, PackedStates, type OrderState } from '../../src/core/ingest/accumulate.js';
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
  it('come back from their packed slots and from spilled runs exactly as they went in', () => {
    fc.assert(fc.property(fc.uniqueArray(stateArb, { selector: (s) => s.id, maxLength: 200 }), (states) => {
      const packed = new PackedStates();
      for (const s of states) packed.append(s.id, s);
      expect(packed.unpackRange(0, packed.size)).toEqual(states);
      const run = decodeRun(encodeRun(packed.held()));
      const view = PackedStates.viewOf(run);
      expect(run.ids.map((id, slot) => view.unpack(id, slot))).toEqual(states);
      // A bucket's run carries only the texts its orders use.
      const odd = Int32Array.from(states.keys()).filter((slot) => slot % 2 === 1);
      const part = decodeRun(encodeRun(packed.heldOf(odd)));
      const partView = PackedStates.viewOf(part);
      expect(part.ids.map((id, k) => partView.unpack(id, k))).toEqual(states.filter((_, slot) => slot % 2 === 1));
      expect(new Set(part.texts).size).toBe(part.texts.length);
    }));
  });

  it('fail to come back from a run that is not whole, where they would read as other orders', () => {
    const packed = new PackedStates();
    for (const s of fc.sample(fc.uniqueArray(stateArb, { selector: (s) => s.id, minLength: 5, maxLength: 20 }), { numRuns: 1, seed: 3 })[0] ?? []) packed.append(s.id, s);
    const run = encodeRun(packed.held());
    expect(decodeRun(run).ids).toHaveLength(packed.size);
    expect(() => decodeRun(run.subarray(0, run.length - 1))).toThrow(/read back/);
    const longer = new Uint8Array(run.length + 4);
    longer.set(run);
    expect(() => decodeRun(longer)).toThrow(/read back/);
  });

  it('keep in a run what no cell limits: any whole quantity, line breaks and separators in texts, ids of any characters', () => {
    const packed = new PackedStates();
    const sample = fc.sample(stateArb, { numRuns: 1, seed: 7 })[0];
    if (!sample) throw new Error('no sample');
    const odd: OrderState = {
      ...sample, id: 'A\n1\u001f"x"', attempt: 0, reason: 'line one\nline two\u001e', cancelBy: '卖家\r\n', unknown: { 'Cancel By': 'x\u001dy' },
      items: [{ skuId: null, sellerSku: '', product: 'Cup "big"\n2', variation: null, quantity: 3_000_000_000, cancelled: true }],
    };
    packed.append(odd.id, odd);
    const run = decodeRun(encodeRun(packed.held()));
    expect(PackedStates.viewOf(run).unpack(run.ids[0] ?? '', 0)).toEqual(odd);
  });

  it('merge to the same orders whether held, or spilled under a budget of a few orders', async () => {
    await fc.assert(fc.asyncProperty(fc.array(stateArb.map((s) => ({ ...s, id: String(Number(s.id) % 40), attempt: 0 })), { maxLength: 300 }), async (rows) => {
      const collect = async (acc: OrderAccumulator) => {
        for (const row of rows) if (acc.add(structuredClone(row))) await acc.flush();
        const out = new Map<string, OrderState>();
        for await (const batch of acc.drain()) for (const s of batch) out.set(s.id, s);
        await acc.dispose();
        return out;
      };
      expect(await collect(new OrderAccumulator(() => Promise.resolve(memorySpill()), 600))).toEqual(await collect(new OrderAccumulator(null)));
    }), { numRuns: 30 });
  });

  it("merge to the same orders when a second part's spilled runs are adopted between held states, flushed before or after", async () => {
    // Up to 400 ids: parts with more than 64 orders cut their buckets by id ranges, smaller ones by hash; flushed before adopting, the two sides' ranges differ.
    const rowArb = fc.tuple(stateArb, fc.nat(400)).map(([s, id]) => ({ ...s, id: String(5_760_000_000_000 + id * 7919), attempt: 0 }));
    await fc.assert(fc.asyncProperty(fc.array(rowArb, { maxLength: 600 }), fc.nat(600), fc.nat(3), async (rows, cut, flushAt) => {
      const first = rows.slice(0, cut);
      const second = rows.slice(cut);
      const expected = new Map<string, OrderState>();
      for (const row of rows) {
        const held = expected.get(row.id);
        expected.set(row.id, held ? mergeStates(held, structuredClone(row)) : structuredClone(row));
      }
      // The second part spills under a budget of some dozens of orders, as the other thread's part does.
      const part = new OrderAccumulator(() => Promise.resolve(memorySpill()), 12_000);
      for (const row of second) if (part.add(structuredClone(row))) await part.flush();
      const { states, spilled } = part.handOver();
      const acc = new OrderAccumulator(() => Promise.resolve(memorySpill()), 1e9);
      for (const row of first) acc.add(structuredClone(row));
      if (flushAt === 1) await acc.flush();
      if (spilled) await acc.adopt(spilled.spill, IdRanges.from(spilled.ranges), 0, 0);
      // Flushed after adopting: the states held before the adopted runs go to the spill in their place.
      if (flushAt === 2) await acc.flush();
      await acc.absorb(states, 0, 0);
      if (flushAt === 3) await acc.flush();
      const merged: OrderState[] = [];
      for await (const batch of acc.drain()) merged.push(...batch);
      await acc.dispose();
      expect(new Map(merged.map((m) => [m.id, m]))).toEqual(expected);
      expect(merged).toHaveLength(expected.size);
    }), { numRuns: 100 });
  });

  it("merge every order when a second part's runs are cut by ranges of its own: taken over, or cut again by the first part's", async () => {
    const sample = fc.sample(stateArb, { numRuns: 1, seed: 13 })[0];
    if (!sample) throw new Error('no sample');
    const row = (n: number, line: number): OrderState => ({ ...sample, id: String(576_000_000_000_000_000n + BigInt(n) * 7_919n), attempt: 0, line, unknown: null });
    // The first part's orders 0–2,999, the second's 1,500–5,999: the two sample different ids, so their ranges differ.
    const first = Array.from({ length: 6_000 }, (_, i) => row(i % 3_000, i));
    const second = Array.from({ length: 9_000 }, (_, i) => row(1_500 + (i % 4_500), 6_000 + i));
    const expected = new Map<string, OrderState>();
    for (const r of [...first, ...second]) {
      const held = expected.get(r.id);
      expected.set(r.id, held ? mergeStates(held, structuredClone(r)) : structuredClone(r));
    }
    for (const firstBudget of [60_000, 1e9]) {
      const part = new OrderAccumulator(() => Promise.resolve(memorySpill()), 60_000);
      for (const r of second) if (part.add(structuredClone(r))) await part.flush();
      const { states, spilled } = part.handOver();
      if (!spilled) throw new Error('the part did not spill');
      expect(spilled.ranges).toHaveLength(BUCKETS + 1);
      const acc = new OrderAccumulator(() => Promise.resolve(memorySpill()), firstBudget);
      for (const r of first) if (acc.add(structuredClone(r))) await acc.flush();
      await acc.adopt(spilled.spill, IdRanges.from(spilled.ranges), 0, 0);
      await acc.absorb(states, 0, 0);
      const merged: OrderState[] = [];
      for await (const batch of acc.drain()) merged.push(...batch);
      expect(merged).toHaveLength(expected.size);
      expect(new Map(merged.map((m) => [m.id, m]))).toEqual(expected);
    }
  });

  it("are cut by one set of ranges in both parts of a split read, settled by whichever cuts first: the second part's runs are taken as they are", async () => {
    const sample = fc.sample(stateArb, { numRuns: 1, seed: 17 })[0];
    if (!sample) throw new Error('no sample');
    const row = (n: number): OrderState => ({ ...sample, id: String(576_000_000_000_000_000n + BigInt(n) * 7_919n), attempt: 0, unknown: null, items: [] });
    const shared = new SharedRanges();
    let spills = 0;
    const spillHere = () => { spills++; return Promise.resolve(memorySpill()); };
    // The other thread's accumulator, over the same shared memory.
    const part = new OrderAccumulator(() => Promise.resolve(memorySpill()), 60_000, new SharedRanges(shared.buffer));
    for (let i = 0; i < 3_000; i++) if (part.add(row((i * 7) % 3_000))) await part.flush();
    const acc = new OrderAccumulator(spillHere, 60_000, shared);
    for (let i = 0; i < 3_000; i++) if (acc.add(row((i * 11) % 3_000 + 1_000))) await acc.flush();
    const { states, spilled } = part.handOver();
    if (!spilled) throw new Error('the part did not spill');
    const spillsBefore = spills;
    await acc.adopt(spilled.spill, IdRanges.from(spilled.ranges), 0, 0);
    // The part settled the ranges; its runs are taken as they are, never cut again into a spill of this side's.
    expect(spills).toBe(spillsBefore);
    await acc.absorb(states, 0, 0);
    const ids: string[] = [];
    for await (const batch of acc.drain()) for (const s of batch) ids.push(s.id);
    expect(ids).toHaveLength(4_000);
    expect(new Set(ids)).toEqual(new Set(Array.from({ length: 4_000 }, (_, n) => row(n).id)));
  });

  it('spread ids past the span they were cut from over every bucket: ids that only rise fill no bucket beyond the rest', async () => {
    const sample = fc.sample(stateArb, { numRuns: 1, seed: 19 })[0];
    if (!sample) throw new Error('no sample');
    const perBucket = new Array<number>(BUCKETS).fill(0);
    const spill = memorySpill();
    const counting = { ...spill, append: (bucket: number, run: Uint8Array) => { perBucket[bucket] = (perBucket[bucket] ?? 0) + decodeRun(run).ids.length; return spill.append(bucket, run); } };
    const acc = new OrderAccumulator(() => Promise.resolve(counting), 60_000);
    // Lines together and ids rising, as a sorted export read whole: the first flush's sample spans only the first ids.
    for (let i = 0; i < 30_000; i++) if (acc.add({ ...sample, id: String(576_000_000_000_000_000n + BigInt(i) * 7_919n), attempt: 0, unknown: null, items: [] })) await acc.flush();
    await acc.flush();
    const mean = 30_000 / BUCKETS;
    expect(Math.max(...perBucket)).toBeLessThan(mean * 2);
    expect(perBucket.reduce((a, b) => a + b, 0)).toBe(30_000);
  });

  it('once spilled, are handed on in the order of their ids, whatever order they came in', async () => {
    const sample = fc.sample(stateArb, { numRuns: 1, seed: 11 })[0];
    if (!sample) throw new Error('no sample');
    const ids = Array.from({ length: 20_000 }, (_, i) => String(576_000_000_000_000_000n + BigInt(i) * 104_729n));
    const shuffledIds = ids.map((_, i) => ids[(i * 7_919) % ids.length] ?? '');
    expect(new Set(shuffledIds).size).toBe(ids.length);
    const acc = new OrderAccumulator(() => Promise.resolve(memorySpill()), 400_000);
    let flushes = 0;
    for (const id of [...shuffledIds, 'X-1', ...shuffledIds.slice(0, 500)]) if (acc.add({ ...sample, id, attempt: 0, unknown: null, items: [] })) { flushes++; await acc.flush(); }
    const drained: string[] = [];
    for await (const batch of acc.drain()) for (const s of batch) drained.push(s.id);
    expect(flushes).toBeGreaterThan(2);
    // Digits-only ids rising (a database takes them fastest so), each once; an id of another kind somewhere among them, once.
    expect(drained.filter((id) => id !== 'X-1')).toEqual(ids);
    expect(drained.filter((id) => id === 'X-1')).toHaveLength(1);
  });

  it('merge on their packed lanes as mergeStates merges them as objects, in the order orders first came', async () => {
    // Ids numeric and not, of every length around the 19 digits held as numbers, leading zeros told apart.
    const ids = ['7', '07', '007', '576000000707887342', '0576000000707887342', '5760000007078873420', '57600000070788734201', 'A-1', 'a_1', '123456789', '0123456789'];
    const rowArb = fc.tuple(stateArb, fc.constantFrom(...ids), fc.nat(2)).map(([s, id, attempt]) => ({ ...s, id, attempt }));
    await fc.assert(fc.asyncProperty(fc.array(rowArb, { maxLength: 120 }), async (rows) => {
      const expected = new Map<string, OrderState>();
      for (const row of rows) {
        const held = expected.get(row.id);
        expected.set(row.id, held ? mergeStates(held, structuredClone(row)) : structuredClone(row));
      }
      const acc = new OrderAccumulator(null);
      for (const row of rows) acc.add(structuredClone(row));
      const merged: OrderState[] = [];
      for await (const batch of acc.drain()) merged.push(...batch);
      expect(merged).toEqual([...expected.values()]);
    }), { numRuns: 200 });
  });

  it('find each of many held orders by its id, numeric or not, as the table grows', () => {
    const packed = new PackedStates();
    const sample = fc.sample(stateArb, { numRuns: 1, seed: 3 })[0];
    if (!sample) throw new Error('no sample');
    const idOf = (i: number) => (i % 7 === 0 ? `X${i}` : i % 5 === 0 ? `0576${String(i).padStart(15, '0')}` : `576${String(i * 7919).padStart(15, '0')}`);
    for (let i = 0; i < 20_000; i++) packed.append(idOf(i), { ...sample, id: idOf(i), line: i });
    for (let i = 0; i < 20_000; i++) expect(packed.slotOf(idOf(i))).toBe(i);
    expect(packed.slotOf('576999999999999999')).toBeUndefined();
    expect(packed.slotOf('0576000000000000001')).toBeUndefined();
    expect(packed.slotOf('X1')).toBeUndefined();
    expect(packed.unpackRange(0, packed.size).map((s) => s.line)).toEqual(Array.from({ length: 20_000 }, (_, i) => i));
  });

  it('give back each id exactly as written, though digits-only ids are held as numbers (leading zeros, every length)', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.oneof(fc.stringMatching(/^[0-9]{1,21}$/), fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/)), { maxLength: 300 }), (ids) => {
      const packed = new PackedStates();
      const sample = fc.sample(stateArb, { numRuns: 1, seed: 5 })[0];
      if (!sample) throw new Error('no sample');
      for (const id of ids) packed.append(id, { ...sample, id });
      expect(packed.unpackRange(0, packed.size).map((s) => s.id)).toEqual(ids);
      expect(packed.held().ids).toEqual(ids);
    }));
    const packed = new PackedStates();
    const edge = ['0', '000000000', '0000000001', '1000000000', '9999999999999999999', '0000000000000000000', '000000000000000000012'];
    for (const id of edge) packed.append(id, { ...fc.sample(stateArb, { numRuns: 1, seed: 5 })[0]!, id });
    expect(packed.unpackRange(0, packed.size).map((s) => s.id)).toEqual(edge);
  });

  it("absorb another part's orders as adding them one by one would: its texts held as its orders are, and the same orders", async () => {
    const sample = fc.sample(stateArb, { numRuns: 1, seed: 5 })[0];
    if (!sample) throw new Error('no sample');
    // 4,000 orders, each with its own long free-text reason (about 2.4 MB of texts against a 600 KB budget).
    const rows = Array.from({ length: 4_000 }, (_, i): OrderState => ({
      ...sample, id: `576${String(i).padStart(15, '0')}`, attempt: 0, unknown: null, items: [], reason: `${i} ${'the buyer changed their mind '.repeat(10)}`,
    }));
    const part = new OrderAccumulator(null);
    for (const row of rows) part.add(structuredClone(row));
    const { states: held, spilled } = part.handOver();
    if (spilled) throw new Error('the part spilled');
    const budget = 600 * 1024;
    // What reaches the spill, write by write: the ids of each bucket's records.
    const spilledBy = async (fill: (acc: OrderAccumulator) => Promise<void>) => {
      const spill = memorySpill();
      const writes: Array<{ bucket: number; ids: string[] }> = [];
      const watched = { ...spill, append: (bucket: number, run: Uint8Array) => {
        writes.push({ bucket, ids: decodeRun(run).ids });
        return spill.append(bucket, run);
      } };
      const acc = new OrderAccumulator(() => Promise.resolve(watched), budget);
      await fill(acc);
      const writesBeforeDrain = writes.length;
      const merged: OrderState[] = [];
      for await (const batch of acc.drain()) merged.push(...batch);
      return { writes, writesBeforeDrain, merged };
    };
    const oneByOne = await spilledBy(async (acc) => { for (const row of rows) if (acc.add(structuredClone(row))) await acc.flush(); });
    const absorbed = await spilledBy((acc) => acc.absorb(held, 0, 0));
    // The texts overflow the budget while the orders are added, not only when drained.
    expect(oneByOne.writesBeforeDrain).toBeGreaterThan(0);
    // Absorbed texts count against the budget exactly as added ones: the same orders go to the
    // spill in the same writes (counted short, absorb would spill later; counted twice, sooner).
    expect(absorbed.writes).toEqual(oneByOne.writes);
    expect(absorbed.writesBeforeDrain).toBe(oneByOne.writesBeforeDrain);
    // Each order is written at most once (those held at the end are merged where they are), and every one of them comes back.
    const written = oneByOne.writes.flatMap((w) => w.ids);
    expect(new Set(written).size).toBe(written.length);
    expect(written.length).toBeLessThan(rows.length);
    expect(new Map(absorbed.merged.map((s) => [s.id, s]))).toEqual(new Map(rows.map((s) => [s.id, s])));
    expect(new Map(oneByOne.merged.map((s) => [s.id, s]))).toEqual(new Map(rows.map((s) => [s.id, s])));
  });

  it('go to the spill a bucket at a time, each order to the bucket of its id, and merge to the same orders as when held', async () => {
    const sample = fc.sample(stateArb, { numRuns: 1, seed: 9 })[0];
    if (!sample) throw new Error('no sample');
    // 30,000 orders with a 150-character product each: a 16 MB budget spills them in one flush;
    // the second line of every order comes after that flush, so every order is merged from a
    // spilled run and a state still held.
    const rows: OrderState[] = [];
    const line = (i: number, product: string): OrderState => ({
      ...sample, id: String(576000000000000000 + i * 7919), attempt: 0, unknown: null,
      items: [{ skuId: `17${i}`, sellerSku: `SKU-${i % 50}`, product, variation: null, quantity: 1, cancelled: false }],
    });
    for (let i = 0; i < 30_000; i++) rows.push(line(i, `${i} ${'名前 '.repeat(50)}`));
    for (let i = 0; i < 30_000; i++) rows.push(line(i, `second ${i}`));
    const spill = memorySpill();
    const appended: number[] = [];
    const bucketsOf = new Map<string, Set<number>>();
    const counting = { ...spill, append: (bucket: number, run: Uint8Array) => {
      appended.push(bucket);
      for (const id of decodeRun(run).ids) bucketsOf.set(id, (bucketsOf.get(id) ?? new Set()).add(bucket));
      return spill.append(bucket, run);
    } };
    const acc = new OrderAccumulator(() => Promise.resolve(counting), 16 * 1024 * 1024);
    let flushes = 0;
    for (const row of rows) if (acc.add(structuredClone(row))) { flushes++; await acc.flush(); }
    const merged: OrderState[] = [];
    for await (const batch of acc.drain()) merged.push(...batch);
    const expected = new Map<string, OrderState>();
    for (const row of rows) {
      const held = expected.get(row.id);
      expected.set(row.id, held ? mergeStates(held, structuredClone(row)) : structuredClone(row));
    }
    // The first lines of the 30,000 orders fill the budget once; the second lines fit after it.
    expect(flushes).toBe(1);
    // Each flush writes every bucket once (the drain merges what is held then where it is), and an order's runs all go to one bucket.
    expect(appended.length).toBe(BUCKETS * flushes);
    expect(new Set(appended).size).toBe(BUCKETS);
    expect([...bucketsOf.values()].every((buckets) => buckets.size === 1)).toBe(true);
    expect(new Map(merged.map((s) => [s.id, s]))).toEqual(expected);
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
