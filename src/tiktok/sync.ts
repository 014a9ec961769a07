import type { Logger } from '../logger.js';
import type { LinkedShop } from '../store/shops.js';
import type { Store } from '../store/store.js';
import { TikTokError, type TikTokClient, type TokenSet } from './client.js';
import { orderFromApi } from './map-order.js';
import type { TokenCrypto } from './token-crypto.js';

/** The first sync of a shop fetches this much history. */
export const BACKFILL_DAYS = 30;
/** Each later sync starts this far before the cursor, so orders updated in the same second are not missed. */
export const OVERLAP_SECONDS = 600;
/** Orders are searched in windows of update time this long, oldest first. */
const SLICE_SECONDS = 3 * 86_400;
/** Tokens are refreshed when they have less than this left. */
const REFRESH_AHEAD_SECONDS = 86_400;
const DEFAULT_LEASE_MS = 10 * 60_000;

export interface SyncDeps {
  store: Store;
  client: TikTokClient;
  crypto: TokenCrypto;
  clock: () => number;
  logger: Logger;
  /** This process's name in sync leases. */
  instance: string;
  leaseMs?: number;
  /** Tells a chat's admins that linking broke (bad signature, lost scope, revoked tokens); called once per new error. */
  reportBroken?: (chatId: string, shopName: string, error: TikTokError) => Promise<void>;
  /** Told of each page stored (for /metrics). */
  onPage?: () => void;
  /** True when the process is stopping: the sync ends after the page it is storing (the cursor keeps its place). */
  stopping?: () => boolean;
}

/** Synced (with how much), or not: another instance holds the shop (`busy`), or the sync failed with `error`. */
export type SyncResult = { ok: true; orders: number; pages: number } | { ok: false; reason: 'busy' } | { ok: false; reason: 'failed'; error: string };

/**
 * Brings one linked shop's orders up to date: backfill on the first run, then incremental from
 * the stored cursor (update time), page by page, each page stored with the cursor in one
 * transaction. A lease in the database keeps two instances from syncing one shop at once.
 */
export class ShopSync {
  constructor(private readonly deps: SyncDeps) {}

  async sync(shopId: number): Promise<SyncResult> {
    const { store, instance } = this.deps;
    const now = this.deps.clock();
    const leased = await store.shops.acquireLease(shopId, instance, new Date(now).toISOString(), new Date(now + (this.deps.leaseMs ?? DEFAULT_LEASE_MS)).toISOString());
    if (!leased) return { ok: false, reason: 'busy' };
    try {
      const shop = await store.shops.find(shopId);
      if (!shop) return { ok: false, reason: 'failed', error: 'not linked' };
      const chat = await store.chats.find(shop.chatId);
      const result = await this.run(shop, chat?.timeZone ?? 'UTC');
      await store.shops.finishSync(shopId, new Date(this.deps.clock()).toISOString(), null);
      this.deps.logger.info({ event: 'shop_synced', shop: shopId, ...result }, 'shop synced');
      return { ok: true, ...result };
    } catch (error) {
      if (!(error instanceof TikTokError)) throw error;
      const shop = await store.shops.find(shopId);
      const message = `${error.kind} ${error.code}`;
      if (shop && shop.lastError !== message && ['sign', 'scope', 'auth'].includes(error.kind)) await this.deps.reportBroken?.(shop.chatId, shop.name, error);
      await store.shops.finishSync(shopId, new Date(this.deps.clock()).toISOString(), message);
      this.deps.logger.warn({ event: 'shop_sync_failed', shop: shopId, kind: error.kind, code: error.code }, 'shop sync failed');
      return { ok: false, reason: 'failed', error: message };
    } finally {
      await store.shops.releaseLease(shopId, instance);
    }
  }

  private async run(shop: LinkedShop, timeZone: string): Promise<{ orders: number; pages: number }> {
    const nowSeconds = Math.floor(this.deps.clock() / 1000);
    let tokens = { access: this.deps.crypto.decrypt(shop.accessToken), refresh: this.deps.crypto.decrypt(shop.refreshToken) };
    const refresh = async () => {
      const fresh = await this.deps.client.refreshAccessToken(tokens.refresh);
      await this.deps.store.shops.saveTokens(shop.id, this.seal(fresh));
      tokens = { access: fresh.access_token, refresh: fresh.refresh_token };
    };
    if (shop.accessExpiresAt - nowSeconds < REFRESH_AHEAD_SECONDS) await refresh();

    let refreshed = false;
    let orders = 0;
    let pages = 0;
    const from = shop.cursor === null ? nowSeconds - BACKFILL_DAYS * 86_400 : shop.cursor - OVERLAP_SECONDS;
    for (let start = from; start < nowSeconds; start += SLICE_SECONDS) {
      const end = Math.min(start + SLICE_SECONDS, nowSeconds);
      let pageToken: string | undefined;
      for (;;) {
        let page;
        try {
          page = await this.deps.client.searchOrders(tokens.access, shop.cipher, { updateTimeGe: start, updateTimeLt: end }, pageToken);
        } catch (error) {
          // An access token can expire between checks: refresh it and try the page once more.
          if (!(error instanceof TikTokError) || error.kind !== 'token-expired' || refreshed) throw error;
          refreshed = true;
          await refresh();
          continue;
        }
        pages++;
        orders += page.orders.length;
        const newest = page.orders.reduce((max, o) => Math.max(max, o.update_time), start);
        const cursor = page.nextPageToken ? Math.min(newest, end) : end;
        await this.deps.store.saveSyncPage(shop.id, page.orders.map((o) => orderFromApi(o, timeZone)), cursor);
        this.deps.onPage?.();
        if (this.deps.stopping?.()) return { orders, pages };
        if (!page.nextPageToken) break;
        pageToken = page.nextPageToken;
      }
    }
    return { orders, pages };
  }

  seal(tokens: TokenSet) {
    return {
      accessToken: this.deps.crypto.encrypt(tokens.access_token), refreshToken: this.deps.crypto.encrypt(tokens.refresh_token),
      accessExpiresAt: tokens.access_token_expire_in, refreshExpiresAt: tokens.refresh_token_expire_in,
    };
  }
}
