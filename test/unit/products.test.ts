import { sql } from 'kysely';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bufferSource } from '../../src/core/ingest/source.js';
import { memorySpill } from '../../src/core/ingest/spill.js';
import { displayWidth, shorten } from '../../src/core/render/labels.js';
import { productLines, ProductRollup } from '../../src/core/metrics/products.js';
import { reportFromFiles } from '../../src/use-cases/file-report.js';
import { translator } from '../../src/i18n.js';
import { weekOf } from '../../src/core/metrics/days.js';
import type { Order, OrderLine } from '../../src/core/order.js';
import { linesFromRow } from '../../src/store/order-rows.js';
import { PRODUCT_DAY_COLUMNS, PRODUCT_DAY_TOTALS } from '../../src/store/schema.js';
import { Store } from '../../src/store/store.js';
import { TikTokClient } from '../../src/tiktok/client.js';
import { orderFromApi } from '../../src/tiktok/map-order.js';
import { ShopSync } from '../../src/tiktok/sync.js';
import { TokenCrypto } from '../../src/tiktok/token-crypto.js';
import { FakeTikTok } from '../fakes/tiktok-api.js';
import { PRODUCTS_CSV, PRODUCTS_EXPECTED, PRODUCTS_WINDOW, productApiOrders } from '../fixtures/hand-products.js';
import { TEST_DATABASES } from '../support/databases.js';
import { seed } from '../support/orders.js';
import { ordersOf } from '../support/report.js';

const TZ = 'Asia/Shanghai';
const NOW = Date.parse('2026-11-08T09:00:00+08:00');
const { from, to } = PRODUCTS_WINDOW;

async function fromExport(minOrders = 20) {
  const { report } = await reportFromFiles({
    sources: [bufferSource('products.csv', PRODUCTS_CSV)], window: { kind: 'range', from, to }, timeZone: TZ, now: NOW,
    tr: translator('en'), byProduct: { minOrders },
  });
  return report;
}

