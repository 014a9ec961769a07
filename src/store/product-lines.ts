import { sql, type SelectQueryBuilder } from 'kysely';
import type { Order, OrderLine } from '../core/order.js';
import { costliestFirst, labelOf, largerLabel, ProductRollup, type ProductDayRow, type ProductLabel, type ProductRow } from '../core/metrics/products.js';
import { splitWeeks, weekOf } from '../core/metrics/days.js';
import { CATEGORIES } from '../core/reasons/categories.js';
import type { RowShape, WriteRows } from './bulk.js';
import type { Db } from './types.js';
import { PRODUCT_DAY_COLUMNS, PRODUCT_DAY_COUNTS, type Database, type ProductDayColumn } from './schema.js';

/** A product's day takes the counts of the orders written on top of its own (they may be negative: orders stored again). */
const PRODUCT_DAY_ROWS: RowShape<'product_days'> = {
  table: 'product_days', key: ['shop_id', 'day', 'product_key'], onConflict: 'add', columns: ['shop_id', 'day', 'product_key', ...PRODUCT_DAY_COLUMNS],
};
/** The same counts per week (its Monday): a window's whole weeks are read from these. */
const PRODUCT_WEEK_ROWS: RowShape<'product_weeks'> = {
  table: 'product_weeks', key: ['shop_id', 'week', 'product_key'], onConflict: 'add', columns: ['shop_id', 'week', 'product_key', ...PRODUCT_DAY_COLUMNS],
};
const LABEL_ROWS: RowShape<'product_labels'> = {
  table: 'product_labels', key: ['shop_id', 'product_key'], onConflict: 'replace',
  columns: ['shop_id', 'product_key', 'sku_id', 'seller_sku', 'product_name', 'variation'],
};

/**
 * The per-product day counts and product names of orders being written, gathered over several
 * batches and written together: a step of up to 2,000 orders touches the same few products and days
 * as the next, so each row is written once per many batches instead of once per batch.
 */
export class ProductChanges {
  private rollup = new ProductRollup();
  private labels = new Map<string, ProductLabel>();

  /** Counts an order's lines (with `sign` -1, takes a stored order's counts back out). */
  add(order: Order, lines: readonly OrderLine[], sign = 1): void {
    this.rollup.add(order, lines, sign);
  }

  /** Rows of counts gathered and not written yet (by day, product and reason). */
  get size(): number {
    return this.rollup.size;
  }

  /** The products of lines just read are named as these lines name them (as ProductRollup names its rows: made anew, not compared). */
  name(lines: readonly OrderLine[]): void {
    for (const l of lines) this.labels.set(this.rollup.keyOf(l), labelOf(l));
  }

  /** Adds the counts to the stored days and names the products; call it before the transaction commits. */
  async write(write: WriteRows, shopId: number): Promise<void> {
    const days = [...wideRows(this.rollup.rows()).values()].filter((r) => PRODUCT_DAY_COUNTS.some((c) => r.counts[c] !== 0));
    await write(PRODUCT_DAY_ROWS, days.map((r) => ({ shop_id: shopId, day: r.day, product_key: r.key, ...r.counts })));
    await write(PRODUCT_WEEK_ROWS, [...weekRows(days).values()].map((r) => ({ shop_id: shopId, week: r.week, product_key: r.key, ...r.counts })));
    await write(LABEL_ROWS, [...this.labels].map(([key, l]) => ({
      shop_id: shopId, product_key: key, sku_id: l.skuId, seller_sku: l.sellerSku, product_name: l.product, variation: l.variation,
    })));
    this.rollup = new ProductRollup();
    this.labels = new Map();
  }
}

/**
 * Counts the lines of orders being stored into `products` (the lines themselves go in the
 * orders' rows). An order stored again takes its old counts back out and adds its new ones, so
 * re-uploads update products as they update orders. An order that arrives without lines (an
 * export without product columns) keeps the lines it had, counted by its new state. `stored`
 * holds the orders as stored before this write, with their lines.
 */
