import { describe, expect, it } from 'vitest';
import { HAND_BAD_LINE, HAND_CSV, HAND_EXPECTED } from '../fixtures/hand.js';
import { report } from '../support/report.js';

describe('hand-counted export', () => {
  it('gives exactly the figures counted by hand', async () => {
    const r = await report({ name: 'orders.csv', data: HAND_CSV }, { window: { kind: 'range', from: '2026-11-01', to: '2026-11-07' } });
    const { strategyCategories, skipped, ...figures } = HAND_EXPECTED;
    expect(r).toMatchObject(figures);
    expect(r.reasons).toEqual(HAND_EXPECTED.reasons);
    expect(r.strategies.map((s) => s.category)).toEqual(strategyCategories);
    for (const s of r.strategies) expect(s.items.length).toBeGreaterThanOrEqual(2);
    expect(r.skipped.rows).toBe(skipped.rows);
    expect(r.skipped.samples).toEqual([{ line: HAND_BAD_LINE, reason: `orders.csv line ${HAND_BAD_LINE}: Created Time "not a date" is not a date` }]);
    // The data starts 2026-10-28, after the previous window's first day (10-25): no comparison.
    expect(r.previous).toBeNull();
  });

  it('defaults to the whole range of the file', async () => {
    const r = await report({ name: 'orders.csv', data: HAND_CSV });
    expect(r.window).toEqual({ from: '2026-10-28', to: '2026-11-07', timeZone: 'Asia/Shanghai' });
    expect(r.orders).toBe(11);
  });

  it('compares with the previous window of the same length when the data covers it', async () => {
    const r = await report({ name: 'orders.csv', data: HAND_CSV }, { window: { kind: 'range', from: '2026-11-04', to: '2026-11-07' } });
    // 11-04..07: 1006, 1007, 1010, 1011, 1013 paid; previous 10-31..11-03: 1001–1005.
    expect(r.orders).toBe(5);
    expect(r.previous).toEqual({
      window: { from: '2026-10-31', to: '2026-11-03', timeZone: 'Asia/Shanghai' },
      orders: 5, cancelled: 4, cancelRate: 0.8,
      sellerFault: { orders: 5, cancelled: 2, rate: 0.4 },
    });
  });

  it('has no rate, rather than 0% or NaN, for a window without paid orders', async () => {
    const r = await report({ name: 'orders.csv', data: HAND_CSV }, { window: { kind: 'range', from: '2026-12-01', to: '2026-12-07' } });
    expect(r.orders).toBe(0);
    expect(r.cancelRate).toBeNull();
    expect(r.sellerFault?.rate).toBeNull();
    expect(r.reasons).toEqual([]);
  });

  it('never lets buyer data into the report', async () => {
    const r = await report({ name: 'orders.csv', data: HAND_CSV });
    const text = JSON.stringify(r);
    for (const pii of ['Doe', 'Jane', 'Smith', '555']) expect(text).not.toContain(pii);
  });
});
