import type { Kysely } from 'kysely';
import { withId } from './0001_initial.js';
import type { Dialect } from './dialect.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  // An upload from its start to its answer: a row left behind names a file nobody was answered
  // about (a forced stop, a crash), so the next start can tell its chat to send it again.
  await withId(dialect, db.schema.createTable('uploads_under_way'))
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('instance', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('heartbeat_at', 'text', (c) => c.notNull())
    .addColumn('cut_short', 'integer', (c) => c.notNull().defaultTo(0))
    // Set in the import's own transaction: a row left with 1 was stored but never answered.
    .addColumn('stored', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('uploads_under_way_instance').on('uploads_under_way').column('instance').execute();
}
