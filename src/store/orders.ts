import { sql } from 'kysely';
import { setImmediate } from 'node:timers/promises';
import type { RowShape, WriteRows } from './bulk.js';
import { DailyTallies } from '../core/metrics/tally.js';
import type { ProductRow } from '../core/metrics/products.js';
import type { Order } from '../core/order.js';
import type { Category } from '../core/reasons/categories.js';
import type { Clock, Db, ImportRecord } from './types.js';
import { linesFromRow, ORDER_COLUMNS, ORDER_COLUMNS_WRITTEN, orderEncoder, orderFromRow, storedDayOf } from './order-rows.js';
import { rebuildShopRollups, RollupTracker, rollupOf, type StoredOrder } from './rollups.js';
import { countOrderLines, deleteProductsOf, ProductChanges, productRowsBetween } from './product-lines.js';

/** Hands a batch of orders to the import's transaction. */
export type WriteOrders = (orders: readonly Order[]) => Promise<void>;

/** Orders per step: the stored ones among them are looked up together, and other chats are served between steps. */
const BATCH = 2_000;
/**
 * Per-product rows (by day, product and reason) gathered before they are written: about 25 MB
 * at most (about 560 bytes a row). Bounded by rows, not by orders: a shop's products and days
 * recur over its orders, so a large upload writes each row once instead of once per few
 * thousand orders.
 */
const PRODUCT_ROWS = 40_000;

/** A stored order's day in SQL, as `storedDayOf` reads it. */
const STORED_DAY = sql<string>`substr(orders.created_at, 1, 10)`;

/** Orders the shop does not have yet (looked up in the same transaction, under the shop's write lock): nothing to meet. */
const NEW_ORDER_ROWS: RowShape<'orders'> = { table: 'orders', key: ['shop_id', 'order_id'], onConflict: 'fail', columns: ORDER_COLUMNS_WRITTEN };
/** Orders stored before, updated in place. */
const STORED_ORDER_ROWS: RowShape<'orders'> = {
  table: 'orders', key: ['shop_id', 'order_id'], onConflict: 'replace', columns: ORDER_COLUMNS_WRITTEN,
  // An order stored again from an export without product columns keeps the lines it had.
  keep: ['lines'],
};

/**
 * Writes orders of one shop in the caller's transaction (unique per shop and order id: an order
 * stored before is updated, never counted twice) and keeps the shop's daily rollups, order lines and per-product rollups exact.
 * The orders of one write must have distinct ids, as an import's have (`distinctOrders` makes them so).
 * Call `finish` before the transaction commits.
 */
export function orderWriter(tx: Db, rows: WriteRows, shopId: number) {
  const rollups = new RollupTracker();
  const products = new ProductChanges();
  const encoder = orderEncoder(shopId);
  /** A shop without orders when the write began has none to look up. */
  let startedEmpty: Promise<boolean> | null = null;
  return {
    async write(orders: readonly Order[]): Promise<void> {
      startedEmpty ??= tx.selectFrom('orders').select('order_id').where('shop_id', '=', shopId).limit(1).executeTakeFirst().then((row) => row === undefined);
      const empty = await startedEmpty;
      for (let i = 0; i < orders.length; i += BATCH) {
        const chunk = orders.slice(i, i + BATCH);
        // What the chunk's orders were before, for the rollups (and, with their lines, the per-product counts) to take back out.
        const previous = new Map<string, StoredOrder>();
        const before = new Map<string, Order>();
        if (!empty) {
          // Runs after the COPY under way (one connection); if that failed, its error is the one to tell.
          const stored = await tx.selectFrom('orders').select([...ORDER_COLUMNS, 'lines']).where('shop_id', '=', shopId).where('order_id', 'in', chunk.map((o) => o.id)).execute()
            .catch(async (error: unknown) => { await rows.settled(); throw error; });
          for (const row of stored) {
            const order = orderFromRow(row);
            previous.set(row.order_id, { order, day: storedDayOf(row) });
            // Only an order stored with lines has product counts to take back out.
            if (row.lines !== null) before.set(row.order_id, { ...order, lines: linesFromRow(row) });
          }
        }
        const fresh: Order[] = [];
        const again: Order[] = [];
        for (const order of chunk) (previous.has(order.id) ? again : fresh).push(order);
        await rows(NEW_ORDER_ROWS, fresh, encoder);
        if (again.length > 0) await rows(STORED_ORDER_ROWS, again, encoder);
        countOrderLines(chunk, before, products);
        for (const order of chunk) rollups.note(order, previous.get(order.id));
        if (products.size >= PRODUCT_ROWS) await products.write(rows, shopId);
        // On SQLite a step runs without a pause: let other chats' updates in before the next.
        await setImmediate();
      }
    },
    /** Brings the rollups of the days written to up to date; returns how many orders were new to the shop. */
    async finish(): Promise<{ newOrders: number }> {
      await products.write(rows, shopId);
      await rollups.apply(tx, shopId);
      return { newOrders: rollups.newOrders };
    },
  };
}

