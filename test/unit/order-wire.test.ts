import fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { bufferSource } from '../../src/core/ingest/source.js';
import type { Order } from '../../src/core/order.js';
import { CATEGORIES, INITIATORS } from '../../src/core/reasons/categories.js';
import { ordersFromWire, ordersToWire } from '../../src/use-cases/order-wire.js';
import { exportCsv } from '../fixtures/generate.js';
import { ordersOf } from '../support/report.js';

const text = fc.option(fc.string({ maxLength: 12 }));
const orderArb: fc.Arbitrary<Order> = fc.record({
  id: fc.string({ minLength: 1, maxLength: 20 }),
  createdAt: fc.option(fc.constant('2026-11-02T10:00:00')),
  paid: fc.boolean(), cod: fc.boolean(), cancelled: fc.boolean(), partiallyCancelled: fc.boolean(),
  initiator: fc.constantFrom(...INITIATORS), reason: text, category: fc.option(fc.constantFrom(...CATEGORIES)),
  fulfilledByTikTok: fc.boolean(), sample: fc.boolean(),
  amountCents: fc.option(fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 })), currency: fc.option(fc.constantFrom('USD', 'THB')),
  gaps: fc.subarray(['Cancel By', 'Paid Time', 'Order Amount'] as const),
  unrecognised: fc.option(fc.record({ 'Cancel By': fc.string(), 'Order Status': fc.string() }, { requiredKeys: [] }), { nil: undefined }),
  lines: fc.option(fc.array(fc.record({
    skuId: text, sellerSku: text, product: text, variation: text, quantity: fc.integer({ min: 0, max: 999 }), cancelled: fc.boolean(),
  }), { maxLength: 4 }), { nil: undefined }),
}).map(({ unrecognised, lines, ...o }): Order => ({ ...o, unrecognised: unrecognised ?? {}, ...(lines ? { lines } : {}) }));

describe('orders between an import worker and the main thread', () => {
  it('come back as they went, whatever their fields hold (no lines stays no lines; no lines is not zero lines)', () => {
    fc.assert(fc.property(fc.array(orderArb, { maxLength: 20 }), (orders) => {
      const back = ordersFromWire(ordersToWire(orders));
      expect(back).toEqual(orders);
      back.forEach((o, i) => expect('lines' in o).toBe(orders[i]?.lines !== undefined));
    }), { numRuns: 300 });
  });

  it('an export read from a file: every order, line and unknown value as read, in a third of the bytes of the order objects as JSON', async () => {
    const { text: generated } = exportCsv({ orders: 400, seed: 12, multiLine: 0.4, messyText: true });
    // A status no table knows, so unknown values cross too.
    const csv = generated.replace(/,Shipped,Shipped,/, ',Parcel on the moon,Parcel on the moon,');
    const orders = [...(await ordersOf([bufferSource('orders.csv', csv)])).values()];
    expect(orders.some((o) => (o.lines?.length ?? 0) > 1)).toBe(true);
    expect(orders.some((o) => Object.keys(o.unrecognised).length > 0)).toBe(true);
    const wire = ordersToWire(orders);
    expect(ordersFromWire(wire)).toEqual(orders);
    // The texts are ASCII here: a character is a byte, as in the JSON.
    const bytes = wire.orders.byteLength + wire.cents.byteLength + wire.lines.byteLength + wire.textEnds.byteLength + wire.texts.length
      + JSON.stringify([wire.gapLists, wire.unrecognised]).length;
    expect(bytes).toBeLessThan(JSON.stringify(orders).length / 3);
  });

  it('a product named on many orders crosses once', () => {
    const line = { skuId: '1729000000000000001', sellerSku: 'MUG-350', product: 'Ceramic mug, 350 ml', variation: null, quantity: 2, cancelled: false };
    const orders = Array.from({ length: 50 }, (_, i): Order => ({
      id: `5760000000000${String(i).padStart(5, '0')}`, createdAt: '2026-11-02T10:00:00', paid: true, cod: false, cancelled: false, partiallyCancelled: false,
      initiator: 'unknown', reason: null, category: null, fulfilledByTikTok: false, sample: false, amountCents: 1999, currency: 'USD',
      gaps: [], unrecognised: {}, lines: [{ ...line }],
    }));
    const wire = ordersToWire(orders);
    expect(wire.texts.split('Ceramic mug, 350 ml')).toHaveLength(2);
    expect(ordersFromWire(wire)).toEqual(orders);
  });

  it('a text that recurs over orders, held after its batch (a product\'s name until its counts are written), keeps no batch alive', () => {
    // The test measures what stays on the heap: the collector must be callable.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const batch = (b: number) => Array.from({ length: 500 }, (_, i): Order => ({
      id: `576${String(b).padStart(5, '0')}${String(i).padStart(5, '0')}-${'x'.repeat(40)}`, createdAt: '2026-11-02T10:00:00', paid: true, cod: false,
      cancelled: true, partiallyCancelled: false, initiator: 'seller', reason: `Out of stock, batch ${b}`, category: 'out_of_stock', fulfilledByTikTok: false,
      sample: false, amountCents: 1999, currency: 'USD', gaps: [], unrecognised: {},
      lines: [{ skuId: `17290000000000${String(i % 20).padStart(5, '0')}`, sellerSku: `MUG-350-${i % 20}`, product: `Ceramic mug, 350 ml, colour ${b}`, variation: null, quantity: 1, cancelled: false }],
    }));
    const held: Array<string | null> = [];
    gc();
    const before = process.memoryUsage().heapUsed;
    // 400 batches of about 30 KB of texts each: 12 MB if each name kept its batch's texts.
    for (let b = 0; b < 400; b++) {
      const [first] = ordersFromWire(structuredClone(ordersToWire(batch(b))));
      held.push(first?.lines?.[0]?.product ?? null, first?.lines?.[0]?.skuId ?? null, first?.reason ?? null);
    }
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    expect(held).toHaveLength(1200);
    expect(grown).toBeLessThan(3 * 1024 * 1024);
  });
});
