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
/** A token refresh that hangs is given up after this long. */
const REFRESH_LIMIT_MS = 60_000;
/**
 * A sync holds its shop this long past its last page; each page renews it. A sync's deadline
 * (see SyncPool) is shorter, so a lease only runs out under an instance that stopped.
 */
export const DEFAULT_LEASE_MS = 10 * 60_000;

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
  /** Tells a chat's admins that a shop's tokens cannot be unsealed any more, so it must be linked again; called once. */
  reportUnreadable?: (chatId: string, shopName: string) => Promise<void>;
  /** Told of each page stored (for /metrics). */
  onPage?: () => void;
  /** True when the process is stopping: the sync ends after the page it is storing (the cursor keeps its place). */
  stopping?: () => boolean;
}

/**
 * Synced (with how much), or not: another instance holds the shop (`busy`), the signal ended it
 * (`aborted`: a deadline or a stop; the cursor keeps what was stored), its tokens cannot be
 * unsealed (`unreadable`), or the sync failed with `error` (and, rate-limited, TikTok's wait).
 */
export type SyncResult =
  | { ok: true; orders: number; pages: number }
  | { ok: false; reason: 'busy' | 'aborted' | 'unreadable' }
  | { ok: false; reason: 'failed'; error: string; retryAfterSeconds?: number };

/** Raised inside a sync when another instance took the shop's lease: the sync stops without writing. */
class LeaseLost extends Error {}

/**
 * Brings one linked shop's orders up to date: backfill on the first run, then incremental from
 * the stored cursor (update time), page by page, each page stored with the cursor in one
 * transaction. A lease in the database keeps two instances from syncing one shop at once.
 */
export class ShopSync {
  constructor(private readonly deps: SyncDeps) {}

  /** `signal` ends the sync between or inside its requests (its deadline, a stop). */
  async sync(shopId: number, options: { signal?: AbortSignal } = {}): Promise<SyncResult> {
    const { store, instance } = this.deps;
    const { signal } = options;
    const now = this.deps.clock();
    const leased = await store.shops.acquireLease(shopId, instance, new Date(now).toISOString(), new Date(now + this.leaseMs()).toISOString());
    if (!leased) return { ok: false, reason: 'busy' };
    try {
      const shop = await store.shops.find(shopId);
      if (!shop) return { ok: false, reason: 'failed', error: 'not linked' };
      const tokens = this.unseal(shop);
      if (!tokens) {
        if (await store.shops.markTokensUnreadable(shopId)) await this.deps.reportUnreadable?.(shop.chatId, shop.name);
        this.deps.logger.error({ event: 'shop_tokens_unreadable', shop: shopId, chat: shop.chatId }, 'shop tokens cannot be unsealed with the configured keys; the shop must be linked again');
        return { ok: false, reason: 'unreadable' };
      }
      const chat = await store.chats.find(shop.chatId);
      const result = await this.run(shop, tokens, chat?.timeZone ?? 'UTC', signal);
      if (result === 'aborted') return this.aborted(shopId);
      await store.shops.finishSync(shopId, new Date(this.deps.clock()).toISOString(), null);
      this.deps.logger.info({ event: 'shop_synced', shop: shopId, ...result }, 'shop synced');
      return { ok: true, ...result };
    } catch (error) {
      if (signal?.aborted) return this.aborted(shopId);
      if (error instanceof LeaseLost) {
        this.deps.logger.warn({ event: 'shop_lease_lost', shop: shopId }, 'another instance took the shop; this sync stops');
        return { ok: false, reason: 'busy' };
      }
      if (!(error instanceof TikTokError)) throw error;
      const shop = await store.shops.find(shopId);
      const message = `${error.kind} ${error.code}`;
      if (shop && shop.lastError !== message && ['sign', 'scope', 'auth'].includes(error.kind)) await this.deps.reportBroken?.(shop.chatId, shop.name, error);
      await store.shops.finishSync(shopId, new Date(this.deps.clock()).toISOString(), message);
      this.deps.logger.warn({ event: 'shop_sync_failed', shop: shopId, kind: error.kind, code: error.code, retryAfter: error.retryAfterSeconds ?? undefined }, 'shop sync failed');
      return { ok: false, reason: 'failed', error: message, ...(error.retryAfterSeconds !== null ? { retryAfterSeconds: error.retryAfterSeconds } : {}) };
    } finally {
      await store.shops.releaseLease(shopId, instance);
    }
  }

  private leaseMs(): number {
    return this.deps.leaseMs ?? DEFAULT_LEASE_MS;
  }

  private aborted(shopId: number): SyncResult {
    // Not an error of the shop's: last_error and last_sync_at stay, and the next round goes on from the cursor.
    this.deps.logger.info({ event: 'shop_sync_cut_short', shop: shopId }, 'shop sync cut short; it goes on next time');
    return { ok: false, reason: 'aborted' };
  }

  /** The shop's tokens in the clear, or null when neither configured key opens them. */
  private unseal(shop: LinkedShop): { access: string; refresh: string } | null {
    try {
      return { access: this.deps.crypto.decrypt(shop.accessToken), refresh: this.deps.crypto.decrypt(shop.refreshToken) };
    } catch {
      return null;
    }
  }

  private async run(shop: LinkedShop, opened: { access: string; refresh: string }, timeZone: string, signal: AbortSignal | undefined): Promise<{ orders: number; pages: number } | 'aborted'> {
    const nowSeconds = Math.floor(this.deps.clock() / 1000);
    let tokens = opened;
    const call = { signal };
    const refresh = async () => {
      // Not cut by the sync's deadline: TikTok may have rotated the tokens already, and an answer dropped halfway would lose them.
      const fresh = await this.deps.client.refreshAccessToken(tokens.refresh, { signal: AbortSignal.timeout(REFRESH_LIMIT_MS) });
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
        if (signal?.aborted) return 'aborted';
        try {
          page = await this.deps.client.searchOrders(tokens.access, shop.cipher, { updateTimeGe: start, updateTimeLt: end }, pageToken, call);
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
        // Renewed before each write: a backfill longer than the lease keeps the shop, and a sync
        // whose lease another instance took writes nothing more.
        const until = new Date(this.deps.clock() + this.leaseMs()).toISOString();
        if (!(await this.deps.store.shops.renewLease(shop.id, this.deps.instance, until))) throw new LeaseLost();
        await this.deps.store.saveSyncPage(shop.id, page.orders.map((o) => orderFromApi(o, timeZone)), cursor);
        this.deps.onPage?.();
        // A stop ends the sync as cut short, not done: the shop stays due and the next start goes on from the cursor.
        if (this.deps.stopping?.()) return 'aborted';
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
