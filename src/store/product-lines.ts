import type { Insertable } from 'kysely';
import type { Order, OrderLine } from '../core/order.js';
import { ProductRollup, type ProductRow } from '../core/metrics/products.js';
import { CATEGORIES, type Category } from '../core/reasons/categories.js';
import type { Db } from './db.js';
import type { OrderLineTable, ProductDayTable } from './schema.js';

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
  const replaced: string[] = [];
  const lineRows: Array<Insertable<OrderLineTable>> = [];
  for (const order of orders) {
    const oldLines = before.lines.get(order.id);
    const oldOrder = before.orders.get(order.id);
    if (oldLines && oldOrder) rollup.add(oldOrder, oldLines, -1);
    const lines = order.lines ?? oldLines;
    if (lines) rollup.add(order, lines);
    if (!order.lines) continue;
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
      sku_id: r.label.skuId, seller_sku: r.label.sellerSku, product_name: r.label.product, variation: r.label.variation,
      orders: r.orders, cancelled: r.cancelled, sf_orders: r.sellerFaultOrders, sf_cancelled: r.sellerFaultCancelled, partially_cancelled: r.partiallyCancelled,
    }));
    await db.insertInto('product_days').values(rows).onConflict((oc) => oc.columns(['shop_id', 'day', 'product_key', 'category']).doUpdateSet((eb) => ({
      sku_id: eb.ref('excluded.sku_id'), seller_sku: eb.ref('excluded.seller_sku'),
      product_name: eb.ref('excluded.product_name'), variation: eb.ref('excluded.variation'),
      orders: eb('product_days.orders', '+', eb.ref('excluded.orders')),
      cancelled: eb('product_days.cancelled', '+', eb.ref('excluded.cancelled')),
      sf_orders: eb('product_days.sf_orders', '+', eb.ref('excluded.sf_orders')),
      sf_cancelled: eb('product_days.sf_cancelled', '+', eb.ref('excluded.sf_cancelled')),
      partially_cancelled: eb('product_days.partially_cancelled', '+', eb.ref('excluded.partially_cancelled')),
    }))).execute();
  }
}

const asCategory = (v: string): Category | null => ((CATEGORIES as readonly string[]).includes(v) ? (v as Category) : null);

/**
 * A chat's product rows for the days `from`…`to` (of one shop or all), summed over days and
 * shops: one row per product and reason, whatever the number of orders behind them.
 */
export async function productRowsBetween(db: Db, chatId: string, from: string, to: string, shopName?: string): Promise<ProductRow[]> {
  let query = db.selectFrom('product_days').innerJoin('shops', 'shops.id', 'product_days.shop_id')
    .select((eb) => [
      'product_days.product_key', 'product_days.category',
      eb.fn.max('product_days.sku_id').as('sku_id'), eb.fn.max('product_days.seller_sku').as('seller_sku'),
      eb.fn.max('product_days.product_name').as('product_name'), eb.fn.max('product_days.variation').as('variation'),
      eb.fn.sum<number>('product_days.orders').as('orders'), eb.fn.sum<number>('product_days.cancelled').as('cancelled'),
      eb.fn.sum<number>('product_days.sf_orders').as('sf_orders'), eb.fn.sum<number>('product_days.sf_cancelled').as('sf_cancelled'),
      eb.fn.sum<number>('product_days.partially_cancelled').as('partially_cancelled'),
    ])
    .where('shops.chat_id', '=', chatId).where('product_days.day', '>=', from).where('product_days.day', '<=', to);
  if (shopName !== undefined) query = query.where('shops.name', '=', shopName);
  const rows = await query.groupBy(['product_days.product_key', 'product_days.category']).execute();
  return rows.map((r) => ({
    key: r.product_key,
    category: asCategory(r.category),
    label: { skuId: r.sku_id ?? null, sellerSku: r.seller_sku ?? null, product: r.product_name ?? null, variation: r.variation ?? null },
    orders: Number(r.orders), cancelled: Number(r.cancelled), sellerFaultOrders: Number(r.sf_orders),
    sellerFaultCancelled: Number(r.sf_cancelled), partiallyCancelled: Number(r.partially_cancelled),
  }));
}
