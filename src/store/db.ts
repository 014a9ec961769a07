import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { migrationProvider, type Dialect } from './migrations.js';
import type { Database } from './schema.js';

/** The database, or a transaction on it: repositories work the same over either. */
export type Db = Kysely<Database>;

/** Milliseconds since the epoch; repositories stamp rows with it, so tests can fix the time. */
export type Clock = () => number;

// PostgreSQL's bigint (and count(*)) arrive as strings by default; every one we store fits a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/**
 * One query layer over both engines: an SQLite file by default (`sqlite:./data/x.sqlite`), or
 * PostgreSQL (`postgres://…`) for several bot instances on one database.
 */
export function openDb(url: string): Db {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const sqlite = new SQLite(path);
    // WAL lets readers go on while an import writes; foreign keys are off by default in SQLite.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  }
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 10 }) }) });
}

export const dialectOf = (url: string): Dialect => (url.startsWith('sqlite:') ? 'sqlite' : 'postgres');

/** Applies every migration not yet applied; throws with the failing migration's error. */
export async function migrate(db: Db, dialect: Dialect): Promise<void> {
  const { error, results } = await new Migrator({ db, provider: migrationProvider(dialect) }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
}
