import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { sql, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import { describe, expect, it } from 'vitest';
import { tallyFromJson, tallyToJson } from '../../src/core/metrics/tally-json.js';
import { dialectOf, migrate, openDb, type Db } from '../../src/store/db.js';
import { migrateToLatest, migrationsOf } from '../../src/store/migrations.js';
import { rebuildShopRollups } from '../../src/store/rollups.js';
import { Store } from '../../src/store/store.js';
import { TEST_DATABASES } from '../support/databases.js';

/**
 * Fails the `n`th statement sent through it, before it reaches the database: the process
 * stopped there. Notes each statement as it goes (whether it records a migration as applied),
 * so a clean run tells where a start can stop.
 */
class StopAt implements KyselyPlugin {
  readonly records: boolean[] = [];
  constructor(private readonly n: number) {}

  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    this.records.push(node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === 'kysely_migration');
    if (this.records.length === this.n) throw new Error(`stopped before statement ${this.n}`);
    return node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

/** Every table, column, key, index and constraint, as the engine describes them, and the migrations recorded. */
async function schemaOf(db: Db, url: string): Promise<unknown> {
  const migrations = (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map((r) => r.name);
  if (dialectOf(url) === 'sqlite') {
    return {
      migrations,
      objects: (await sql`select type, name, tbl_name, sql from sqlite_master order by type, name`.execute(db)).rows,
      columns: (await sql`select m.name as tbl, p.* from sqlite_master m, pragma_table_info(m.name) p where m.type = 'table' order by m.name, p.cid`.execute(db)).rows,
      keys: (await sql`select m.name as tbl, p.* from sqlite_master m, pragma_foreign_key_list(m.name) p where m.type = 'table' order by m.name, p.id, p.seq`.execute(db)).rows,
    };
  }
  return {
    migrations,
    columns: (await sql`select table_name, column_name, ordinal_position, data_type, is_nullable, column_default, is_identity, identity_generation
      from information_schema.columns where table_schema = current_schema() order by table_name, ordinal_position`.execute(db)).rows,
    constraints: (await sql`select c.conrelid::regclass::text as tbl, c.conname, c.contype, pg_get_constraintdef(c.oid) as def
      from pg_constraint c join pg_namespace n on n.oid = c.connamespace where n.nspname = current_schema() order by 1, 2`.execute(db)).rows,
    indexes: (await sql`select tablename, indexname, indexdef from pg_indexes where schemaname = current_schema() order by 1, 2`.execute(db)).rows,
  };
}

/** A PostgreSQL database with every table dropped, as a fresh one (quicker than making another). */
async function emptied(url: string): Promise<string> {
  const db = await openDb(url);
  try {
    for (const { name } of await db.introspection.getTables({ withInternalKyselyTables: true })) {
      await sql`drop table if exists ${sql.table(name)} cascade`.execute(db);
    }
  } finally {
    await db.destroy();
  }
  return url;
}

/** The migrations up to and including `last`: a database of the release that ended there. */
const until = (url: string, last: string) => {
  const all = migrationsOf(dialectOf(url));
  return all.slice(0, all.findIndex((m) => m.name === last) + 1);
};

describe('the migration list', () => {
  it('names every file of src/store/migrations/ once, in name order', () => {
    const files = readdirSync(join(import.meta.dirname, '..', '..', 'src', 'store', 'migrations'))
      .filter((f) => /^\d{4}_.+\.ts$/.test(f)).map((f) => f.replace(/\.ts$/, ''));
    const names = migrationsOf('sqlite').map((m) => m.name);
    expect(names).toEqual([...files].sort());
    expect(migrationsOf('postgres').map((m) => m.name)).toEqual(names);
  });
});

for (const database of TEST_DATABASES) {
  describe(`migrations on ${database.name}`, () => {
    /** A fresh database migrated in one go: its schema, and the statements it took (true where one records a migration). */
    const clean = async () => {
      const url = await database.fresh();
      const db = await openDb(url);
      try {
        const counter = new StopAt(0);
        await migrate(db.withPlugin(counter), dialectOf(url));
        return { schema: await schemaOf(db, url), records: counter.records };
      } finally {
        await db.destroy();
      }
    };

    it('a start stopped before a statement is finished by the next start, as a clean start makes the database', async () => {
      const { schema, records } = await clean();
      expect(records.filter(Boolean)).toHaveLength(migrationsOf('sqlite').length);
      // SQLite: before every statement. PostgreSQL, several times slower at this: before each
      // migration's last statement and before the row that records it.
      const stops = database.name === 'PostgreSQL'
        ? records.flatMap((record, i) => (record ? [i, i + 1] : []))
        : records.map((_, i) => i + 1);
      let url = await database.fresh();
      for (const n of stops) {
        if (n !== stops[0]) url = dialectOf(url) === 'sqlite' ? await database.fresh() : await emptied(url);
        const stopped = await openDb(url);
        try {
          await expect(migrate(stopped.withPlugin(new StopAt(n)), dialectOf(url)), `stopped before statement ${n}`).rejects.toThrow(`statement ${n}`);
        } finally {
          await stopped.destroy();
        }
        const next = await openDb(url);
        try {
          await migrate(next, dialectOf(url));
          expect(await schemaOf(next, url), `stopped before statement ${n}`).toEqual(schema);
        } finally {
          await next.destroy();
        }
      }
    }, 120_000);

    it('two instances starting at once on one database both start, and each migration is applied once', async () => {
      const { schema } = await clean();
      const url = await database.fresh();
      const [a, b] = await Promise.all([openDb(url), openDb(url)]);
      try {
        await Promise.all([migrate(a, dialectOf(url)), migrate(b, dialectOf(url))]);
        expect(await schemaOf(a, url)).toEqual(schema);
      } finally {
        await Promise.all([a.destroy(), b.destroy()]);
      }
    });

    it('a database a newer release migrated is refused before anything is applied', async () => {
      const url = await database.fresh();
      const db = await openDb(url);
      try {
        await migrateToLatest(db, dialectOf(url), until(url, '0004_export_gaps'));
        await sql`insert into kysely_migration (name, timestamp) values ('0099_from_the_future', '2027-01-01T00:00:00.000Z')`.execute(db);
        await expect(migrate(db, dialectOf(url))).rejects.toThrow('does not know (0099_from_the_future)');
        expect((await sql`select name from kysely_migration`.execute(db)).rows).toHaveLength(5);
      } finally {
        await db.destroy();
      }
    });

    it('0009 counts the orders stored before rollups as today\'s code counts them', async () => {
      const url = await database.fresh();
      const db = await openDb(url);
      try {
        // The release before rollups, with orders as it stored them: the day and write time 0015
        // dropped, no lines, and values a later reading drops (unknown categories, initiators, columns).
        await migrateToLatest(db, dialectOf(url), until(url, '0008_robot_targets'));
        const at = '2026-10-01T00:00:00Z';
        await db.insertInto('chats').values({ id: '-1', locale: 'en', time_zone: 'UTC', threshold: 0.025, created_at: at, updated_at: at }).execute();
        const row = fc.record({
          time: fc.integer({ min: 0, max: 86_399 }).map((t) => new Date(t * 1000).toISOString().slice(11, 19)),
          paid: fc.constantFrom(0, 1, 1, 1), cancelled: fc.constantFrom(0, 1), partially_cancelled: fc.constantFrom(0, 0, 1),
          initiator: fc.constantFrom('buyer', 'seller', 'system', 'platform', 'unknown', 'robot'),
          reason: fc.option(fc.integer({ min: 0, max: 400 }).map((n) => `reason ${n}`), { freq: 5 }),
          category: fc.option(fc.constantFrom('out_of_stock', 'late_fulfilment', 'changed_mind', 'unpaid', 'other', 'no_such_category')),
          fbt: fc.constantFrom(0, 0, 1), sample: fc.constantFrom(0, 0, 0, 1), amount_cents: fc.option(fc.integer({ min: 0, max: 100_000 }), { freq: 8 }),
          // Not cash on delivery: an unknown reason makes a COD order uncertain, a rule counted since 0009 (the store reads such orders again at open).
          currency: fc.option(fc.constantFrom('USD', 'THB'), { freq: 5 }), cod: fc.constant(0),
          gaps: fc.constantFrom(null, null, null, '["Cancel By"]', '["Paid Time","Cancel Reason","Not a column"]', '{"not":"a list"}'),
          unrecognised: fc.constantFrom(null, null, null, '{"Order Status":"Lost"}', '{"Cancel By":"Robot","Nope":"x","Order Status":1}'),
        });
        // Three days of one shop, and one day of another with enough cancels that a category keeps only its first hundred texts.
        const shops = [{ name: 'main', days: ['2026-10-01', '2026-10-02', '2026-10-03'], orders: 900 }, { name: 'second', days: ['2026-10-02'], orders: 1_500 }];
        for (const [s, { name, days, orders }] of shops.entries()) {
          const shop = await db.insertInto('shops').values({ chat_id: '-1', name, source: 'upload', created_at: at }).returning('id').executeTakeFirstOrThrow();
          // Stored in another order than their ids': the count goes by id whatever order the engine keeps.
          const rows = fc.sample(row, { numRuns: orders, seed: 27 + s }).map(({ time, ...columns }, i) => {
            const day = days[i % days.length] ?? '';
            return { ...columns, shop_id: shop.id, order_id: String(577_000_000 + ((i * 7_919) % orders)), created_at: `${day}T${time}`, day, updated_at: at };
          });
          for (let i = 0; i < rows.length; i += 100) await db.insertInto('orders').values(rows.slice(i, i + 100) as never).execute();
        }
        await migrate(db, dialectOf(url));
        const rollups = () => db.selectFrom('daily_rollups').selectAll().orderBy('shop_id').orderBy('day').execute();
        const counted = await rollups();
        expect(counted).toHaveLength(4);
        expect(counted.some((r) => [...tallyFromJson(r.tally).reasons.values()].some((reason) => reason.texts.size === 100))).toBe(true);
        for (const { id } of await db.selectFrom('shops').select('id').execute()) await rebuildShopRollups(db, id);
        // Today's counting also lists the unknown reason texts, which 0009 did not: the rest is the same.
        const withoutReasonList = (rows: typeof counted) => rows.map((r) => {
          const tally = tallyFromJson(r.tally);
          tally.unrecognised.delete('Cancel Reason');
          return { ...r, tally: tallyToJson(tally) };
        });
        expect(withoutReasonList(await rollups())).toEqual(withoutReasonList(counted));
      } finally {
        await db.destroy();
      }
    });

    it('0018 moves the claims of chats\' summaries and of robots into one ledger, where they still hold (0019 names the chats\' kind for every platform)', async () => {
      const url = await database.fresh();
      const db = await openDb(url);
      let store: Store | null = null;
      try {
        await migrateToLatest(db, dialectOf(url), until(url, '0017_reason_mappings'));
        const at = '2026-11-26T01:00:00.000Z';
        await db.insertInto('chats').values({ id: '-1', locale: 'en', time_zone: 'UTC', threshold: 0.025, created_at: at, updated_at: at }).execute();
        await sql`insert into robot_targets (chat_id, service, url, secret, address, created_by, created_at) values ('-1', 'feishu', 'sealed', null, 'masked', null, ${at})`.execute(db);
        const robot = (await sql<{ id: number }>`select id from robot_targets`.execute(db)).rows[0]?.id ?? -1;
        const claim = (day: string, status: string, sentAt: string | null) => [day, status, 'old-instance', at, sentAt] as const;
        const rows = [claim('2026-11-24', 'sent', at), claim('2026-11-25', 'failed', null), claim('2026-11-26', 'claimed', null)];
        for (const [day, status, instance, claimedAt, sentAt] of rows) {
          await sql`insert into summaries values ('-1', ${day}, ${status}, ${instance}, ${claimedAt}, ${sentAt})`.execute(db);
          await sql`insert into robot_deliveries values (${robot}, ${day}, ${status}, ${instance}, ${claimedAt}, ${sentAt})`.execute(db);
        }
        await migrate(db, dialectOf(url));
        const ledger = await db.selectFrom('claims').selectAll().orderBy('kind').orderBy('local_date').execute();
        expect(ledger).toEqual([
          ...rows.map(([day, status, instance, claimedAt, sentAt]) => ({ kind: 'robot', subject: String(robot), local_date: day, status, instance, claimed_at: claimedAt, sent_at: sentAt })),
          ...rows.map(([day, status, instance, claimedAt, sentAt]) => ({ kind: 'summary', subject: '-1', local_date: day, status, instance, claimed_at: claimedAt, sent_at: sentAt })),
        ]);
        const tables = (await db.introspection.getTables()).map((t) => t.name);
        expect(tables).not.toContain('summaries');
        expect(tables).not.toContain('robot_deliveries');

        // The moved claims go on as the tables' did: settled days are settled, a held claim is held until its lease ends.
        store = await Store.open(url);
        for (const [claims, subject] of [[store.schedules.claims, '-1'], [store.robots.claims, robot]] as const) {
          expect(await claims.settledSince('2026-11-24')).toEqual(new Set([`${subject}|2026-11-24`, `${subject}|2026-11-25`]));
          expect(await claims.claim(subject, '2026-11-26', 'new-instance', '2026-11-26T01:05:00.000Z', '2026-11-26T00:55:00.000Z')).toBeNull();
          expect(await claims.claim(subject, '2026-11-25', 'new-instance', '2026-11-26T01:15:00.000Z', '2026-11-26T01:05:00.000Z')).toBeNull();
          expect(await claims.claim(subject, '2026-11-26', 'new-instance', '2026-11-26T01:15:00.000Z', '2026-11-26T01:05:00.000Z')).not.toBeNull();
        }
        await store.forgetChat('-1');
        expect(await db.selectFrom('claims').selectAll().execute()).toEqual([]);
      } finally {
        await store?.close();
        await db.destroy();
      }
    });
  });
}
