import type { ImportSummary } from '../core/ingest/import.js';
import { dayOf, type Order } from '../core/order.js';
import { CATEGORIES, INITIATORS, type Category, type Initiator } from '../core/reasons/categories.js';
import type { Db } from './db.js';
import type { Insertable, Selectable } from 'kysely';
import type { ProductRow } from '../core/metrics/products.js';
import { productRowsBetween, saveOrderLines, storedLines } from './product-lines.js';
import type { OrderTable } from './schema.js';

export interface ImportRecord {
  chatId: string;
  shopName: string;
  fileName: string;
  userId: string | null;
  summary: ImportSummary;
  orders: readonly Order[];
}

export interface ShopSummary {
  name: string;
  source: 'upload' | 'api';
  orders: number;
  firstDay: string | null;
  lastDay: string | null;
  lastImportAt: string | null;
}

/** Rows per INSERT: 15 columns × 500 stays far below both engines' parameter limits. */
const BATCH = 500;

const toRow = (shopId: number, o: Order, at: string): Insertable<OrderTable> => ({
  shop_id: shopId, order_id: o.id, created_at: o.createdAt, day: dayOf(o),
  paid: o.paid ? 1 : 0, cancelled: o.cancelled ? 1 : 0, partially_cancelled: o.partiallyCancelled ? 1 : 0,
  initiator: o.initiator, reason: o.reason, category: o.category, fbt: o.fulfilledByTikTok ? 1 : 0, sample: o.sample ? 1 : 0,
  amount_cents: o.amountCents, currency: o.currency, updated_at: at,
});

const asInitiator = (v: string): Initiator => ((INITIATORS as readonly string[]).includes(v) ? (v as Initiator) : 'unknown');
const asCategory = (v: string | null): Category | null => (v !== null && (CATEGORIES as readonly string[]).includes(v) ? (v as Category) : null);

const toOrder = (r: Selectable<OrderTable>): Order => ({
  id: r.order_id, createdAt: r.created_at, paid: r.paid === 1, cancelled: r.cancelled === 1, partiallyCancelled: r.partially_cancelled === 1,
  initiator: asInitiator(r.initiator), reason: r.reason, category: asCategory(r.category), fulfilledByTikTok: r.fbt === 1, sample: r.sample === 1,
  amountCents: r.amount_cents === null ? null : Number(r.amount_cents), currency: r.currency,
});

/** Inserts orders, or updates those the shop already has (unique per shop and order id). */
export async function upsertOrders(db: Db, shopId: number, orders: readonly Order[], at: string): Promise<void> {
  for (let i = 0; i < orders.length; i += BATCH) {
    const batch = orders.slice(i, i + BATCH);
    // What the batch's orders were before, for the per-product counts to take back out.
    const lines = await storedLines(db, shopId, batch.map((o) => o.id));
    const before = { lines, orders: await storedOrders(db, shopId, [...lines.keys()]) };
    const rows = batch.map((o) => toRow(shopId, o, at));
    await db.insertInto('orders').values(rows).onConflict((oc) => oc.columns(['shop_id', 'order_id']).doUpdateSet((eb) => ({
      created_at: eb.ref('excluded.created_at'), day: eb.ref('excluded.day'), paid: eb.ref('excluded.paid'),
      cancelled: eb.ref('excluded.cancelled'), partially_cancelled: eb.ref('excluded.partially_cancelled'),
      initiator: eb.ref('excluded.initiator'), reason: eb.ref('excluded.reason'), category: eb.ref('excluded.category'),
      fbt: eb.ref('excluded.fbt'), sample: eb.ref('excluded.sample'), amount_cents: eb.ref('excluded.amount_cents'),
      currency: eb.ref('excluded.currency'), updated_at: eb.ref('excluded.updated_at'),
    }))).execute();
    await saveOrderLines(db, shopId, batch, before);
  }
}

async function storedOrders(db: Db, shopId: number, ids: readonly string[]): Promise<Map<string, Order>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('orders').selectAll().where('shop_id', '=', shopId).where('order_id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.order_id, toOrder(r)]));
}

export class OrderRepository {
  constructor(private readonly db: Db) {}

  /**
   * Stores an upload's orders in one transaction: orders are unique per shop and order id, so
   * the same or an overlapping export updates orders instead of counting them twice.
   * Returns how many of the orders were new to the shop.
   */
  async saveImport(record: ImportRecord): Promise<{ newOrders: number }> {
    const at = new Date().toISOString();
    return this.db.transaction().execute(async (tx) => {
      await tx.insertInto('shops').values({ chat_id: record.chatId, name: record.shopName, source: 'upload', created_at: at })
        .onConflict((oc) => oc.columns(['chat_id', 'name']).doNothing()).execute();
      const shop = await tx.selectFrom('shops').select('id').where('chat_id', '=', record.chatId).where('name', '=', record.shopName).executeTakeFirstOrThrow();
      const count = async () => Number((await tx.selectFrom('orders').select((eb) => eb.fn.countAll().as('n')).where('shop_id', '=', shop.id).executeTakeFirstOrThrow()).n);
      const before = await count();
      await upsertOrders(tx, shop.id, record.orders, at);
      const after = await count();
      const s = record.summary;
      await tx.insertInto('imports').values({
        chat_id: record.chatId, shop_id: shop.id, file_name: record.fileName, rows: s.rows, orders: s.orders, skipped: s.skipped.rows,
        first_day: s.firstDay, last_day: s.lastDay, user_id: record.userId, created_at: at,
      }).execute();
      return { newOrders: after - before };
    });
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

  async shops(chatId: string): Promise<ShopSummary[]> {
    const rows = await this.db.selectFrom('shops')
      .leftJoin('orders', 'orders.shop_id', 'shops.id')
      .select((eb) => ['shops.name', 'shops.source', eb.fn.count('orders.order_id').as('orders'), eb.fn.min('orders.day').as('firstDay'), eb.fn.max('orders.day').as('lastDay')])
      .where('shops.chat_id', '=', chatId)
      .groupBy(['shops.id', 'shops.name', 'shops.source'])
      .orderBy('shops.name')
      .execute();
    const imports = await this.db.selectFrom('imports').innerJoin('shops', 'shops.id', 'imports.shop_id')
      .select((eb) => ['shops.name', eb.fn.max('imports.created_at').as('at')])
      .where('imports.chat_id', '=', chatId).groupBy('shops.name').execute();
    const lastImport = new Map(imports.map((i) => [i.name, i.at]));
    return rows.map((r) => ({
      name: r.name, source: r.source, orders: Number(r.orders), firstDay: r.firstDay ?? null, lastDay: r.lastDay ?? null,
      lastImportAt: lastImport.get(r.name) ?? null,
    }));
  }
}
