import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('import_prompts')
    .addColumn('chat_id', 'text', (c) => c.notNull().references('chats.id').onDelete('cascade').onUpdate('cascade'))
    .addColumn('message_id', 'bigint', (c) => c.notNull())
    .addColumn('shop_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_prompts_pk', ['chat_id', 'message_id'])
    .execute();
  await db.schema.createIndex('import_prompts_created').on('import_prompts').column('created_at').execute();
}
