import { randomUUID } from 'node:crypto';
import { linkingSettings, type Config } from '../config.js';
import { translator } from '../i18n.js';
import { logError, type Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import type { LinkingDeps, LinkNotices } from '../use-cases/shop-linking.js';
import { TikTokClient } from './client.js';
import { Linking } from './linking.js';
import { ShopSync } from './sync.js';
import { TokenCrypto } from './token-crypto.js';

/**
 * Shop linking and syncing, when the operator configured a TikTok app: the client, the sealed
 * tokens, the sync (every SYNC_MINUTES in the background, one shop at a time, and before /rate
 * or a summary when a chat's data is older than that), and the callback page. What it tells
 * people goes through `notices`, given here, so nothing is attached after construction.
 */
export function startTikTok(config: Config, store: Store, logger: Logger, notices: LinkNotices, clock: () => number = () => Date.now()) {
  const settings = linkingSettings(config);
  if (!settings) return null;
  const client = new TikTokClient(settings.app, { now: () => clock() / 1000 });
  const crypto = new TokenCrypto(settings.encryptionKey);
  const instance = `sync-${randomUUID()}`;
  const sync = new ShopSync({
    store, client, crypto, clock, logger, instance,
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
      for (const id of await shops()) await sync.sync(id);
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
    /** Resolves when the syncs queued so far have finished. */
    idle: () => syncing,
    async stop() {
      if (timer) clearInterval(timer);
      await syncing;
    },
  };
}
