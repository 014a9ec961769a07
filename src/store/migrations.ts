import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from './migrations/dialect.js';
import { up as initial } from './migrations/0001_initial.js';
import { up as dailySummaries } from './migrations/0002_daily_summaries.js';
import { up as linkedShops } from './migrations/0003_linked_shops.js';
import { up as exportGaps } from './migrations/0004_export_gaps.js';
import { up as importPrompts } from './migrations/0006_import_prompts.js';
import { up as orderLines } from './migrations/0007_order_lines.js';
import { up as robotTargets } from './migrations/0008_robot_targets.js';
import { up as dailyRollups } from './migrations/0009_daily_rollups.js';
import { up as productWeeks } from './migrations/0010_product_weeks.js';
import { up as productTotals } from './migrations/0011_product_totals.js';
import { up as linesInOrders } from './migrations/0012_lines_in_orders.js';
import { up as ordersWithoutDayIndex } from './migrations/0013_orders_without_day_index.js';
import { up as ordersWithoutShopKey } from './migrations/0014_orders_without_shop_key.js';
import { up as ordersWithoutDayAndWriteTime } from './migrations/0015_orders_without_day_and_write_time.js';
import { up as uploadsUnderWay } from './migrations/0016_uploads_under_way.js';
import { up as reasonMappings } from './migrations/0017_reason_mappings.js';
import { up as claims } from './migrations/0018_claims.js';
import { up as conversations } from './migrations/0019_conversations.js';

export type { Dialect };

/** One migration as it is applied to a database of one engine. */
export interface NamedMigration {
  name: string;
  up(db: Kysely<unknown>): Promise<void>;
}

/**
 * Versioned migrations, one file each in ./migrations/, applied in this order, which is their
 * names' order. Never edit one that has shipped: add the next. Each carries its own SQL and
 * constants and imports nothing from the rest of the code (eslint.config.js holds them to it),
 * so what a migration does never changes with the code written after it.
 */
const MIGRATIONS: ReadonlyArray<readonly [string, (db: Kysely<unknown>, dialect: Dialect) => Promise<void>]> = [
  ['0001_initial', initial],
  ['0002_daily_summaries', dailySummaries],
  ['0003_linked_shops', linkedShops],
  ['0004_export_gaps', exportGaps],
  // No 0005: daily rollups were 0005 until they had to follow 0006-0008, which a database of the
  // release before them already had.
  ['0006_import_prompts', importPrompts],
  ['0007_order_lines', orderLines],
  ['0008_robot_targets', robotTargets],
  ['0009_daily_rollups', dailyRollups],
  ['0010_product_weeks', productWeeks],
  ['0011_product_totals', productTotals],
  ['0012_lines_in_orders', linesInOrders],
  ['0013_orders_without_day_index', ordersWithoutDayIndex],
  ['0014_orders_without_shop_key', ordersWithoutShopKey],
  ['0015_orders_without_day_and_write_time', ordersWithoutDayAndWriteTime],
  ['0016_uploads_under_way', uploadsUnderWay],
  ['0017_reason_mappings', reasonMappings],
  ['0018_claims', claims],
  ['0019_conversations', conversations],
];

export const migrationsOf = (dialect: Dialect): NamedMigration[] => MIGRATIONS.map(([name, up]) => ({ name, up: (db) => up(db, dialect) }));

/**
 * The same migrations for Kysely's Migrator, which runs SQLite's outside any transaction: only
 * for a test that stops at an older release's schema. The app applies them with `migrateToLatest`.
 */
export const migrationProvider = (dialect: Dialect): MigrationProvider => ({
  getMigrations: () => Promise.resolve(Object.fromEntries(migrationsOf(dialect).map(({ name, up }): [string, Migration] => [name, { up }]))),
});

/**
 * Kysely's Migrator's bookkeeping, kept as it made it: databases it migrated go on from where
 * they are, and its tables stay as they were in case a tool or a test runs it.
 */
type MigrationTables = {
  kysely_migration: { name: string; timestamp: string };
  kysely_migration_lock: { id: string; is_locked: number };
};

