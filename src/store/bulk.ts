import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type SQLite from 'better-sqlite3';
import { CompiledQuery, type Insertable } from 'kysely';
import type pg from 'pg';
import type * as CopyStreams from 'pg-copy-streams';
import type { Db } from './types.js';
import { CopyText } from './copy-text.js';
import type { Dialect } from './migrations/dialect.js';
import type { Database } from './schema.js';

/**
 * Rows of one table written the same way: which columns, and what a row whose key is already
 * stored becomes (the new row's values, or its own counts plus the new row's).
 */
export interface RowShape<T extends keyof Database> {
  table: T;
  columns: ReadonlyArray<keyof Database[T] & string>;
  key: ReadonlyArray<keyof Database[T] & string>;
  onConflict: 'fail' | 'replace' | 'add';
  /** With 'replace': columns a stored row keeps where the new row has null. */
  keep?: ReadonlyArray<keyof Database[T] & string>;
}

/** A shape as the SQL is made from it, whatever its table. */
interface Shape {
  table: string;
  columns: readonly string[];
  key: readonly string[];
  onConflict: 'fail' | 'replace' | 'add';
  keep?: readonly string[];
}

/**
 * How items that are not rows yet (an import's orders) become rows of one shape: as row objects,
 * and straight into COPY's text, which a large import's new orders are sent as.
 */
export interface RowEncoder<T extends keyof Database, Item> {
  row(item: Item): Insertable<Database[T]>;
  /** Writes the item's row, its fields in the shape's column order: the same text as `row(item)`'s values. */
  copy(out: CopyText, item: Item): void;
}

/** Writes rows of one shape inside the caller's transaction: rows, or items with their encoder. */
export interface WriteRows {
  <T extends keyof Database>(shape: RowShape<T>, rows: ReadonlyArray<Insertable<Database[T]>>): Promise<void>;
  <T extends keyof Database, Item>(shape: RowShape<T>, items: readonly Item[], encoder: RowEncoder<T, Item>): Promise<void>;
  /**
   * Waits for a write still under way and throws if it failed. PostgreSQL's COPY returns once
   * its rows are sent, so the next batch is made while the server stores these; whatever must
   * see them, or the transaction's commit, waits for this first.
   */
  settled(): Promise<void>;
}

/** An encoder as the writers call it, whatever its table and items. */
interface Encoder {
  row(item: unknown): object;
  copy(out: CopyText, item: unknown): void;
}

/** Items as rows: an encoder's rows, or the rows themselves. */
const rowsOf = (items: readonly unknown[], encoder: Encoder | undefined): ReadonlyArray<object> =>
  (encoder ? items.map((item) => encoder.row(item)) : (items as ReadonlyArray<object>));

/** Writes that take rows and are done when they return. */
const alwaysSettled = (write: (shape: Shape, rows: ReadonlyArray<object>) => Promise<void>): WriteRows =>
  Object.assign(((shape: Shape, items: readonly unknown[], encoder?: Encoder) => write(shape, rowsOf(items, encoder))) as WriteRows, { settled: () => Promise.resolve() });

/** Room a COPY's text starts with: a batch of 2,000 orders takes about 350 KB. */
const COPY_BYTES = 512 * 1024;

/** COPY's stream module, loaded once, with the first COPY: an SQLite bot never needs it. */
let copyStreams: Promise<typeof CopyStreams> | null = null;

/** A PostgreSQL statement carries at most this many rows (as one JSON parameter). */
const PG_ROWS = 5_000;

const quote = (name: string) => `"${name}"`;

function conflictClause(shape: Shape): string {
  if (shape.onConflict === 'fail') return '';
  const stored = (c: string) => `${quote(shape.table)}.${quote(c)}`;
  const set = shape.columns.filter((c) => !shape.key.includes(c)).map((c) => {
    if (shape.onConflict === 'add') return `${quote(c)} = ${stored(c)} + excluded.${quote(c)}`;
    if (shape.keep?.includes(c)) return `${quote(c)} = coalesce(excluded.${quote(c)}, ${stored(c)})`;
    return `${quote(c)} = excluded.${quote(c)}`;
  });
  return ` on conflict (${shape.key.map(quote).join(', ')}) do update set ${set.join(', ')}`;
}

/** One row's INSERT, for SQLite: run once per row, it is prepared once per shape. With `rows`, that many rows' INSERT. */
function oneRowSql(shape: Shape, rows = 1): string {
  const row = `(${shape.columns.map(() => '?').join(', ')})`;
  return `insert into ${quote(shape.table)} (${shape.columns.map(quote).join(', ')}) values ${Array.from({ length: rows }, () => row).join(', ')}${conflictClause(shape)}`;
}

