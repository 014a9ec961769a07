import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../src/core/ingest/import.js';
import type { Order } from '../../src/core/order.js';
import { linesFromRow } from '../../src/store/order-rows.js';
import { gatherOrders } from '../../src/store/orders.js';
import { Store } from '../../src/store/store.js';
import { TEST_DATABASES } from '../support/databases.js';

const order = (id: string, day: string, extra: Partial<Order> = {}): Order => ({
  id, createdAt: `${day}T10:00:00`, paid: true, cancelled: false, partiallyCancelled: false, initiator: 'unknown', reason: null,
  category: null, fulfilledByTikTok: false, sample: false, amountCents: 1999, currency: 'USD', cod: false, gaps: [], unrecognised: {}, ...extra,
});
const summary = (orders: number): ImportSummary => ({ files: [], rows: orders, orders, skipped: { rows: 0, samples: [] }, firstDay: '2026-11-01', lastDay: '2026-11-03', undated: { orders: 0, file: null } });
const defaults = { locale: 'en' as const, timeZone: 'UTC', threshold: 0.025 };

describe('an upload\'s batches gathered for a store with a round trip per write', () => {
  it('are written at least 2,000 orders at a time, in the order they came, and the rest at the end', async () => {
    const written: string[][] = [];
    const gathered = gatherOrders(async (orders) => { written.push(orders.map((o) => o.id)); }, 2_000);
    const ids = Array.from({ length: 4_700 }, (_, i) => `o${i}`);
    for (let i = 0; i < ids.length; i += 500) await gathered.write(ids.slice(i, i + 500).map((id) => order(id, '2026-11-01')));
    expect(written.map((w) => w.length)).toEqual([2_000, 2_000]);
    await gathered.flush();
    expect(written.map((w) => w.length)).toEqual([2_000, 2_000, 700]);
    expect(written.flat()).toEqual(ids);
    await gathered.flush();
    expect(written).toHaveLength(3);
  });
});

