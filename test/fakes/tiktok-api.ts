import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiOrder } from '../../src/tiktok/client.js';
import { signRequest } from '../../src/tiktok/sign.js';

/**
 * A fake TikTok Shop Partner API (and its token host) on 127.0.0.1 that behaves like the real
 * one where cancelwatch depends on it: it checks every signature (106001) and timestamp
 * (36009004), expires access tokens (105002), pages with tokens holding `/` and `+`, answers
 * bursts of 429, and serves orders of every cancellation shape.
 */
export class FakeTikTok {
  readonly requests: Array<{ path: string; query: Record<string, string>; body: string; status: number; code: number }> = [];
  orders: ApiOrder[] = [];
  readonly shops = [{ id: '7000001', cipher: 'ROW_cipher+/1', name: 'Sunny Mugs US', region: 'US', seller_type: 'CROSS_BORDER' }];
  private readonly server: Server;
  private readonly codes = new Map<string, { access: string; refresh: string }>();
  private readonly access = new Map<string, number>();
  private readonly refresh = new Set<string>();
  private throttle = 0;
  private throttleDelay = -1;
  private throttleLater = 0;
  private retryAfter = '1';
  private readonly holds: Array<{ cipher: string | undefined; taken: boolean; arrived: () => void; abandoned: () => void; released: Promise<void>; release: () => void }> = [];
  /** Milliseconds since the epoch, for request timestamps and token expiry: the test's clock when it has one. */
  private readonly now: () => number;

  constructor(readonly appKey: string, readonly appSecret: string, options: { now?: () => number } = {}) {
    this.now = options.now ?? (() => Date.now());
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** Starts listening (once) and returns the base URL for both API hosts. */
  async listen(): Promise<string> {
    if (!this.server.listening) await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this.url();
  }

  url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const hold of this.holds.splice(0)) hold.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** An authorization code as the consent page would hand out (single use). */
  issueCode(): string {
    const code = `code-${randomBytes(6).toString('hex')}`;
    this.codes.set(code, { access: `at-${randomBytes(8).toString('hex')}`, refresh: `rt-${randomBytes(8).toString('hex')}` });
    return code;
  }

  /** Every access token handed out so far stops working (105002) until refreshed. */
  expireAccessTokens(): void {
    for (const token of this.access.keys()) this.access.set(token, 0);
  }

  /** The next `n` order searches get HTTP 429 (code 36009002) with `retry-after` (seconds). */
  throttleNext(n: number, retryAfter = 1): void {
    this.throttle = n;
    this.retryAfter = String(retryAfter);
  }

  /**
   * The next order search (of the shop `cipher`, when given) hangs, as TikTok sometimes does,
   * until `release()`: `arrived` resolves when it came, `abandoned` when the client gave up on
   * it and closed the connection.
   */
  holdNextSearch(cipher?: string): { arrived: Promise<void>; abandoned: Promise<void>; release: () => void } {
    let arrived = () => undefined as void;
    let abandoned = () => undefined as void;
    let release = () => undefined as void;
    const arrivedP = new Promise<void>((resolve) => { arrived = resolve; });
    const abandonedP = new Promise<void>((resolve) => { abandoned = resolve; });
    const released = new Promise<void>((resolve) => { release = resolve; });
    this.holds.push({ cipher, taken: false, arrived, abandoned, released, release });
    return { arrived: arrivedP, abandoned: abandonedP, release };
  }

