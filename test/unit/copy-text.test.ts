import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Order } from '../../src/core/order.js';
import { CATEGORIES, INITIATORS } from '../../src/core/reasons/categories.js';
import { CopyText, KnownTexts } from '../../src/store/copy-text.js';
import { ORDER_COLUMNS_WRITTEN, orderEncoder } from '../../src/store/order-rows.js';

/** COPY's text format as PostgreSQL documents it, written the plain way: the oracle. */
const referenceField = (value: unknown): string => {
  if (value === null || value === undefined) return '\\N';
  return String(value).replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] ?? c);
};
const referenceRow = (values: readonly unknown[]): string => `${values.map(referenceField).join('\t')}\n`;
/** A text's bytes as PostgreSQL receives them (UTF-8, a lone surrogate as U+FFFD), as hex to compare. */
const sent = (text: string): string => Buffer.from(text, 'utf8').toString('hex');

// Texts with everything COPY escapes, wide characters, emoji and lone surrogates (both sides encode those as U+FFFD).
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('', '\\', '\t', '\n', '\r', '\\N', 'a\tb\\c\r\nd', '陶瓷杯 "350ml"\t', '\ud83d', 'null', '[]', 'USD', 'Out of stock'),
);
const orText = fc.option(text);
const orderArb: fc.Arbitrary<Order> = fc.record({
  id: fc.oneof(text, fc.bigInt({ min: 0n, max: 10n ** 20n }).map(String)),
  createdAt: fc.oneof(fc.constant('2026-11-02T10:00:00'), text),
  paid: fc.boolean(), cod: fc.boolean(), cancelled: fc.boolean(), partiallyCancelled: fc.boolean(),
  initiator: fc.constantFrom(...INITIATORS), reason: orText, category: fc.option(fc.constantFrom(...CATEGORIES)),
  fulfilledByTikTok: fc.boolean(), sample: fc.boolean(),
  amountCents: fc.option(fc.oneof(fc.integer({ min: -10, max: 10 }), fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 }))),
  currency: orText,
  gaps: fc.subarray(['Cancel By', 'Paid Time', 'Order Amount'] as const),
  unrecognised: fc.option(fc.record({ 'Cancel By': text, 'Order Status': text }, { requiredKeys: [] }), { nil: undefined }),
  lines: fc.option(fc.array(fc.record({
    skuId: orText, sellerSku: orText, product: orText, variation: orText,
    quantity: fc.oneof(fc.integer({ min: 0, max: 99_999 }), fc.double({ noNaN: false })), cancelled: fc.boolean(),
  }), { maxLength: 4 }), { nil: undefined }),
}).map(({ unrecognised, lines, ...o }): Order => ({ ...o, unrecognised: unrecognised ?? {}, ...(lines ? { lines } : {}) }));

describe('COPY text written straight into bytes', () => {
  it('escapes any text as PostgreSQL reads it back, and grows past any size it started with', () => {
    fc.assert(fc.property(fc.array(fc.oneof(text, fc.string({ unit: 'binary', maxLength: 300 }))), fc.integer({ min: 1, max: 64 }), (texts, room) => {
      const out = new CopyText(room);
      texts.forEach((t, i) => { if (i > 0) out.tab(); out.text(t); });
      out.endRow();
      expect(out.written().toString('hex')).toBe(sent(referenceRow(texts)));
    }), { numRuns: 500 });
  });

  it('writes any field value: null, numbers, texts', () => {
    const values = [null, undefined, 0, 7, 10, -1, 2.5, -0, 1e21, 'x', true];
    const out = new CopyText(4);
    values.forEach((v, i) => { if (i > 0) out.tab(); out.value(v); });
    out.endRow();
    expect(out.written().toString('hex')).toBe(sent(referenceRow(values)));
  });

  it('writes a known text the same the first time and after, per way of making it', () => {
    const plain = new KnownTexts();
    const json = new KnownTexts(JSON.stringify);
    const out = new CopyText(1);
    for (let round = 0; round < 3; round++) {
      for (const t of ['Out of stock', 'a\tb', '陶瓷杯', '']) {
        out.known(plain, t); out.tab(); out.known(json, t); out.endRow();
      }
    }
    const expected = ['Out of stock', 'a\tb', '陶瓷杯', ''].map((t) => referenceRow([t, JSON.stringify(t)])).join('');
    expect(out.written().toString('hex')).toBe(sent(expected.repeat(3)));
  });
});

describe("an order's row as COPY text", () => {
  it('is the row its encoder makes as an object, field by field in the written columns, whatever the order holds', () => {
    fc.assert(fc.property(fc.array(orderArb, { maxLength: 30 }), fc.integer({ min: 1, max: 99_999 }), (orders, shopId) => {
      // One encoder for the whole run, as one import has: its second sight of a text is copied from what it kept.
      const encoder = orderEncoder(shopId);
      for (let round = 0; round < 2; round++) {
        const out = new CopyText(16);
        for (const o of orders) encoder.copy(out, o);
        const expected = orders.map((o) => {
          const row = encoder.row(o) as Record<string, unknown>;
          return referenceRow(ORDER_COLUMNS_WRITTEN.map((c) => row[c]));
        }).join('');
        expect(out.written().toString('hex')).toBe(sent(expected));
      }
    }), { numRuns: 300 });
  });

  it('refuses an order without a creation time, as its row does', () => {
    const encoder = orderEncoder(1);
    const order = fc.sample(orderArb, { numRuns: 1, seed: 3 })[0] as Order;
    const undated = { ...order, createdAt: null };
    expect(() => encoder.row(undated)).toThrow(/no creation time/);
    expect(() => encoder.copy(new CopyText(), undated)).toThrow(/no creation time/);
  });
});
