import type { ImportSummary } from '../../src/core/ingest/import.js';
import { addDays } from '../../src/core/metrics/days.js';
import type { DailySummary } from '../../src/core/metrics/summary.js';
import { DailyTallies } from '../../src/core/metrics/tally.js';
import type { Order } from '../../src/core/order.js';
import { translator } from '../../src/i18n.js';
import { summarizeDay } from '../../src/use-cases/day-summary.js';
import type { Store } from '../../src/store/store.js';

/** `perDay` paid orders on each day from `from` for `days` days; every `cancelEvery`-th cancelled by the seller, out of stock. */
export function ordersOver(from: string, days: number, perDay: number, cancelEvery = 5, prefix = 'o'): Order[] {
  const orders: Order[] = [];
  for (let d = 0; d < days; d++) {
    const day = addDays(from, d);
    for (let i = 0; i < perDay; i++) {
      const cancelled = i % cancelEvery === 0;
      orders.push({
        id: `${prefix}-${day}-${i}`, createdAt: `${day}T12:00:00`, paid: true, cancelled, partiallyCancelled: false,
        initiator: cancelled ? 'seller' : 'unknown', reason: cancelled ? 'Out of stock' : null, category: cancelled ? 'out_of_stock' : null,
        fulfilledByTikTok: false, sample: false, amountCents: 1000, currency: 'USD', cod: false, gaps: [], unrecognised: {},
      });
    }
  }
  return orders;
}

/** The morning summary of `day` for orders per shop, counted as the store's rollups count them (UTC, English). */
export function summaryOfOrders(day: string, byShop: ReadonlyMap<string, readonly Order[]>, now = Date.parse(`${addDays(day, 1)}T01:00:00Z`)): DailySummary {
  const tallies = new Map<string, DailyTallies>();
  for (const [shop, orders] of byShop) {
    const t = new DailyTallies();
    for (const order of orders) t.add(order);
    tallies.set(shop, t);
  }
  return summarizeDay(day, tallies, 'UTC', translator('en'), now);
}

/** Stores orders for a chat as an upload into `shop`. */
export async function seed(store: Store, chatId: string, orders: Order[], shop = 'main'): Promise<void> {
  const days = orders.map((o) => o.createdAt?.slice(0, 10) ?? '').sort();
  const summary: ImportSummary = { files: [], rows: orders.length, orders: orders.length, skipped: { rows: 0, samples: [] }, firstDay: days[0] ?? null, lastDay: days[days.length - 1] ?? null, undated: { orders: 0, file: null } };
  await store.saveImport({ chatId, shopName: shop, fileName: 'seed.csv', userId: null, summary, orders });
}
