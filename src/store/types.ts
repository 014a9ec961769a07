import type { Kysely } from 'kysely';
import type { ImportSummary } from '../core/ingest/import.js';
import type { Order } from '../core/order.js';
import type { Database } from './schema.js';

/**
 * The types the repositories share, in a module of their own that imports no repository: a
 * repository names them without reaching the opener (db.ts) or the store that holds it.
 * (`Dialect` lives in migrations/dialect.ts: the frozen migrations may name only their folder.)
 */

/** The database, or a transaction on it: repositories work the same over either. */
export type Db = Kysely<Database>;

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
