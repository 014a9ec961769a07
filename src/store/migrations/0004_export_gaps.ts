import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // What an order's source could not say, so /rate and the daily summary can say it too:
  // placed only as cash on delivery, columns its export lacked, values no table knew (JSON).
  await db.schema.alterTable('orders').addColumn('cod', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('orders').addColumn('gaps', 'text').execute();
  await db.schema.alterTable('orders').addColumn('unrecognised', 'text').execute();
}
