import type { ImportSummary } from '../core/ingest/import.js';
import { DailyTallies } from '../core/metrics/tally.js';
import type { Order } from '../core/order.js';
import { CompiledQuery, type Insertable } from 'kysely';
import type { Db } from './db.js';
import { orderFromRow, orderToRow } from './order-rows.js';
import type { OrderTable } from './schema.js';
import { rebuildShopRollups, RollupTracker, rollupOf } from './rollups.js';

/** Where an upload goes and who sent it. */
export interface ImportTarget {
  chatId: string;
  shopName: string;
  fileName: string;
  userId: string | null;
}

export interface ImportRecord extends ImportTarget {
  summary: ImportSummary;
  orders: readonly Order[];
}

/** Hands a batch of orders to the import's transaction. */
export type WriteOrders = (orders: readonly Order[]) => Promise<void>;

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
const NONE: ReadonlyMap<string, string> = new Map();

/**
 * The upsert of a batch of order rows. Building and compiling a 500-row statement took longer
 * than running it, so its SQL is compiled once per batch size and reused with new parameters
 * (which Kysely lists row by row, column by column; checked on the first compile).
 */
function upsertStatements(tx: Db): (rows: Array<Insertable<OrderTable>>) => CompiledQuery {
  const compiled = new Map<number, string>();
  return (rows) => {
    const columns = Object.keys(rows[0] ?? {}) as Array<keyof Insertable<OrderTable>>;
    const parameters = rows.flatMap((row) => columns.map((c) => row[c]));
    let text = compiled.get(rows.length);
    if (text === undefined) {
      const query = tx.insertInto('orders').values(rows).onConflict((oc) => oc.columns(['shop_id', 'order_id']).doUpdateSet((eb) => ({
        created_at: eb.ref('excluded.created_at'), day: eb.ref('excluded.day'), paid: eb.ref('excluded.paid'),
        cancelled: eb.ref('excluded.cancelled'), partially_cancelled: eb.ref('excluded.partially_cancelled'),
        initiator: eb.ref('excluded.initiator'), reason: eb.ref('excluded.reason'), category: eb.ref('excluded.category'),
        fbt: eb.ref('excluded.fbt'), sample: eb.ref('excluded.sample'), amount_cents: eb.ref('excluded.amount_cents'),
        currency: eb.ref('excluded.currency'), updated_at: eb.ref('excluded.updated_at'),
      }))).compile();
      if (query.parameters.length !== parameters.length || query.parameters.some((p, i) => p !== parameters[i])) {
        throw new Error('order upsert: parameters are not in row and column order');
      }
      text = query.sql;
      compiled.set(rows.length, text);
    }
    return CompiledQuery.raw(text, parameters);
  };
}

/**
 * Writes orders of one shop in the caller's transaction (unique per shop and order id: an order
 * stored before is updated, never counted twice) and keeps the shop's daily rollups exact.
 * Call `finish` before the transaction commits.
 */
export function orderWriter(tx: Db, shopId: number, at: string) {
  const rollups = new RollupTracker();
  const upsert = upsertStatements(tx);
  /** A shop without orders when the write began has none to look up (the orders of one write are unique by id, as an import's are). */
  let startedEmpty: Promise<boolean> | null = null;
  return {
    async write(orders: readonly Order[]): Promise<void> {
      startedEmpty ??= tx.selectFrom('orders').select('order_id').where('shop_id', '=', shopId).limit(1).executeTakeFirst().then((row) => row === undefined);
      const empty = await startedEmpty;
      for (let i = 0; i < orders.length; i += BATCH) {
        const chunk = orders.slice(i, i + BATCH);
        let previousDay: ReadonlyMap<string, string> = NONE;
        if (!empty) {
          const before = await tx.selectFrom('orders').select(['order_id', 'day'])
            .where('shop_id', '=', shopId).where('order_id', 'in', chunk.map((o) => o.id)).execute();
          previousDay = new Map(before.map((r) => [r.order_id, r.day]));
        }
        await tx.executeQuery(upsert(chunk.map((o) => orderToRow(shopId, o, at))));
        for (const order of chunk) rollups.note(order, previousDay.get(order.id));
      }
    },
    /** Brings the rollups of the days written to up to date; returns how many orders were new to the shop. */
    async finish(): Promise<{ newOrders: number }> {
      await rollups.apply(tx, shopId);
      return { newOrders: rollups.newOrders };
    },
  };
}

