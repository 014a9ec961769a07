import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Chats of every platform live in `chats`, keyed `<platform>:<id>` for the platforms after
  // Telegram, whose ids stay as they were (Telegram's are numbers: no key of another platform
  // can equal one). The daily summary's claims follow every platform, so their kind is renamed.
  await sql`update claims set kind = 'summary' where kind = 'telegram'`.execute(db);

  // A group's admins where its platform does not say who manages it (DingTalk, WeCom): the
  // person who set the group up, and those they added.
  await db.schema.createTable('chat_admins')
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('user_name', 'text')
    .addColumn('added_by', 'text')
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('chat_admins_pk', ['chat_id', 'user_id'])
    .execute();

  // The groups each person used the bot in, so a file sent privately can be asked about.
  await db.schema.createTable('chat_people')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('chat_title', 'text')
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('chat_people_pk', ['platform', 'user_id', 'chat_id'])
    .execute();

  // What a person's next private file is for: a group's shop (`/import` in the group), or,
  // for a file that came first, the file waiting for its group.
  await db.schema.createTable('private_uploads')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('chat_id', 'text')
    .addColumn('shop_name', 'text')
    .addColumn('file_ref', 'text')
    .addColumn('file_name', 'text')
    .addColumn('file_size', 'integer')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('private_uploads_pk', ['platform', 'user_id'])
    .execute();

  // Deliveries already handled (Feishu's event_id, DingTalk's msgId), so a platform's redelivery
  // is answered once, whichever instance it reaches.
  await db.schema.createTable('deliveries')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('deliveries_pk', ['platform', 'delivery_id'])
    .execute();
  await db.schema.createIndex('deliveries_seen_at').on('deliveries').column('seen_at').execute();
}
