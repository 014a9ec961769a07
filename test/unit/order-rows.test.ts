import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderLine } from '../../src/core/order.js';
import { linesFromRow, linesToJson } from '../../src/store/order-rows.js';

// Long names too: past 256 characters a name is quoted each time rather than held.
const text = fc.oneof(fc.constant(null), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.constantFrom('', '"', '\\', '陶瓷杯 "350ml"', '\u2028', `${'名'.repeat(300)}"`));
const line: fc.Arbitrary<OrderLine> = fc.record({
  skuId: text, sellerSku: text, product: text, variation: text,
  quantity: fc.integer({ min: 1, max: 10_000 }), cancelled: fc.boolean(),
});

describe("an order's lines as its row keeps them", () => {
  it('are the JSON of their tuples, as rows written before were, and read back as they were', () => {
    fc.assert(fc.property(fc.array(line, { maxLength: 6 }), (lines) => {
      // Twice: the second time every text is quoted from the cache.
      for (let round = 0; round < 2; round++) {
        const json = linesToJson(lines);
        expect(json).toBe(JSON.stringify(lines.map((l) => [l.skuId, l.sellerSku, l.product, l.variation, l.quantity, l.cancelled ? 1 : 0])));
        expect(linesFromRow({ lines: json })).toEqual(lines);
      }
    }), { numRuns: 500 });
  });

  it('are written right past the texts held quoted, which make room for the next ones', () => {
    const line = (i: number): OrderLine => ({ skuId: `17${i}`, sellerSku: `SKU-${i}`, product: `Mug "${i}"`, variation: null, quantity: 1, cancelled: false });
    // 10,000 orders of distinct products: more texts than are held.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 10_000; i++) expect(linesToJson([line(i)])).toBe(JSON.stringify([[`17${i}`, `SKU-${i}`, `Mug "${i}"`, null, 1, 0]]));
    }
    expect(linesToJson([])).toBe('[]');
  });
});