export class OrderRepository {
  /** `reader` answers queries that need no transaction: on SQLite a second connection, so a long import never holds up a /rate. */
  constructor(private readonly db: Db, private readonly reader: Db = db) {}

  /**
   * Stores an upload in one transaction: `run` reads the file and hands its orders over in
   * batches through `write`, then returns the import's summary. If `run` throws, nothing of the
   * upload is stored. Returns how many of the orders were new to the shop.
   */
  async saveImportStream(target: ImportTarget, run: (write: WriteOrders) => Promise<ImportSummary>, at = new Date().toISOString()): Promise<{ newOrders: number; summary: ImportSummary }> {
    return this.db.transaction().execute(async (tx) => {
      await tx.insertInto('shops').values({ chat_id: target.chatId, name: target.shopName, source: 'upload', created_at: at })
        .onConflict((oc) => oc.columns(['chat_id', 'name']).doNothing()).execute();
      const shop = await tx.selectFrom('shops').select('id').where('chat_id', '=', target.chatId).where('name', '=', target.shopName).executeTakeFirstOrThrow();
      const writer = orderWriter(tx, shop.id, at);
      const summary = await run(writer.write);
      const { newOrders } = await writer.finish();
      await tx.insertInto('imports').values({
        chat_id: target.chatId, shop_id: shop.id, file_name: target.fileName, rows: summary.rows, orders: summary.orders, skipped: summary.skipped.rows,
        first_day: summary.firstDay, last_day: summary.lastDay, user_id: target.userId, created_at: at,
      }).execute();
      return { newOrders, summary };
    });
  }

  /** Stores orders already in memory as one upload (seeds, tests, benchmarks). */
  async saveImport(record: ImportRecord): Promise<{ newOrders: number }> {
    const { newOrders } = await this.saveImportStream(record, async (write) => {
      await write(record.orders);
      return record.summary;
    });
    return { newOrders };
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

  /** Counts every rollup of the chat again from its stored orders, in one transaction; returns the days counted. */
  async rebuildRollups(chatId: string): Promise<number> {
    return this.db.transaction().execute(async (tx) => {
      let days = 0;
      for (const shop of await tx.selectFrom('shops').select('id').where('chat_id', '=', chatId).execute()) days += await rebuildShopRollups(tx, shop.id);
      return days;
    });
  }

  /** How many days of rollups the chat has: what a rebuild would count. */
  async rollupDays(chatId: string): Promise<number> {
    const row = await this.reader.selectFrom('daily_rollups').innerJoin('shops', 'shops.id', 'daily_rollups.shop_id')
      .select((eb) => eb.fn.countAll().as('n')).where('shops.chat_id', '=', chatId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** A chat's orders created on the days `from`…`to` (both included), of one shop or all. */
  async between(chatId: string, from: string, to: string, shopName?: string): Promise<Order[]> {
    let query = this.db.selectFrom('orders').innerJoin('shops', 'shops.id', 'orders.shop_id')
      .selectAll('orders')
      .where('shops.chat_id', '=', chatId).where('orders.day', '>=', from).where('orders.day', '<=', to);
    if (shopName !== undefined) query = query.where('shops.name', '=', shopName);
    return (await query.execute()).map(orderFromRow);
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

  async shops(chatId: string): Promise<ShopSummary[]> {
    const rows = await this.reader.selectFrom('shops')
      .leftJoin('daily_rollups', 'daily_rollups.shop_id', 'shops.id')
      .select((eb) => ['shops.name', 'shops.source', eb.fn.sum<number>('daily_rollups.stored_orders').as('orders'), eb.fn.min('daily_rollups.day').as('firstDay'), eb.fn.max('daily_rollups.day').as('lastDay')])
      .where('shops.chat_id', '=', chatId)
      .groupBy(['shops.id', 'shops.name', 'shops.source'])
      .orderBy('shops.name')
      .execute();
    const imports = await this.reader.selectFrom('imports').innerJoin('shops', 'shops.id', 'imports.shop_id')
      .select((eb) => ['shops.name', eb.fn.max('imports.created_at').as('at')])
      .where('imports.chat_id', '=', chatId).groupBy('shops.name').execute();
    const lastImport = new Map(imports.map((i) => [i.name, i.at]));
    return rows.map((r) => ({
      name: r.name, source: r.source, orders: Number(r.orders ?? 0), firstDay: r.firstDay ?? null, lastDay: r.lastDay ?? null,
      lastImportAt: lastImport.get(r.name) ?? null,
    }));
  }
}
