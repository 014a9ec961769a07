import { randomUUID } from 'node:crypto';
import { linkingSettings, type Config } from '../config.js';
import { translator } from '../i18n.js';
import { logError, type Logger } from '../logger.js';
import type { OutboundFetch } from '../net/outbound.js';
import { Metrics } from '../ops/metrics.js';
import { WorkTracker } from '../ops/work.js';
import type { Store } from '../store/store.js';
import type { LinkingDeps, LinkNotices } from '../use-cases/shop-linking.js';
import { TikTokClient } from './client.js';
import { Linking } from './linking.js';
import { ShopSync } from './sync.js';
import { TokenCrypto } from './token-crypto.js';

/** What the running process lends the TikTok side: its outbound fetch, counters and work tracker. */
export interface TikTokOps { fetch?: OutboundFetch; metrics?: Metrics; work?: WorkTracker }

/**
 * Shop linking and syncing, when the operator configured a TikTok app: the client, the sealed
 * tokens, the sync (every SYNC_MINUTES in the background, one shop at a time, and before /rate
 * or a summary when a chat's data is older than that), and the callback page. What it tells
 * people goes through `notices`, given here, so nothing is attached after construction.
 */
export function startTikTok(config: Config, store: Store, logger: Logger, notices: LinkNotices, clock: () => number = () => Date.now(), ops: TikTokOps = {}) {
  const settings = linkingSettings(config);
  if (!settings) return null;
  const metrics = ops.metrics ?? new Metrics();
  const work = ops.work ?? new WorkTracker();
  const client = new TikTokClient(settings.app, {
    now: () => clock() / 1000, ...(ops.fetch ? { fetch: ops.fetch } : {}),
    onRateLimited: (seconds) => {
      metrics.rateLimited.inc({ api: 'tiktok' });
      metrics.rateLimitedSeconds.inc({ api: 'tiktok' }, seconds);
    },
  });
  const crypto = new TokenCrypto(settings.encryptionKey, settings.previousEncryptionKey);
  const instance = `sync-${randomUUID()}`;
  const sync = new ShopSync({
    store, client, crypto, clock, logger, instance,
    onPage: () => metrics.syncPages.inc(),
    stopping: () => work.isStopping,
    reportBroken: async (chatId, shopName, error) => {
      const chat = await store.chats.find(chatId);
      if (chat) await notices.linkBroken(chatId, translator(chat.locale), shopName, `${error.kind} ${error.code}`);
    },
  });
  const linking = new Linking({ store, client, crypto, clock, options: { serviceId: settings.serviceId, authorizeUrl: settings.authorizeUrl } });
  const intervalMs = settings.syncMinutes * 60_000;
  const staleBefore = () => new Date(clock() - intervalMs).toISOString();
  let timer: NodeJS.Timeout | null = null;
  // Syncs run one after another on this instance (the lease keeps other instances off the same shop).
  let syncing: Promise<void> = Promise.resolve();
  const enqueue = (shops: () => Promise<number[]>): Promise<void> => {
    syncing = syncing.then(async () => {
      for (const id of await shops()) {
        if (work.isStopping) return;
        try {
          const result = await work.track('sync', `shop ${id}`, () => sync.sync(id));
          if (!result.ok && result.reason === 'failed') metrics.syncErrors.inc({ kind: result.error.split(' ')[0] ?? 'other' });
        } catch (error) {
          // One shop's failure (a token sealed with a key no longer configured, the database) does not stop the others.
          metrics.syncErrors.inc({ kind: 'internal' });
          logger.error({ event: 'shop_sync_error', shop: id, err: logError(error) }, 'sync failed');
        }
      }
    }).catch((error: unknown) => logger.error({ event: 'shop_sync_error', err: logError(error) }, 'sync failed'));
    return syncing;
  };
  const botDeps: LinkingDeps = {
    linking,
    hasCallback: settings.publicUrl !== null,
    syncSoon: (shopId: number) => void enqueue(() => Promise.resolve([shopId])),
    refreshChat: (chatId: string) => enqueue(() => store.shops.due(staleBefore(), chatId)),
  };
  return {
    botDeps,
    callback: settings.publicUrl === null ? undefined : async (code: string, state: string) => {
      const result = await linking.complete(code, { state });
      const both = (key: string) => [translator('en').t(key), translator('zh').t(key)];
      if (!result.ok) return { ok: false, lines: both(result.reason === 'invalid-state' ? 'link-page-invalid' : 'link-page-failed') };
      const chat = await store.chats.find(result.chatId);
      await notices.offerShops(result.userId, translator(chat?.locale ?? 'en'), result);
      return { ok: true, lines: both('link-page-done') };
    },
    startBackgroundSync() {
      const all = () => enqueue(() => store.shops.due(staleBefore()));
      timer = setInterval(() => void all(), intervalMs);
      timer.unref();
      void all();
    },
    /**
     * After TOKEN_ENCRYPTION_KEY was rotated (the old one in TOKEN_ENCRYPTION_KEY_PREVIOUS):
     * seals every shop's tokens with the current key, so the previous one can then be removed.
     */
    async resealTokens(): Promise<number> {
      let resealed = 0;
      for (const id of await store.shops.withTokens()) {
        const shop = await store.shops.find(id);
        if (!shop || (crypto.isCurrent(shop.accessToken) && crypto.isCurrent(shop.refreshToken))) continue;
        await store.shops.saveTokens(id, {
          accessToken: crypto.encrypt(crypto.decrypt(shop.accessToken)), refreshToken: crypto.encrypt(crypto.decrypt(shop.refreshToken)),
          accessExpiresAt: shop.accessExpiresAt, refreshExpiresAt: shop.refreshExpiresAt,
        });
        resealed++;
      }
      if (resealed > 0) logger.info({ event: 'tokens_resealed', shops: resealed }, 'shop tokens sealed with the current key');
      return resealed;
    },
    /** Resolves when the syncs queued so far have finished. */
    idle: () => syncing,
    async stop() {
      if (timer) clearInterval(timer);
      await syncing;
    },
  };
}
