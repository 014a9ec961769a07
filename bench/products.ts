/**
 * /products at scale: a chat with `orders` stored orders (90 days, a catalogue of 400 SKUs,
 * one to three products per order) in the database at `databaseUrl`, stored through the same
 * path as uploads (orders, lines and per-day product rows in one transaction per file). Figures: the time to
 * store them, and the median time of `/products 30d` (the store query and the core's lines,
 * as the bot runs them) against the /rate target of 50 ms.
 */
import { addDays } from '../src/core/metrics/days.js';
import type { Order, OrderLine } from '../src/core/order.js';
import { translator } from '../src/i18n.js';
import { chatProducts } from '../src/use-cases/chat-products.js';
import { chatReport } from '../src/use-cases/chat-report.js';
import { Store } from '../src/store/store.js';

const DAYS = 90;
const SKUS = 400;
const LAST_DAY = '2026-11-25';
/** Orders per stored "upload": large files come in one transaction each. */
const FILE = 100_000;

const REASONS = [
  { initiator: 'seller', reason: 'Out of stock', category: 'out_of_stock' },
  { initiator: 'buyer', reason: 'No longer needed', category: 'changed_mind' },
  { initiator: 'system', reason: 'Automatically cancelled due to collection time out', category: 'late_fulfilment' },
  { initiator: 'seller', reason: 'Pricing error', category: 'pricing_error' },
] as const;

function line(n: number, cancelled: boolean): OrderLine {
  const sku = n % SKUS;
  return {
    skuId: String(1730000000000000000n + BigInt(sku)), sellerSku: `SKU-${sku}`, product: `商品 ${Math.floor(sku / 4)} Product name`,
    variation: ['Red, S', 'Red, M', 'Blue, L', '白色'][sku % 4] ?? null, quantity: 1 + (n % 3), cancelled,
  };
}

function order(i: number, total: number): Order {
  const day = addDays(LAST_DAY, -Math.floor((i / total) * DAYS));
  const cancelled = i % 17 === 0;
  const partial = !cancelled && i % 53 === 0;
  const why = REASONS[i % REASONS.length] ?? REASONS[0];
  // Popular SKUs sell more: a skewed pick, as catalogues are.
  const first = Math.floor(((i * 7919) % 1000) ** 2 / 1000) % SKUS;
  const count = 1 + (i % 3 === 0 ? 1 : 0) + (i % 11 === 0 ? 1 : 0);
  const lines = Array.from({ length: count }, (_, k) => line(first + k * 37, cancelled || (partial && k === 0)));
  return {
    id: `57${String(i).padStart(16, '0')}`, createdAt: `${day}T${String(8 + (i % 12)).padStart(2, '0')}:00:00`, paid: true,
    cancelled, partiallyCancelled: partial,
    initiator: cancelled || partial ? why.initiator : 'unknown', reason: cancelled || partial ? why.reason : null, category: cancelled || partial ? why.category : null,
    fulfilledByTikTok: i % 9 === 0, sample: false, amountCents: 1000 + (i % 5000), currency: 'USD', cod: false, gaps: [], unrecognised: {}, lines,
  };
}

export interface ProductsBenchResult { storeSeconds: number; medianMs: number; p90Ms: number; products: number; rows: number; rateMedianMs: number }

export async function productsBench(databaseUrl: string, orders: number, runs = 21): Promise<ProductsBenchResult> {
  const store = await Store.open(databaseUrl);
  try {
    const chat = await store.chats.ensure('-1', { locale: 'en', timeZone: 'Asia/Shanghai', threshold: 0.025 });
    const started = performance.now();
    for (let from = 0; from < orders; from += FILE) {
      const batch = Array.from({ length: Math.min(FILE, orders - from) }, (_, k) => order(from + k, orders));
      await store.saveImport({
        chatId: '-1', shopName: 'main', fileName: 'seed.csv', userId: null, orders: batch,
        summary: { files: [], rows: batch.length, orders: batch.length, skipped: { rows: 0, samples: [] }, firstDay: null, lastDay: null, undated: { orders: 0, file: null } },
      });
    }
    const storeSeconds = (performance.now() - started) / 1000;
    const now = Date.parse(`${LAST_DAY}T12:00:00+08:00`);
    const times: number[] = [];
    let products = 0;
    for (let r = 0; r < runs; r++) {
      const t = performance.now();
      const { view } = await chatProducts(store, chat, { kind: 'last', days: 30 }, now);
      times.push(performance.now() - t);
      products = view.products.length;
    }
    times.sort((a, b) => a - b);
    // /rate on the same chat and window, in the same run: the ratio holds where seconds do not.
    const rateTimes: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t = performance.now();
      await chatReport(store, chat, { kind: 'last', days: 30 }, translator('en'), now);
      rateTimes.push(performance.now() - t);
    }
    rateTimes.sort((a, b) => a - b);
    const rows = Number((await store.db.selectFrom('product_days').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return { storeSeconds, medianMs: times[Math.floor(runs / 2)] ?? NaN, p90Ms: times[Math.floor(runs * 0.9)] ?? NaN, products, rows, rateMedianMs: rateTimes[1] ?? NaN };
  } finally {
    await store.close();
  }
}