  /** After `searches` more successful searches, the following `n` get 429. */
  throttleAfter(searches: number, n: number): void {
    this.throttleDelay = searches;
    this.throttleLater = n;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const answer = (code: number, data: unknown, message = code === 0 ? 'Success' : 'error', status = 200, headers: Record<string, string> = {}) => {
      this.requests.push({ path: url.pathname, query, body: body.toString('utf8'), status, code });
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ code, message, request_id: randomBytes(4).toString('hex'), data }));
    };
    if (url.pathname === '/api/v2/token/get' || url.pathname === '/api/v2/token/refresh') return this.token(url.pathname, query, answer);
    if (query['app_key'] !== this.appKey) return answer(105001, null, 'invalid app_key');
    if (Math.abs(this.now() / 1000 - Number(query['timestamp'])) > 300) return answer(36009004, null, 'timestamp expired');
    if (query['sign'] !== signRequest(this.appSecret, url.pathname, query, body)) return answer(106001, null, 'invalid sign');
    const token = String(req.headers['x-tts-access-token'] ?? '');
    const expires = this.access.get(token);
    if (expires === undefined) return answer(105001, null, 'invalid access token');
    if (expires < this.now() / 1000) return answer(105002, null, 'access token expired');
    if (url.pathname === '/authorization/202309/shops') return answer(0, { shops: this.shops });
    if (url.pathname === '/order/202309/orders/search') {
      const hold = this.holds.find((h) => !h.taken && (h.cipher === undefined || h.cipher === query['shop_cipher']));
      if (hold) {
        hold.taken = true;
        res.once('close', () => { if (!res.writableEnded) hold.abandoned(); });
        hold.arrived();
        await hold.released;
        this.holds.splice(this.holds.indexOf(hold), 1);
        if (res.destroyed) return;
      }
      if (this.throttleDelay === 0) {
        this.throttle = this.throttleLater;
        this.throttleDelay = -1;
      } else if (this.throttleDelay > 0) {
        this.throttleDelay--;
      }
      if (this.throttle > 0) {
        this.throttle--;
        return answer(36009002, null, 'too many requests', 429, { 'retry-after': this.retryAfter });
      }
      if (!this.shops.some((shop) => shop.cipher === query['shop_cipher'])) return answer(106013, null, 'shop_cipher missing or wrong');
      const filter = JSON.parse(body.toString('utf8') || '{}') as { update_time_ge?: number; update_time_lt?: number };
      const size = Number(query['page_size']);
      if (!(size >= 1 && size <= 100)) return answer(36009004, null, 'page_size must be 1-100');
      const matching = this.orders
        .filter((o) => o.update_time >= (filter.update_time_ge ?? 0) && o.update_time < (filter.update_time_lt ?? Infinity))
        .sort((a, b) => a.update_time - b.update_time || a.id.localeCompare(b.id));
      const offset = query['page_token'] ? decodePageToken(query['page_token']) : 0;
      if (offset === null) return answer(36009004, null, 'invalid page_token');
      const page = matching.slice(offset, offset + size);
      const next = offset + size < matching.length ? encodePageToken(offset + size) : '';
      return answer(0, { orders: page, next_page_token: next, total_count: matching.length, unknown_new_field: true });
    }
    answer(40400, null, 'not found', 404);
  }

  private token(path: string, query: Record<string, string>, answer: (code: number, data: unknown, message?: string) => void): void {
    if (query['app_key'] !== this.appKey || query['app_secret'] !== this.appSecret) return answer(105001, null, 'invalid app credentials');
    let tokens: { access: string; refresh: string } | undefined;
    if (path.endsWith('/get')) {
      tokens = this.codes.get(query['auth_code'] ?? '');
      this.codes.delete(query['auth_code'] ?? '');
      if (!tokens) return answer(105003, null, 'authorization code invalid or used');
    } else {
      if (!this.refresh.has(query['refresh_token'] ?? '')) return answer(105004, null, 'refresh token invalid');
      this.refresh.delete(query['refresh_token'] ?? '');
      tokens = { access: `at-${randomBytes(8).toString('hex')}`, refresh: `rt-${randomBytes(8).toString('hex')}` };
    }
    const now = Math.floor(this.now() / 1000);
    this.access.set(tokens.access, now + 7 * 86400);
    this.refresh.add(tokens.refresh);
    answer(0, {
      access_token: tokens.access, access_token_expire_in: now + 7 * 86400, refresh_token: tokens.refresh, refresh_token_expire_in: now + 60 * 86400,
      open_id: 'open1', seller_name: 'Sunny Mugs', seller_base_region: 'US', granted_scopes: ['seller.order.info', 'seller.authorization.info'],
    });
  }
}

