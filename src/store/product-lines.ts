import { sql, type Insertable, type SelectQueryBuilder } from 'kysely';
import type { Order, OrderLine } from '../core/order.js';
import { largerLabel, productKey, ProductRollup, type ProductDayRow, type ProductLabel, type ProductRow } from '../core/metrics/products.js';
import { splitWeeks, weekOf } from '../core/metrics/days.js';
import { CATEGORIES } from '../core/reasons/categories.js';
import type { Db } from './db.js';
import { PRODUCT_DAY_COUNTS, type Database, type OrderLineTable, type ProductDayCount, type ProductDayTable, type ProductLabelTable, type ProductWeekTable } from './schema.js';

/** Rows per INSERT: 15 columns × 500 stays far below both engines' parameter limits. */
const BATCH = 500;

/** The lines stored for these orders of a shop, by order id (orders without lines are absent). */
export async function storedLines(db: Db, shopId: number, orderIds: readonly string[]): Promise<Map<string, OrderLine[]>> {
  const byOrder = new Map<string, OrderLine[]>();
  if (orderIds.length === 0) return byOrder;
  const rows = await db.selectFrom('order_lines').selectAll().where('shop_id', '=', shopId).where('order_id', 'in', orderIds)
    .orderBy('order_id').orderBy('line_no').execute();
  for (const r of rows) {
    const line: OrderLine = {
      skuId: r.sku_id, sellerSku: r.seller_sku, product: r.product_name, variation: r.variation, quantity: Number(r.quantity), cancelled: r.cancelled === 1,
    };
    const list = byOrder.get(r.order_id);
    if (list) list.push(line);
    else byOrder.set(r.order_id, [line]);
  }
  return byOrder;
}

/**
 * Keeps lines and per-product day counts in step with orders just stored (call it in the
 * orders' transaction). An order stored again takes its old counts back out and adds its new
 * ones, so re-uploads update products as they update orders. An order that arrives without
 * lines (an export without product columns) keeps the lines it had, counted by its new state.
 */
export async function saveOrderLines(
  db: Db, shopId: number, orders: readonly Order[],
  before: { lines: ReadonlyMap<string, readonly OrderLine[]>; orders: ReadonlyMap<string, Order> },
): Promise<void> {
  const rollup = new ProductRollup();
  const labels = new Map<string, ProductLabel>();
  const replaced: string[] = [];
  const lineRows: Array<Insertable<OrderLineTable>> = [];
  for (const order of orders) {
    const oldLines = before.lines.get(order.id);
    const oldOrder = before.orders.get(order.id);
    if (oldLines && oldOrder) rollup.add(oldOrder, oldLines, -1);
    const lines = order.lines ?? oldLines;
    if (lines) rollup.add(order, lines);
    if (!order.lines) continue;
    for (const l of order.lines) labels.set(productKey(l), { skuId: l.skuId, sellerSku: l.sellerSku, product: l.product, variation: l.variation });
    if (oldLines) replaced.push(order.id);
    order.lines.forEach((l, i) => lineRows.push({
      shop_id: shopId, order_id: order.id, line_no: i, sku_id: l.skuId, seller_sku: l.sellerSku, product_name: l.product,
      variation: l.variation, quantity: l.quantity, cancelled: l.cancelled ? 1 : 0,
    }));
  }
  if (replaced.length > 0) await db.deleteFrom('order_lines').where('shop_id', '=', shopId).where('order_id', 'in', replaced).execute();
  for (let i = 0; i < lineRows.length; i += BATCH) await db.insertInto('order_lines').values(lineRows.slice(i, i + BATCH)).execute();

  const days = [...wideRows(rollup.rows()).values()].filter((r) => PRODUCT_DAY_COUNTS.some((c) => r.counts[c] !== 0));
  for (let i = 0; i < days.length; i += WIDE_BATCH) {
    const rows: Array<Insertable<ProductDayTable>> = days.slice(i, i + WIDE_BATCH).map((r) => ({ shop_id: shopId, day: r.day, product_key: r.key, ...r.counts }));
    await db.insertInto('product_days').values(rows).onConflict((oc) => oc.columns(['shop_id', 'day', 'product_key']).doUpdateSet(addedTo('product_days'))).execute();
  }
  const weeks = [...weekRows(days).values()];
  for (let i = 0; i < weeks.length; i += WIDE_BATCH) {
    const rows: Array<Insertable<ProductWeekTable>> = weeks.slice(i, i + WIDE_BATCH).map((r) => ({ shop_id: shopId, week: r.week, product_key: r.key, ...r.counts }));
    await db.insertInto('product_weeks').values(rows).onConflict((oc) => oc.columns(['shop_id', 'week', 'product_key']).doUpdateSet(addedTo('product_weeks'))).execute();
  }

  const named = [...labels];
  for (let i = 0; i < named.length; i += BATCH) {
    const rows: Array<Insertable<ProductLabelTable>> = named.slice(i, i + BATCH).map(([key, l]) => ({
      shop_id: shopId, product_key: key, sku_id: l.skuId, seller_sku: l.sellerSku, product_name: l.product, variation: l.variation,
    }));
    await db.insertInto('product_labels').values(rows).onConflict((oc) => oc.columns(['shop_id', 'product_key']).doUpdateSet((eb) => ({
      sku_id: eb.ref('excluded.sku_id'), seller_sku: eb.ref('excluded.seller_sku'),
      product_name: eb.ref('excluded.product_name'), variation: eb.ref('excluded.variation'),
    }))).execute();
  }
}

