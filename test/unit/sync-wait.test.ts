import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';
import { addDays, localDay } from '../../src/core/metrics/days.js';
import { renderDailySummary } from '../../src/core/render/summary.js';
import { syncLagLines } from '../../src/core/render/sync-lag.js';
import { translator } from '../../src/i18n.js';
import { Metrics } from '../../src/ops/metrics.js';
import { Store } from '../../src/store/store.js';
import { TikTokClient } from '../../src/tiktok/client.js';
import { startTikTok, SYNC_DEADLINE_MS } from '../../src/tiktok/service.js';
import { TokenCrypto } from '../../src/tiktok/token-crypto.js';
import { daySummary } from '../../src/use-cases/day-summary.js';
import type { LinkNotices } from '../../src/use-cases/shop-linking.js';
import { ManualClock } from '../fakes/manual-clock.js';
import { apiOrders, FakeTikTok } from '../fakes/tiktok-api.js';
import { TEST_DATABASES } from '../support/databases.js';

const KEY = 'ef'.repeat(32);
const WAIT_SECONDS = 5;
const HOUR_MS = 3_600_000;
/** A fixed start, far from any real date: nothing here depends on today. */
const START = Date.UTC(2031, 4, 14, 9, 30);
const ALICE = '-100701';
const BOB = '-100702';
const notices: LinkNotices = { offerShops: () => Promise.resolve(), linkBroken: () => Promise.resolve() };
const en = translator('en');