/** Page tokens in TikTok's style: opaque, base64 with `/` and `+`, so clients must URL-encode them. */
function encodePageToken(offset: number): string {
  return `p/+${Buffer.from(JSON.stringify({ offset, n: randomBytes(3).toString('hex') })).toString('base64')}`;
}

function decodePageToken(token: string): number | null {
  if (!token.startsWith('p/+')) return null;
  try {
    return (JSON.parse(Buffer.from(token.slice(3), 'base64').toString('utf8')) as { offset: number }).offset;
  } catch {
    return null;
  }
}

/**
 * Orders with every shape the metrics care about, created over the last `days` days before
 * `nowSeconds`. The truth is in the order itself; tests compare with the core's figures.
 */
export function apiOrders(count: number, nowSeconds: number, days = 40): ApiOrder[] {
  const shapes: Array<(o: ApiOrder) => void> = [
    (o) => { o.status = 'COMPLETED'; },
    (o) => { o.status = 'CANCELLED'; o.cancellation_initiator = 'SELLER'; o.cancel_reason = 'Out of stock'; },
    (o) => { o.status = 'CANCELLED'; o.cancellation_initiator = 'BUYER'; o.cancel_reason = 'No longer needed'; },
    (o) => { o.status = 'CANCELLED'; o.cancellation_initiator = 'SYSTEM'; o.cancel_reason = 'Automatically cancelled due to collection time out'; },
    (o) => { o.status = 'CANCELLED'; o.line_items = o.line_items.map((l) => ({ ...l, cancel_user: 'SELLER', cancel_reason: 'seller_cancel_reason_out_of_stock' })); },
    (o) => { o.status = 'AWAITING_SHIPMENT'; o.line_items = [{ ...o.line_items[0], cancel_user: 'BUYER', cancel_reason: 'Need to change color or size' }, { sku_id: 's2' }]; },
    (o) => { o.status = 'CANCELLED'; delete o.paid_time; o.cancellation_initiator = 'SYSTEM'; o.cancel_reason = 'Buyer did not pay on time'; },
    (o) => { o.status = 'UNPAID'; delete o.paid_time; },
    (o) => { o.status = 'CANCELLED'; o.fulfillment_type = 'FULFILLMENT_BY_TIKTOK'; o.cancellation_initiator = 'SELLER'; o.cancel_reason = 'Out of stock'; },
    (o) => { o.status = 'CANCELLED'; o.is_sample_order = true; o.cancellation_initiator = 'SELLER'; o.cancel_reason = 'Pricing error'; },
    (o) => { o.status = 'IN_TRANSIT'; },
    (o) => { o.status = 'DELIVERED'; },
  ];
  const orders: ApiOrder[] = [];
  for (let i = 0; i < count; i++) {
    const created = nowSeconds - Math.floor(((i * 7919) % (days * 86400)));
    const order: ApiOrder = {
      id: String(578000000000000000n + BigInt(i)), status: 'COMPLETED', create_time: created, update_time: created + 3600 + (i % 600),
      paid_time: created + 60, fulfillment_type: 'FULFILLMENT_BY_SELLER', is_sample_order: false,
      payment: { currency: 'USD', total_amount: `${10 + (i % 50)}.${String(i % 100).padStart(2, '0')}` },
      line_items: [{ sku_id: 's1', sale_price: '10.00' }],
    };
    shapes[i % shapes.length]?.(order);
    if (order.update_time > nowSeconds) order.update_time = nowSeconds - 1;
    orders.push(order);
  }
  return orders;
}
