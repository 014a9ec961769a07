import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import type { Db, DbOptions, PgClientOf } from './types.js';

// PostgreSQL's bigint (and count(*)) arrive as strings by default; every one we store fits a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** A pool of connections to the PostgreSQL database at `url`, and the way to a transaction's own (see OpenedDb). */
export function openPostgres(url: string, options: DbOptions): { db: Db; pgClientOf: PgClientOf } {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection the server dropped (a restart, a failover) is reported here; without a
  // listener it would crash the process. The pool opens a fresh connection for the next query.
  const lost = (error: Error) => options.onTrouble?.({ kind: 'pg-connection-lost', detail: error.message });
  pool.on('error', lost);
  // A connection in use when the server goes away fails its query (the update gets the busy
  // message) and then reports the loss on the client itself, which must be heard too.
  pool.on('connect', (client) => client.on('error', lost));
  // Kysely does not hand out its connections: a transaction finds its own among those checked
  // out by the server process that answers it.
  const checkedOut = new Set<pg.PoolClient>();
  pool.on('acquire', (client) => checkedOut.add(client));
  pool.on('release', (_error, client) => checkedOut.delete(client));
  const pgClientOf: PgClientOf = async (tx) => {
    const { rows: [row] } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
    const client = [...checkedOut].find((c) => (c as pg.PoolClient & { processID?: number }).processID === row?.pid);
    if (!client) throw new Error('the transaction\'s connection is not among the pool\'s');
    return client;
  };
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pgClientOf };
}
