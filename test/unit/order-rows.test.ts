import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderLine } from '../../src/core/order.js';
import { linesFromRow, linesToJson, quotesOnce } from '../../src/store/order-rows.js';

// Long names too.
const text = fc.oneof(fc.constant(null), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.constantFrom('', '"', '\\', '陶瓷杯 "350ml"', '\u2028', `${'名'.repeat(300)}"`));
const line: fc.Arbitrary<OrderLine> = fc.record({
  skuId: text, sellerSku: text, product: text, variation: text,
  quantity: fc.integer({ min: 1, max: 10_000 }), cancelled: fc.boolean(),
});

describe("an order's lines as its row keeps them", () => {
  it('are the JSON of their tuples, as rows written before were, and read back as they were', () => {
    fc.assert(fc.property(fc.array(line, { maxLength: 6 }), (lines) => {
      // Twice: the second time every text is quoted from the cache.
      const quote = quotesOnce();
      for (let round = 0; round < 2; round++) {
        const json = linesToJson(lines, quote);
        expect(json).toBe(JSON.stringify(lines.map((l) => [l.skuId, l.sellerSku, l.product, l.variation, l.quantity, l.cancelled ? 1 : 0])));
        expect(linesFromRow({ lines: json })).toEqual(lines);
      }
    }), { numRuns: 500 });
  });

  it('are written right past the texts an import holds quoted', () => {
    const line = (i: number): OrderLine => ({ skuId: `17${i}`, sellerSku: `SKU-${i}`, product: `Mug "${i}"`, variation: null, quantity: 1, cancelled: false });
    // 10,000 orders of distinct products: more texts than are held.
    const quote = quotesOnce();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 10_000; i++) expect(linesToJson([line(i)], quote)).toBe(JSON.stringify([[`17${i}`, `SKU-${i}`, `Mug "${i}"`, null, 1, 0]]));
    }
    expect(linesToJson([], quote)).toBe('[]');
  });
});
