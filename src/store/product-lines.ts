import type { Insertable, SelectQueryBuilder } from 'kysely';
import type { Order, OrderLine } from '../core/order.js';
import { largerLabel, productKey, ProductRollup, type ProductLabel, type ProductRow } from '../core/metrics/products.js';
import { CATEGORIES, type Category } from '../core/reasons/categories.js';
import type { Db } from './db.js';
import type { Database, OrderLineTable, ProductDayTable, ProductLabelTable } from './schema.js';

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

  const changes = rollup.rows().filter((r) => r.orders !== 0 || r.cancelled !== 0 || r.sellerFaultOrders !== 0 || r.sellerFaultCancelled !== 0 || r.partiallyCancelled !== 0);
  for (let i = 0; i < changes.length; i += BATCH) {
    const rows: Array<Insertable<ProductDayTable>> = changes.slice(i, i + BATCH).map((r) => ({
      shop_id: shopId, day: r.day, product_key: r.key, category: r.category ?? '',
      orders: r.orders, cancelled: r.cancelled, sf_orders: r.sellerFaultOrders, sf_cancelled: r.sellerFaultCancelled, partially_cancelled: r.partiallyCancelled,
    }));
    await db.insertInto('product_days').values(rows).onConflict((oc) => oc.columns(['shop_id', 'day', 'product_key', 'category']).doUpdateSet((eb) => ({
      orders: eb('product_days.orders', '+', eb.ref('excluded.orders')),
      cancelled: eb('product_days.cancelled', '+', eb.ref('excluded.cancelled')),
      sf_orders: eb('product_days.sf_orders', '+', eb.ref('excluded.sf_orders')),
      sf_cancelled: eb('product_days.sf_cancelled', '+', eb.ref('excluded.sf_cancelled')),
      partially_cancelled: eb('product_days.partially_cancelled', '+', eb.ref('excluded.partially_cancelled')),
    }))).execute();
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
  await db.deleteFrom('product_labels').where('shop_id', 'in', shopIds).execute();
  await db.deleteFrom('order_lines').where('shop_id', 'in', shopIds).execute();
}

const asCategory = (v: string): Category | null => ((CATEGORIES as readonly string[]).includes(v) ? (v as Category) : null);

/**
 * A chat's product rows for the days `from`…`to` (of one shop or all), summed over days and
 * shops: one row per product and reason, whatever the number of orders behind them. Names
 * come from the labels table, so the rows read per day carry numbers only.
 */
export async function productRowsBetween(db: Db, chatId: string, from: string, to: string, shopName?: string): Promise<ProductRow[]> {
  let shops = db.selectFrom('shops').select('id').where('chat_id', '=', chatId);
  if (shopName !== undefined) shops = shops.where('name', '=', shopName);
  const rows = await db.selectFrom('product_days')
    .select((eb) => [
      'product_key', 'category',
      eb.fn.sum<number>('orders').as('orders'), eb.fn.sum<number>('cancelled').as('cancelled'),
      eb.fn.sum<number>('sf_orders').as('sf_orders'), eb.fn.sum<number>('sf_cancelled').as('sf_cancelled'),
      eb.fn.sum<number>('partially_cancelled').as('partially_cancelled'),
    ])
    .where('shop_id', 'in', shops).where('day', '>=', from).where('day', '<=', to)
    .groupBy(['product_key', 'category']).execute();
  if (rows.length === 0) return [];
  const labels = new Map<string, ProductLabel>();
  for (const l of await db.selectFrom('product_labels').selectAll().where('shop_id', 'in', shops).execute()) {
    const label = { skuId: l.sku_id, sellerSku: l.seller_sku, product: l.product_name, variation: l.variation };
    const held = labels.get(l.product_key);
    labels.set(l.product_key, held ? largerLabel(held, label) : label);
  }
  const unnamed: ProductLabel = { skuId: null, sellerSku: null, product: null, variation: null };
  return rows.map((r) => ({
    key: r.product_key,
    category: asCategory(r.category),
    label: labels.get(r.product_key) ?? unnamed,
    orders: Number(r.orders), cancelled: Number(r.cancelled), sellerFaultOrders: Number(r.sf_orders),
    sellerFaultCancelled: Number(r.sf_cancelled), partiallyCancelled: Number(r.partially_cancelled),
  }));
}
