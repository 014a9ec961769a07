import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localDay } from '../../src/core/metrics/days.js';
import { productLines, ProductRollup } from '../../src/core/metrics/products.js';
import { buildReport } from '../../src/core/metrics/report.js';
import { DailyTallies } from '../../src/core/metrics/tally.js';
import { strategyItems } from '../../src/core/render/strategies.js';
import { translator } from '../../src/i18n.js';
import { chatReport } from '../../src/use-cases/chat-report.js';
import { Store } from '../../src/store/store.js';
import { MAX_RETRY_AFTER_SECONDS, TikTokClient, TikTokError } from '../../src/tiktok/client.js';
import { orderFromApi } from '../../src/tiktok/map-order.js';
import { DEFAULT_LEASE_MS, ShopSync, type SyncDeps } from '../../src/tiktok/sync.js';
import { TokenCrypto } from '../../src/tiktok/token-crypto.js';
import { ManualClock } from '../fakes/manual-clock.js';
import { apiOrders, FakeTikTok } from '../fakes/tiktok-api.js';
import { TEST_DATABASES } from '../support/databases.js';

const KEY = 'ab'.repeat(32);
const CHAT = '-100500';
const TZ = 'America/Los_Angeles';

describe('TikTok client', () => {
  let api: FakeTikTok;
  let client: TikTokClient;
  let base: string;
  const delays: number[] = [];
  beforeEach(async () => {
    api = new FakeTikTok('app-key', 'app-secret');
    base = await api.listen();
    delays.length = 0;
    client = new TikTokClient({ appKey: 'app-key', appSecret: 'app-secret', apiBase: base, authBase: base }, {
      now: () => Date.now() / 1000, sleep: (ms) => { delays.push(ms); return Promise.resolve(); }, random: () => 0.5,
    });
  });
  afterEach(() => api.close());

  it('exchanges a code once, lists shops, and pages with tokens holding / and +', async () => {
    const code = api.issueCode();
    const tokens = await client.getAccessToken(code);
    await expect(client.getAccessToken(code)).rejects.toMatchObject({ kind: 'auth', code: 105003 });
    expect(await client.authorizedShops(tokens.access_token)).toEqual([expect.objectContaining({ id: '7000001', cipher: 'ROW_cipher+/1' })]);
    const now = Math.floor(Date.now() / 1000);
    api.orders = apiOrders(250, now);
    const first = await client.searchOrders(tokens.access_token, 'ROW_cipher+/1', { updateTimeGe: 0, updateTimeLt: now });
    expect(first.orders).toHaveLength(100);
    expect(first.nextPageToken).toMatch(/[/+]/);
    const second = await client.searchOrders(tokens.access_token, 'ROW_cipher+/1', { updateTimeGe: 0, updateTimeLt: now }, first.nextPageToken ?? '');
    expect(second.orders[0]?.id).not.toBe(first.orders[0]?.id);
  });

  it('honours retry-after on 429, signing every retry anew, and gives up after the last attempt', async () => {
    const tokens = await client.getAccessToken(api.issueCode());
    api.throttleNext(2);
    await client.searchOrders(tokens.access_token, 'ROW_cipher+/1', { updateTimeGe: 0, updateTimeLt: 1 });
    expect(delays).toEqual([1000, 1000]);
    const searches = api.requests.filter((r) => r.path.endsWith('/search'));
    expect(searches.map((r) => r.status)).toEqual([429, 429, 200]);
    api.throttleNext(10);
    await expect(client.searchOrders(tokens.access_token, 'ROW_cipher+/1', { updateTimeGe: 0, updateTimeLt: 1 })).rejects.toMatchObject({ kind: 'rate-limited', code: 36009002 });
  });

  it('caps retry-after: a 429 asking for an hour fails the call at once, saying how long TikTok asked', async () => {
    const tokens = await client.getAccessToken(api.issueCode());
    api.throttleNext(1, 3600);
    const error = await client.searchOrders(tokens.access_token, 'ROW_cipher+/1', { updateTimeGe: 0, updateTimeLt: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'rate-limited', code: 36009002, retryAfterSeconds: 3600 });
    expect(delays).toEqual([]);
    // Within the cap, the wait is honoured as before.
    api.throttleNext(1, MAX_RETRY_AFTER_SECONDS);
    await client.searchOrders(tokens.access_token, 'ROW_cipher+/1', { updateTimeGe: 0, updateTimeLt: 1 });
    expect(delays).toEqual([MAX_RETRY_AFTER_SECONDS * 1000]);
  });

  it('an abort signal ends a request TikTok holds, and the wait between retries', async () => {
    const tokens = await client.getAccessToken(api.issueCode());
    const held = api.holdNextSearch();
    const controller = new AbortController();
    const searching = client.searchOrders(tokens.access_token, 'ROW_cipher+/1', { updateTimeGe: 0, updateTimeLt: 1 }, undefined, { signal: controller.signal });
    await held.arrived;
    controller.abort(new Error('deadline'));
    await expect(searching).rejects.toThrow('deadline');
    await held.abandoned;
    held.release();
    // A retry's wait (the real one here, 50 s) ends with the signal too: aborted just after it began.
    const stop = new AbortController();
    const waiting = new TikTokClient({ appKey: 'app-key', appSecret: 'app-secret', apiBase: base, authBase: base }, {
      now: () => Date.now() / 1000, onRateLimited: () => void setImmediate(() => stop.abort(new Error('stopping'))),
    });
    api.throttleNext(1, 50);
    const retrying = waiting.searchOrders(tokens.access_token, 'ROW_cipher+/1', { updateTimeGe: 0, updateTimeLt: 1 }, undefined, { signal: stop.signal });
    await expect(retrying).rejects.toThrow();
    expect(stop.signal.aborted).toBe(true);
    expect(api.requests.filter((r) => r.path.endsWith('/search')).map((r) => r.status)).toEqual([429]);
  });

  it('maps errors: a wrong secret is a bad sign, an expired token is reported as such', async () => {
    const tokens = await client.getAccessToken(api.issueCode());
    const wrong = new TikTokClient({ appKey: 'app-key', appSecret: 'not-the-secret', apiBase: base, authBase: base }, { now: () => Date.now() / 1000 });
    await expect(wrong.authorizedShops(tokens.access_token)).rejects.toMatchObject({ kind: 'sign', code: 106001 });
    const stale = new TikTokClient({ appKey: 'app-key', appSecret: 'app-secret', apiBase: base, authBase: base }, { now: () => Date.now() / 1000 - 3600 });
    await expect(stale.authorizedShops(tokens.access_token)).rejects.toMatchObject({ kind: 'bad-request', code: 36009004 });
    api.expireAccessTokens();
    const error = await client.authorizedShops(tokens.access_token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TikTokError);
    expect(error).toMatchObject({ kind: 'token-expired', code: 105002 });
  });
});

