import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { ImportSummary } from '../core/ingest/import.js';
import type { Order } from '../core/order.js';
import type { Database } from './schema.js';

/**
 * The types the repositories and the database's openers share, in a module of their own that
 * imports no repository: a repository, or PostgreSQL's opener (pg-database.ts), names them
 * without reaching the opener (db.ts) or the store that holds it.
 * (`Dialect` lives in migrations/dialect.ts: the frozen migrations may name only their folder.)
 */

/** The database, or a transaction on it: repositories work the same over either. */
export type Db = Kysely<Database>;

export interface DbOptions {
  /** SQLite: how long a statement keeps retrying while another process holds the file locked. */
  busyBoundMs?: number;
  /** Told when the database is locked (SQLite) or a pooled connection broke (PostgreSQL, e.g. a server restart). */
  onTrouble?: (event: DbTrouble) => void;
}

/**
 * Trouble the bot goes on through, for the log: SQLite locked by another process, SQLite's
 * background checkpoints stopped (it checkpoints by itself again), a pooled PostgreSQL connection
 * broken, PostgreSQL's statistics not refreshed after a large import (its own autovacuum will).
 */
export interface DbTrouble {
  kind: 'sqlite-busy' | 'sqlite-checkpoints-stopped' | 'pg-connection-lost' | 'pg-analyze-failed';
  detail: string;
}

/** A transaction's own PostgreSQL connection, for what the query layer cannot send (COPY, see bulk.ts). */
export type PgClientOf = (tx: Db) => Promise<pg.ClientBase>;

/** Milliseconds since the epoch; repositories stamp rows with it, so tests can fix the time. */
export type Clock = () => number;

/** Where an upload goes and who sent it. */
export interface ImportTarget {
  chatId: string;
  shopName: string;
  fileName: string;
  userId: string | null;
  /** Orders the chat may keep stored, this import's included; past it the import is undone. */
  maxChatOrders?: number | undefined;
  /** The upload's record from start to answer, marked stored in this import's transaction. */
  underWayId?: number | undefined;
}

export interface ImportRecord extends ImportTarget {
  summary: ImportSummary;
  orders: readonly Order[];
}