for (const database of TEST_DATABASES) {
  describe(`replies never wait for another chat's sync, on ${database.name}`, () => {
    let clock: ManualClock;
    let api: FakeTikTok;
    let store: Store;
    let service: NonNullable<ReturnType<typeof startTikTok>>;
    let metrics: Metrics;
    const shops: Record<string, number> = {};

    beforeEach(async () => {
      clock = new ManualClock(START);
      api = new FakeTikTok('app-key', 'app-secret', { now: clock.now });
      api.shops.push(
        { id: '7000002', cipher: 'ROW_cipher+/2', name: 'Bob One', region: 'US', seller_type: 'LOCAL' },
        { id: '7000003', cipher: 'ROW_cipher+/3', name: 'Bob Two', region: 'US', seller_type: 'LOCAL' },
      );
      api.orders = apiOrders(200, Math.floor(START / 1000));
      const base = await api.listen();
      store = await Store.open(await database.fresh(), clock.now);
      const config = readConfig({
        BOT_TOKEN: '4242:WAIT-token-abcdefghijklmnopqrstuvwxyz', TIKTOK_APP_KEY: 'app-key', TIKTOK_APP_SECRET: 'app-secret', TIKTOK_SERVICE_ID: '7123',
        TIKTOK_API_BASE: base, TIKTOK_AUTH_BASE: base, TOKEN_ENCRYPTION_KEY: KEY, SYNC_WAIT_SECONDS: String(WAIT_SECONDS),
      });
      metrics = new Metrics();
      const started = startTikTok(config, store, pino({ level: 'silent' }), notices, clock.now, { timers: clock, metrics });
      if (!started) throw new Error('linking not enabled');
      service = started;
      const client = new TikTokClient({ appKey: 'app-key', appSecret: 'app-secret', apiBase: base, authBase: base }, { now: () => clock.now() / 1000 });
      const crypto = new TokenCrypto(KEY);
      for (const chat of [ALICE, BOB]) await store.chats.ensure(chat, { locale: 'en', timeZone: 'UTC', threshold: 0.025 });
      for (const [chat, shop] of [[ALICE, api.shops[0]], [BOB, api.shops[1]], [BOB, api.shops[2]]] as const) {
        if (!shop) throw new Error('no shop');
        const tokens = await client.getAccessToken(api.issueCode());
        shops[shop.name] = await store.shops.link(chat, { ref: shop.id, cipher: shop.cipher, name: shop.name, region: shop.region }, {
          accessToken: crypto.encrypt(tokens.access_token), refreshToken: crypto.encrypt(tokens.refresh_token),
          accessExpiresAt: tokens.access_token_expire_in, refreshExpiresAt: tokens.refresh_token_expire_in,
        });
      }
    });
    afterEach(async () => {
      await service.stop();
      await api.close();
      await store.close();
    });

    const shopId = (name: string) => shops[name] ?? 0;
    const searchesOf = (cipher: string) => api.requests.filter((r) => r.path.endsWith('/search') && r.query['shop_cipher'] === cipher).length;

    it('a chat’s refresh is answered while another chat’s backfills hang, even with every background slot taken by them', async () => {
      const bobOne = api.holdNextSearch('ROW_cipher+/2');
      const bobTwo = api.holdNextSearch('ROW_cipher+/3');
      service.botDeps.syncSoon(shopId('Bob One'));
      service.botDeps.syncSoon(shopId('Bob Two'));
      await Promise.all([bobOne.arrived, bobTwo.arrived]);
      // Alice's first sync waits for a background slot behind Bob's; her reply takes it over.
      service.botDeps.syncSoon(shopId('Sunny Mugs US'));
      expect(await service.botDeps.refreshChat(ALICE)).toEqual([]);
      // No timer was moved on: the reply came back as soon as Alice's own shop was synced.
      expect(await store.shops.find(shopId('Sunny Mugs US'))).toMatchObject({ lastSyncAt: new Date(START).toISOString(), lastError: null });

      bobOne.release();
      bobTwo.release();
      await service.idle();
      expect(await service.botDeps.refreshChat(BOB)).toEqual([]);
    });

    it('a reply waits SYNC_WAIT_SECONDS at most for its own hanging shop, then says how fresh it is; the sync is cut at its deadline and goes on', async () => {
      const held = api.holdNextSearch('ROW_cipher+/1');
      const replying = service.botDeps.refreshChat(ALICE);
      await held.arrived;
      await clock.timerSet(WAIT_SECONDS * 1000);
      clock.advance(WAIT_SECONDS * 1000);
      const lag = await replying;
      expect(lag).toEqual([{ shop: 'Sunny Mugs US', lastSyncAt: null, relink: false }]);
      expect(syncLagLines(en, lag, clock.now())).toEqual(['Sunny Mugs US is still being fetched for the first time; its orders will follow.']);

      // The request TikTok holds is aborted at the reply sync's deadline; the sync then goes on in the background.
      clock.advance(SYNC_DEADLINE_MS.reply - WAIT_SECONDS * 1000);
      await held.abandoned;
      await service.idle();
      const synced = await store.shops.find(shopId('Sunny Mugs US'));
      expect(synced?.lastSyncAt).toBe(new Date(clock.now()).toISOString());
      expect(synced?.lastError).toBeNull();

      // Two hours on, the shop is stale and TikTok hangs again: the reply says when it last synced.
      clock.advance(2 * HOUR_MS);
      const again = api.holdNextSearch('ROW_cipher+/1');
      const later = service.botDeps.refreshChat(ALICE);
      await again.arrived;
      await clock.timerSet(WAIT_SECONDS * 1000);
      clock.advance(WAIT_SECONDS * 1000);
      const stale = await later;
      expect(stale).toEqual([{ shop: 'Sunny Mugs US', lastSyncAt: synced?.lastSyncAt, relink: false }]);
      expect(syncLagLines(en, stale, clock.now())).toEqual(['Sunny Mugs US last synced 2 h ago; newer orders will follow.']);
      again.release();
      await service.idle();
    });

    it('the daily summary built while the chat’s shop hangs carries the freshness line', async () => {
      await service.botDeps.refreshChat(ALICE);
      clock.advance(3 * HOUR_MS);
      const held = api.holdNextSearch('ROW_cipher+/1');
      const date = localDay(clock.now(), 'UTC');
      const building = daySummary({ store, renderTrend: () => Promise.reject(new Error('no picture asked')), refreshChat: service.botDeps.refreshChat }, ALICE, date, clock.now(), { picture: false });
      await held.arrived;
      await clock.timerSet(WAIT_SECONDS * 1000);
      clock.advance(WAIT_SECONDS * 1000);
      const built = await building;
      if (!built?.summary) throw new Error('no summary');
      expect(built.day).toBe(addDays(date, -1));
      expect(renderDailySummary(built.summary, built.tr, built.context, built.strategies).split('\n'))
        .toContain('Sunny Mugs US last synced 3 h ago; newer orders will follow.');
      held.release();
      await service.idle();
    });

    it('a background sync that hangs is aborted at its deadline and stays due', async () => {
      const held = api.holdNextSearch('ROW_cipher+/1');
      service.botDeps.syncSoon(shopId('Sunny Mugs US'));
      await held.arrived;
      await clock.timerSet(SYNC_DEADLINE_MS.background);
      clock.advance(SYNC_DEADLINE_MS.background);
      await held.abandoned;
      await service.idle();
      expect(await store.shops.find(shopId('Sunny Mugs US'))).toMatchObject({ lastSyncAt: null, lastError: null });
      expect(await metrics.text()).not.toMatch(/^cancelwatch_tiktok_sync_errors_total\{/m);
    });

    it('a 429 asking for an hour does not hold the sync: the reply answers at once, and the shop is left alone for that hour', async () => {
      api.throttleNext(1, 3600);
      expect(await service.botDeps.refreshChat(ALICE)).toEqual([{ shop: 'Sunny Mugs US', lastSyncAt: null, relink: false }]);
      expect(searchesOf('ROW_cipher+/1')).toBe(1);
      expect(await store.shops.find(shopId('Sunny Mugs US'))).toMatchObject({ lastError: 'rate-limited 36009002' });
      // Asked again within the hour: no request to TikTok, no wait.
      clock.advance(30 * 60_000);
      expect(await service.botDeps.refreshChat(ALICE)).toHaveLength(1);
      expect(searchesOf('ROW_cipher+/1')).toBe(1);
      clock.advance(HOUR_MS);
      expect(await service.botDeps.refreshChat(ALICE)).toEqual([]);
      expect(await store.shops.find(shopId('Sunny Mugs US'))).toMatchObject({ lastError: null });
    });
  });
}

describe('how fresh a linked shop is, in words', () => {
  const now = START;
  const at = (ms: number) => new Date(now - ms).toISOString();
  it('says minutes, hours or days, never less than a minute, in both languages', () => {
    const lags = [
      { shop: 'A', lastSyncAt: at(20_000), relink: false },
      { shop: 'B', lastSyncAt: at(47 * 60_000), relink: false },
      { shop: 'C', lastSyncAt: at(5 * HOUR_MS), relink: false },
      { shop: 'D', lastSyncAt: at(80 * HOUR_MS), relink: false },
      { shop: 'E', lastSyncAt: at(HOUR_MS), relink: true },
    ];
    expect(syncLagLines(en, lags, now)).toEqual([
      'A last synced 1 min ago; newer orders will follow.',
      'B last synced 47 min ago; newer orders will follow.',
      'C last synced 5 h ago; newer orders will follow.',
      'D last synced 3 days ago; newer orders will follow.',
      'E is not syncing any more: an admin should link it again with /link.',
    ]);
    expect(syncLagLines(translator('zh'), lags.slice(2, 3), now)).toEqual(['C 上次同步于 5 小时前；更新的订单稍后补上。']);
  });
});