describe('orders from the API', () => {
  it('map onto the metric contract like export rows', () => {
    const now = Math.floor(Date.parse('2026-11-26T12:00:00Z') / 1000);
    const orders = apiOrders(12, now, 1).map((o) => orderFromApi(o, TZ));
    const [completed, sellerOos, buyer, system, lineCancel, partial, unpaidExpired, unpaid, fbt, sample] = orders;
    expect(completed).toMatchObject({ paid: true, cancelled: false, partiallyCancelled: false, currency: 'USD' });
    expect(sellerOos).toMatchObject({ cancelled: true, initiator: 'seller', category: 'out_of_stock' });
    expect(buyer).toMatchObject({ cancelled: true, initiator: 'buyer', category: 'changed_mind' });
    expect(system).toMatchObject({ initiator: 'system', category: 'late_fulfilment' });
    expect(lineCancel).toMatchObject({ cancelled: true, initiator: 'seller', category: 'out_of_stock', reason: 'seller_cancel_reason_out_of_stock' });
    expect(partial).toMatchObject({ cancelled: false, partiallyCancelled: true, category: 'description_mismatch' });
    expect(unpaidExpired).toMatchObject({ paid: false, cancelled: true, category: 'unpaid' });
    expect(unpaid).toMatchObject({ paid: false, cancelled: false });
    expect(fbt).toMatchObject({ fulfilledByTikTok: true });
    expect(sample).toMatchObject({ sample: true, category: 'pricing_error' });
    expect(completed?.createdAt).toBe('2026-11-26T04:00:00');
  });
});

