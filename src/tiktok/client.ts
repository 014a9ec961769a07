import { setTimeout as sleepFor } from 'node:timers/promises';
import { z } from 'zod';
import { signRequest } from './sign.js';

export interface TikTokAppSettings {
  appKey: string;
  appSecret: string;
  /** Partner API host, e.g. https://open-api.tiktokglobalshop.com */
  apiBase: string;
  /** Token host, e.g. https://auth.tiktok-shops.com */
  authBase: string;
}

/** What kind of failure an API answer was, which decides what the caller does next. */
export type TikTokErrorKind = 'token-expired' | 'auth' | 'sign' | 'scope' | 'rate-limited' | 'transient' | 'bad-request' | 'other';

export class TikTokError extends Error {
  /** For a rate limit: how long TikTok asked us to wait (`retry-after`, seconds), when it said. */
  retryAfterSeconds: number | null = null;

  constructor(readonly kind: TikTokErrorKind, readonly code: number, message: string, readonly requestId?: string) {
    super(`TikTok API ${code}: ${message}`);
    this.name = 'TikTokError';
  }
}

/** Error codes of the Partner API (see the project's TikTok Shop reference). */
export function kindOf(code: number, message: string, httpStatus: number): TikTokErrorKind {
  if (code === 105002) return 'token-expired';
  if (code === 106001) return 'sign';
  if (/scope|permission/i.test(message)) return 'scope';
  if ([105001, 105003, 105004, 105005].includes(code)) return 'auth';
  if (code === 36009002 || httpStatus === 429) return 'rate-limited';
  if (code === 36009003 || code === 36009007 || httpStatus >= 500) return 'transient';
  if (code === 36009004 || code === 106013) return 'bad-request';
  return 'other';
}

const Envelope = z.object({ code: z.number(), message: z.string().default(''), request_id: z.string().optional(), data: z.unknown().optional() });

export const TokenSet = z.object({
  access_token: z.string(),
  access_token_expire_in: z.number(),
  refresh_token: z.string(),
  refresh_token_expire_in: z.number(),
  open_id: z.string().optional(),
  seller_name: z.string().optional(),
  seller_base_region: z.string().optional(),
  granted_scopes: z.array(z.string()).optional(),
});
export type TokenSet = z.infer<typeof TokenSet>;

const Shops = z.object({ shops: z.array(z.object({ cipher: z.string(), id: z.string(), name: z.string(), region: z.string().optional(), seller_type: z.string().optional() })).default([]) });
export type AuthorizedShop = z.infer<typeof Shops>['shops'][number];

const LineItem = z.object({
  id: z.string().optional(), sku_id: z.string().optional(), seller_sku: z.string().optional(), sale_price: z.string().optional(),
  product_name: z.string().optional(), sku_name: z.string().optional(),
  cancel_reason: z.string().optional(), cancel_user: z.string().optional(), display_status: z.string().optional(),
});
export const ApiOrder = z.object({
  id: z.string(),
  status: z.string(),
  create_time: z.number(),
  update_time: z.number(),
  paid_time: z.number().optional(),
  cancel_reason: z.string().optional(),
  cancellation_initiator: z.string().optional(),
  cancel_time: z.number().optional(),
  fulfillment_type: z.string().optional(),
  is_sample_order: z.boolean().optional(),
  is_cod: z.boolean().optional(),
  payment_method_name: z.string().optional(),
  payment: z.object({ currency: z.string().optional(), total_amount: z.string().optional(), payment_method_name: z.string().optional() }).optional(),
  line_items: z.array(LineItem).default([]),
});
export type ApiOrder = z.infer<typeof ApiOrder>;
const OrderPage = z.object({ orders: z.array(ApiOrder).default([]), next_page_token: z.string().optional().default(''), total_count: z.number().optional() });

export interface ClientDeps {
  /** Seconds since the epoch, for request timestamps. */
  now: () => number;
  /** Waits between retries, ended early by `signal`; tests pass one that returns at once and records the delays. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  maxAttempts?: number;
  /** The process's outbound fetch (proxies applied); the global one when absent. */
  fetch?: typeof fetch;
  /** Told of each rate-limit answer waited out, with the wait in seconds (for /metrics). */
  onRateLimited?: (seconds: number) => void;
  /** The longest `retry-after` waited out within a call (default MAX_RETRY_AFTER_SECONDS). */
  maxRetryAfterSeconds?: number;
}

/** Per call: `signal` ends the request, its body and any wait between retries (a sync's deadline, a stop). */
export interface CallOptions { signal?: AbortSignal | undefined }

const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;
/**
 * A `retry-after` longer than this is not waited out inside a call: the call fails as
 * rate-limited (with the wait asked for), so a sync gives up this round instead of holding its
 * shop, and its lease, for as long as TikTok likes.
 */
export const MAX_RETRY_AFTER_SECONDS = 60;

const abortable = (ms: number, signal?: AbortSignal) => sleepFor(ms, undefined, signal ? { signal } : {});

