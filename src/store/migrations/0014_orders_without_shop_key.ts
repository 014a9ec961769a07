import { sql, type Kysely } from 'kysely';
import type { Dialect } from './dialect.js';

/**
 * Orders without a foreign key to their shop, on PostgreSQL: it checked the shop once per
 * order stored, about 7 s of the server's time for a million orders (measured alike: 16–19 s
 * with it, 10 s without). Nothing relied on it: the writer holds its shop's row for the whole
 * import, and a shop's or chat's orders are deleted with it, in the same transaction
 * (OrderRepository.deleteOfShop, deleteOfChat). SQLite's check is a lookup in the same process,
 * and dropping it there would mean copying the whole table.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  const keys = await sql<{ name: string }>`select conname as name from pg_constraint
    where conrelid = 'orders'::regclass and contype = 'f' and confrelid = 'shops'::regclass`.execute(db);
  for (const { name } of keys.rows) await db.schema.alterTable('orders').dropConstraint(name).execute();
}
