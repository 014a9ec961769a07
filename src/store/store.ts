import { sql } from 'kysely';
import type { ImportSummary } from '../core/ingest/import.js';
import { COUNTING_RULES_VERSION } from '../core/metrics/tally.js';
import type { Order } from '../core/order.js';
import type { Category } from '../core/reasons/categories.js';
import { classifyReason, readReason, reasonRulesVersion, withTaught } from '../core/reasons/classify.js';
import { ChatAdminRepository } from './chat-admins.js';
import { ChatRepository } from './chats.js';
import { DeliveryRepository } from './deliveries.js';
import { PrivateUploadRepository } from './private-uploads.js';
import type { Checkpointed, FromCheckpointWorker } from './checkpoints.js';
import type pg from 'pg';
import { pgRows, queryRows, sqliteRows, type WriteRows } from './bulk.js';
import { dialectOf, migrate, openDatabase, openReader, ping, type DbOptions, type OpenedDb } from './db.js';
import type { Clock, Db, ImportRecord, ImportTarget } from './types.js';
import { ImportPromptRepository } from './import-prompts.js';
import { LinkStateRepository } from './link-states.js';
import { distinctOrders, gatherOrders, OrderRepository, type WriteOrders } from './orders.js';
import { RobotTargetRepository } from './robot-targets.js';
import { ScheduleRepository } from './schedules.js';
import { ShopRepository } from './shops.js';
import { ReasonMappingRepository } from './reason-mappings.js';
import { UploadsUnderWayRepository } from './uploads-under-way.js';

/**
 * On PostgreSQL an upload's orders are written 2,000 at a time (a lookup and a COPY, each a
 * round trip), gathered here from the import worker's batches of 500, small so that they
 * die young in the worker (ORDER_BATCH). SQLite has no round trip and writes each batch as it
 * comes, so other chats wait less between steps.
 */
const PG_WRITE_ORDERS = 2_000;

/** An upload this many orders new to its shop has PostgreSQL's statistics of the orders table refreshed. */
const ANALYZE_AFTER_ORDERS = 10_000;

/** One repository per table (or per pair of tables only it writes), over the database or a transaction. */
export class Repositories {
  readonly chats: ChatRepository;
  readonly shops: ShopRepository;
  readonly orders: OrderRepository;
  readonly schedules: ScheduleRepository;
  readonly linkStates: LinkStateRepository;
  readonly importPrompts: ImportPromptRepository;
  readonly robots: RobotTargetRepository;
  readonly uploadsUnderWay: UploadsUnderWayRepository;
  readonly reasonMappings: ReasonMappingRepository;
  readonly chatAdmins: ChatAdminRepository;
  readonly privateUploads: PrivateUploadRepository;
  readonly deliveries: DeliveryRepository;

  /**
   * `reader` answers the queries outside transactions that must never wait for one (see
   * openReader); `rows` writes an import's rows (see bulk.ts).
   */
  constructor(db: Db, clock: Clock, reader: Db, rows: WriteRows) {
    this.chats = new ChatRepository(db, clock, reader);
    this.shops = new ShopRepository(db, clock, reader);
    this.orders = new OrderRepository(db, clock, reader, rows);
    this.schedules = new ScheduleRepository(db);
    this.linkStates = new LinkStateRepository(db);
    this.importPrompts = new ImportPromptRepository(db, clock);
    this.robots = new RobotTargetRepository(db);
    this.uploadsUnderWay = new UploadsUnderWayRepository(db, clock);
    this.reasonMappings = new ReasonMappingRepository(db, clock);
    this.chatAdmins = new ChatAdminRepository(db, clock);
    this.privateUploads = new PrivateUploadRepository(db, clock);
    this.deliveries = new DeliveryRepository(db, clock);
  }
}

/** An import would leave its chat holding more orders than the operator allows: it was undone. */
export class ChatFullError extends Error {
  constructor(readonly cap: number, readonly stored: number) {
    super(`the chat would hold ${stored} orders, more than its cap of ${cap}`);
  }
}

