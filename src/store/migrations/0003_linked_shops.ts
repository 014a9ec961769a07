import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const columns: Array<[string, 'text' | 'bigint']> = [
    ['shop_ref', 'text'], ['cipher', 'text'], ['region', 'text'], ['access_token', 'text'], ['refresh_token', 'text'],
    ['access_expires_at', 'bigint'], ['refresh_expires_at', 'bigint'], ['sync_cursor', 'bigint'], ['last_sync_at', 'text'],
    ['lease_owner', 'text'], ['lease_until', 'text'], ['last_error', 'text'],
  ];
  for (const [name, type] of columns) await db.schema.alterTable('shops').addColumn(name, type).execute();
  // An authorization in progress: the `state` sent to TikTok, bound to one chat and admin,
  // then the sealed tokens and the shops they open while the admin chooses.
  await db.schema.createTable('link_states')
    .addColumn('state', 'text', (c) => c.primaryKey())
    .addColumn('chat_id', 'text', (c) => c.notNull().references('chats.id').onDelete('cascade').onUpdate('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('tokens', 'text')
    .addColumn('shops', 'text')
    .execute();
}