export function countOrderLines(orders: readonly Order[], stored: ReadonlyMap<string, Order>, products: ProductChanges): void {
  for (const order of orders) {
    const before = stored.get(order.id);
    if (before?.lines) products.add(before, before.lines, -1);
    const lines = order.lines ?? before?.lines;
    if (lines) products.add(order, lines);
    if (order.lines) products.name(order.lines);
  }
}

/** Deletes the product rows and names of these shops (an id list or a query of ids); their lines go with their orders. */
export async function deleteProductsOf(db: Db, shopIds: readonly number[] | SelectQueryBuilder<Database, 'shops', { id: number }>): Promise<void> {
  await db.deleteFrom('product_days').where('shop_id', 'in', shopIds).execute();
  await db.deleteFrom('product_weeks').where('shop_id', 'in', shopIds).execute();
  await db.deleteFrom('product_labels').where('shop_id', 'in', shopIds).execute();
}

type Counts = Record<ProductDayColumn, number>;

/** Each reason with its three count columns. */
const CATEGORY_COLUMNS = CATEGORIES.map((c) => [c, `cancelled_${c}`, `sf_cancelled_${c}`, `partial_${c}`] as const);
const REASON_COLUMNS = CATEGORY_COLUMNS.flatMap(([, ...columns]) => columns);

const emptyWide = (): Counts => Object.fromEntries(PRODUCT_DAY_COLUMNS.map((c) => [c, 0])) as Counts;

/** Day rows → one row per week (its Monday) and product, with the days' counts summed. */
function weekRows(days: ReadonlyArray<{ day: string; key: string; counts: Counts }>): Map<string, { week: string; key: string; counts: Counts }> {
  const weeks = new Map<string, { week: string; key: string; counts: Counts }>();
  for (const d of days) {
    const week = weekOf(d.day);
    const id = `${week}\x1f${d.key}`;
    let w = weeks.get(id);
    if (!w) weeks.set(id, (w = { week, key: d.key, counts: emptyWide() }));
    for (const c of PRODUCT_DAY_COLUMNS) w.counts[c] += d.counts[c];
  }
  return weeks;
}

/** Rows per product and reason → one row per day and product, the reasons as columns. */
function wideRows(rows: readonly ProductDayRow[]): Map<string, { day: string; key: string; counts: Counts }> {
  const wide = new Map<string, { day: string; key: string; counts: Counts }>();
  for (const r of rows) {
    const id = `${r.day}\x1f${r.key}`;
    let w = wide.get(id);
    if (!w) wide.set(id, (w = { day: r.day, key: r.key, counts: emptyWide() }));
    w.counts.orders += r.orders;
    w.counts.sf_orders += r.sellerFaultOrders;
    if (r.category === null) continue;
    w.counts[`cancelled_${r.category}`] += r.cancelled;
    w.counts[`sf_cancelled_${r.category}`] += r.sellerFaultCancelled;
    w.counts[`partial_${r.category}`] += r.partiallyCancelled;
    w.counts.cancelled += r.cancelled;
    w.counts.sf_cancelled += r.sellerFaultCancelled;
    w.counts.partial += r.partiallyCancelled;
  }
  return wide;
}

/**
 * A chat's product rows for the days `from`…`to` (of one shop or all), summed over days and
 * shops, as the core's product lines take them: per product, a row with its orders and cancels.
 * Products are ranked from their totals first; only the `reasonsOf` costliest (those a chat
 * lists) are read again per reason, their cancels then in a row per reason instead. Summing
 * every reason of every product cost more than all the rest of `/products` at a million orders.
 */
