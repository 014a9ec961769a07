import type { ImportSummary } from '../../src/core/ingest/import.js';
import { addDays } from '../../src/core/metrics/days.js';
import type { Order } from '../../src/core/order.js';
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

/** Stores orders for a chat as an upload into `shop`. */
export async function seed(store: Store, chatId: string, orders: Order[], shop = 'main'): Promise<void> {
  const days = orders.map((o) => o.createdAt?.slice(0, 10) ?? '').sort();
  const summary: ImportSummary = { files: [], rows: orders.length, orders: orders.length, skipped: { rows: 0, samples: [] }, firstDay: days[0] ?? null, lastDay: days[days.length - 1] ?? null, undated: { orders: 0, file: null } };
  await store.saveImport({ chatId, shopName: shop, fileName: 'seed.csv', userId: null, summary, orders });
}
