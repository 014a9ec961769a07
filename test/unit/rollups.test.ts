import fc from 'fast-check';
import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/core/metrics/days.js';
import { productLines, ProductRollup } from '../../src/core/metrics/products.js';
import { DailyTallies } from '../../src/core/metrics/tally.js';
import { tallyFromJson } from '../../src/core/metrics/tally-json.js';
import type { WindowSpec } from '../../src/core/metrics/window.js';
import type { Order } from '../../src/core/order.js';
import { CATEGORIES, INITIATORS } from '../../src/core/reasons/categories.js';
import { translator } from '../../src/i18n.js';
import { dialectOf, openDb } from '../../src/store/db.js';
import { migrationProvider } from '../../src/store/migrations.js';
import { rebuildShopRollups } from '../../src/store/rollups.js';
import { classifyReason } from '../../src/core/reasons/classify.js';
import { Store } from '../../src/store/store.js';
import { chatReport } from '../../src/use-cases/chat-report.js';
import { reportFromTallies } from '../../src/use-cases/report.js';
import { TEST_DATABASES } from '../support/databases.js';
import { ordersOver } from '../support/orders.js';

const FIRST_DAY = '2026-10-01';
const DAYS = 40;
const NOW = Date.UTC(2026, 10, 5, 12);
const tr = translator('en');

/** Orders drawn from a small pool of ids, so later uploads re-upload earlier orders (other day, other status). */
const orderArb = fc.record({
  id: fc.integer({ min: 1, max: 60 }).map((n) => `o${n}`),
  day: fc.integer({ min: 0, max: DAYS - 1 }).map((d) => addDays(FIRST_DAY, d)),
  hour: fc.integer({ min: 0, max: 23 }),
  paid: fc.boolean(),
  cancelled: fc.boolean(),
  partiallyCancelled: fc.boolean(),
  initiator: fc.constantFrom(...INITIATORS),
  category: fc.option(fc.constantFrom(...CATEGORIES)),
  reason: fc.option(fc.constantFrom('Out of stock', 'No longer needed', '缺货', 'Vendedor cancelou')),
  fulfilledByTikTok: fc.boolean(),
  sample: fc.boolean(),
  amountCents: fc.option(fc.integer({ min: 0, max: 10_000_000 })),
  currency: fc.option(fc.constantFrom('USD', 'THB', 'VND')),
  cod: fc.boolean(),
  // What the export lacked or held that no table knows: these ride in the rollups' tallies too.
  gaps: fc.subarray(['Cancel By', 'Cancel Reason', 'Paid Time'] as const),
  unrecognised: fc.option(fc.record({ 'Cancel By': fc.constantFrom('Vendedor', '卖方') }), { nil: undefined }),
  // What it bought, when the export has product columns: per-product rollups are written with the orders.
  // (A product is named the same way wherever it appears, so the names shown are the counts' products whichever order named them last.)
  lines: fc.option(fc.array(fc.record({
    product: fc.constantFrom(
      { skuId: '1729000000000000001', sellerSku: 'MUG', product: 'Mug', variation: 'Red' },
      { skuId: null, sellerSku: 'CUP', product: '杯子', variation: null },
      { skuId: null, sellerSku: null, product: null, variation: null },
    ),
    quantity: fc.integer({ min: 1, max: 3 }), cancelled: fc.boolean(),
  }).map(({ product, ...line }) => ({ ...product, ...line })), { minLength: 1, maxLength: 3 }), { nil: undefined }),
}).map(({ day, hour, unrecognised, lines, ...o }): Order => ({
  ...o, createdAt: `${day}T${String(hour).padStart(2, '0')}:30:00`, unrecognised: unrecognised ?? {}, ...(lines ? { lines } : {}),
}));

/** One upload's orders, each id once (an export holds an order once, however many lines). */
const uploadArb = fc.record({
  shop: fc.constantFrom('main', 'TH'),
  orders: fc.uniqueArray(orderArb, { selector: (o) => o.id, maxLength: 40 }),
});

