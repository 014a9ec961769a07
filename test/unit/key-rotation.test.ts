import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';
import { Metrics } from '../../src/ops/metrics.js';
import { Store } from '../../src/store/store.js';
import { TikTokClient } from '../../src/tiktok/client.js';
import { startTikTok } from '../../src/tiktok/service.js';
import { TokenCrypto } from '../../src/tiktok/token-crypto.js';
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
      TIKTOK_API_BASE: base, TIKTOK_AUTH_BASE: base, ...env,
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

    it('without the previous key, tokens sealed with the old one fail to open, and the failure is counted', async () => {
      const metrics = new Metrics();
      const service = startTikTok(config({ TOKEN_ENCRYPTION_KEY: NEW_KEY }), store, silent, notices, () => Date.now(), { metrics });
      await service?.botDeps.refreshChat(CHAT);
      const text = await metrics.text();
      expect(text).toMatch(/^cancelwatch_tiktok_sync_errors_total\{kind="internal"\} 1$/m);
      expect(text).toMatch(/^cancelwatch_tiktok_sync_pages_total 0$/m);
    });
  });
}