/**
 * `write` called with at least `size` orders at a time (the rest at `flush`): an import's worker
 * hands on small batches, which keep its garbage young, and a store with a round trip per write
 * takes them in larger ones.
 */
export function gatherOrders(write: WriteOrders, size: number): { write: WriteOrders; flush(): Promise<void> } {
  let held: Order[] = [];
  const flush = async () => {
    if (held.length === 0) return;
    const orders = held;
    held = [];
    await write(orders);
  };
  return {
    write: async (orders) => {
      for (const order of orders) held.push(order);
      if (held.length >= size) await flush();
    },
    flush,
  };
}

/** Orders with distinct ids: of an id given twice, the later order (a newer state of it). */
export function distinctOrders(orders: readonly Order[]): readonly Order[] {
  const byId = new Map(orders.map((o) => [o.id, o]));
  return byId.size === orders.length ? orders : [...byId.values()];
}

/**
 * The `orders`, `imports` and `daily_rollups` tables, their only writer, and of what orders
 * bought: their lines and per-product rollups (product-lines.ts), which change only with the
 * orders. Built over the database or over a transaction, so the store can put order writes in a
 * larger unit of work.
 */
export class OrderRepository {
  /** `reader` answers queries outside transactions: on SQLite a second connection, so a long import never holds up a /rate. */
  constructor(private readonly db: Db, private readonly clock: Clock, private readonly reader: Db, private readonly rows: WriteRows) {}

  /** A writer of this shop's orders (and rollups); use it inside a transaction and call `finish` before commit. */
  writer(shopId: number) {
    return orderWriter(this.db, this.rows, shopId);
  }

  /**
   * Reads the shop's reason texts again with `categoryOf` and stores the categories that change,
   * one statement per distinct text. The shop's rollups are then stale: `recountShop` them.
   */
  async recategorize(shopId: number, categoryOf: (reason: string) => Category): Promise<number> {
    const texts = await this.db.selectFrom('orders').select(['reason', 'category']).distinct()
      .where('shop_id', '=', shopId).where('reason', 'is not', null).where('category', 'is not', null).execute();
    let changed = 0;
    for (const { reason, category } of texts) {
      if (reason === null) continue;
      const now = categoryOf(reason);
      if (now === category) continue;
      const result = await this.db.updateTable('orders').set({ category: now }).where('shop_id', '=', shopId).where('reason', '=', reason)
        .where('category', '=', category).executeTakeFirst();
      changed += Number(result.numUpdatedRows);
    }
    return changed;
  }

  /** Counts the shop's daily and per-product rollups anew from its stored orders (after `recategorize`, or new counting rules). */
  async recountShop(shopId: number): Promise<void> {
    await rebuildShopRollups(this.db, shopId);
    await deleteProductsOf(this.db, [shopId]);
    const products = new ProductChanges();
    let after = '';
    for (;;) {
      const rows = await this.db.selectFrom('orders').select([...ORDER_COLUMNS, 'lines']).where('shop_id', '=', shopId).where('order_id', '>', after)
        .where('lines', 'is not', null).orderBy('order_id').limit(BATCH).execute();
      for (const row of rows) {
        const lines = linesFromRow(row);
        if (!lines) continue;
        products.add(orderFromRow(row), lines);
        products.name(lines);
      }
      if (products.size >= PRODUCT_ROWS) await products.write(this.rows, shopId);
      const last = rows.at(-1);
      if (rows.length < BATCH || last === undefined) break;
      after = last.order_id;
    }
    await products.write(this.rows, shopId);
  }

