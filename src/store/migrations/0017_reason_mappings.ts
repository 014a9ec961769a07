import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // What a chat taught the bot: a reason text (folded, as the classifier keys it) and its category.
  await db.schema.createTable('reason_mappings')
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('text_key', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('reason_mappings_pk', ['chat_id', 'text_key'])
    .execute();
  // Facts about the stored data as a whole: which version of the reason rules its categories and rollups were counted by.
  await db.schema.createTable('store_facts')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}
