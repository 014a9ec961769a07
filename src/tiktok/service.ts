import { randomUUID } from 'node:crypto';
import { linkingSettings, type Config } from '../config.js';
import { translator } from '../i18n.js';
import { logError, type Logger } from '../logger.js';
import type { OutboundFetch } from '../net/outbound.js';
import { Metrics } from '../ops/metrics.js';
import { WorkTracker } from '../ops/work.js';
import type { ShopLag } from '../core/render/sync-lag.js';
import { TOKENS_UNREADABLE } from '../store/shops.js';
import type { Store } from '../store/store.js';
import type { LinkingDeps, LinkNotices } from '../use-cases/shop-linking.js';
import { TikTokClient } from './client.js';
import { Linking } from './linking.js';
import { realTimers, SyncPool, type Timers } from './sync-pool.js';
import { ShopSync } from './sync.js';
import { TokenCrypto } from './token-crypto.js';

/** What the running process lends the TikTok side: its outbound fetch, counters and work tracker; tests lend timers. */
export interface TikTokOps { fetch?: OutboundFetch; metrics?: Metrics; work?: WorkTracker; timers?: Timers }

/**
 * How long one sync may run: a background one (a long backfill goes on next round from its
 * cursor), and one a reply started (what it leaves goes on in the background). Both are well
 * under the sync lease (10 minutes), which each page renews.
 */
export const SYNC_DEADLINE_MS = { background: 5 * 60_000, reply: 60_000 } as const;
/** Syncs at once: a few in the background, and more for replies, which wait for nothing else. */
export const SYNC_SLOTS = { background: 2, reply: 8 } as const;

/** Errors only a new /link mends: tokens no configured key opens, or TikTok refusing the bot's access. */
const needsRelink = (lastError: string | null) => lastError !== null && (lastError === TOKENS_UNREADABLE || /^(sign|scope|auth) /.test(lastError));

/**
 * Shop linking and syncing, when the operator configured a TikTok app: the client, the sealed
 * tokens, the syncs (each shop on its own, with a deadline: every SYNC_MINUTES in the background,
 * and before /rate or a summary when a chat's data is older than that, waited for at most
 * SYNC_WAIT_SECONDS), and the callback page. What it tells people goes through `notices`,
 * given here, so nothing is attached after construction.
 */