/**
 * The bot's storage: one database, its repositories, and the units of work that span tables,
 * each one transaction made of repository calls (a repository never opens one itself).
 */
export class Store extends Repositories {
  /**
   * How a transaction writes an import's rows: on SQLite on the one writing connection, which
   * the transaction holds; on PostgreSQL partly by COPY on the transaction's own connection,
   * looked up only when a COPY needs it.
   */
  private readonly rowsOf: (tx: Db) => WriteRows;
  /** A refresh of PostgreSQL's statistics under way after a large upload (see `refreshOrderStatistics`). */
  private statistics: Promise<void> = Promise.resolve();

  /**
   * PostgreSQL: several instances may serve from this database at once, so what one handled the
   * others must see. SQLite: one instance is expected (a second may run, but each write waits for
   * the other's transactions), so what is enough to know in memory is not written.
   */
  readonly sharedByInstances: boolean;

  private constructor(readonly db: Db, private readonly clock: Clock, private readonly reader: Db, private readonly opened: OpenedDb,
    private readonly onTrouble: DbOptions['onTrouble']) {
    super(db, clock, reader, queryRows(db, opened.sqlite ? 'sqlite' : 'postgres'));
    this.sharedByInstances = !opened.sqlite;
    if (opened.sqlite) {
      const rows = sqliteRows(opened.sqlite);
      this.rowsOf = () => rows;
    } else {
      const clientOf = opened.pgClientOf;
      this.rowsOf = (tx) => {
        let client: Promise<pg.ClientBase> | null = null;
        return pgRows(tx, () => (client ??= clientOf(tx)));
      };
    }
  }

  /** Opens the database named by `url`, brings its schema up to date, and its orders' readings. */
  static async open(url: string, clock: Clock = () => Date.now(), options: DbOptions = {}): Promise<Store> {
    const opened = await openDatabase(url, options);
    await migrate(opened.db, dialectOf(url));
    const store = new Store(opened.db, clock, openReader(url, opened.db, options), opened, options.onTrouble);
    await store.rereadReasons();
    return store;
  }

