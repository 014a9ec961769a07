import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changedTally, countOrder, emptyTally, type Tally } from '../../src/core/metrics/tally.js';
import type { Order } from '../../src/core/order.js';
import { CATEGORIES, INITIATORS } from '../../src/core/reasons/categories.js';

/** Orders with few currencies and small amounts (sums that reach zero) and many texts (maps that reach their cap of a hundred). */
const orderArb: fc.Arbitrary<Order> = fc.record({
  paid: fc.boolean(),
  cancelled: fc.boolean(),
  partiallyCancelled: fc.boolean(),
  initiator: fc.constantFrom(...INITIATORS),
  category: fc.option(fc.constantFrom(...CATEGORIES)),
  reason: fc.option(fc.integer({ min: 0, max: 140 }).map((n) => `reason ${n}`)),
  fulfilledByTikTok: fc.boolean(),
  sample: fc.boolean(),
  amountCents: fc.option(fc.integer({ min: 0, max: 3 })),
  currency: fc.option(fc.constantFrom('USD', 'THB')),
  cod: fc.boolean(),
  gaps: fc.subarray(['Cancel By', 'Paid Time'] as const),
  unrecognised: fc.option(fc.record({ 'Cancel By': fc.integer({ min: 0, max: 140 }).map((n) => `who ${n}`) }), { nil: undefined }),
}).map(({ unrecognised, ...o }) => ({ ...o, id: 'x', createdAt: '2026-10-01T10:00:00', unrecognised: unrecognised ?? {} }));

const tallyOf = (orders: readonly Order[]): Tally => {
  const tally = emptyTally();
  for (const order of orders) countOrder(tally, order);
  return tally;
};

describe('a tally changed by orders counted in and taken back out', () => {
  it('is what counting the remaining orders again gives, or null where the tallies cannot tell', () => {
    let exact = 0;
    let unknown = 0;
    fc.assert(fc.property(
      fc.array(fc.tuple(orderArb, fc.integer({ min: 0, max: 7 }).map((n) => n === 0)), { minLength: 150, maxLength: 400 }), fc.array(orderArb, { maxLength: 40 }),
      (stored, added) => {
        // About one stored order in eight is stored again.
        const removed = stored.filter(([, out]) => out).map(([o]) => o);
        const kept = stored.filter(([, out]) => !out).map(([o]) => o);
        const changed = changedTally(tallyOf(stored.map(([o]) => o)), tallyOf(added), tallyOf(removed));
        if (changed === null) unknown++;
        else {
          exact++;
          expect(changed).toEqual(tallyOf([...kept, ...added]));
        }
      },
    ), { numRuns: 400 });
    // Both answers are given (most unknown ones at a text map's cap, which these orders reach often and real days rarely).
    expect(unknown).toBeGreaterThan(0);
    expect(exact).toBeGreaterThan(100);
  });

  it('keeps a currency whose amounts sum to zero while an added order has it, and leaves no emptied entry', () => {
    const base = (reason: string, amountCents: number, currency: string): Order => ({
      id: 'x', createdAt: '2026-10-01T10:00:00', paid: true, cancelled: true, partiallyCancelled: false, initiator: 'seller', reason,
      category: 'out_of_stock', fulfilledByTikTok: false, sample: false, amountCents, currency, cod: false, gaps: [], unrecognised: {},
    });
    const a = base('late', 500, 'USD');
    const b = base('late', 0, 'USD');
    expect(changedTally(tallyOf([a]), tallyOf([b]), tallyOf([a]))).toEqual(tallyOf([b]));
    // Without an added order in it, a currency summing to zero may or may not still have orders.
    expect(changedTally(tallyOf([a, b]), emptyTally(), tallyOf([a]))).toBeNull();
    // The last order of a category, a gap or an unknown value taken out leaves no entry behind.
    const odd: Order = { ...a, amountCents: null, gaps: ['Paid Time'], unrecognised: { 'Cancel By': 'Vendedor' } };
    expect(changedTally(tallyOf([odd]), emptyTally(), tallyOf([odd]))).toEqual(emptyTally());
  });
});