  /**
   * Stores the shop's orders whose reason is one of `texts` again, with the category
   * `categoryOf` gives: the writer takes each order's old counts out of its day and its
   * products and adds the new ones, so a taught reason changes past figures exactly.
   */
  async rewriteReasons(shopId: number, texts: readonly string[], categoryOf: (reason: string) => Category): Promise<number> {
    if (texts.length === 0) return 0;
    const writer = this.writer(shopId);
    let changed = 0;
    let after = '';
    for (;;) {
      const rows = await this.db.selectFrom('orders').select([...ORDER_COLUMNS, 'lines']).where('shop_id', '=', shopId).where('order_id', '>', after)
        .where('reason', 'in', texts).where('category', 'is not', null).orderBy('order_id').limit(BATCH).execute();
      const orders: Order[] = [];
      for (const row of rows) {
        const order = orderFromRow(row);
        const category = categoryOf(row.reason ?? '');
        if (category !== order.category) orders.push({ ...order, category, lines: linesFromRow(row) });
      }
      if (orders.length > 0) await writer.write(orders);
      changed += orders.length;
      const last = rows.at(-1);
      if (rows.length < BATCH || last === undefined) break;
      after = last.order_id;
    }
    await writer.finish();
    return changed;
  }

  /** The distinct reason texts of the shop's orders that have a category (cancelled or with a reason). */
  async reasonTexts(shopId: number): Promise<string[]> {
    const rows = await this.db.selectFrom('orders').select('reason').distinct().where('shop_id', '=', shopId).where('reason', 'is not', null)
      .where('category', 'is not', null).execute();
    return rows.flatMap((r) => (r.reason === null ? [] : [r.reason]));
  }

  /** The chat's per-product rows of the days `from`…`to` (see product-lines.ts). */
  productRows(chatId: string, from: string, to: string, options: { shopName?: string | undefined; reasonsOf: number }): Promise<ProductRow[]> {
    return productRowsBetween(this.reader, chatId, from, to, options);
  }

  /**
   * Whether any stored order of the chat (of one shop or all) has product lines: a product is
   * named for every line stored, and names go only with the shop's orders.
   */
  async hasProductLines(chatId: string, shopName?: string): Promise<boolean> {
    let query = this.reader.selectFrom('product_labels').innerJoin('shops', 'shops.id', 'product_labels.shop_id').select('product_labels.product_key')
      .where('shops.chat_id', '=', chatId);
    if (shopName !== undefined) query = query.where('shops.name', '=', shopName);
    return (await query.limit(1).executeTakeFirst()) !== undefined;
  }

  /** Records that a file was imported into a shop. */
  async recordImport(shopId: number, record: Omit<ImportRecord, 'orders' | 'shopName'>): Promise<void> {
    const s = record.summary;
    await this.db.insertInto('imports').values({
      chat_id: record.chatId, shop_id: shopId, file_name: record.fileName, rows: s.rows, orders: s.orders, skipped: s.skipped.rows,
      first_day: s.firstDay, last_day: s.lastDay, user_id: record.userId, created_at: new Date(this.clock()).toISOString(),
    }).execute();
  }

  /** Deletes a shop's orders, rollups and import records. */
  async deleteOfShop(shopId: number): Promise<void> {
    await this.db.deleteFrom('daily_rollups').where('shop_id', '=', shopId).execute();
    await deleteProductsOf(this.db, [shopId]);
    await this.db.deleteFrom('orders').where('shop_id', '=', shopId).execute();
    await this.db.deleteFrom('imports').where('shop_id', '=', shopId).execute();
  }

  /** Deletes a chat's orders, rollups and import records. */
  async deleteOfChat(chatId: string): Promise<void> {
    const shops = this.db.selectFrom('shops').select('id').where('chat_id', '=', chatId);
    await this.db.deleteFrom('daily_rollups').where('shop_id', 'in', shops).execute();
    await deleteProductsOf(this.db, shops);
    await this.db.deleteFrom('orders').where('shop_id', 'in', shops).execute();
    await this.db.deleteFrom('imports').where('chat_id', '=', chatId).execute();
  }

  /** Orders the chat keeps stored, all shops, from the daily rollups (a count of the orders table would read it whole). */
  async storedCount(chatId: string): Promise<number> {
    const row = await this.db.selectFrom('daily_rollups').innerJoin('shops', 'shops.id', 'daily_rollups.shop_id')
      .select((eb) => eb.fn.sum<number | string | null>('daily_rollups.stored_orders').as('orders'))
      .where('shops.chat_id', '=', chatId).executeTakeFirst();
    return Number(row?.orders ?? 0);
  }