describe('per product, counted by hand', () => {
  it('an export gives exactly the hand-counted figures per product', async () => {
    const report = await fromExport();
    expect(report.products).toEqual(PRODUCTS_EXPECTED);
  });

  it('the same orders from the Partner API give the same figures', () => {
    const rollup = new ProductRollup();
    for (const o of productApiOrders()) rollup.add(orderFromApi(o, TZ));
    expect(productLines(rollup.between(from, to))).toEqual(PRODUCTS_EXPECTED);
  });

  it('the minimum is a setting: at 2 orders the earbuds and the tee get rates', async () => {
    const report = await fromExport(2);
    const earbuds = report.products?.find((p) => p.sellerSku === 'EAR-W');
    expect(earbuds).toMatchObject({ cancelRate: 0.5, sellerFault: { rate: 0.5 } });
    // The tee has 2 orders but only 1 counts for seller fault (the other is FBT): no seller-fault rate.
    expect(report.products?.find((p) => p.sellerSku === 'TEE-TH-M')).toMatchObject({ cancelRate: 0.5, sellerFault: { orders: 1, rate: null } });
  });

  it('strategies name the product behind a seller-fault reason', async () => {
    const report = await fromExport();
    const outOfStock = report.strategies.find((s) => s.category === 'out_of_stock');
    expect(outOfStock?.items[0]).toBe('RED-L: 2 of 2 seller-fault cancels were out of stock. Set it sold out or raise its safety stock.');
    // Earbuds: late fulfilment is 1 of its 2 seller-fault cancels, half: named too.
    const late = report.strategies.find((s) => s.category === 'late_fulfilment');
    expect(late?.items[0]).toContain('EAR-W: 1 of 2');
  });

  it('lines survive orders parked on the spill (a memory cap of a few orders), names with separators included', async () => {
    const tricky = PRODUCTS_CSV.replace('Kaos Polos 👕', 'Kaos\x1ePolos\x1d 👕');
    const read = async (spill: boolean) => [...(await ordersOf([bufferSource('products.csv', tricky)], spill ? { holding: { spill: async () => memorySpill(), memoryBudgetBytes: 3 * 200 } } : {})).values()]
      .sort((a, b) => a.id.localeCompare(b.id));
    const spilled = await read(true);
    const held = await read(false);
    // Parked and read back, every name is as written, separators and all.
    expect(spilled).toEqual(held);
    expect(spilled.find((o) => o.id === '2001')?.lines?.[0]?.product).toBe('Kaos\x1ePolos\x1d 👕 Cotton, "Premium"');
    const rollup = new ProductRollup();
    for (const o of spilled) rollup.add(o);
    const lines = productLines(rollup.between(from, to));
    expect(lines.map((l) => [l.key, l.orders, l.cancelled, l.partiallyCancelled])).toEqual(PRODUCTS_EXPECTED.map((l) => [l.key, l.orders, l.cancelled, l.partiallyCancelled]));
    expect(spilled.find((o) => o.id === '2001')?.lines?.map((l) => [l.sellerSku, l.quantity, l.cancelled])).toEqual([['RED-L', 2, true], ['EAR-W', 1, true]]);
  });

  it('names are cut by what a reader sees: whole graphemes, CJK and emoji two columns wide', () => {
    expect(displayWidth('无线耳机')).toBe(8);
    expect(displayWidth('👩‍👩‍👧 ok')).toBe(5);
    expect(shorten('无线蓝牙耳机 Pro', 9)).toBe('无线蓝牙…');
    // A Thai consonant keeps its vowel marks; an emoji family stays whole.
    expect(shorten('เสื้อยืด', 3)).toBe('เสื้…');
    expect(shorten('ab👩‍👩‍👧cd', 5)).toBe('ab👩‍👩‍👧…');
    expect(shorten('a\nb\u202Ec\t  d', 20)).toBe('a b c d');
    expect(displayWidth(shorten('x'.repeat(400), 40))).toBe(40);
  });

  it('a report without per-product figures leaves the product cells uncut, and its figures are the same', async () => {
    const without = await reportFromFiles({
      sources: [bufferSource('products.csv', PRODUCTS_CSV)], window: { kind: 'range', from, to }, timeZone: TZ, now: NOW, tr: translator('en'),
    });
    const { products, ...withProducts } = await fromExport();
    expect(products).toEqual(PRODUCTS_EXPECTED);
    // Strategies differ only where they name a product.
    expect({ ...without.report, strategies: [] }).toEqual({ ...withProducts, strategies: [] });
    expect(without.report.strategies.map((s) => s.category)).toEqual(withProducts.strategies.map((s) => s.category));
    const orders = await ordersOf([bufferSource('products.csv', PRODUCTS_CSV)], { reading: { productLines: false } });
    expect([...orders.values()].some((o) => o.lines !== undefined && o.lines.length > 0)).toBe(false);
  });

  it('without product columns, no order counts for a product', async () => {
    const trimmed = PRODUCTS_CSV.replace('SKU ID,Seller SKU,Product Name,Variation', 'A,B,C,D');
    const { report, hasLines } = await reportFromFiles({
      sources: [bufferSource('trimmed.csv', trimmed)], window: { kind: 'range', from, to }, timeZone: TZ, now: NOW,
      tr: translator('en'), byProduct: { minOrders: 20 },
    });
    expect(hasLines).toBe(false);
    expect(report.products).toEqual([]);
  });
});

/** Reads the reasons of every product, as the file report has them. */
const EVERY_REASON = { reasonsOf: Number.POSITIVE_INFINITY };

/** The stored week rows with any count, as `week|product → counts`. */
async function weekRows(store: Store): Promise<Array<[string, number[]]>> {
  const rows = await store.db.selectFrom('product_weeks').selectAll().orderBy('week').orderBy('product_key').execute();
  return rows.map((r) => [`${r.week}|${r.product_key}`, PRODUCT_DAY_COLUMNS.map((c) => Number(r[c]))] as [string, number[]])
    .filter(([, counts]) => counts.some((n) => n !== 0));
}