/**
 * The Partner API calls cancelwatch makes. Every open-api request is signed (a fresh timestamp
 * and signature on every retry), answers are checked for `code` as well as HTTP status and
 * validated with zod (unknown fields tolerated). Rate limits are waited out (`retry-after` when
 * given, up to a cap, else exponential backoff with jitter); transient errors are retried; an
 * expired token is reported as such so the caller can refresh it and try once more. Every call
 * takes an abort signal that ends its request and its waits.
 */
export class TikTokClient {
  private readonly fetch: typeof fetch;

  constructor(private readonly app: TikTokAppSettings, private readonly deps: ClientDeps) {
    this.fetch = deps.fetch ?? fetch;
  }

  getAccessToken(authCode: string, options: CallOptions = {}): Promise<TokenSet> {
    return this.auth('/api/v2/token/get', { auth_code: authCode, grant_type: 'authorized_code' }, options);
  }

  refreshAccessToken(refreshToken: string, options: CallOptions = {}): Promise<TokenSet> {
    return this.auth('/api/v2/token/refresh', { refresh_token: refreshToken, grant_type: 'refresh_token' }, options);
  }

  async authorizedShops(accessToken: string, options: CallOptions = {}): Promise<AuthorizedShop[]> {
    const data = await this.call('GET', '/authorization/202309/shops', {}, accessToken, null, options);
    return Shops.parse(data).shops;
  }

  /** One page of orders updated in [updateTimeGe, updateTimeLt), oldest update first. */
  async searchOrders(accessToken: string, shopCipher: string, window: { updateTimeGe: number; updateTimeLt: number }, pageToken?: string, options: CallOptions = {}): Promise<{ orders: ApiOrder[]; nextPageToken: string | null }> {
    const query: Record<string, string> = { shop_cipher: shopCipher, page_size: '100', sort_field: 'update_time', sort_order: 'ASC' };
    if (pageToken) query['page_token'] = pageToken;
    const data = await this.call('POST', '/order/202309/orders/search', query, accessToken, { update_time_ge: window.updateTimeGe, update_time_lt: window.updateTimeLt }, options);
    const page = OrderPage.parse(data);
    return { orders: page.orders, nextPageToken: page.next_page_token || null };
  }

  private async auth(path: string, params: Record<string, string>, { signal }: CallOptions): Promise<TokenSet> {
    const query = new URLSearchParams({ app_key: this.app.appKey, app_secret: this.app.appSecret, ...params });
    const data = await this.retrying(() => this.fetch(`${this.app.authBase}${path}?${query}`, signal ? { signal } : {}), signal);
    return TokenSet.parse(data);
  }

  private call(method: 'GET' | 'POST', path: string, params: Record<string, string>, accessToken: string, body: unknown, { signal }: CallOptions): Promise<unknown> {
    // Serialised once: the signature covers exactly the bytes sent.
    const payload = body === null ? '' : JSON.stringify(body);
    return this.retrying(() => {
      const query: Record<string, string> = { app_key: this.app.appKey, timestamp: String(Math.floor(this.deps.now())), ...params };
      query['sign'] = signRequest(this.app.appSecret, path, query, payload);
      return this.fetch(`${this.app.apiBase}${path}?${new URLSearchParams(query)}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-tts-access-token': accessToken },
        ...(method === 'POST' ? { body: payload } : {}),
        ...(signal ? { signal } : {}),
      });
    }, signal);
  }

  private async retrying(request: () => Promise<Response>, signal: AbortSignal | undefined): Promise<unknown> {
    const attempts = this.deps.maxAttempts ?? 6;
    const sleep = this.deps.sleep ?? abortable;
    const maxRetryAfter = this.deps.maxRetryAfterSeconds ?? MAX_RETRY_AFTER_SECONDS;
    for (let attempt = 1; ; attempt++) {
      const response = await request();
      let parsed: z.infer<typeof Envelope> | null = null;
      try {
        parsed = Envelope.parse(await response.json());
      } catch {
        parsed = null;
      }
      // A body cut off by the signal is the abort, not an answer without an envelope.
      signal?.throwIfAborted();
      if (response.ok && parsed?.code === 0) return parsed.data;
      const code = parsed?.code ?? response.status;
      const kind = kindOf(code, parsed?.message ?? '', response.status);
      const error = new TikTokError(kind, code, parsed?.message ?? `HTTP ${response.status}`, parsed?.request_id);
      const retryAfter = Number(response.headers.get('retry-after'));
      const asked = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null;
      if (kind === 'rate-limited') error.retryAfterSeconds = asked;
      if ((kind !== 'rate-limited' && kind !== 'transient') || attempt >= attempts) throw error;
      if (asked !== null && asked > maxRetryAfter) throw error;
      const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1)) * (0.5 + (this.deps.random ?? Math.random)());
      const waitMs = asked !== null ? asked * 1000 : backoff;
      if (kind === 'rate-limited') this.deps.onRateLimited?.(waitMs / 1000);
      await sleep(waitMs, signal);
      signal?.throwIfAborted();
    }
  }
}