  /** A chat's import records follow it to its new id. */
  async moveImports(fromId: string, toId: string): Promise<void> {
    await this.db.updateTable('imports').set({ chat_id: toId }).where('chat_id', '=', fromId).execute();
  }

  /** A chat's orders created on the days `from`…`to` (both included), of one shop or all: for re-computation and checks. */
  async between(chatId: string, from: string, to: string, shopName?: string): Promise<Order[]> {
    let query = this.db.selectFrom('orders').innerJoin('shops', 'shops.id', 'orders.shop_id')
      .selectAll('orders')
      .where('shops.chat_id', '=', chatId).where(STORED_DAY, '>=', from).where(STORED_DAY, '<=', to);
    if (shopName !== undefined) query = query.where('shops.name', '=', shopName);
    return (await query.execute()).map(orderFromRow);
  }

  /** A chat's daily rollups on the days `from`…`to` (both included), of one shop or all, summed per day. */
  async tallies(chatId: string, from: string, to: string, shopName?: string): Promise<DailyTallies> {
    let query = this.reader.selectFrom('daily_rollups').innerJoin('shops', 'shops.id', 'daily_rollups.shop_id')
      .select(['daily_rollups.day', 'daily_rollups.tally', 'daily_rollups.stored_orders', 'daily_rollups.newest_created_at'])
      .where('shops.chat_id', '=', chatId).where('daily_rollups.day', '>=', from).where('daily_rollups.day', '<=', to);
    if (shopName !== undefined) query = query.where('shops.name', '=', shopName);
    const tallies = new DailyTallies();
    for (const row of await query.execute()) tallies.addDay(row.day, rollupOf(row).tally);
    return tallies;
  }

  /** A chat's daily rollups on the days `from`…`to`, per shop name (every shop listed). */
  async talliesByShop(chatId: string, from: string, to: string): Promise<Map<string, DailyTallies>> {
    const byShop = new Map<string, DailyTallies>();
    for (const shop of await this.reader.selectFrom('shops').select('name').where('chat_id', '=', chatId).execute()) byShop.set(shop.name, new DailyTallies());
    const rows = await this.reader.selectFrom('daily_rollups').innerJoin('shops', 'shops.id', 'daily_rollups.shop_id')
      .select(['shops.name', 'daily_rollups.day', 'daily_rollups.tally', 'daily_rollups.stored_orders', 'daily_rollups.newest_created_at'])
      .where('shops.chat_id', '=', chatId).where('daily_rollups.day', '>=', from).where('daily_rollups.day', '<=', to).execute();
    for (const row of rows) byShop.get(row.name)?.addDay(row.day, rollupOf(row).tally);
    return byShop;
  }

  /** The first and last day the chat has orders for (of one shop or all), or null. */
  async range(chatId: string, shopName?: string): Promise<{ from: string; to: string } | null> {
    let query = this.reader.selectFrom('daily_rollups').innerJoin('shops', 'shops.id', 'daily_rollups.shop_id')
      .select((eb) => [eb.fn.min('daily_rollups.day').as('from'), eb.fn.max('daily_rollups.day').as('to')])
      .where('shops.chat_id', '=', chatId);
    if (shopName !== undefined) query = query.where('shops.name', '=', shopName);
    const row = await query.executeTakeFirst();
    return row?.from && row.to ? { from: row.from, to: row.to } : null;
  }

  /** When the chat last heard of its orders: the newest order's creation and the last upload (UTC ISO). */
  async freshness(chatId: string): Promise<{ newestOrder: string | null; lastUploadAt: string | null }> {
    const newest = await this.reader.selectFrom('daily_rollups').innerJoin('shops', 'shops.id', 'daily_rollups.shop_id')
      .select((eb) => eb.fn.max('daily_rollups.newest_created_at').as('at')).where('shops.chat_id', '=', chatId).executeTakeFirst();
    const upload = await this.reader.selectFrom('imports').select((eb) => eb.fn.max('created_at').as('at')).where('chat_id', '=', chatId).executeTakeFirst();
    return { newestOrder: newest?.at ?? null, lastUploadAt: upload?.at ?? null };
  }
}
