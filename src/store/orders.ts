import type { ProductRow } from '../core/metrics/products.js';
import { dayOf, REPORT_COLUMNS, type Order, type ReportColumn } from '../core/order.js';
import { CATEGORIES, INITIATORS, type Category, type Initiator } from '../core/reasons/categories.js';
import type { Clock, Db } from './db.js';
import type { Insertable, Selectable } from 'kysely';
import { deleteProductsOf, productRowsBetween, saveOrderLines, storedLines } from './product-lines.js';
import type { OrderTable } from './schema.js';
import type { ImportRecord } from './store.js';

/** Rows per INSERT: 18 columns × 500 stays far below both engines' parameter limits. */
const BATCH = 500;

/** Stored orders have days: an import without order times is refused before it reaches the store. */
function datedOf(o: Order): { createdAt: string; day: string } {
  const day = dayOf(o);
  if (o.createdAt === null || day === null) throw new Error(`order ${o.id} has no creation time`);
  return { createdAt: o.createdAt, day };
}

const isColumn = (v: string): v is ReportColumn => (REPORT_COLUMNS as readonly string[]).includes(v);

/** The stored JSON of an order's gaps and unknown values, read back strictly (anything else is dropped). */
function gapsOf(text: string | null): ReportColumn[] {
  if (!text) return [];
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed.filter((v): v is ReportColumn => typeof v === 'string' && isColumn(v)) : [];
}

function unrecognisedOf(text: string | null): Partial<Record<ReportColumn, string>> {
  if (!text) return {};
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null) return {};
  return Object.fromEntries(Object.entries(parsed).filter((e): e is [ReportColumn, string] => isColumn(e[0]) && typeof e[1] === 'string'));
}

const toRow = (shopId: number, o: Order, at: string, { createdAt, day } = datedOf(o)): Insertable<OrderTable> => ({
  shop_id: shopId, order_id: o.id, created_at: createdAt, day,
  paid: o.paid ? 1 : 0, cancelled: o.cancelled ? 1 : 0, partially_cancelled: o.partiallyCancelled ? 1 : 0,
  initiator: o.initiator, reason: o.reason, category: o.category, fbt: o.fulfilledByTikTok ? 1 : 0, sample: o.sample ? 1 : 0,
  amount_cents: o.amountCents, currency: o.currency, updated_at: at,
  cod: o.cod ? 1 : 0, gaps: o.gaps.length > 0 ? JSON.stringify(o.gaps) : null,
  unrecognised: Object.keys(o.unrecognised).length > 0 ? JSON.stringify(o.unrecognised) : null,
});

const asInitiator = (v: string): Initiator => ((INITIATORS as readonly string[]).includes(v) ? (v as Initiator) : 'unknown');
const asCategory = (v: string | null): Category | null => (v !== null && (CATEGORIES as readonly string[]).includes(v) ? (v as Category) : null);

const toOrder = (r: Selectable<OrderTable>): Order => ({
  id: r.order_id, createdAt: r.created_at, paid: r.paid === 1, cancelled: r.cancelled === 1, partiallyCancelled: r.partially_cancelled === 1,
  initiator: asInitiator(r.initiator), reason: r.reason, category: asCategory(r.category), fulfilledByTikTok: r.fbt === 1, sample: r.sample === 1,
  amountCents: r.amount_cents === null ? null : Number(r.amount_cents), currency: r.currency,
  cod: r.cod === 1, gaps: gapsOf(r.gaps), unrecognised: unrecognisedOf(r.unrecognised),
});

/**
 * The `orders` and `imports` tables, their only writer, and of what orders bought: their lines
 * and per-product rollups (product-lines.ts), which change only with the orders. Built over the database or over a
 * transaction, so the store can put order writes in a larger unit of work.
 */
export class OrderRepository {
  constructor(private readonly db: Db, private readonly clock: Clock) {}

  /** Inserts orders, or updates those the shop already has (unique per shop and order id). */
  async upsert(shopId: number, orders: readonly Order[]): Promise<void> {
    const at = new Date(this.clock()).toISOString();
    for (let i = 0; i < orders.length; i += BATCH) {
      const batch = orders.slice(i, i + BATCH);
      // What the batch's orders were before, for the per-product counts to take back out.
      const lines = await storedLines(this.db, shopId, batch.map((o) => o.id));
      const before = { lines, orders: await this.storedOrders(shopId, [...lines.keys()]) };
      const rows = batch.map((o) => toRow(shopId, o, at));
      await this.db.insertInto('orders').values(rows).onConflict((oc) => oc.columns(['shop_id', 'order_id']).doUpdateSet((eb) => ({
        created_at: eb.ref('excluded.created_at'), day: eb.ref('excluded.day'), paid: eb.ref('excluded.paid'),
        cancelled: eb.ref('excluded.cancelled'), partially_cancelled: eb.ref('excluded.partially_cancelled'),
        initiator: eb.ref('excluded.initiator'), reason: eb.ref('excluded.reason'), category: eb.ref('excluded.category'),
        fbt: eb.ref('excluded.fbt'), sample: eb.ref('excluded.sample'), amount_cents: eb.ref('excluded.amount_cents'),
        currency: eb.ref('excluded.currency'), updated_at: eb.ref('excluded.updated_at'),
        cod: eb.ref('excluded.cod'), gaps: eb.ref('excluded.gaps'), unrecognised: eb.ref('excluded.unrecognised'),
      }))).execute();
      await saveOrderLines(this.db, shopId, batch, before);
    }
  }

  private async storedOrders(shopId: number, ids: readonly string[]): Promise<Map<string, Order>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.selectFrom('orders').selectAll().where('shop_id', '=', shopId).where('order_id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.order_id, toOrder(r)]));
  }

