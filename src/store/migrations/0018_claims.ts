import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // One ledger for every daily send, where a chat's summaries (`summaries`) and its robots'
  // copies (`robot_deliveries`) had a table each: one row per kind, subject and local day, claimed
  // by one instance, then settled. The primary key is what makes a claim atomic across instances;
  // a platform added later is one more kind, not one more table.
  await db.schema.createTable('claims')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('local_date', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('instance', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addPrimaryKeyConstraint('claims_pk', ['kind', 'subject', 'local_date'])
    .execute();
  // Each tick reads one kind's settled sends from a local day on.
  await db.schema.createIndex('claims_kind_date').on('claims').columns(['kind', 'local_date']).execute();
  await sql`insert into claims (kind, subject, local_date, status, instance, claimed_at, sent_at)
    select 'telegram', chat_id, local_date, status, instance, claimed_at, sent_at from summaries`.execute(db);
  await sql`insert into claims (kind, subject, local_date, status, instance, claimed_at, sent_at)
    select 'robot', cast(target_id as text), local_date, status, instance, claimed_at, sent_at from robot_deliveries`.execute(db);
  // Gone, not left behind: an instance of the release before, still running, then fails its
  // claims instead of sending beside this one.
  await db.schema.dropTable('robot_deliveries').execute();
  await db.schema.dropTable('summaries').execute();
}
