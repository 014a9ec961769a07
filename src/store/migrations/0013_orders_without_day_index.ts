import type { Kysely } from 'kysely';

/**
 * Orders no longer indexed by day: rollups take a re-stored order back out of its day instead
 * of counting the day again, and the index cost a third of storing an order.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('orders_shop_day').execute();
}