/** The day rows summed per week in the test, the same shape. */
async function weekSums(store: Store): Promise<Array<[string, number[]]>> {
  const sums = new Map<string, number[]>();
  for (const r of await store.db.selectFrom('product_days').selectAll().execute()) {
    const key = `${weekOf(r.day)}|${r.product_key}`;
    const counts = sums.get(key) ?? PRODUCT_DAY_COLUMNS.map(() => 0);
    PRODUCT_DAY_COLUMNS.forEach((c, i) => { counts[i] = (counts[i] ?? 0) + Number(r[c]); });
    sums.set(key, counts);
  }
  return [...sums].filter(([, counts]) => counts.some((n) => n !== 0)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Each stored order's lines, by order id. */
async function storedLines(store: Store): Promise<Map<string, OrderLine[] | undefined>> {
  return new Map((await store.db.selectFrom('orders').select(['order_id', 'lines']).execute()).map((r) => [r.order_id, linesFromRow(r)]));
}

/** Back to the release before 0012: one row per line (written last line first), none in the orders' rows. */
async function backBefore0012(store: Store, lines: ReadonlyMap<string, readonly OrderLine[] | undefined>, url: string): Promise<void> {
  // Migrations are applied in order: first back before 0019, which had one platform and no conversation tables,
  for (const table of ['chat_admins', 'chat_people', 'private_uploads', 'deliveries']) await store.db.schema.dropTable(table).execute();
  await sql`update claims set kind = 'telegram' where kind = 'summary'`.execute(store.db);
  await sql`delete from kysely_migration where name = '0019_conversations'`.execute(store.db);
  // then back before 0018, whose claims had a table per kind of send,
  await sql`create table summaries (chat_id text not null references chats (id) on delete cascade on update cascade, local_date text not null,
    status text not null, instance text not null, claimed_at text not null, sent_at text, primary key (chat_id, local_date))`.execute(store.db);
  await sql`create table robot_deliveries (target_id integer not null references robot_targets (id) on delete cascade, local_date text not null,
    status text not null, instance text not null, claimed_at text not null, sent_at text, primary key (target_id, local_date))`.execute(store.db);
  await sql`drop table claims`.execute(store.db);
  await sql`delete from kysely_migration where name = '0018_claims'`.execute(store.db);
  // then back before 0017, which had no taught reasons nor facts,
  await store.db.schema.dropTable('reason_mappings').execute();
  await store.db.schema.dropTable('store_facts').execute();
  await sql`delete from kysely_migration where name = '0017_reason_mappings'`.execute(store.db);
  // then back before 0016, which had no record of uploads under way,
  await store.db.schema.dropTable('uploads_under_way').execute();
  await sql`delete from kysely_migration where name = '0016_uploads_under_way'`.execute(store.db);
  // then back before 0015, whose orders had their day and write time,
  await store.db.schema.alterTable('orders').addColumn('day', 'text').execute();
  await store.db.schema.alterTable('orders').addColumn('updated_at', 'text').execute();
  await sql`update orders set day = substr(created_at, 1, 10), updated_at = '2026-10-01T00:00:00Z'`.execute(store.db);
  await sql`delete from kysely_migration where name = '0015_orders_without_day_and_write_time'`.execute(store.db);
  // then back before 0014, whose orders (on PostgreSQL) had a key to their shop,
  if (url.startsWith('postgres')) await sql`alter table orders add foreign key (shop_id) references shops (id) on delete cascade`.execute(store.db);
  await sql`delete from kysely_migration where name = '0014_orders_without_shop_key'`.execute(store.db);
  // then back before 0013, whose orders had a day index.
  await store.db.schema.createIndex('orders_shop_day').on('orders').columns(['shop_id', 'day']).execute();
  await sql`delete from kysely_migration where name = '0013_orders_without_day_index'`.execute(store.db);
  await sql`create table order_lines (shop_id integer not null, order_id text not null, line_no integer not null, sku_id text,
    seller_sku text, product_name text, variation text, quantity integer not null, cancelled integer not null,
    primary key (shop_id, order_id, line_no))`.execute(store.db);
  const shop = await store.db.selectFrom('orders').select('shop_id').executeTakeFirstOrThrow();
  for (const [id, list] of lines) {
    for (const [i, l] of [...(list ?? []).entries()].reverse()) {
      await sql`insert into order_lines values (${shop.shop_id}, ${id}, ${i}, ${l.skuId}, ${l.sellerSku}, ${l.product}, ${l.variation}, ${l.quantity}, ${l.cancelled ? 1 : 0})`.execute(store.db);
    }
  }
  await store.db.schema.alterTable('orders').dropColumn('lines').execute();
  await sql`delete from kysely_migration where name = '0012_lines_in_orders'`.execute(store.db);
}

for (const database of TEST_DATABASES) {
  describe(`per-product rollups in the store (${database.name})`, () => {
    let store: Store;
    let url: string;
    beforeEach(async () => {
      url = await database.fresh();
      store = await Store.open(url);
      await store.chats.ensure('-1', { locale: 'en', timeZone: TZ, threshold: 0.025 });
    });
    afterEach(() => store.close());

    it('stored uploads give the hand-counted figures, and a re-upload updates them instead of adding', async () => {
      const orders = [...(await ordersOf([bufferSource('products.csv', PRODUCTS_CSV)])).values()];
      await seed(store, '-1', orders);
      expect(productLines(await store.orders.productRows('-1', from, to, EVERY_REASON))).toEqual(PRODUCTS_EXPECTED);
      await seed(store, '-1', orders);
      expect(productLines(await store.orders.productRows('-1', from, to, EVERY_REASON))).toEqual(PRODUCTS_EXPECTED);

      // 2004 is now cancelled as a whole by the seller (out of stock): both its products count it as a whole cancel.
      const changed = orders.filter((o) => o.id === '2004').map((o) => ({ ...o, cancelled: true, partiallyCancelled: false, initiator: 'seller' as const }));
      await seed(store, '-1', changed);
      const after = productLines(await store.orders.productRows('-1', from, to, EVERY_REASON));
      expect(after.find((p) => p.sellerSku === 'EAR-W')).toMatchObject({ orders: 4, cancelled: 3, sellerFault: { cancelled: 3 } });
      expect(after.find((p) => p.sellerSku === 'TEE-TH-M')).toMatchObject({ orders: 2, cancelled: 2, partiallyCancelled: 0, sellerFault: { orders: 1, cancelled: 1 } });

      // The same order re-sent without product columns keeps its lines, counted by its new state.
      const { lines: _lines, ...bare } = changed[0] ?? orders[0]!;
      await seed(store, '-1', [{ ...bare, cancelled: false }]);
      const bareAfter = productLines(await store.orders.productRows('-1', from, to, EVERY_REASON));
      expect(bareAfter.find((p) => p.sellerSku === 'EAR-W')).toMatchObject({ orders: 4, cancelled: 2 });
    });

    it('a window of whole weeks reads the week rows, and they are the sums of the day rows, re-uploads included', async () => {
      const orders = [...(await ordersOf([bufferSource('products.csv', PRODUCTS_CSV)])).values()];
      await seed(store, '-1', orders);
      // Re-sent with another state: the old counts leave the week rows as they leave the day rows.
      await seed(store, '-1', orders.slice(0, 5).map((o) => ({ ...o, cancelled: !o.cancelled })));
      await seed(store, '-1', orders.slice(0, 5));
      expect(productLines(await store.orders.productRows('-1', from, to, EVERY_REASON))).toEqual(PRODUCTS_EXPECTED);
      // 2026-11-02 is a Monday: the week 11-02..08 from its week row, Sunday 11-01 from its day row.
      expect(productLines(await store.orders.productRows('-1', '2026-11-01', '2026-11-08', EVERY_REASON))).toEqual(PRODUCTS_EXPECTED);
      expect(await weekSums(store)).toEqual(await weekRows(store));
    });

    it('a large upload writes its product counts in parts as they pile up, and they add up to its orders\' counts, a re-upload too', async () => {
      // 45,000 products on three days: the writer writes its rows once 40,000 are held, the rest at the end.
      const order = (i: number, cancelled: boolean): Order => ({
        id: String(700_000 + i), createdAt: `2026-11-0${1 + (i % 3)}T10:00:00`, paid: true, cancelled, partiallyCancelled: false,
        initiator: cancelled ? 'seller' : 'unknown', reason: cancelled ? 'Out of stock' : null, category: cancelled ? 'out_of_stock' : null,
        fulfilledByTikTok: false, sample: false, amountCents: 1999, currency: 'USD', cod: false, gaps: [], unrecognised: {},
        lines: [{ skuId: `17${i}`, sellerSku: `SKU-${i}`, product: `Mug ${i}`, variation: null, quantity: 1, cancelled: false }],
      });
      const expected = (orders: readonly Order[]) => {
        const rollup = new ProductRollup();
        for (const o of orders) rollup.add(o);
        return productLines(rollup.rows(), 1);
      };
      const first = Array.from({ length: 45_000 }, (_, i) => order(i, i % 7 === 0));
      await seed(store, '-1', first);
      expect(productLines(await store.orders.productRows('-1', '2026-11-01', '2026-11-03', EVERY_REASON), 1)).toEqual(expected(first));
      // Sent again, every third order in another state: each product's old counts leave as its new ones come.
      const again = first.map((o, i) => (i % 3 === 0 ? order(i, !o.cancelled) : o));
      await seed(store, '-1', again);
      expect(productLines(await store.orders.productRows('-1', '2026-11-01', '2026-11-03', EVERY_REASON), 1)).toEqual(expected(again));
      expect(await weekSums(store)).toEqual(await weekRows(store));
    }, 60_000);

    it('the week rows are filled from the day rows for a database made before them', async () => {
      await seed(store, '-1', [...(await ordersOf([bufferSource('products.csv', PRODUCTS_CSV)])).values()]);
      const expected = await weekRows(store);
      expect(expected.length).toBeGreaterThan(0);
      // Back to the release before 0010, then open again: the migration fills the week rows.
      await backBefore0012(store, await storedLines(store), url);
      await store.db.schema.dropTable('product_weeks').execute();
      for (const { total } of PRODUCT_DAY_TOTALS) await store.db.schema.alterTable('product_days').dropColumn(total).execute();
      await sql`delete from kysely_migration where name in ('0010_product_weeks', '0011_product_totals')`.execute(store.db);
      await store.close();
      store = await Store.open(url);
      expect(await weekRows(store)).toEqual(expected);
      expect(productLines(await store.orders.productRows('-1', '2026-11-01', '2026-11-08', EVERY_REASON))).toEqual(PRODUCTS_EXPECTED);
    });

    it('reasons are read for the costliest products only; every product keeps its counts and its place', async () => {
      await seed(store, '-1', [...(await ordersOf([bufferSource('products.csv', PRODUCTS_CSV)])).values()]);
      const listed = productLines(await store.orders.productRows('-1', from, to, { reasonsOf: 1 }));
      const costliest = PRODUCTS_EXPECTED[0];
      expect(costliest?.reasons.length).toBeGreaterThan(0);
      expect(listed[0]).toEqual(costliest);
      // The others: the same figures in the same order, without reasons read.
      expect(listed.slice(1)).toEqual(PRODUCTS_EXPECTED.slice(1).map((p) => ({ ...p, mainReason: null, reasons: [] })));
      expect(PRODUCTS_EXPECTED.slice(1).some((p) => p.reasons.length > 0)).toBe(true);
    });

    it('the totals are filled from the reason columns for a database made before them', async () => {
      await seed(store, '-1', [...(await ordersOf([bufferSource('products.csv', PRODUCTS_CSV)])).values()]);
      const expected = await weekRows(store);
      const totalsOf = async () => (await store.db.selectFrom('product_days').selectAll().orderBy('day').orderBy('product_key').execute())
        .map((r) => PRODUCT_DAY_TOTALS.map(({ total, of }) => [Number(r[total]), of.reduce((sum, c) => sum + Number(r[c]), 0)]));
      expect((await totalsOf()).flat().some(([stored]) => stored !== 0)).toBe(true);
      // Back to the release before 0011, then open again: the migration adds the totals and fills them.
      await backBefore0012(store, await storedLines(store), url);
      for (const table of ['product_days', 'product_weeks'] as const) {
        for (const { total } of PRODUCT_DAY_TOTALS) await store.db.schema.alterTable(table).dropColumn(total).execute();
      }
      await sql`delete from kysely_migration where name = '0011_product_totals'`.execute(store.db);
      await store.close();
      store = await Store.open(url);
      for (const day of await totalsOf()) for (const [stored, summed] of day) expect(stored).toBe(summed);
      expect(await weekRows(store)).toEqual(expected);
      expect(productLines(await store.orders.productRows('-1', from, to, { reasonsOf: 2 })).slice(0, 2)).toEqual(PRODUCTS_EXPECTED.slice(0, 2));
    });

    it('lines kept in a table of their own move into their orders\' rows, in line order, and still count', async () => {
      const orders = [...(await ordersOf([bufferSource('products.csv', PRODUCTS_CSV)])).values()];
      await seed(store, '-1', orders);
      const expected = await storedLines(store);
      expect([...expected.values()].filter((l) => (l?.length ?? 0) > 1).length).toBeGreaterThan(0);
      await backBefore0012(store, expected, url);
      await store.close();
      store = await Store.open(url);
      expect(await storedLines(store)).toEqual(expected);
      expect(await store.orders.hasProductLines('-1')).toBe(true);
      // Re-sent without product columns, the orders keep the moved lines and their counts.
      await seed(store, '-1', orders.map(({ lines: _lines, ...bare }) => bare));
      expect(productLines(await store.orders.productRows('-1', from, to, EVERY_REASON))).toEqual(PRODUCTS_EXPECTED);
      expect(await storedLines(store)).toEqual(expected);
    });

    it('lines and rollups go with the chat on /forget', async () => {
      await seed(store, '-1', [...(await ordersOf([bufferSource('products.csv', PRODUCTS_CSV)])).values()]);
      await store.forgetChat('-1');
      expect(await store.db.selectFrom('orders').selectAll().execute()).toEqual([]);
      expect(await store.db.selectFrom('product_labels').selectAll().execute()).toEqual([]);
      expect(await store.db.selectFrom('product_days').selectAll().execute()).toEqual([]);
      expect(await store.db.selectFrom('product_weeks').selectAll().execute()).toEqual([]);
    });

    it('a linked shop synced through the Partner API stores the same figures', async () => {
      const api = new FakeTikTok('app-key', 'app-secret');
      const base = await api.listen();
      try {
        // Requests are signed with the real time (the fake checks it); the shop's days follow the test's clock.
        const client = new TikTokClient({ appKey: 'app-key', appSecret: 'app-secret', apiBase: base, authBase: base }, { now: () => Date.now() / 1000, sleep: () => Promise.resolve() });
        const sync = new ShopSync({
          store, client, crypto: new TokenCrypto('ab'.repeat(32)), clock: () => NOW, logger: pino({ level: 'silent' }), instance: 'test',
          reportBroken: () => Promise.resolve(),
        });
        const tokens = await client.getAccessToken(api.issueCode());
        const shopId = await store.shops.link('-1', { ref: '7000001', cipher: 'ROW_cipher+/1', name: 'Kaos Store', region: 'ID' }, sync.seal(tokens));
        api.orders = productApiOrders();
        expect(await sync.sync(shopId)).toMatchObject({ ok: true, orders: 30 });
        expect(productLines(await store.orders.productRows('-1', from, to, EVERY_REASON))).toEqual(PRODUCTS_EXPECTED);
        const stored = await store.db.selectFrom('orders').select('lines').where('order_id', '=', '2001').executeTakeFirstOrThrow();
        expect(linesFromRow(stored)?.map((l) => l.sellerSku)).toEqual(['RED-L', 'RED-L', 'EAR-W']);
      } finally {
        await api.close();
      }
    });
  });
}
