import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('chats').addColumn('daily_time', 'text').execute();
  await db.schema.alterTable('chats').addColumn('daily_paused', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // One row per chat and local day: claimed by one instance, then sent. The primary key is
  // what makes a claim atomic across instances.
  await db.schema.createTable('summaries')
    .addColumn('chat_id', 'text', (c) => c.notNull().references('chats.id').onDelete('cascade').onUpdate('cascade'))
    .addColumn('local_date', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('instance', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addPrimaryKeyConstraint('summaries_pk', ['chat_id', 'local_date'])
    .execute();
}