export function startTikTok(config: Config, store: Store, logger: Logger, notices: LinkNotices, clock: () => number = () => Date.now(), ops: TikTokOps = {}) {
  const settings = linkingSettings(config);
  if (!settings) return null;
  const metrics = ops.metrics ?? new Metrics();
  const work = ops.work ?? new WorkTracker();
  const timers = ops.timers ?? realTimers;
  const client = new TikTokClient(settings.app, {
    now: () => clock() / 1000, ...(ops.fetch ? { fetch: ops.fetch } : {}),
    onRateLimited: (seconds) => {
      metrics.rateLimited.inc({ api: 'tiktok' });
      metrics.rateLimitedSeconds.inc({ api: 'tiktok' }, seconds);
    },
  });
  const crypto = new TokenCrypto(settings.encryptionKey, settings.previousEncryptionKey);
  const instance = `sync-${randomUUID()}`;
  // A notice that cannot be sent (the bot left the group) is logged; it never stops a sync or a start.
  const tell = async (chatId: string, send: (tr: ReturnType<typeof translator>) => Promise<void>) => {
    try {
      const chat = await store.chats.find(chatId);
      if (chat) await send(translator(chat.locale));
    } catch (error) {
      logger.warn({ event: 'link_notice_failed', chat: chatId, err: logError(error) }, 'could not tell the chat about its shop');
    }
  };
  const tellUnreadable = (chatId: string, shopName: string) => tell(chatId, (tr) =>
    notices.linkUnreadable ? notices.linkUnreadable(chatId, tr, shopName) : notices.linkBroken(chatId, tr, shopName, TOKENS_UNREADABLE));
  const sync = new ShopSync({
    store, client, crypto, clock, logger, instance,
    onPage: () => metrics.syncPages.inc(),
    stopping: () => work.isStopping,
    reportBroken: (chatId, shopName, error) => tell(chatId, (tr) => notices.linkBroken(chatId, tr, shopName, `${error.kind} ${error.code}`)),
    reportUnreadable: tellUnreadable,
  });
  const pool = new SyncPool({
    // Once a stop began, nothing new starts (a sync asked for meanwhile simply does not run).
    run: (shopId, signal) => (work.isStopping ? Promise.resolve({ ok: false, reason: 'aborted' } as const)
      : work.track('sync', `shop ${shopId}`, () => sync.sync(shopId, { signal }))),
    slots: SYNC_SLOTS, deadlineMs: SYNC_DEADLINE_MS, timers, clock,
    onDone: (shopId, outcome) => {
      if ('result' in outcome) {
        const { result } = outcome;
        if (!result.ok && result.reason === 'failed') metrics.syncErrors.inc({ kind: result.error.split(' ')[0] ?? 'other' });
        if (!result.ok && result.reason === 'unreadable') metrics.syncErrors.inc({ kind: 'unreadable' });
        return;
      }
      // One shop's failure (the database) does not stop the others.
      metrics.syncErrors.inc({ kind: 'internal' });
      logger.error({ event: 'shop_sync_error', shop: shopId, err: logError(outcome.error) }, 'sync failed');
    },
  });
  const linking = new Linking({ store, client, crypto, clock, options: { serviceId: settings.serviceId, authorizeUrl: settings.authorizeUrl } });
  const intervalMs = settings.syncMinutes * 60_000;
  const waitMs = settings.syncWaitSeconds * 1000;
  const staleBefore = () => new Date(clock() - intervalMs).toISOString();
  let timer: NodeJS.Timeout | null = null;

  /** Resolves when `work` does, or after `ms`, whichever comes first. */
  const atMost = async (work: Promise<unknown>, ms: number) => {
    let cancel = () => undefined as void;
    const waited = new Promise<void>((resolve) => { cancel = timers.after(ms, resolve); });
    try {
      await Promise.race([work, waited]);
    } finally {
      cancel();
    }
  };
  /** The chat's linked shops whose stored orders may be behind: not synced within the interval, or no longer syncing. */
  const lagOf = async (chatId: string): Promise<ShopLag[]> => {
    const stale = staleBefore();
    return (await store.shops.linkedStates(chatId))
      .filter((s) => needsRelink(s.lastError) || s.lastSyncAt === null || s.lastSyncAt < stale)
      .map((s) => ({ shop: s.name, lastSyncAt: s.lastSyncAt, relink: needsRelink(s.lastError) }));
  };
  const round = async () => {
    try {
      // Unfinished authorizations hold a seller's tokens: they go once expired, whoever started them.
      await store.linkStates.deleteExpired(new Date(clock()).toISOString());
      for (const id of await store.shops.due(staleBefore())) void pool.request(id, 'background');
    } catch (error) {
      logger.error({ event: 'shop_sync_error', err: logError(error) }, 'sync round failed');
    }
  };

  const botDeps: LinkingDeps = {
    linking,
    hasCallback: settings.publicUrl !== null,
    syncSoon: (shopId: number) => void pool.request(shopId, 'background'),
    async refreshChat(chatId: string): Promise<ShopLag[]> {
      const due = await store.shops.due(staleBefore(), chatId);
      if (due.length > 0) await atMost(Promise.all(due.map((id) => pool.request(id, 'reply'))), waitMs);
      return lagOf(chatId);
    },
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
      timer = setInterval(() => void round(), intervalMs);
      timer.unref();
      void round();
    },
    /**
     * At start, and after TOKEN_ENCRYPTION_KEY was rotated (the old one in
     * TOKEN_ENCRYPTION_KEY_PREVIOUS): seals every stored token with the current key (shops, and
     * authorizations in progress), so the previous key can then be removed. A shop neither key
     * opens is marked as needing /link again and its chat is told once; the start goes on.
     */
    async resealTokens(): Promise<number> {
      await store.linkStates.deleteExpired(new Date(clock()).toISOString());
      let resealed = 0;
      let unreadable = 0;
      for (const id of await store.shops.withTokens()) {
        const shop = await store.shops.find(id);
        if (!shop) continue;
        let opened: { access: string; refresh: string };
        try {
          opened = { access: crypto.decrypt(shop.accessToken), refresh: crypto.decrypt(shop.refreshToken) };
        } catch {
          unreadable++;
          if (await store.shops.markTokensUnreadable(id)) await tellUnreadable(shop.chatId, shop.name);
          logger.error({ event: 'shop_tokens_unreadable', shop: id, chat: shop.chatId }, 'shop tokens cannot be unsealed with the configured keys; the shop must be linked again');
          continue;
        }
        // The key that sealed them is configured again: the shop syncs as before.
        if (shop.lastError === TOKENS_UNREADABLE) await store.shops.clearTokensUnreadable(id);
        if (crypto.isCurrent(shop.accessToken) && crypto.isCurrent(shop.refreshToken)) continue;
        await store.shops.saveTokens(id, {
          accessToken: crypto.encrypt(opened.access), refreshToken: crypto.encrypt(opened.refresh),
          accessExpiresAt: shop.accessExpiresAt, refreshExpiresAt: shop.refreshExpiresAt,
        });
        resealed++;
      }
      for (const session of await store.linkStates.sealed()) {
        if (crypto.isCurrent(session.tokens)) continue;
        try {
          await store.linkStates.reseal(session.state, crypto.encrypt(crypto.decrypt(session.tokens)));
          resealed++;
        } catch {
          // An authorization in progress that no key opens is useless: the admin uses /link again.
          await store.linkStates.endSession(session.state);
        }
      }
      if (resealed > 0) logger.info({ event: 'tokens_resealed', values: resealed }, 'stored tokens sealed with the current key');
      if (unreadable > 0) logger.warn({ event: 'tokens_unreadable', shops: unreadable }, 'some shops must be linked again: their tokens were sealed with a key no longer configured');
      return resealed;
    },
    /** Resolves when the syncs under way or waiting have finished. */
    idle: () => pool.idle(),
    async stop() {
      if (timer) clearInterval(timer);
      await pool.stop();
    },
  };
}