const windowArb: fc.Arbitrary<WindowSpec> = fc.oneof(
  fc.constant<WindowSpec>({ kind: 'all' }),
  fc.constant<WindowSpec>({ kind: 'today' }),
  fc.constant<WindowSpec>({ kind: 'yesterday' }),
  fc.integer({ min: 1, max: 60 }).map((days): WindowSpec => ({ kind: 'last', days })),
  fc.tuple(fc.integer({ min: -5, max: DAYS + 5 }), fc.integer({ min: 0, max: 30 }))
    .map(([start, length]): WindowSpec => ({ kind: 'range', from: addDays(FIRST_DAY, start), to: addDays(FIRST_DAY, start + length) })),
);

const zoneArb = fc.constantFrom('UTC', 'Asia/Shanghai', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Asia/Kathmandu');

/** The report computed the slow, obvious way: from the latest version of every order, held in memory. */
function truthReport(latest: ReadonlyMap<string, Map<string, Order>>, spec: WindowSpec, timeZone: string, shop?: string) {
  const tallies = new DailyTallies();
  const products = new ProductRollup();
  let from: string | null = null;
  let to: string | null = null;
  for (const [name, orders] of latest) {
    if (shop !== undefined && name !== shop) continue;
    for (const order of orders.values()) {
      tallies.add(order);
      products.add(order);
      const day = (order.createdAt ?? '').slice(0, 10);
      if (from === null || day < from) from = day;
      if (to === null || day > to) to = day;
    }
  }
  const dataRange = from !== null && to !== null ? { from, to } : null;
  return reportFromTallies({ tallies, window: spec, timeZone, now: NOW, tr, dataRange, products: (window) => productLines(products.between(window.from, window.to, false)) });
}

for (const database of TEST_DATABASES) {
  describe(`daily rollups on ${database.name}`, () => {
    it('answer exactly what the stored orders say, for random uploads, re-uploads, windows and time zones', async () => {
      await fc.assert(fc.asyncProperty(
        fc.array(uploadArb, { minLength: 1, maxLength: 5 }), fc.array(fc.tuple(windowArb, zoneArb, fc.option(fc.constantFrom('main', 'TH'))), { minLength: 1, maxLength: 6 }),
        async (uploads, questions) => {
          const store = await Store.open(await database.fresh());
          try {
            await store.chats.ensure('-1', { locale: 'en', timeZone: 'UTC', threshold: 0.025 });
            const latest = new Map<string, Map<string, Order>>();
            for (const upload of uploads) {
              await store.saveImport({
                chatId: '-1', shopName: upload.shop, fileName: 'x.csv', userId: null, orders: upload.orders,
                summary: { files: [], rows: upload.orders.length, orders: upload.orders.length, skipped: { rows: 0, samples: [] }, firstDay: null, lastDay: null, undated: { orders: 0, file: null } },
              });
              const shop = latest.get(upload.shop) ?? new Map<string, Order>();
              // An order stored again without lines (an export without product columns) keeps the lines it had.
              for (const order of upload.orders) {
                const kept = order.lines ?? shop.get(order.id)?.lines;
                shop.set(order.id, kept ? { ...order, lines: kept } : order);
              }
              latest.set(upload.shop, shop);
            }
            for (const [spec, timeZone, shop] of questions) {
              const chat = { id: '-1', locale: 'en' as const, timeZone, threshold: 0.025 };
              const stored = await chatReport(store, chat, spec, tr, NOW, shop ?? undefined);
              const truth = truthReport(latest, spec, timeZone, shop ?? undefined);
              expect(stored.dataRange).toEqual(truth.dataRange);
              expect(stored.report).toEqual(truth.report);
              expect(stored.trend).toEqual(truth.trend);
            }
            // Counting every day again from the orders (as migration 0009 does) changes nothing, to the newest time and the last text.
            const kept = await storedRollups(store);
            for (const { id } of await store.db.selectFrom('shops').select('id').execute()) await rebuildShopRollups(store.db, id);
            expect(await storedRollups(store)).toEqual(kept);
            const [spec, timeZone] = questions[0] ?? [{ kind: 'all' } as WindowSpec, 'UTC'];
            expect((await chatReport(store, { id: '-1', locale: 'en', timeZone, threshold: 0.025 }, spec, tr, NOW)).report)
              .toEqual(truthReport(latest, spec, timeZone).report);
          } finally {
            await store.close();
          }
        },
      ), { numRuns: 15 });
    });

    it('a re-upload that moves an order to another day takes it out of the old day', async () => {
      const store = await Store.open(await database.fresh());
      try {
        await store.chats.ensure('-1', { locale: 'en', timeZone: 'UTC', threshold: 0.025 });
        const base: Order = {
          id: 'a', createdAt: '2026-10-01T10:00:00', paid: true, cancelled: true, partiallyCancelled: false, initiator: 'seller', reason: 'Out of stock',
          category: 'out_of_stock', fulfilledByTikTok: false, sample: false, amountCents: 500, currency: 'USD', cod: false, gaps: [], unrecognised: {},
        };
        const summary = { files: [], rows: 1, orders: 1, skipped: { rows: 0, samples: [] }, firstDay: null, lastDay: null, undated: { orders: 0, file: null } };
        expect(await store.saveImport({ chatId: '-1', shopName: 'main', fileName: 'a.csv', userId: null, summary, orders: [base] })).toEqual({ newOrders: 1 });
        expect(await store.saveImport({ chatId: '-1', shopName: 'main', fileName: 'b.csv', userId: null, summary, orders: [{ ...base, createdAt: '2026-10-03T10:00:00', cancelled: false }] }))
          .toEqual({ newOrders: 0 });
        expect(await store.orders.range('-1')).toEqual({ from: '2026-10-03', to: '2026-10-03' });
        const tallies = await store.orders.tallies('-1', '2026-10-01', '2026-10-03');
        expect(tallies.daysBetween('2026-10-01', '2026-10-03').map(([day, t]) => [day, t.orders, t.cancelled])).toEqual([['2026-10-03', 1, 0]]);
        expect((await store.shops.list('-1'))[0]?.orders).toBe(1);
      } finally {
        await store.close();
      }
    });

    it('a day whose change the rollup cannot tell alone is counted again from its orders', async () => {
      const store = await Store.open(await database.fresh());
      try {
        await store.chats.ensure('-1', { locale: 'en', timeZone: 'UTC', threshold: 0.025 });
        const at = (i: number) => `${String(Math.floor(i / 5)).padStart(2, '0')}:${String((i % 5) * 10).padStart(2, '0')}`;
        const order = (i: number, reason: string): Order => ({
          id: `o${String(i).padStart(3, '0')}`, createdAt: `2026-10-01T${at(i)}:00`, paid: true, cancelled: true, partiallyCancelled: false, initiator: 'seller',
          reason, category: 'out_of_stock', fulfilledByTikTok: false, sample: false, amountCents: 500, currency: 'THB', cod: false, gaps: [], unrecognised: {},
        });
        // 101 reason texts: the day keeps the first hundred by id; the 101st is left out.
        const first = Array.from({ length: 101 }, (_, i) => order(i, `reason ${i}`));
        const upload = (orders: Order[]) => store.saveImport({
          chatId: '-1', shopName: 'main', fileName: 'x.csv', userId: null, orders,
          summary: { files: [], rows: orders.length, orders: orders.length, skipped: { rows: 0, samples: [] }, firstDay: null, lastDay: null, undated: { orders: 0, file: null } },
        });
        await upload(first);
        const day = async () => (await storedRollups(store)).find((r) => r.day === '2026-10-01');
        expect((await day())?.tally.reasons.get('out_of_stock')?.texts.has('reason 100')).toBe(false);
        // One kept text's only order is stored again without it: the place it frees is the left-out text's.
        await upload([{ ...order(0, 'reason 0'), cancelled: false, category: null, reason: null }]);
        expect((await day())?.tally.reasons.get('out_of_stock')?.texts.has('reason 100')).toBe(true);
        // Every cancelled order stored again as delivered: no amount is lost in THB any more, and none is listed at zero.
        await upload(first.slice(1).map((o) => ({ ...o, cancelled: false, category: null, reason: null })));
        expect((await day())?.tally.lostCents).toEqual(new Map());
        // The newest order of the day moved to the day before: the day's newest time is the next one's.
        expect((await day())?.newest_created_at).toBe('2026-10-01T20:00:00');
        await upload([{ ...order(100, 'reason 100'), createdAt: '2026-09-30T20:00:00' }]);
        expect((await day())?.newest_created_at).toBe('2026-10-01T19:40:00');
        // A day's only cancelled order (among others) stored again as delivered: its currency goes, not listed at zero.
        const other = { ...order(0, 'reason 0'), id: 'p1', createdAt: '2026-10-02T09:00:00', currency: 'USD' };
        await upload([other, { ...other, id: 'p2', cancelled: false, category: null, reason: null }]);
        await upload([{ ...other, cancelled: false, category: null, reason: null }]);
        const next = (await storedRollups(store)).find((r) => r.day === '2026-10-02');
        expect([next?.stored_orders, next?.tally.cancelled, next?.tally.lostCents]).toEqual([2, 0, new Map()]);
        const kept = await storedRollups(store);
        await rebuildShopRollups(store.db, (await store.db.selectFrom('shops').select('id').executeTakeFirstOrThrow()).id);
        expect(await storedRollups(store)).toEqual(kept);
      } finally {
        await store.close();
      }
    });

    it('two uploads of the same orders into one shop at once count each order once', async () => {
      const store = await Store.open(await database.fresh());
      try {
        await store.chats.ensure('-1', { locale: 'en', timeZone: 'UTC', threshold: 0.025 });
        const summary = { files: [], rows: 30, orders: 30, skipped: { rows: 0, samples: [] }, firstDay: null, lastDay: null, undated: { orders: 0, file: null } };
        const target = { chatId: '-1', shopName: 'main', fileName: 'a.csv', userId: null };
        // The shop exists already (an earlier upload), so neither upload waits on making it.
        await store.saveImport({ ...target, summary, orders: ordersOver('2026-09-01', 1, 1) });
        const orders = ordersOver('2026-10-01', 3, 10);
        let wrote!: () => void;
        const written = new Promise<void>((resolve) => { wrote = resolve; });
        let release!: () => void;
        const held = new Promise<void>((resolve) => { release = resolve; });
        const first = store.saveImportStream(target, async (write) => { await write(orders); wrote(); await held; return summary; });
        await written;
        const second = store.saveImportStream(target, async (write) => { await write(orders); return summary; });
        // On PostgreSQL the second upload runs beside the first until it waits on a lock (SQLite runs one writer at a time).
        if (database.name === 'PostgreSQL') await until(async () => Number((await sql<{ n: string }>`select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`.execute(store.db)).rows[0]?.n) > 0);
        release();
        const [a, b] = await Promise.all([first, second]);
        expect([a.newOrders, b.newOrders]).toEqual([30, 0]);
        const tallies = await store.orders.tallies('-1', '2026-10-01', '2026-10-03');
        expect(tallies.daysBetween('2026-10-01', '2026-10-03').map(([, t]) => t.orders)).toEqual([10, 10, 10]);
        expect((await store.shops.list('-1'))[0]?.orders).toBe(31);
      } finally {
        await store.close();
      }
    });

    it('a failed upload leaves neither orders nor rollups behind', async () => {
      const store = await Store.open(await database.fresh());
      try {
        await store.chats.ensure('-1', { locale: 'en', timeZone: 'UTC', threshold: 0.025 });
        const order: Order = {
          id: 'a', createdAt: '2026-10-01T10:00:00', paid: true, cancelled: false, partiallyCancelled: false, initiator: 'unknown', reason: null,
          category: null, fulfilledByTikTok: false, sample: false, amountCents: 500, currency: 'USD', cod: false, gaps: [], unrecognised: {},
        };
        await expect(store.saveImportStream({ chatId: '-1', shopName: 'main', fileName: 'a.csv', userId: null }, async (write) => {
          await write([order]);
          throw new Error('the file broke half-way');
        })).rejects.toThrow('half-way');
        expect(await store.orders.range('-1')).toBeNull();
        expect(await store.orders.between('-1', '2026-01-01', '2026-12-31')).toEqual([]);
      } finally {
        await store.close();
      }
    });

    it('the migration counts the orders stored before rollups existed', async () => {
      const url = await database.fresh();
      const db = await openDb(url);
      const migrator = new Migrator({ db, provider: migrationProvider(dialectOf(url)) });
      // A database of the release before rollups: every migration up to 0008 applied.
      await migrator.migrateTo('0008_robot_targets');
      const at = '2026-10-01T00:00:00Z';
      await db.insertInto('chats').values({ id: '-1', locale: 'en', time_zone: 'UTC', threshold: 0.025, created_at: at, updated_at: at }).execute();
      const shop = await db.insertInto('shops').values({ chat_id: '-1', name: 'main', source: 'upload', created_at: at }).returning('id').executeTakeFirstOrThrow();
      const orders = (fc.sample(fc.uniqueArray(orderArb, { selector: (o) => o.id, minLength: 30, maxLength: 30 }), { numRuns: 1, seed: 9 })[0] ?? [])
        // Stored before order lines were kept, too.
        .map(({ lines: _lines, ...o }): Order => ({ ...o, cod: false, gaps: [], unrecognised: {} }));
      for (const o of orders) {
        // The table as it was then: with the day and the write time that 0015 dropped.
        const row = {
          shop_id: shop.id, order_id: o.id, created_at: o.createdAt ?? '', day: (o.createdAt ?? '').slice(0, 10), paid: o.paid ? 1 : 0, cancelled: o.cancelled ? 1 : 0,
          partially_cancelled: o.partiallyCancelled ? 1 : 0, initiator: o.initiator, reason: o.reason, category: o.category, fbt: o.fulfilledByTikTok ? 1 : 0,
          sample: o.sample ? 1 : 0, amount_cents: o.amountCents, currency: o.currency, updated_at: at,
        };
        await db.insertInto('orders').values(row as never).execute();
      }
      expect(Number((await sql<{ n: number }>`select count(*) as n from orders`.execute(db)).rows[0]?.n)).toBe(30);
      await db.destroy();
      const store = await Store.open(url);
      try {
        const chat = { id: '-1', locale: 'en' as const, timeZone: 'UTC', threshold: 0.025 };
        // Opened, the store reads every stored reason again by today's rules (its categories were drawn at random here).
        const reread = orders.map((o) => (o.category === null ? o : { ...o, category: classifyReason(o.reason) }));
        const truth = truthReport(new Map([['main', new Map(reread.map((o) => [o.id, o]))]]), { kind: 'all' }, 'UTC');
        expect((await chatReport(store, chat, { kind: 'all' }, tr, NOW)).report).toEqual(truth.report);
        // Counted, the orders lose their day index (0013): rollups no longer count a day again from it.
        const dayIndex = database.name === 'SQLite file'
          ? sql`select name from sqlite_master where type = 'index' and name = 'orders_shop_day'`
          : sql`select indexname from pg_indexes where indexname = 'orders_shop_day'`;
        expect((await dayIndex.execute(store.db)).rows).toEqual([]);
        // Nor their day and write time (0015): the day is read from the created time.
        const columns = database.name === 'SQLite file'
          ? sql<{ name: string }>`select name from pragma_table_info('orders')`
          : sql<{ name: string }>`select column_name as name from information_schema.columns where table_name = 'orders' and table_schema = current_schema()`;
        const names = (await columns.execute(store.db)).rows.map((r) => r.name);
        expect(names).toContain('created_at');
        expect(names).not.toContain('day');
        expect(names).not.toContain('updated_at');
      } finally {
        await store.close();
      }
    });
  });
}

/** Every stored rollup row, its tally read back (maps compare by their entries, whatever their order). */
async function storedRollups(store: Store) {
  const rows = await store.db.selectFrom('daily_rollups').selectAll().orderBy('shop_id').orderBy('day').execute();
  return rows.map(({ tally, ...row }) => ({ ...row, stored_orders: Number(row.stored_orders), tally: tallyFromJson(tally) }));
}

/** Resolves once `condition` holds, asking again on each turn of the event loop (for state only the database can tell). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setImmediate(resolve));
}
