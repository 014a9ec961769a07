import type { Db } from './db.js';
import { rebuildShopRollups } from './rollups.js';
import { PRODUCT_DAY_COUNTS, PRODUCT_DAY_TOTALS } from './schema.js';
import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, type Migration, type MigrationProvider } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/**
 * Versioned migrations, applied in name order at start-up (Kysely records which ran). Never
 * edit one that has shipped: add the next.
 */
function migrations(dialect: Dialect): Record<string, Migration> {
  /** An auto-numbered key: SQLite's rowid alias, PostgreSQL's identity column. */
  const withId = <T extends string>(table: CreateTableBuilder<T, never>) =>
    dialect === 'sqlite'
      ? table.addColumn('id', 'integer', (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement())
      : table.addColumn('id', 'integer', (c: ColumnDefinitionBuilder) => c.primaryKey().generatedByDefaultAsIdentity());
  return {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('chats')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('threshold', 'real', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await withId(db.schema.createTable('shops'))
        .addColumn('chat_id', 'text', (c) => c.notNull().references('chats.id').onDelete('cascade').onUpdate('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('shops_chat_name', ['chat_id', 'name'])
        .execute();
      await db.schema.createTable('orders')
        .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id').onDelete('cascade'))
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('paid', 'integer', (c) => c.notNull())
        .addColumn('cancelled', 'integer', (c) => c.notNull())
        .addColumn('partially_cancelled', 'integer', (c) => c.notNull())
        .addColumn('initiator', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('category', 'text')
        .addColumn('fbt', 'integer', (c) => c.notNull())
        .addColumn('sample', 'integer', (c) => c.notNull())
        .addColumn('amount_cents', 'bigint')
        .addColumn('currency', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('orders_pk', ['shop_id', 'order_id'])
        .execute();
      await db.schema.createIndex('orders_shop_day').on('orders').columns(['shop_id', 'day']).execute();
      await withId(db.schema.createTable('imports'))
        .addColumn('chat_id', 'text', (c) => c.notNull().references('chats.id').onDelete('cascade').onUpdate('cascade'))
        .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id').onDelete('cascade'))
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('rows', 'integer', (c) => c.notNull())
        .addColumn('orders', 'integer', (c) => c.notNull())
        .addColumn('skipped', 'integer', (c) => c.notNull())
        .addColumn('first_day', 'text')
        .addColumn('last_day', 'text')
        .addColumn('user_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0002_daily_summaries': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('chats').addColumn('daily_time', 'text').execute();
      await db.schema.alterTable('chats').addColumn('daily_paused', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      // One row per chat and local day: claimed by one instance, then sent. The primary key is
      // what makes a claim atomic across instances.
      await db.schema.createTable('summaries')
        .addColumn('chat_id', 'text', (c) => c.notNull().references('chats.id').onDelete('cascade').onUpdate('cascade'))
        .addColumn('local_date', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('instance', 'text', (c) => c.notNull())
        .addColumn('claimed_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .addPrimaryKeyConstraint('summaries_pk', ['chat_id', 'local_date'])
        .execute();
    },
  },
  '0003_linked_shops': {
    async up(db: Kysely<unknown>) {
      const columns: Array<[string, 'text' | 'bigint']> = [
        ['shop_ref', 'text'], ['cipher', 'text'], ['region', 'text'], ['access_token', 'text'], ['refresh_token', 'text'],
        ['access_expires_at', 'bigint'], ['refresh_expires_at', 'bigint'], ['sync_cursor', 'bigint'], ['last_sync_at', 'text'],
        ['lease_owner', 'text'], ['lease_until', 'text'], ['last_error', 'text'],
      ];
      for (const [name, type] of columns) await db.schema.alterTable('shops').addColumn(name, type).execute();
      // An authorization in progress: the `state` sent to TikTok, bound to one chat and admin,
      // then the sealed tokens and the shops they open while the admin chooses.
      await db.schema.createTable('link_states')
        .addColumn('state', 'text', (c) => c.primaryKey())
        .addColumn('chat_id', 'text', (c) => c.notNull().references('chats.id').onDelete('cascade').onUpdate('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addColumn('tokens', 'text')
        .addColumn('shops', 'text')
        .execute();
    },
  },
  '0004_export_gaps': {
    async up(db: Kysely<unknown>) {
      // What an order's source could not say, so /rate and the daily summary can say it too:
      // placed only as cash on delivery, columns its export lacked, values no table knew (JSON).
      await db.schema.alterTable('orders').addColumn('cod', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('orders').addColumn('gaps', 'text').execute();
      await db.schema.alterTable('orders').addColumn('unrecognised', 'text').execute();
    },
  },
  '0006_import_prompts': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('import_prompts')
        .addColumn('chat_id', 'text', (c) => c.notNull().references('chats.id').onDelete('cascade').onUpdate('cascade'))
        .addColumn('message_id', 'bigint', (c) => c.notNull())
        .addColumn('shop_name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('import_prompts_pk', ['chat_id', 'message_id'])
        .execute();
      await db.schema.createIndex('import_prompts_created').on('import_prompts').column('created_at').execute();
    },
  },
  // ## Per-product views
  '0007_order_lines': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('order_lines')
        .addColumn('shop_id', 'integer', (c) => c.notNull())
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('line_no', 'integer', (c) => c.notNull())
        .addColumn('sku_id', 'text')
        .addColumn('seller_sku', 'text')
        .addColumn('product_name', 'text')
        .addColumn('variation', 'text')
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('cancelled', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('order_lines_pk', ['shop_id', 'order_id', 'line_no'])
        .addForeignKeyConstraint('order_lines_order', ['shop_id', 'order_id'], 'orders', ['shop_id', 'order_id'], (fk) => fk.onDelete('cascade'))
        .execute();
      // One row per shop, local day and product; the reasons are columns, so a window reads days × products rows.
      await createProductCounts(dialect, db, 'product_days', 'day');
      // How each product was last named, apart from the counts: a window's rows then carry numbers only.
      await db.schema.createTable('product_labels')
        .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id').onDelete('cascade'))
        .addColumn('product_key', 'text', (c) => c.notNull())
        .addColumn('sku_id', 'text')
        .addColumn('seller_sku', 'text')
        .addColumn('product_name', 'text')
        .addColumn('variation', 'text')
        .addPrimaryKeyConstraint('product_labels_pk', ['shop_id', 'product_key'])
        .execute();
    },
  },
  '0008_robot_targets': {
    async up(db: Kysely<unknown>) {
      // A group's robots (WeCom, Feishu, DingTalk): address and secret sealed like shop tokens,
      // the masked address for lists, and why the robot is paused, if it is.
      await withId(db.schema.createTable('robot_targets'))
        .addColumn('chat_id', 'text', (c) => c.notNull().references('chats.id').onDelete('cascade').onUpdate('cascade'))
        .addColumn('service', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('secret', 'text')
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('paused', 'text')
        .addColumn('retry_at', 'text')
        .addColumn('last_error', 'text')
        .execute();
      await db.schema.createIndex('robot_targets_chat').on('robot_targets').column('chat_id').execute();
      // One row per robot and local day, as `summaries` is per chat: the claim that makes each
      // robot's summary go out once however many instances share the database.
      await db.schema.createTable('robot_deliveries')
        .addColumn('target_id', 'integer', (c) => c.notNull().references('robot_targets.id').onDelete('cascade'))
        .addColumn('local_date', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('instance', 'text', (c) => c.notNull())
        .addColumn('claimed_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .addPrimaryKeyConstraint('robot_deliveries_pk', ['target_id', 'local_date'])
        .execute();
    },
  },
  // ## Daily rollups (after 0008: a database of the previous release has 0006–0008 already)
  '0009_daily_rollups': {
    up: (db: Kysely<unknown>) => atomically(dialect, db, async (db) => {
      await db.schema.createTable('daily_rollups')
        .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id').onDelete('cascade'))
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('stored_orders', 'integer', (c) => c.notNull())
        .addColumn('orders', 'integer', (c) => c.notNull())
        .addColumn('cancelled', 'integer', (c) => c.notNull())
        .addColumn('seller_fault_orders', 'integer', (c) => c.notNull())
        .addColumn('seller_fault_cancelled', 'integer', (c) => c.notNull())
        .addColumn('newest_created_at', 'text', (c) => c.notNull())
        .addColumn('tally', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('daily_rollups_pk', ['shop_id', 'day'])
        .execute();
      // Orders stored before rollups existed are counted now, shop by shop.
      const store = db as unknown as Db;
      for (const shop of await store.selectFrom('shops').select('id').execute()) await rebuildShopRollups(store, shop.id);
    }),
  },
  // ## Per-product weeks: the product counts summed per week, filled from the day rows.
  '0010_product_weeks': {
    up: (db: Kysely<unknown>) => atomically(dialect, db, async (db) => {
      await createProductCounts(dialect, db, 'product_weeks', 'week');
      // The Monday on or before each day, in each engine's date functions.
      const monday = dialect === 'sqlite' ? sql`date(day, '-6 days', 'weekday 1')` : sql`to_char(date_trunc('week', day::date), 'YYYY-MM-DD')`;
      const counts = sql.join(PRODUCT_DAY_COUNTS.map((c) => sql.ref(c)));
      const sums = sql.join(PRODUCT_DAY_COUNTS.map((c) => sql`sum(${sql.ref(c)})`));
      await sql`insert into product_weeks (shop_id, week, product_key, ${counts})
        select shop_id, ${monday}, product_key, ${sums} from product_days group by shop_id, ${monday}, product_key`.execute(db);
    }),
  },
  // ## Per-product totals: each product row's cancels summed over reasons, so a window ranks
  // its products from five columns and reads the reasons of the ones it lists only.
  '0011_product_totals': {
    up: (db: Kysely<unknown>) => atomically(dialect, db, async (db) => {
      for (const table of ['product_days', 'product_weeks']) {
        for (const { total } of PRODUCT_DAY_TOTALS) {
          await db.schema.alterTable(table).addColumn(total, 'integer', (c) => c.notNull().defaultTo(0)).execute();
        }
        const sets = sql.join(PRODUCT_DAY_TOTALS.map(({ total, of }) => sql`${sql.ref(total)} = ${sql.join(of.map((c) => sql.ref(c)), sql` + `)}`));
        await sql`update ${sql.table(table)} set ${sets}`.execute(db);
      }
    }),
  },
  // ## Lines in their order's row: one insert per order instead of one per order and per line
  // (a second B-tree of 19-digit keys); see OrderTable.lines for the shape.
  '0012_lines_in_orders': {
    up: (db: Kysely<unknown>) => atomically(dialect, db, async (db) => {
      await db.schema.alterTable('orders').addColumn('lines', 'text').execute();
      // Each order's lines in line order, as [SKU ID, seller SKU, product, variation, quantity,
      // cancelled], grouped once and joined (a subquery per order took 17.5 s for 400k orders on PostgreSQL).
      const line = sql`sku_id, seller_sku, product_name, variation, quantity, cancelled`;
      const lines = dialect === 'sqlite' ? sql`json_group_array(json_array(${line}) order by line_no)` : sql`json_agg(json_build_array(${line}) order by line_no)::text`;
      await sql`update orders set lines = l.lines
        from (select shop_id, order_id, ${lines} as lines from order_lines group by shop_id, order_id) as l
        where orders.shop_id = l.shop_id and orders.order_id = l.order_id`.execute(db);
      await db.schema.dropTable('order_lines').execute();
    }),
  },
  // ## Orders no longer indexed by day: rollups take a re-stored order back out of its day
  // instead of counting the day again, and the index cost a third of storing an order.
  '0013_orders_without_day_index': {
    up: (db: Kysely<unknown>) => db.schema.dropIndex('orders_shop_day').execute(),
  },
  // ## Orders without a foreign key to their shop, on PostgreSQL: it checked the shop once per
  // order stored, about 7 s of the server's time for a million orders (measured alike: 16–19 s
  // with it, 10 s without). Nothing relied on it: the writer holds its shop's row for the whole
  // import, and a shop's or chat's orders are deleted with it, in the same transaction
  // (OrderRepository.deleteOfShop, deleteOfChat). SQLite's check is a lookup in the same process,
  // and dropping it there would mean copying the whole table.
  '0014_orders_without_shop_key': {
    async up(db: Kysely<unknown>) {
      if (dialect !== 'postgres') return;
      const keys = await sql<{ name: string }>`select conname as name from pg_constraint
        where conrelid = 'orders'::regclass and contype = 'f' and confrelid = 'shops'::regclass`.execute(db);
      for (const { name } of keys.rows) await db.schema.alterTable('orders').dropConstraint(name).execute();
    },
  },
  // ## Orders without their day and their write time: the day is the first ten characters of
  // the created time (shop-local, as exported), and the write time was never read. A million
  // orders' COPY text is 36 MB smaller (206 bytes an order, 170 now), which the bot sends and
  // PostgreSQL parses. SQLite rewrites the table for each column dropped, at the first start.
  '0015_orders_without_day_and_write_time': {
    up: (db: Kysely<unknown>) => atomically(dialect, db, async (tx) => {
      for (const column of ['day', 'updated_at']) await tx.schema.alterTable('orders').dropColumn(column).execute();
    }),
  },
  };
}

/**
 * A per-product counts table (`product_days` in 0007, `product_weeks` in 0010): one row per shop,
 * `period` (a day, or a week's Monday) and product, with the reason counts 0007 knew as columns.
 */
async function createProductCounts(dialect: Dialect, db: Kysely<unknown>, table: string, period: string): Promise<void> {
  let counts = db.schema.createTable(table)
    .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id').onDelete('cascade'))
    .addColumn(period, 'text', (c) => c.notNull())
    .addColumn('product_key', 'text', (c) => c.notNull());
  for (const column of PRODUCT_DAY_COUNTS) counts = counts.addColumn(column, 'integer', (c) => c.notNull().defaultTo(0));
  await counts
    .addPrimaryKeyConstraint(`${table}_pk`, ['shop_id', period, 'product_key'])
    // SQLite keeps such a table in key order, so a window's rows are read side by side.
    .$call((t) => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
}

/**
 * Kysely runs SQLite's migrations outside any transaction (PostgreSQL's run in one). A migration
 * that makes a table and fills it runs in its own there, so a stop half-way (a slow count on a
 * big database) leaves nothing that would make the next start fail.
 */
function atomically(dialect: Dialect, db: Kysely<unknown>, up: (db: Kysely<unknown>) => Promise<void>): Promise<void> {
  return dialect === 'sqlite' ? db.transaction().execute(up) : up(db);
}

export const migrationProvider = (dialect: Dialect): MigrationProvider => ({
  getMigrations: () => Promise.resolve(migrations(dialect)),
});