  /** The chat's per-product rows of the days `from`…`to` (see product-lines.ts). */
  productRows(chatId: string, from: string, to: string, shopName?: string): Promise<ProductRow[]> {
    return productRowsBetween(this.db, chatId, from, to, shopName);
  }

  /** Whether any stored order of the chat (of one shop or all) has product lines. */
  async hasProductLines(chatId: string, shopName?: string): Promise<boolean> {
    let query = this.db.selectFrom('order_lines').innerJoin('shops', 'shops.id', 'order_lines.shop_id').select('order_lines.line_no')
      .where('shops.chat_id', '=', chatId);
    if (shopName !== undefined) query = query.where('shops.name', '=', shopName);
    return (await query.limit(1).executeTakeFirst()) !== undefined;
  }

  /** How many orders a shop has. */
  async count(shopId: number): Promise<number> {
    return Number((await this.db.selectFrom('orders').select((eb) => eb.fn.countAll().as('n')).where('shop_id', '=', shopId).executeTakeFirstOrThrow()).n);
  }

  /** Records that a file was imported into a shop. */
  async recordImport(shopId: number, record: Omit<ImportRecord, 'orders' | 'shopName'>): Promise<void> {
    const s = record.summary;
    await this.db.insertInto('imports').values({
      chat_id: record.chatId, shop_id: shopId, file_name: record.fileName, rows: s.rows, orders: s.orders, skipped: s.skipped.rows,
      first_day: s.firstDay, last_day: s.lastDay, user_id: record.userId, created_at: new Date(this.clock()).toISOString(),
    }).execute();
  }

  /** Deletes a shop's orders and import records. */
  async deleteOfShop(shopId: number): Promise<void> {
    await deleteProductsOf(this.db, [shopId]);
    await this.db.deleteFrom('orders').where('shop_id', '=', shopId).execute();
    await this.db.deleteFrom('imports').where('shop_id', '=', shopId).execute();
  }

  /** Deletes a chat's orders and import records. */
  async deleteOfChat(chatId: string): Promise<void> {
    const shops = this.db.selectFrom('shops').select('id').where('chat_id', '=', chatId);
    await deleteProductsOf(this.db, shops);
    await this.db.deleteFrom('orders').where('shop_id', 'in', shops).execute();
    await this.db.deleteFrom('imports').where('chat_id', '=', chatId).execute();
  }

  /** A chat's import records follow it to its new id. */
  async moveImports(fromId: string, toId: string): Promise<void> {
    await this.db.updateTable('imports').set({ chat_id: toId }).where('chat_id', '=', fromId).execute();
  }

  /** A chat's orders created on the days `from`…`to` (both included), of one shop or all. */
  async between(chatId: string, from: string, to: string, shopName?: string): Promise<Order[]> {
    let query = this.db.selectFrom('orders').innerJoin('shops', 'shops.id', 'orders.shop_id')
      .selectAll('orders')
      .where('shops.chat_id', '=', chatId).where('orders.day', '>=', from).where('orders.day', '<=', to);
    if (shopName !== undefined) query = query.where('shops.name', '=', shopName);
    return (await query.execute()).map(toOrder);
  }

  /** A chat's orders created on the days `from`…`to`, grouped by shop name (every shop listed). */
  async byShopBetween(chatId: string, from: string, to: string): Promise<Map<string, Order[]>> {
    const byShop = new Map<string, Order[]>();
    for (const shop of await this.db.selectFrom('shops').select('name').where('chat_id', '=', chatId).execute()) byShop.set(shop.name, []);
    const rows = await this.db.selectFrom('orders').innerJoin('shops', 'shops.id', 'orders.shop_id')
      .selectAll('orders').select('shops.name as shop_name')
      .where('shops.chat_id', '=', chatId).where('orders.day', '>=', from).where('orders.day', '<=', to).execute();
    for (const row of rows) byShop.get(row.shop_name)?.push(toOrder(row));
    return byShop;
  }

  /** The first and last day the chat has orders for (of one shop or all), or null. */
  async range(chatId: string, shopName?: string): Promise<{ from: string; to: string } | null> {
    let shops = this.db.selectFrom('shops').select('id').where('chat_id', '=', chatId);
    if (shopName !== undefined) shops = shops.where('name', '=', shopName);
    let from: string | null = null;
    let to: string | null = null;
    // Per shop, and the first and last day apart: each is then one step down the (shop, day) index, not a scan of the orders.
    for (const { id } of await shops.execute()) {
      const first = await this.db.selectFrom('orders').select((eb) => eb.fn.min('day').as('day')).where('shop_id', '=', id).executeTakeFirst();
      const last = await this.db.selectFrom('orders').select((eb) => eb.fn.max('day').as('day')).where('shop_id', '=', id).executeTakeFirst();
      if (first?.day && (from === null || first.day < from)) from = first.day;
      if (last?.day && (to === null || last.day > to)) to = last.day;
    }
    return from !== null && to !== null ? { from, to } : null;
  }

  /** When the chat last heard of its orders: the newest order's creation and the last upload (UTC ISO). */
  async freshness(chatId: string): Promise<{ newestOrder: string | null; lastUploadAt: string | null }> {
    const newest = await this.db.selectFrom('orders').innerJoin('shops', 'shops.id', 'orders.shop_id')
      .select((eb) => eb.fn.max('orders.created_at').as('at')).where('shops.chat_id', '=', chatId).executeTakeFirst();
    const upload = await this.db.selectFrom('imports').select((eb) => eb.fn.max('created_at').as('at')).where('chat_id', '=', chatId).executeTakeFirst();
    return { newestOrder: newest?.at ?? null, lastUploadAt: upload?.at ?? null };
  }
}