/** Kysely's Migrator's advisory lock: an instance of an earlier release starting at the same time waits for this one, and the other way round. */
const PG_LOCK_ID = 3853314791062309107n;

/**
 * Applies the migrations not applied yet, each in a transaction of its own together with the row
 * that records it, so a start stopped anywhere (a crash, a deploy's kill) leaves every migration
 * either applied and recorded or not begun, and the next start goes on from there. Kysely's
 * Migrator records a migration after it, and on SQLite runs it outside any transaction: a
 * migration stopped half-way failed every later start ("duplicate column").
 *
 * Inside a transaction SQLite ignores `PRAGMA foreign_keys` (it stays on) and refuses VACUUM;
 * no migration needs either. One that rebuilds a table by copying it would: it must not run
 * under this transaction, and needs a step of its own here that is safe to run again.
 */
export async function migrateToLatest<DB>(db: Kysely<DB>, dialect: Dialect, migrations: readonly NamedMigration[] = migrationsOf(dialect)): Promise<void> {
  // Whatever the caller's schema, the runner knows only its bookkeeping tables.
  await (db as unknown as Kysely<MigrationTables>).connection().execute(async (conn) => {
    // PostgreSQL: one instance migrates at a time, on this connection. SQLite: each migration's
    // transaction takes the write lock as it begins (BEGIN IMMEDIATE), which is why each looks again
    // whether another process has applied it meanwhile.
    if (dialect === 'postgres') await sql`select pg_advisory_lock(${sql.lit(PG_LOCK_ID)})`.execute(conn);
    try {
      await conn.schema.createTable('kysely_migration').ifNotExists()
        .addColumn('name', 'varchar(255)', (c) => c.notNull().primaryKey())
        .addColumn('timestamp', 'varchar(255)', (c) => c.notNull())
        .execute();
      await conn.schema.createTable('kysely_migration_lock').ifNotExists()
        .addColumn('id', 'varchar(255)', (c) => c.notNull().primaryKey())
        .addColumn('is_locked', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await conn.insertInto('kysely_migration_lock').values({ id: 'migration_lock', is_locked: 0 }).onConflict((oc) => oc.column('id').doNothing()).execute();
      const applied = new Set((await conn.selectFrom('kysely_migration').select('name').execute()).map((r) => r.name));
      checkApplied(migrations, applied);
      for (const migration of migrations.filter((m) => !applied.has(m.name))) {
        try {
          await conn.transaction().execute(async (tx) => {
            if (await tx.selectFrom('kysely_migration').select('name').where('name', '=', migration.name).executeTakeFirst()) return;
            // A migration knows no table but those it makes: it gets the transaction untyped.
            await migration.up(tx as unknown as Kysely<unknown>);
            await tx.insertInto('kysely_migration').values({ name: migration.name, timestamp: new Date().toISOString() }).execute();
          });
        } catch (error) {
          throw new Error(`migration ${migration.name} failed: ${String(error)}`, { cause: error });
        }
      }
    } finally {
      // A lock whose connection broke went with it; the error that broke it is the one to report.
      if (dialect === 'postgres') await sql`select pg_advisory_unlock(${sql.lit(PG_LOCK_ID)})`.execute(conn).catch(() => undefined);
    }
  });
}

/**
 * Refuses a database whose applied migrations are not the first ones of this release's list:
 * one this release does not know (a newer release migrated it), or one applied after a migration
 * this release has before it (a migration added out of order, which Kysely's Migrator refused too).
 */
function checkApplied(migrations: readonly NamedMigration[], applied: ReadonlySet<string>): void {
  const names = migrations.map((m) => m.name);
  const unknown = [...applied].filter((name) => !names.includes(name));
  if (unknown.length > 0) throw new Error(`the database has migrations this release does not know (${unknown.join(', ')}): a newer release migrated it`);
  const firstPending = names.findIndex((name) => !applied.has(name));
  const later = firstPending < 0 ? undefined : names.slice(firstPending).find((name) => applied.has(name));
  if (later !== undefined) throw new Error(`migration ${names[firstPending]} comes before ${later}, which is applied: a new migration's name must sort after the last`);
}
