import type { Kysely } from 'kysely';
import { withId } from './0001_initial.js';
import type { Dialect } from './dialect.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  // A group's robots (WeCom, Feishu, DingTalk): address and secret sealed like shop tokens,
  // the masked address for lists, and why the robot is paused, if it is.
  await withId(dialect, db.schema.createTable('robot_targets'))
    .addColumn('chat_id', 'text', (c) => c.notNull().references('chats.id').onDelete('cascade').onUpdate('cascade'))
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text')
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('paused', 'text')
    .addColumn('retry_at', 'text')
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('robot_targets_chat').on('robot_targets').column('chat_id').execute();
  // One row per robot and local day, as `summaries` is per chat: the claim that makes each
  // robot's summary go out once however many instances share the database.
  await db.schema.createTable('robot_deliveries')
    .addColumn('target_id', 'integer', (c) => c.notNull().references('robot_targets.id').onDelete('cascade'))
    .addColumn('local_date', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('instance', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addPrimaryKeyConstraint('robot_deliveries_pk', ['target_id', 'local_date'])
    .execute();
}
