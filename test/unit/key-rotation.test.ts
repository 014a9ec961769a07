import { sql } from 'kysely';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';
import { Metrics } from '../../src/ops/metrics.js';
import { TOKENS_UNREADABLE } from '../../src/store/shops.js';
import { Store } from '../../src/store/store.js';
import { TikTokClient } from '../../src/tiktok/client.js';
import { startTikTok } from '../../src/tiktok/service.js';
import { TokenCrypto } from '../../src/tiktok/token-crypto.js';
import { resealRobots } from '../../src/use-cases/robot-targets.js';
import type { LinkNotices } from '../../src/use-cases/shop-linking.js';
import { apiOrders, FakeTikTok } from '../fakes/tiktok-api.js';
import { TEST_DATABASES } from '../support/databases.js';

const OLD_KEY = 'ab'.repeat(32);
const NEW_KEY = Buffer.alloc(32, 7).toString('base64');
const CHAT = '-100888';
const silent = pino({ level: 'silent' });
/** Nobody is told anything here: these tests read the store and the counters. */
const notices: LinkNotices = { offerShops: () => Promise.resolve(), linkBroken: () => Promise.resolve() };

for (const database of TEST_DATABASES) {
  describe(`linked shops, TOKEN_ENCRYPTION_KEY rotation and sync counters, on ${database.name}`, () => {
    let tiktok: FakeTikTok;
    let base: string;
    let store: Store;
    let shopId: number;

    const config = (env: Record<string, string>) => readConfig({
      BOT_TOKEN: '4242:ROTATE-token-abcdefghijklmnopqrstuvwxyz', TIKTOK_APP_KEY: 'app-key', TIKTOK_APP_SECRET: 'app-secret', TIKTOK_SERVICE_ID: '7123',
      // Replies here wait for their syncs to the end (the test's time limit comes first): these tests read what the syncs did.
      TIKTOK_API_BASE: base, TIKTOK_AUTH_BASE: base, SYNC_WAIT_SECONDS: '60', ...env,
    });

    beforeEach(async () => {
      tiktok = new FakeTikTok('app-key', 'app-secret');
      base = await tiktok.listen();
      tiktok.orders = apiOrders(150, Math.floor(Date.now() / 1000));
      store = await Store.open(await database.fresh());
      await store.chats.ensure(CHAT, { locale: 'en', timeZone: 'UTC', threshold: 0.025 });
      const tokens = await new TikTokClient({ appKey: 'app-key', appSecret: 'app-secret', apiBase: base, authBase: base }, { now: () => Date.now() / 1000 }).getAccessToken(tiktok.issueCode());
      const old = new TokenCrypto(OLD_KEY);
      shopId = await store.shops.link(CHAT, { ref: '7000001', cipher: 'ROW_cipher+/1', name: 'Sunny Mugs US', region: 'US' }, {
        accessToken: old.encrypt(tokens.access_token), refreshToken: old.encrypt(tokens.refresh_token),
        accessExpiresAt: tokens.access_token_expire_in, refreshExpiresAt: tokens.refresh_token_expire_in,
      });
    });
    afterEach(async () => {
      await store.close();
      await tiktok.close();
    });

    it('with the old key in TOKEN_ENCRYPTION_KEY_PREVIOUS, a start re-seals every shop with the new key; then the old key can go', async () => {
      const rotating = startTikTok(config({ TOKEN_ENCRYPTION_KEY: NEW_KEY, TOKEN_ENCRYPTION_KEY_PREVIOUS: OLD_KEY }), store, silent, notices);
      expect(await rotating?.resealTokens()).toBe(1);
      expect(await rotating?.resealTokens()).toBe(0);
      const shop = await store.shops.find(shopId);
      const fresh = new TokenCrypto(NEW_KEY);
      expect(fresh.decrypt(shop?.accessToken ?? '')).toMatch(/^at-/);
      expect(() => new TokenCrypto(OLD_KEY).decrypt(shop?.accessToken ?? '')).toThrow();

      // With only the new key, the shop still syncs.
      const metrics = new Metrics();
      tiktok.throttleNext(1);
      const after = startTikTok(config({ TOKEN_ENCRYPTION_KEY: NEW_KEY }), store, silent, notices, () => Date.now(), { metrics });
      await after?.botDeps.refreshChat(CHAT);
      const text = await metrics.text();
      expect(text).toMatch(/^cancelwatch_tiktok_sync_pages_total [1-9]\d*$/m);
      expect(text).toMatch(/^cancelwatch_rate_limited_total\{api="tiktok"\} 1$/m);
      expect(text).not.toMatch(/^cancelwatch_tiktok_sync_errors_total\{/m);
      expect(await store.shops.find(shopId)).toMatchObject({ lastError: null });
    });

    it('without the previous key, a sync marks the shop as needing /link, tells its group once, counts it, and does not try it again', async () => {
      const metrics = new Metrics();
      const told: string[] = [];
      const telling: LinkNotices = { ...notices, linkUnreadable: (chatId, tr, shop) => { told.push(`${chatId} ${shop} ${tr.locale}`); return Promise.resolve(); } };
      const service = startTikTok(config({ TOKEN_ENCRYPTION_KEY: NEW_KEY }), store, silent, telling, () => Date.now(), { metrics });
      expect(await service?.botDeps.refreshChat(CHAT)).toEqual([{ shop: 'Sunny Mugs US', lastSyncAt: null, relink: true }]);
      expect(await service?.botDeps.refreshChat(CHAT)).toEqual([{ shop: 'Sunny Mugs US', lastSyncAt: null, relink: true }]);
      expect(told).toEqual([`${CHAT} Sunny Mugs US en`]);
      expect(await store.shops.find(shopId)).toMatchObject({ lastError: TOKENS_UNREADABLE });
      expect(await store.shops.due(new Date().toISOString())).toEqual([]);
      const text = await metrics.text();
      expect(text).toMatch(/^cancelwatch_tiktok_sync_errors_total\{kind="unreadable"\} 1$/m);
      expect(text).toMatch(/^cancelwatch_tiktok_sync_pages_total 0$/m);
      expect(tiktok.requests.filter((r) => r.path.endsWith('/search'))).toEqual([]);
    });

    it('a start with a key that opens no shop’s tokens goes on: that shop is marked, its group told once; the others sync; the right key brings it back', async () => {
      const other = '-100889';
      await store.chats.ensure(other, { locale: 'zh', timeZone: 'UTC', threshold: 0.025 });
      const client = new TikTokClient({ appKey: 'app-key', appSecret: 'app-secret', apiBase: base, authBase: base }, { now: () => Date.now() / 1000 });
      const tokens = await client.getAccessToken(tiktok.issueCode());
      const fresh = new TokenCrypto(NEW_KEY);
      await store.shops.link(other, { ref: '7000001', cipher: 'ROW_cipher+/1', name: 'Sunny Mugs US', region: 'US' }, {
        accessToken: fresh.encrypt(tokens.access_token), refreshToken: fresh.encrypt(tokens.refresh_token),
        accessExpiresAt: tokens.access_token_expire_in, refreshExpiresAt: tokens.refresh_token_expire_in,
      });
      const told: string[] = [];
      // Without linkUnreadable, the group hears it as a broken link.
      const telling: LinkNotices = { ...notices, linkBroken: (chatId, tr, shop, reason) => { told.push(`${chatId} ${shop} ${reason}`); return Promise.resolve(); } };

      const started = startTikTok(config({ TOKEN_ENCRYPTION_KEY: NEW_KEY }), store, silent, telling);
      expect(await started?.resealTokens()).toBe(0);
      const restarted = startTikTok(config({ TOKEN_ENCRYPTION_KEY: NEW_KEY }), store, silent, telling);
      expect(await restarted?.resealTokens()).toBe(0);
      expect(told).toEqual([`${CHAT} Sunny Mugs US ${TOKENS_UNREADABLE}`]);
      expect(await store.shops.find(shopId)).toMatchObject({ lastError: TOKENS_UNREADABLE });
      expect(await restarted?.botDeps.refreshChat(other)).toEqual([]);
      const searches = tiktok.requests.filter((r) => r.path.endsWith('/search')).length;
      expect(searches).toBeGreaterThan(0);
      expect(await restarted?.botDeps.refreshChat(CHAT)).toEqual([{ shop: 'Sunny Mugs US', lastSyncAt: null, relink: true }]);
      expect(tiktok.requests.filter((r) => r.path.endsWith('/search'))).toHaveLength(searches);

      // The operator puts the old key back as the previous one: the shop is resealed and syncs again.
      const mended = startTikTok(config({ TOKEN_ENCRYPTION_KEY: NEW_KEY, TOKEN_ENCRYPTION_KEY_PREVIOUS: OLD_KEY }), store, silent, telling);
      expect(await mended?.resealTokens()).toBe(1);
      expect(await store.shops.find(shopId)).toMatchObject({ lastError: null });
      expect(await mended?.botDeps.refreshChat(CHAT)).toEqual([]);
      expect(told).toHaveLength(1);
    });

    it('rotation reseals every sealed value in the database: shop tokens, authorizations in progress, robots', async () => {
      const old = new TokenCrypto(OLD_KEY);
      const client = new TikTokClient({ appKey: 'app-key', appSecret: 'app-secret', apiBase: base, authBase: base }, { now: () => Date.now() / 1000 });
      const session = await client.getAccessToken(tiktok.issueCode());
      await store.linkStates.create('state-in-progress', CHAT, '51', new Date(Date.now() + 20 * 60_000).toISOString());
      await store.linkStates.saveSession('state-in-progress', old.encrypt(JSON.stringify(session)), [{ id: '7000001', cipher: 'ROW_cipher+/1', name: 'Sunny Mugs US', region: 'US' }]);
      await store.robots.add(CHAT, {
        service: 'wecom', sealedUrl: old.encrypt('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0123'), sealedSecret: old.encrypt('SEC0123'), address: 'qyapi.weixin.qq.com …0123', createdBy: '51',
      }, new Date().toISOString());

      const rotating = new TokenCrypto(NEW_KEY, OLD_KEY);
      expect(await startTikTok(config({ TOKEN_ENCRYPTION_KEY: NEW_KEY, TOKEN_ENCRYPTION_KEY_PREVIOUS: OLD_KEY }), store, silent, notices)?.resealTokens()).toBe(2);
      expect(await resealRobots({ store, crypto: rotating }, silent)).toBe(1);

      // Every text value of every table: none opens with the old key alone, and the five sealed ones open with the new.
      const sealedWithNew: string[] = [];
      for (const table of await store.db.introspection.getTables()) {
        const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table.name)}`.execute(store.db);
        for (const row of rows.rows) {
          for (const [column, value] of Object.entries(row)) {
            if (typeof value !== 'string') continue;
            expect(old.isCurrent(value), `${table.name}.${column}`).toBe(false);
            if (new TokenCrypto(NEW_KEY).isCurrent(value)) sealedWithNew.push(`${table.name}.${column}`);
          }
        }
      }
      expect(sealedWithNew.sort()).toEqual(['link_states.tokens', 'robot_targets.secret', 'robot_targets.url', 'shops.access_token', 'shops.refresh_token']);
      // Resealed, the authorization still completes.
      const linking = startTikTok(config({ TOKEN_ENCRYPTION_KEY: NEW_KEY }), store, silent, notices)?.botDeps.linking;
      expect(await linking?.choose('state-in-progress', '51', '7000001')).toMatchObject({ chatId: CHAT, name: 'Sunny Mugs US' });
    });
  });
}