export async function productRowsBetween(
  db: Db, chatId: string, from: string, to: string, options: { shopName?: string | undefined; reasonsOf: number },
): Promise<ProductRow[]> {
  let shopQuery = db.selectFrom('shops').select('id').where('chat_id', '=', chatId);
  if (options.shopName !== undefined) shopQuery = shopQuery.where('name', '=', options.shopName);
  // The shops' ids go into the queries as values: PostgreSQL plans a subquery's few ids as
  // unknown and read a month's week rows whole.
  const shops = (await shopQuery.execute()).map((s) => s.id);
  if (shops.length === 0) return [];
  const totals = await windowSums(db, shops, from, to, ['orders', 'sf_orders', 'cancelled', 'sf_cancelled', 'partial']);
  if (totals.length === 0) return [];
  const ranked = totals.map((sum) => ({
    key: sum.product_key,
    total: {
      orders: Number(sum.orders), sellerFaultOrders: Number(sum.sf_orders),
      cancelled: Number(sum.cancelled), sellerFaultCancelled: Number(sum.sf_cancelled), partiallyCancelled: Number(sum.partial),
    },
  })).sort(costliestFirst);
  const detailed = ranked.filter((p) => p.total.orders > 0 && (p.total.cancelled > 0 || p.total.partiallyCancelled > 0)).slice(0, options.reasonsOf).map((p) => p.key);
  const byReason = detailed.length > 0 ? await windowSums(db, shops, from, to, REASON_COLUMNS, detailed) : [];
  const labels = new Map<string, ProductLabel>();
  for (const l of await db.selectFrom('product_labels').selectAll().where('shop_id', 'in', shops).execute()) {
    const label = { skuId: l.sku_id, sellerSku: l.seller_sku, product: l.product_name, variation: l.variation };
    const held = labels.get(l.product_key);
    labels.set(l.product_key, held ? largerLabel(held, label) : label);
  }
  const unnamed: ProductLabel = { skuId: null, sellerSku: null, product: null, variation: null };
  const rows: ProductRow[] = [];
  const withReasons = new Set(detailed);
  for (const { key, total } of ranked) {
    const label = labels.get(key) ?? unnamed;
    const cancels = withReasons.has(key) ? { cancelled: 0, sellerFaultCancelled: 0, partiallyCancelled: 0 } : total;
    rows.push({
      key, label, category: null, orders: total.orders, sellerFaultOrders: total.sellerFaultOrders,
      cancelled: cancels.cancelled, sellerFaultCancelled: cancels.sellerFaultCancelled, partiallyCancelled: cancels.partiallyCancelled,
    });
  }
  for (const sum of byReason) {
    const key = sum.product_key;
    const label = labels.get(key) ?? unnamed;
    for (const [category, cancelledColumn, sellerFaultColumn, partialColumn] of CATEGORY_COLUMNS) {
      const cancelled = Number(sum[cancelledColumn]);
      const sellerFaultCancelled = Number(sum[sellerFaultColumn]);
      const partiallyCancelled = Number(sum[partialColumn]);
      if (cancelled || sellerFaultCancelled || partiallyCancelled) {
        rows.push({ key, label, category, orders: 0, sellerFaultOrders: 0, cancelled, sellerFaultCancelled, partiallyCancelled });
      }
    }
  }
  return rows;
}

/**
 * The `columns` of a window's product rows summed per product (of `keys` only, when given): its
 * whole weeks from the week rows and the days at either end from the day rows, summed by the
 * database in one grouped query. PostgreSQL sums come back as text.
 */
async function windowSums(
  db: Db, shops: readonly number[], from: string, to: string, columns: readonly ProductDayColumn[], keys?: readonly string[],
): Promise<WindowSum[]> {
  const { weeks, days } = splitWeeks(from, to);
  const parts = [
    ...(weeks ? [db.selectFrom('product_weeks').select(['product_key', ...columns])
      .where('shop_id', 'in', shops).where('week', '>=', weeks.from).where('week', '<=', weeks.to)
      .$if(keys !== undefined, (q) => q.where('product_key', 'in', keys ?? []))] : []),
    ...days.map((range) => db.selectFrom('product_days').select(['product_key', ...columns])
      .where('shop_id', 'in', shops).where('day', '>=', range.from).where('day', '<=', range.to)
      .$if(keys !== undefined, (q) => q.where('product_key', 'in', keys ?? []))),
  ];
  const [first, ...rest] = parts;
  if (!first) return [];
  const window = rest.reduce((all, part) => all.unionAll(part), first);
  return db.selectFrom(window.as('window'))
    .select(['product_key', ...columns.map((c) => sql<number | string>`sum(${sql.ref(c)})`.as(c))])
    .groupBy('product_key').execute() as Promise<WindowSum[]>;
}

type WindowSum = { product_key: string } & Record<ProductDayColumn, number | string>;