for (const database of TEST_DATABASES) {
  describe(`store on ${database.name}`, () => {
    const withStore = async (fn: (store: Store, url: string) => Promise<void>) => {
      const url = await database.fresh();
      const store = await Store.open(url);
      try { await fn(store, url); } finally { await store.close(); }
    };

    it('keeps chat settings, created from defaults once', async () => withStore(async (store) => {
      expect(await store.chats.find('-100')).toBeNull();
      expect(await store.chats.ensure('-100', { ...defaults, locale: 'zh' })).toEqual({ id: '-100', locale: 'zh', timeZone: 'UTC', threshold: 0.025 });
      expect((await store.chats.ensure('-100', defaults)).locale).toBe('zh');
      await store.chats.update('-100', { timeZone: 'Asia/Bangkok', threshold: 0.05 });
      expect(await store.chats.find('-100')).toEqual({ id: '-100', locale: 'zh', timeZone: 'Asia/Bangkok', threshold: 0.05 });
    }));

    it('stores an import once per shop and order id: the same file twice never double-counts', async () => withStore(async (store) => {
      await store.chats.ensure('-1', defaults);
      const orders = [order('a', '2026-11-01'), order('b', '2026-11-02'), order('c', '2026-11-03', { cancelled: true, category: 'out_of_stock', initiator: 'seller', reason: 'Out of stock' })];
      expect(await store.saveImport({ chatId: '-1', shopName: 'main', fileName: 'x.csv', userId: '7', summary: summary(3), orders })).toEqual({ newOrders: 3 });
      expect(await store.saveImport({ chatId: '-1', shopName: 'main', fileName: 'x.csv', userId: '7', summary: summary(3), orders })).toEqual({ newOrders: 0 });
      // A later export: b is now cancelled, d is new.
      const later = [order('b', '2026-11-02', { cancelled: true, initiator: 'buyer', category: 'changed_mind' }), order('d', '2026-11-04')];
      expect(await store.saveImport({ chatId: '-1', shopName: 'main', fileName: 'y.csv', userId: '7', summary: summary(2), orders: later })).toEqual({ newOrders: 1 });
      const stored = await store.orders.between('-1', '2026-11-01', '2026-11-30');
      expect(stored.map((o) => o.id).sort()).toEqual(['a', 'b', 'c', 'd']);
      expect(stored.find((o) => o.id === 'b')).toEqual(later[0]);
      expect(stored.find((o) => o.id === 'c')).toEqual(orders[2]);
      expect(await store.orders.between('-1', '2026-11-02', '2026-11-03')).toHaveLength(2);
      expect(await store.orders.range('-1')).toEqual({ from: '2026-11-01', to: '2026-11-04' });
      expect(await store.shops.list('-1')).toEqual([{ name: 'main', source: 'upload', orders: 4, firstDay: '2026-11-01', lastDay: '2026-11-04', lastImportAt: expect.any(String) as string, lastSyncAt: null, refreshExpiresAt: null }]);
    }));

    it('keeps amounts of currencies with large units exactly', async () => withStore(async (store) => {
      await store.chats.ensure('-1', defaults);
      const big = order('vnd', '2026-11-01', { amountCents: 1_500_000_000_00, currency: 'VND' });
      await store.saveImport({ chatId: '-1', shopName: 'main', fileName: 'x.csv', userId: null, summary: summary(1), orders: [big] });
      expect((await store.orders.between('-1', '2026-11-01', '2026-11-01'))[0]?.amountCents).toBe(1_500_000_000_00);
    }));

    it('keeps what an order’s source could not say: COD placement, missing columns, unknown values', async () => withStore(async (store) => {
      await store.chats.ensure('-1', defaults);
      const gapped = order('cod', '2026-11-01', { cod: true, gaps: ['Cancel By', 'Paid Time'], unrecognised: { 'Order Status': 'Afgerond', 'Cancel By': 'Verkoper' } });
      const plain = order('plain', '2026-11-01');
      await store.saveImport({ chatId: '-1', shopName: 'main', fileName: 'x.csv', userId: null, summary: summary(2), orders: [gapped, plain] });
      const back = new Map((await store.orders.between('-1', '2026-11-01', '2026-11-01')).map((o) => [o.id, o]));
      expect(back.get('cod')).toEqual(gapped);
      expect(back.get('plain')).toEqual(plain);
    }));

    it('shows a chat only its own orders, and separates shops', async () => withStore(async (store) => {
      for (const id of ['-1', '-2']) await store.chats.ensure(id, defaults);
      await store.saveImport({ chatId: '-1', shopName: 'US', fileName: 'a.csv', userId: null, summary: summary(1), orders: [order('same-id', '2026-11-01')] });
      await store.saveImport({ chatId: '-1', shopName: 'TH', fileName: 'b.csv', userId: null, summary: summary(1), orders: [order('same-id', '2026-11-01'), order('x', '2026-11-01')] });
      await store.saveImport({ chatId: '-2', shopName: 'US', fileName: 'c.csv', userId: null, summary: summary(1), orders: [order('other', '2026-11-01')] });
      expect(await store.orders.between('-1', '2026-11-01', '2026-11-01')).toHaveLength(3);
      expect(await store.orders.between('-1', '2026-11-01', '2026-11-01', 'TH')).toHaveLength(2);
      expect((await store.orders.between('-2', '2026-11-01', '2026-11-01')).map((o) => o.id)).toEqual(['other']);
    }));

    it('moves a group’s settings and data to its supergroup id', async () => withStore(async (store) => {
      await store.chats.ensure('-5', { ...defaults, locale: 'zh', timeZone: 'Asia/Shanghai' });
      await store.saveImport({ chatId: '-5', shopName: 'main', fileName: 'a.csv', userId: null, summary: summary(1), orders: [order('a', '2026-11-01')] });
      await store.chats.ensure('-1005', defaults); // the supergroup was seen before the migration message
      await store.moveChat('-5', '-1005');
      expect(await store.chats.find('-5')).toBeNull();
      expect(await store.chats.find('-1005')).toMatchObject({ locale: 'zh', timeZone: 'Asia/Shanghai' });
      expect(await store.orders.between('-1005', '2026-11-01', '2026-11-01')).toHaveLength(1);
    }));

    it('forgets everything of a chat and nothing of another', async () => withStore(async (store) => {
      for (const id of ['-1', '-2']) {
        await store.chats.ensure(id, defaults);
        await store.saveImport({ chatId: id, shopName: 'main', fileName: 'a.csv', userId: null, summary: summary(1), orders: [order(`o${id}`, '2026-11-01')] });
      }
      await store.forgetChat('-1');
      expect(await store.chats.find('-1')).toBeNull();
      expect(await store.orders.between('-1', '2026-01-01', '2026-12-31')).toEqual([]);
      expect(await store.orders.between('-2', '2026-01-01', '2026-12-31')).toHaveLength(1);
    }));

    it('drops a shop with its orders and keeps the other shop’s, though PostgreSQL keeps no foreign key from orders to shops', async () => withStore(async (store) => {
      await store.chats.ensure('-1', defaults);
      for (const shop of ['main', 'TH']) {
        await store.saveImport({ chatId: '-1', shopName: shop, fileName: 'a.csv', userId: null, summary: summary(2), orders: [order(`${shop}1`, '2026-11-01'), order(`${shop}2`, '2026-11-02')] });
      }
      if (database.name === 'PostgreSQL') {
        // Checking the shop for every order stored was about 7 s of the server's time per million orders.
        const keys = await sql<{ n: number }>`select count(*)::int as n from pg_constraint where conrelid = 'orders'::regclass and contype = 'f'`.execute(store.db);
        expect(keys.rows[0]?.n).toBe(0);
      }
      const shopId = await store.transaction((tx) => tx.shops.ensure('-1', 'main'));
      await store.unlinkShop(shopId, true);
      expect((await store.orders.between('-1', '2026-01-01', '2026-12-31')).map((o) => o.id).sort()).toEqual(['TH1', 'TH2']);
      expect(await store.db.selectFrom('orders').select('order_id').where('shop_id', '=', shopId).execute()).toEqual([]);
    }));

    it('stores every character of an order’s texts as it came (new orders go to PostgreSQL by COPY)', async () => withStore(async (store) => {
      await store.chats.ensure('-1', defaults);
      const texts = ['tab\there', 'two\nlines', 'cr\rlf\r\n', 'back\\slash', '\\N', '\\.', 'end\\', '缺货 🙂', ''];
      const orders = texts.map((text, i) => order(`t${i}`, '2026-11-01', {
        cancelled: true, initiator: 'seller', category: 'out_of_stock', reason: text, currency: text === '' ? null : text,
        unrecognised: { 'Order Status': text }, lines: [{ skuId: null, sellerSku: text, product: `${text}|name`, variation: null, quantity: 1, cancelled: false }],
      }));
      await store.saveImport({ chatId: '-1', shopName: 'main', fileName: 'x.csv', userId: null, summary: summary(orders.length), orders });
      const back = new Map((await store.orders.between('-1', '2026-11-01', '2026-11-01')).map((o) => [o.id, o]));
      const lines = new Map((await store.db.selectFrom('orders').select(['order_id', 'lines']).execute()).map((r) => [r.order_id, linesFromRow(r)]));
      for (const o of orders) {
        const { lines: sent, ...rest } = o;
        expect(back.get(o.id)).toEqual(rest);
        expect(lines.get(o.id)).toEqual(sent);
      }
    }));

    // On SQLite imports take turns on the one writing connection; PostgreSQL runs them at once, each COPY on its transaction's connection.
    if (database.name === 'PostgreSQL') it('keeps two shops’ imports at once apart: the one that fails leaves nothing, the other is stored whole', async () => withStore(async (store) => {
      await store.chats.ensure('-1', defaults);
      await store.chats.ensure('-2', defaults);
      const many = (prefix: string) => Array.from({ length: 3_000 }, (_, i) => order(`${prefix}${i}`, '2026-11-01'));
      let wroteFirst!: () => void;
      const firstWritten = new Promise<void>((resolve) => { wroteFirst = resolve; });
      const failing = store.saveImportStream({ chatId: '-1', shopName: 'main', fileName: 'a.csv', userId: null }, async (write) => {
        await write(many('a'));
        wroteFirst();
        await stored;
        throw new Error('the file broke half-way');
      });
      // The second import writes while the first's transaction is open on another connection.
      const stored = firstWritten.then(() => store.saveImport({ chatId: '-2', shopName: 'main', fileName: 'b.csv', userId: null, summary: summary(3_000), orders: many('b') }));
      await expect(failing).rejects.toThrow('the file broke half-way');
      expect(await stored).toEqual({ newOrders: 3_000 });
      expect(await store.orders.between('-1', '2026-11-01', '2026-11-01')).toEqual([]);
      expect(await store.orders.between('-2', '2026-11-01', '2026-11-01')).toHaveLength(3_000);
      expect((await store.orders.tallies('-2', '2026-11-01', '2026-11-01')).between('2026-11-01', '2026-11-01').orders).toBe(3_000);
    }));

    // A COPY is left under way while the next batch is made: its failure must still be the import's.
    if (database.name === 'PostgreSQL') it('fails an import with the error of a COPY under way, met at the next batch or at the commit, and stores nothing', async () => withStore(async (store) => {
      await store.chats.ensure('-1', defaults);
      const batch = (from: number, count: number) => Array.from({ length: count }, (_, i) => order(`o${from + i}`, '2026-11-01'));
      for (const failing of [1, 2]) {
        const run = store.saveImportStream({ chatId: '-1', shopName: 'main', fileName: 'x.csv', userId: null }, async (write) => {
          for (let b = 0; b < 3; b++) {
            // The failing batch repeats an order of the first: the shop's key refuses it.
            await write(b === failing ? [...batch(b * 2_000, 1_999), order('o5', '2026-11-01')] : batch(b * 2_000, 2_000));
          }
          return summary(6_000);
        });
        await expect(run).rejects.toMatchObject({ code: '23505' });
        expect(await store.orders.between('-1', '2026-11-01', '2026-11-01')).toEqual([]);
      }
      expect(await store.saveImport({ chatId: '-1', shopName: 'main', fileName: 'y.csv', userId: null, summary: summary(4_000), orders: batch(0, 4_000) })).toEqual({ newOrders: 4_000 });
      expect((await store.orders.tallies('-1', '2026-11-01', '2026-11-01')).between('2026-11-01', '2026-11-01').orders).toBe(4_000);
    }));

    // Until autovacuum comes round, a grown table still looked small: the next upload's lookups scanned it whole.
    if (database.name === 'PostgreSQL') it('refreshes the statistics of the orders after an upload of 10,000 new orders that grows them by a tenth, not after a smaller one', async () => withStore(async (store) => {
      await store.chats.ensure('-1', defaults);
      const counted = async () => {
        await store.statisticsRefreshed();
        return Number((await sql<{ n: number }>`select reltuples as n from pg_class where relname = 'orders'`.execute(store.db)).rows[0]?.n);
      };
      const batch = (from: number, count: number) => Array.from({ length: count }, (_, i) => order(`s${from + i}`, '2026-11-01'));
      const upload = (from: number, count: number) => store.saveImport({ chatId: '-1', shopName: 'main', fileName: 'x.csv', userId: null, summary: summary(count), orders: batch(from, count) });
      await upload(0, 9_999);
      // Never analyzed: PostgreSQL does not know the table's size.
      expect(await counted()).toBe(-1);
      await upload(9_999, 10_000);
      expect(await counted()).toBe(19_999);
      await upload(19_999, 90_000);
      // ANALYZE counts a sample: near enough.
      const estimated = await counted();
      expect(Math.abs(estimated - 109_999)).toBeLessThan(11_000);
      // 10,000 more grow 110,000 by less than a tenth: autovacuum's to see.
      await upload(109_999, 10_000);
      expect(await counted()).toBe(estimated);
    }), 60_000);

    it('fails a write whose orders repeat an id, leaves nothing of it, and goes on storing', async () => withStore(async (store) => {
      await store.chats.ensure('-1', defaults);
      const twice = [order('a', '2026-11-01'), order('b', '2026-11-01'), order('a', '2026-11-01')];
      await expect(store.saveImport({ chatId: '-1', shopName: 'main', fileName: 'x.csv', userId: null, summary: summary(3), orders: twice })).rejects.toThrow();
      expect(await store.orders.between('-1', '2026-11-01', '2026-11-01')).toEqual([]);
      expect(await store.saveImport({ chatId: '-1', shopName: 'main', fileName: 'y.csv', userId: null, summary: summary(2), orders: twice.slice(0, 2) })).toEqual({ newOrders: 2 });
      expect((await store.orders.tallies('-1', '2026-11-01', '2026-11-01')).between('2026-11-01', '2026-11-01').orders).toBe(2);
    }));

    it('stores an order an API page lists twice once, as its later listing says', async () => withStore(async (store) => {
      await store.chats.ensure('-1', defaults);
      const shopId = await store.transaction((tx) => tx.shops.ensure('-1', 'linked'));
      const later = order('a', '2026-11-01', { cancelled: true, initiator: 'buyer', category: 'changed_mind' });
      await store.saveSyncPage(shopId, [order('a', '2026-11-01'), order('b', '2026-11-01'), later], 1);
      expect((await store.orders.between('-1', '2026-11-01', '2026-11-01')).find((o) => o.id === 'a')).toEqual(later);
      const tally = (await store.orders.tallies('-1', '2026-11-01', '2026-11-01')).between('2026-11-01', '2026-11-01');
      expect([tally.orders, tally.cancelled]).toEqual([2, 1]);
    }));

    it('a synced page is read with the chat’s taught reasons, as an upload is', async () => withStore(async (store) => {
      await store.chats.ensure('-1', defaults);
      const shopId = await store.transaction((tx) => tx.shops.ensure('-1', 'linked'));
      expect(await store.teachReason('-1', 'Hết hạn thanh toán COD', 'unpaid', '7')).toBe(0);
      const cancelled = order('a', '2026-11-01', { cancelled: true, paid: false, cod: true, initiator: 'system', reason: 'Hết hạn thanh toán COD', category: 'other' });
      await store.saveSyncPage(shopId, [cancelled], 1);
      expect((await store.orders.between('-1', '2026-11-01', '2026-11-01'))[0]?.category).toBe('unpaid');
      const tally = (await store.orders.tallies('-1', '2026-11-01', '2026-11-01')).between('2026-11-01', '2026-11-01');
      expect([tally.orders, tally.unpaidExpired, tally.uncertainCod]).toEqual([0, 1, 0]);
    }));

    it('keeps data across a restart', async () => {
      const url = await database.fresh();
      const first = await Store.open(url);
      await first.chats.ensure('-9', { ...defaults, locale: 'zh' });
      await first.saveImport({ chatId: '-9', shopName: 'main', fileName: 'a.csv', userId: null, summary: summary(1), orders: [order('a', '2026-11-01')] });
      await first.close();
      const second = await Store.open(url);
      expect((await second.chats.find('-9'))?.locale).toBe('zh');
      expect(await second.orders.between('-9', '2026-11-01', '2026-11-01')).toHaveLength(1);
      await second.close();
    });
  });
}
