import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { migrateToLatest, type Dialect } from './migrations.js';
import type { Database } from './schema.js';
import { backgroundCheckpoints, type BackgroundCheckpoints } from './checkpoints.js';
import { BusyRetryingSqliteDialect } from './sqlite-busy.js';
import type { Db, DbOptions, PgClientOf } from './types.js';

// The repositories' shared types live in types.js; named here too for the opener's callers.
export type { Clock, Db, DbOptions, DbTrouble, PgClientOf } from './types.js';

/** SQLite waits this long in one go before the statement is retried asynchronously. */
const SQLITE_BUSY_SLICE_MS = 20;
const DEFAULT_BUSY_BOUND_MS = 30_000;

/**
 * The database, with the connection underneath for the import's bulk writes (see bulk.ts): on
 * SQLite the one connection, on PostgreSQL a way to a transaction's connection; and on an SQLite
 * file, the worker that runs its checkpoints (see checkpoints.ts), closed before the database.
 */
export type OpenedDb =
  | { db: Db; sqlite: SQLite.Database; checkpoints: BackgroundCheckpoints | null; pgClientOf: null }
  | { db: Db; sqlite: null; checkpoints: null; pgClientOf: PgClientOf };

/**
 * One query layer over both engines: an SQLite file by default (`sqlite:./data/x.sqlite`), or
 * PostgreSQL (`postgres://…`) for several bot instances on one database.
 */
export async function openDb(url: string, options: DbOptions = {}): Promise<Db> {
  return (await openDatabase(url, options)).db;
}

export async function openDatabase(url: string, options: DbOptions = {}): Promise<OpenedDb> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const sqlite = new SQLite(path);
    // WAL lets readers go on while an import writes; foreign keys are off by default in SQLite.
    sqlite.pragma('journal_mode = WAL');
    // In WAL mode NORMAL syncs at checkpoints, not at every commit: a power cut may lose the
    // last commits, never corrupts the file, and a commit no longer stalls every chat on an fsync.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    // Deleted or overwritten values (tokens after /unlink, a rotation, a refresh) are zeroed in their page, not left in free space.
    sqlite.pragma('secure_delete = FAST');
    sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_SLICE_MS}`);
    const checkpoints = path === ':memory:' ? null
      : backgroundCheckpoints(sqlite, (why) => options.onTrouble?.({ kind: 'sqlite-checkpoints-stopped', detail: why }));
    const db = new Kysely<Database>({
      dialect: new BusyRetryingSqliteDialect({ database: sqlite }, {
        boundMs: options.busyBoundMs ?? DEFAULT_BUSY_BOUND_MS,
        onBusy: (waitedMs) => options.onTrouble?.({ kind: 'sqlite-busy', detail: `locked by another process; retrying (after ${waitedMs} ms)` }),
      }, checkpoints && (() => checkpoints.nudge())),
    });
    return { db, sqlite, checkpoints, pgClientOf: null };
  }
  // pg loads only for PostgreSQL: an SQLite bot, the default, never needs it.
  const { openPostgres } = await import('./pg-database.js');
  return { ...openPostgres(url, options), sqlite: null, checkpoints: null };
}

/** Resolves when the database answers a trivial query (for /readyz). */
export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

/**
 * A second way into the same database for queries outside any transaction. On an SQLite file
 * it is a read-only connection of its own: in WAL mode it reads the last committed state while
 * an import's transaction is open on the other one, where on a single connection every query
 * would wait for the import to commit. PostgreSQL's pool already gives each query a connection.
 */
export function openReader(url: string, db: Db, options: DbOptions = {}): Db {
  if (!url.startsWith('sqlite:') || url === 'sqlite::memory:') return db;
  const sqlite = new SQLite(url.slice('sqlite:'.length), { readonly: true });
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_SLICE_MS}`);
  return new Kysely<Database>({
    dialect: new BusyRetryingSqliteDialect({ database: sqlite }, {
      boundMs: options.busyBoundMs ?? DEFAULT_BUSY_BOUND_MS,
      onBusy: (waitedMs) => options.onTrouble?.({ kind: 'sqlite-busy', detail: `locked by another process; retrying (after ${waitedMs} ms)` }),
    }),
  });
}

export const dialectOf = (url: string): Dialect => (url.startsWith('sqlite:') ? 'sqlite' : 'postgres');

/** Applies every migration not yet applied, each atomically; throws with the failing migration's error. */
export async function migrate(db: Db, dialect: Dialect): Promise<void> {
  await migrateToLatest(db, dialect);
}