/** Rows a prepared SQLite statement takes at once: one call into SQLite instead of one a row. */
const SQLITE_ROWS = 32;

/** Many rows' INSERT, for PostgreSQL: the rows travel as one JSON array, typed by the table's own row type. */
function jsonRowsSql(shape: Shape): string {
  const columns = shape.columns.map(quote).join(', ');
  return `insert into ${quote(shape.table)} (${columns}) select ${columns} from json_populate_recordset(null::${quote(shape.table)}, $1::json)${conflictClause(shape)}`;
}

const valuesOf = (shape: Shape, row: object): unknown[] => shape.columns.map((c) => (row as Record<string, unknown>)[c] ?? null);

/**
 * Rows straight into SQLite on the connection whose transaction is open, one prepared statement
 * per shape run row by row: compiling a 500-row statement (in Kysely, then in SQLite) for each
 * batch cost more than running it. Only for use inside a transaction that holds the connection.
 */
export function sqliteRows(sqlite: SQLite.Database): WriteRows {
  const prepared = new Map<Shape, { one: SQLite.Statement; many: SQLite.Statement }>();
  return alwaysSettled((shape, rows) => {
    let statements = prepared.get(shape);
    if (!statements) prepared.set(shape, (statements = { one: sqlite.prepare(oneRowSql(shape)), many: sqlite.prepare(oneRowSql(shape, SQLITE_ROWS)) }));
    const columns = shape.columns;
    const width = columns.length;
    const values: unknown[] = new Array(width * SQLITE_ROWS);
    let i = 0;
    for (; i + SQLITE_ROWS <= rows.length; i += SQLITE_ROWS) {
      for (let r = 0; r < SQLITE_ROWS; r++) {
        const row = rows[i + r] as Record<string, unknown>;
        for (let c = 0; c < width; c++) values[r * width + c] = row[columns[c] as string] ?? null;
      }
      statements.many.run(values);
    }
    for (; i < rows.length; i++) statements.one.run(valuesOf(shape, rows[i] as object));
    return Promise.resolve();
  });
}

/** Rows through the query layer: PostgreSQL takes thousands per round trip; SQLite, outside an import's transaction, a row a statement. */
export const queryRows = (db: Db, dialect: Dialect): WriteRows => alwaysSettled(statementRows(db, dialect));

function statementRows(db: Db, dialect: Dialect): (shape: Shape, rows: ReadonlyArray<object>) => Promise<void> {
  return async (shape, rows) => {
    if (dialect === 'sqlite') {
      const text = oneRowSql(shape);
      for (const row of rows) await db.executeQuery(CompiledQuery.raw(text, valuesOf(shape, row)));
      return;
    }
    const text = jsonRowsSql(shape);
    for (let i = 0; i < rows.length; i += PG_ROWS) {
      await db.executeQuery(CompiledQuery.raw(text, [JSON.stringify(rows.slice(i, i + PG_ROWS), [...shape.columns])]));
    }
  };
}

/**
 * Rows into PostgreSQL inside a transaction. Items that cannot meet a stored row (shape
 * `onConflict: 'fail'`: orders the writer looked up and found new) go by COPY, on the
 * transaction's own connection, written by their encoder: PostgreSQL's fastest way in, about a
 * third of the time of JSON statements. Other rows, which may update stored ones, go as
 * `queryRows` sends them.
 * A COPY is left under way when it returns (one at a time): the connection runs what is sent
 * next after it, and its failure is thrown by the next write or by `settled`.
 */
export function pgRows(tx: Db, clientOf: () => Promise<pg.ClientBase>): WriteRows {
  const statements = statementRows(tx, 'postgres');
  // One text for every COPY, made at the first: a write starts once the COPY before it has settled, sent whole.
  let text: CopyText | null = null;
  let underWay: Promise<void> | null = null;
  const settled = async () => {
    const copy = underWay;
    underWay = null;
    await copy;
  };
  const write = async (shape: Shape, items: readonly unknown[], encoder?: Encoder): Promise<void> => {
    await settled();
    if (shape.onConflict !== 'fail' || !encoder) return statements(shape, rowsOf(items, encoder));
    if (items.length === 0) return;
    const out = (text ??= new CopyText(COPY_BYTES));
    out.reset();
    for (const item of items) encoder.copy(out, item);
    const client = await clientOf();
    const { from: copyFrom } = await (copyStreams ??= import('pg-copy-streams'));
    const copy = pipeline(Readable.from([out.written()]), client.query(copyFrom(`copy ${quote(shape.table)} (${shape.columns.map(quote).join(', ')}) from stdin`)));
    // Met by the next write or by `settled`; until then it must not count as unheard of.
    copy.catch(() => undefined);
    underWay = copy;
  };
  return Object.assign(write as WriteRows, { settled });
}