for (const database of TEST_DATABASES) {
  describe(`shop sync on ${database.name}`, () => {
    let api: FakeTikTok;
    let store: Store;
    let sync: ShopSync;
    let deps: SyncDeps;
    let shopId: number;
    let base: string;
    const crypto = new TokenCrypto(KEY);
    const reported: string[] = [];

    beforeEach(async () => {
      api = new FakeTikTok('app-key', 'app-secret');
      base = await api.listen();
      store = await Store.open(await database.fresh());
      const client = new TikTokClient({ appKey: 'app-key', appSecret: 'app-secret', apiBase: base, authBase: base }, { now: () => Date.now() / 1000, sleep: () => Promise.resolve() });
      deps = { store, client, crypto, clock: () => Date.now(), logger: pino({ level: 'silent' }), instance: 'test', reportBroken: async (chat, shop, e) => { reported.push(`${chat} ${shop} ${e.kind}`); } };
      sync = new ShopSync(deps);
      reported.length = 0;
      await store.chats.ensure(CHAT, { locale: 'en', timeZone: TZ, threshold: 0.025 });
      const tokens = await client.getAccessToken(api.issueCode());
      shopId = await store.shops.link(CHAT, { ref: '7000001', cipher: 'ROW_cipher+/1', name: 'Sunny Mugs US', region: 'US' }, sync.seal(tokens));
      api.orders = apiOrders(1500, Math.floor(Date.now() / 1000));
    });
    afterEach(async () => {
      await api.close();
      await store.close();
    });

    it('backfills 30 days, and the report equals the core’s for the same orders', async () => {
      const result = await sync.sync(shopId);
      expect(result).toMatchObject({ ok: true });
      const since = Math.floor(Date.now() / 1000) - 30 * 86400;
      const expectedOrders = api.orders.filter((o) => o.update_time >= since).map((o) => orderFromApi(o, TZ));
      expect(result.ok && result.orders).toBe(expectedOrders.length);
      const tr = translator('en');
      const chat = await store.chats.find(CHAT);
      if (!chat) throw new Error('no chat');
      const stored = await chatReport(store, chat, { kind: 'last', days: 30 }, tr, Date.now());
      const tallies = new DailyTallies();
      const products = new ProductRollup();
      for (const o of expectedOrders) {
        tallies.add(o);
        products.add(o);
      }
      const today = localDay(Date.now(), TZ);
      const range = stored.report.window;
      const core = buildReport({
        tallies, window: { from: range.from ?? '', to: range.to ?? '' }, timeZone: TZ, dataFrom: stored.dataRange?.from ?? null,
        strategies: (c, p) => strategyItems(tr, c, p), products: productLines(products.between(range.from ?? '', range.to ?? '')),
      });
      expect(range.to).toBe(today);
      expect(stored.report).toEqual(core);
      expect(stored.report.orders).toBeGreaterThan(500);
    });

    it('a second sync fetches only what changed since the cursor (less the overlap)', async () => {
      await sync.sync(shopId);
      const cursor = (await store.shops.find(shopId))?.cursor ?? 0;
      const before = api.requests.length;
      const now = Math.floor(Date.now() / 1000);
      const changed = api.orders.slice(0, 3);
      for (const o of changed) { o.status = 'CANCELLED'; o.cancellation_initiator = 'SELLER'; o.cancel_reason = 'Out of stock'; o.update_time = now - 1; }
      const second = await sync.sync(shopId);
      // The changed orders, and those updated within the overlap before the cursor (stored again, not twice).
      const expected = api.orders.filter((o) => o.update_time >= cursor - 600).length;
      expect(expected).toBeLessThan(20);
      expect(second).toMatchObject({ ok: true, orders: expected, pages: 1 });
      expect(api.requests.length - before).toBe(1);
      const stored = await store.orders.between(CHAT, '2000-01-01', '2100-01-01');
      expect(stored.filter((o) => changed.some((c) => c.id === o.id)).every((o) => o.cancelled)).toBe(true);
      expect(new Set(stored.map((o) => o.id)).size).toBe(stored.length);
    });

    it('resumes from the cursor after a failed run', async () => {
      api.throttleAfter(4, 100);
      expect(await sync.sync(shopId)).toMatchObject({ ok: false, reason: 'failed', error: 'rate-limited 36009002' });
      const cursor = (await store.shops.find(shopId))?.cursor;
      expect(cursor).toBeGreaterThan(Math.floor(Date.now() / 1000) - 30 * 86400);
      api.throttleNext(0);
      const mark = api.requests.length;
      expect(await sync.sync(shopId)).toMatchObject({ ok: true });
      const resumed = api.requests.slice(mark).filter((r) => r.path.endsWith('/search'));
      expect(JSON.parse(resumed[0]?.body ?? '{}')).toMatchObject({ update_time_ge: (cursor ?? 0) - 600 });
      const since = Math.floor(Date.now() / 1000) - 30 * 86400;
      const stored = await store.orders.between(CHAT, '2000-01-01', '2100-01-01');
      expect(stored).toHaveLength(api.orders.filter((o) => o.update_time >= since).length);
    });

    it('refreshes an expired access token once and goes on', async () => {
      api.expireAccessTokens();
      expect(await sync.sync(shopId)).toMatchObject({ ok: true });
      expect(api.requests.filter((r) => r.path === '/api/v2/token/refresh')).toHaveLength(1);
      const shop = await store.shops.find(shopId);
      expect(shop?.accessToken).not.toContain('at-');
    });

    it('two instances never sync one shop at once', async () => {
      const other = new ShopSync({ ...deps, instance: 'other' });
      const [a, b] = await Promise.all([sync.sync(shopId), other.sync(shopId)]);
      expect([a, b].map((r) => (r.ok ? 'synced' : r.reason)).sort()).toEqual(['busy', 'synced']);
    });

    it('a 429 asking for an hour ends the sync this round, with the wait, instead of holding it', async () => {
      // A sleep of more than the cap would hang this test: the client must not ask for one.
      const client = new TikTokClient({ appKey: 'app-key', appSecret: 'app-secret', apiBase: base, authBase: base }, {
        now: () => Date.now() / 1000, sleep: (ms) => (ms > MAX_RETRY_AFTER_SECONDS * 1000 ? new Promise<void>(() => undefined) : Promise.resolve()),
      });
      api.throttleNext(1, 3600);
      expect(await new ShopSync({ ...deps, client }).sync(shopId)).toEqual({ ok: false, reason: 'failed', error: 'rate-limited 36009002', retryAfterSeconds: 3600 });
      expect(await store.shops.find(shopId)).toMatchObject({ lastError: 'rate-limited 36009002', lastSyncAt: null });
    });

    it('a long backfill renews its lease page by page, so a second instance never syncs the shop at once', async () => {
      // Everything on one clock the test moves: the sync's, the client's timestamps, the fake's checks.
      const clock = new ManualClock(Date.UTC(2031, 4, 14, 9, 30));
      const timed = new FakeTikTok('app-key', 'app-secret', { now: clock.now });
      const timedBase = await timed.listen();
      try {
        const client = new TikTokClient({ appKey: 'app-key', appSecret: 'app-secret', apiBase: timedBase, authBase: timedBase }, { now: () => clock.now() / 1000, sleep: () => Promise.resolve() });
        const first = new ShopSync({ ...deps, client, clock: clock.now, instance: 'first' });
        const second = new ShopSync({ ...deps, client, clock: clock.now, instance: 'second' });
        await store.shops.saveTokens(shopId, first.seal(await client.getAccessToken(timed.issueCode())));
        timed.orders = apiOrders(1500, Math.floor(clock.now() / 1000));

        const page1 = timed.holdNextSearch();
        const backfill = first.sync(shopId);
        await page1.arrived;
        // The first page takes longer than the whole lease (10 minutes) was taken for.
        clock.advance(DEFAULT_LEASE_MS + 60_000);
        const page2 = timed.holdNextSearch();
        page1.release();
        await page2.arrived;
        // Mid-backfill, past the original lease: the second instance finds the shop taken.
        expect(await second.sync(shopId)).toEqual({ ok: false, reason: 'busy' });
        page2.release();
        expect(await backfill).toMatchObject({ ok: true });
        expect(timed.requests.filter((r) => r.path.endsWith('/search')).length).toBeGreaterThan(2);
        // Once the first is done, the shop is free again.
        expect(await second.sync(shopId)).toMatchObject({ ok: true });
      } finally {
        await timed.close();
      }
    });

    it('a sync whose lease another instance took stops without writing another page', async () => {
      const clock = new ManualClock(Date.UTC(2031, 4, 14, 9, 30));
      const timed = new FakeTikTok('app-key', 'app-secret', { now: clock.now });
      const timedBase = await timed.listen();
      try {
        const client = new TikTokClient({ appKey: 'app-key', appSecret: 'app-secret', apiBase: timedBase, authBase: timedBase }, { now: () => clock.now() / 1000, sleep: () => Promise.resolve() });
        const stalled = new ShopSync({ ...deps, client, clock: clock.now, instance: 'stalled' });
        await store.shops.saveTokens(shopId, stalled.seal(await client.getAccessToken(timed.issueCode())));
        timed.orders = apiOrders(300, Math.floor(clock.now() / 1000));
        const held = timed.holdNextSearch();
        const stalling = stalled.sync(shopId);
        await held.arrived;
        clock.advance(DEFAULT_LEASE_MS + 1);
        // The lease ran out under a stalled instance: another may take the shop.
        expect(await store.shops.acquireLease(shopId, 'other', new Date(clock.now()).toISOString(), new Date(clock.now() + DEFAULT_LEASE_MS).toISOString())).toBe(true);
        held.release();
        expect(await stalling).toEqual({ ok: false, reason: 'busy' });
        expect(await store.shops.find(shopId)).toMatchObject({ cursor: null, lastSyncAt: null });
      } finally {
        await timed.close();
      }
    });

    it('reports a broken link to the chat once, and does not retry forever', async () => {
      const broken = new ShopSync({ ...deps, client: new TikTokClient({ appKey: 'app-key', appSecret: 'wrong', apiBase: base, authBase: base }, { now: () => Date.now() / 1000 }) });
      expect(await broken.sync(shopId)).toMatchObject({ ok: false, reason: 'failed', error: 'sign 106001' });
      expect(await broken.sync(shopId)).toMatchObject({ ok: false, reason: 'failed', error: 'sign 106001' });
      expect(reported).toEqual([`${CHAT} Sunny Mugs US sign`]);
      expect(api.requests.filter((r) => r.code === 106001)).toHaveLength(2);
    });
  });
}