  /**
   * When the reason table, the cues or the counting rules changed since the orders were stored,
   * every shop's categories are read again (with its chat's taught reasons) and its rollups
   * counted anew, one shop per transaction, so no figure mixes two readings. Run at open; a
   * start interrupted half-way does the rest at the next, as the version is written last.
   */
  private async rereadReasons(): Promise<void> {
    const version = `${reasonRulesVersion()}/${COUNTING_RULES_VERSION}`;
    const fact = await this.db.selectFrom('store_facts').select('value').where('name', '=', 'reason_rules').executeTakeFirst();
    if (fact?.value === version) return;
    const shops = await this.db.selectFrom('shops').select(['id', 'chat_id']).orderBy('id').execute();
    for (const shop of shops) {
      await this.transaction(async (tx) => {
        await tx.shops.holdForWriting(shop.id);
        const taught = await tx.reasonMappings.taughtOf(shop.chat_id);
        await tx.orders.recategorize(shop.id, (reason) => classifyReason(reason, taught));
        await tx.orders.recountShop(shop.id);
      });
    }
    await this.db.insertInto('store_facts').values({ name: 'reason_rules', value: version })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: version })).execute();
  }

  /**
   * A chat teaches the bot a reason text (`category`), or forgets one (null): the mapping is kept
   * and the chat's stored orders with that text are stored again under it, their days' and
   * products' counts changed with them, all in one transaction. Returns how many orders changed,
   * or null when there was no mapping to forget.
   */
  teachReason(chatId: string, text: string, category: Category | null, by: string | null): Promise<number | null> {
    return this.transaction(async (tx) => {
      const { key } = readReason(text);
      if (category === null) {
        if (!(await tx.reasonMappings.remove(chatId, key))) return null;
      } else {
        await tx.reasonMappings.put(chatId, { key, text: text.trim(), category, createdBy: by });
      }
      const taught = await tx.reasonMappings.taughtOf(chatId);
      let changed = 0;
      for (const shopId of await tx.shops.idsOf(chatId)) {
        const texts = (await tx.orders.reasonTexts(shopId)).filter((t) => readReason(t).key === key);
        if (texts.length === 0) continue;
        await tx.shops.holdForWriting(shopId);
        changed += await tx.orders.rewriteReasons(shopId, texts, (reason) => classifyReason(reason, taught));
      }
      return changed;
    });
  }

  /** Runs `work` in one transaction, over repositories bound to it. */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (tx) => {
      const rows = this.rowsOf(tx);
      const result = await work(new Repositories(tx, this.clock, tx, rows));
      // A write still under way is part of the transaction: committed only once it has succeeded.
      await rows.settled();
      return result;
    });
  }

  /**
   * Stores an upload in one transaction: `run` reads the file and hands its orders over in
   * batches through `write`, then returns the import's summary; if it throws, nothing of the
   * upload is stored. Orders are unique per shop and order id, so the same or an overlapping
   * export updates orders instead of counting them twice; the shop's daily rollups are kept
   * exact in the same transaction. Returns how many of the orders were new to the shop.
   */
  async saveImportStream(target: ImportTarget, run: (write: WriteOrders) => Promise<ImportSummary>): Promise<{ newOrders: number; summary: ImportSummary }> {
    const saved = await this.transaction(async (tx) => {
      const shopId = await tx.shops.ensure(target.chatId, target.shopName);
      await tx.shops.holdForWriting(shopId);
      const writer = tx.orders.writer(shopId);
      const taught = await tx.reasonMappings.taughtOf(target.chatId);
      const write = taughtWriter(writer.write, taught);
      const gathered = this.opened.sqlite ? null : gatherOrders(write, PG_WRITE_ORDERS);
      const summary = await run(gathered?.write ?? write);
      await gathered?.flush();
      const { newOrders } = await writer.finish();
      if (target.maxChatOrders !== undefined && newOrders > 0) {
        // Counted inside the transaction, after this import's orders: throwing undoes them all.
        const stored = await tx.orders.storedCount(target.chatId);
        if (stored > target.maxChatOrders) throw new ChatFullError(target.maxChatOrders, stored);
      }
      const { maxChatOrders: _cap, underWayId, ...record } = target;
      await tx.orders.recordImport(shopId, { ...record, summary });
      if (underWayId !== undefined) await tx.uploadsUnderWay.markStored(underWayId);
      return { newOrders, summary };
    });
    if (!this.opened.sqlite && saved.newOrders >= ANALYZE_AFTER_ORDERS) this.refreshOrderStatistics(saved.newOrders);
    return saved;
  }

  /**
   * PostgreSQL plans the next import's lookups (`order_id in (…)`) from its statistics of the
   * orders table, which autovacuum refreshes a minute or so after a change. Until then a table
   * that grew by a large upload still looks small, and every lookup of the next upload scans it
   * whole. After an upload that grew the table by a tenth or more, ANALYZE reads a sample of it
   * (it never blocks reads or writes), after the upload's commit and without holding up its
   * answer. A failure is only logged: autovacuum will get there.
   */
  private refreshOrderStatistics(newOrders: number): void {
    const previous = this.statistics;
    this.statistics = (async () => {
      await previous;
      try {
        const known = await sql<{ rows: number }>`select reltuples as rows from pg_class where oid = 'orders'::regclass`.execute(this.db);
        // Never analyzed: -1.
        const rows = Number(known.rows[0]?.rows ?? -1);
        if (rows >= 0 && newOrders < rows * 0.1) return;
        await sql`analyze orders`.execute(this.db);
      } catch (error) {
        this.onTrouble?.({ kind: 'pg-analyze-failed', detail: error instanceof Error ? error.message : String(error) });
      }
    })();
  }

  /** Resolves once a refresh of PostgreSQL's statistics under way has ended (a clean stop waits for it). */
  statisticsRefreshed(): Promise<void> {
    return this.statistics;
  }

  /** Stores orders already in memory as one upload (seeds, tests, benchmarks). */
  async saveImport(record: ImportRecord): Promise<{ newOrders: number }> {
    const { newOrders } = await this.saveImportStream(record, async (write) => {
      await write(record.orders);
      return record.summary;
    });
    return { newOrders };
  }

  /** Stores a page of synced orders and moves the cursor in one transaction, so a restart resumes where this left off. */
  saveSyncPage(shopId: number, orders: readonly Order[], cursor: number): Promise<void> {
    return this.transaction(async (tx) => {
      await tx.shops.holdForWriting(shopId);
      const writer = tx.orders.writer(shopId);
      const taught = await tx.reasonMappings.taughtOf(await tx.shops.chatOf(shopId));
      // An API page may list an order twice; an import's orders are distinct already.
      await taughtWriter(writer.write, taught)(distinctOrders(orders));
      await writer.finish();
      await tx.shops.setCursor(shopId, cursor);
    });
  }

  /** Forgets a linked shop's tokens; with `dropOrders`, the shop and its orders too. */
  unlinkShop(shopId: number, dropOrders: boolean): Promise<void> {
    return this.transaction(async (tx) => {
      if (!dropOrders) return tx.shops.forgetTokens(shopId);
      await tx.orders.deleteOfShop(shopId);
      await tx.shops.delete(shopId);
    });
  }

  /** Deletes the chat with its shops, orders, import records, summaries, authorizations and robots. */
  forgetChat(id: string): Promise<void> {
    return this.transaction(async (tx) => {
      await tx.orders.deleteOfChat(id);
      await tx.schedules.deleteOfChat(id);
      await tx.linkStates.deleteOfChat(id);
      await tx.importPrompts.deleteOfChat(id);
      await tx.robots.deleteOfChat(id);
      await tx.uploadsUnderWay.deleteOfChat(id);
      await tx.reasonMappings.deleteOfChat(id);
      await tx.chatAdmins.deleteOfChat(id);
      await tx.privateUploads.deleteOfChat(id);
      await tx.shops.deleteOfChat(id);
      await tx.chats.delete(id);
    });
  }

  /**
   * A group became a supergroup and got a new id: its settings and data follow. Where the new
   * id already has a (fresh) row, the old chat's data joins it and the old settings win.
   */
  moveChat(fromId: string, toId: string): Promise<void> {
    return this.transaction(async (tx) => {
      if (!(await tx.chats.copyTo(fromId, toId))) return;
      await tx.shops.moveChat(fromId, toId);
      await tx.robots.moveChat(fromId, toId);
      await tx.uploadsUnderWay.moveChat(fromId, toId);
      await tx.reasonMappings.moveChat(fromId, toId);
      await tx.orders.moveImports(fromId, toId);
      await tx.schedules.deleteOfChat(fromId);
      await tx.chats.delete(fromId);
    });
  }

  /** Resolves when the database answers (for /readyz). */
  ping(): Promise<void> {
    // The reader: on SQLite the writer's connection is held for the whole of a long import.
    return ping(this.reader);
  }

  /** The first background checkpoint from now on whose figures pass `test` (SQLite files, run compiled); null where SQLite runs its own. */
  checkpointWhere(test: (figures: Checkpointed) => boolean): Promise<FromCheckpointWorker> | null {
    return this.opened.checkpoints?.until(test) ?? null;
  }

  async close(): Promise<void> {
    await this.statistics;
    // The checkpoint worker's connection first: the writer's, closed last, copies back what is left and removes the log.
    await this.opened.checkpoints?.close();
    if (this.reader !== this.db) await this.reader.destroy();
    await this.db.destroy();
  }
}

/** Orders handed to `write` as the chat's taught reasons read them. */
function taughtWriter(write: WriteOrders, taught: ReadonlyMap<string, Category>): WriteOrders {
  return taught.size === 0 ? write : (orders) => write(orders.map((order) => withTaught(order, taught)));
}