/** Deletes the lines, product rows and names of these shops (an id list or a query of ids). */
export async function deleteProductsOf(db: Db, shopIds: readonly number[] | SelectQueryBuilder<Database, 'shops', { id: number }>): Promise<void> {
  await db.deleteFrom('product_days').where('shop_id', 'in', shopIds).execute();
  await db.deleteFrom('product_weeks').where('shop_id', 'in', shopIds).execute();
  await db.deleteFrom('product_labels').where('shop_id', 'in', shopIds).execute();
  await db.deleteFrom('order_lines').where('shop_id', 'in', shopIds).execute();
}


/** 38 columns × 500 rows would pass SQLite's 32,766 parameters: 200 rows per INSERT. */
const WIDE_BATCH = 200;

type Counts = Record<ProductDayCount, number>;

const emptyWide = (): Counts => Object.fromEntries(PRODUCT_DAY_COUNTS.map((c) => [c, 0])) as Counts;

/** Counts stored rows take in: each column plus the row's new value (deltas may be negative). */
const addedTo = (table: 'product_days' | 'product_weeks') =>
  Object.fromEntries(PRODUCT_DAY_COUNTS.map((c) => [c, sql<number>`${sql.ref(`${table}.${c}`)} + ${sql.ref(`excluded.${c}`)}`]));

/** Day rows → one row per week (its Monday) and product, with the days' counts summed. */
function weekRows(days: ReadonlyArray<{ day: string; key: string; counts: Counts }>): Map<string, { week: string; key: string; counts: Counts }> {
  const weeks = new Map<string, { week: string; key: string; counts: Counts }>();
  for (const d of days) {
    const week = weekOf(d.day);
    const id = `${week}\x1f${d.key}`;
    let w = weeks.get(id);
    if (!w) weeks.set(id, (w = { week, key: d.key, counts: emptyWide() }));
    for (const c of PRODUCT_DAY_COUNTS) w.counts[c] += d.counts[c];
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
  }
  return wide;
}

/**
 * A chat's product rows for the days `from`…`to` (of one shop or all), summed over days and
 * shops: a row per product with its orders, and a row per product and reason with its cancels,
 * as the core's product lines take them. Names come from the labels table, so the rows read
 * per day carry numbers only.
 */
export async function productRowsBetween(db: Db, chatId: string, from: string, to: string, shopName?: string): Promise<ProductRow[]> {
  let shops = db.selectFrom('shops').select('id').where('chat_id', '=', chatId);
  if (shopName !== undefined) shops = shops.where('name', '=', shopName);
  const sumsOf = PRODUCT_DAY_COUNTS.map((c) => sql<number>`sum(${sql.ref(c)})`.as(c));
  const { weeks, days } = splitWeeks(from, to);
  const parts = await Promise.all([
    ...(weeks ? [db.selectFrom('product_weeks').select(['product_key', ...sumsOf])
      .where('shop_id', 'in', shops).where('week', '>=', weeks.from).where('week', '<=', weeks.to).groupBy('product_key').execute()] : []),
    ...days.map((range) => db.selectFrom('product_days').select(['product_key', ...sumsOf])
      .where('shop_id', 'in', shops).where('day', '>=', range.from).where('day', '<=', range.to).groupBy('product_key').execute()),
  ]);
  const sums = new Map<string, Counts>();
  for (const part of parts) {
    for (const row of part) {
      let counts = sums.get(row.product_key);
      if (!counts) sums.set(row.product_key, (counts = emptyWide()));
      for (const c of PRODUCT_DAY_COUNTS) counts[c] += Number((row as Record<string, unknown>)[c] ?? 0);
    }
  }
  if (sums.size === 0) return [];
  const labels = new Map<string, ProductLabel>();
  for (const l of await db.selectFrom('product_labels').selectAll().where('shop_id', 'in', shops).execute()) {
    const label = { skuId: l.sku_id, sellerSku: l.seller_sku, product: l.product_name, variation: l.variation };
    const held = labels.get(l.product_key);
    labels.set(l.product_key, held ? largerLabel(held, label) : label);
  }
  const unnamed: ProductLabel = { skuId: null, sellerSku: null, product: null, variation: null };
  const rows: ProductRow[] = [];
  for (const [key, counts] of sums) {
    const count = (c: ProductDayCount) => counts[c];
    const base = { key, label: labels.get(key) ?? unnamed };
    rows.push({ ...base, category: null, orders: count('orders'), sellerFaultOrders: count('sf_orders'), cancelled: 0, sellerFaultCancelled: 0, partiallyCancelled: 0 });
    for (const category of CATEGORIES) {
      const cancelled = count(`cancelled_${category}`);
      const sellerFaultCancelled = count(`sf_cancelled_${category}`);
      const partiallyCancelled = count(`partial_${category}`);
      if (cancelled || sellerFaultCancelled || partiallyCancelled) rows.push({ ...base, category, orders: 0, sellerFaultOrders: 0, cancelled, sellerFaultCancelled, partiallyCancelled });
    }
  }
  return rows;
}
