import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OutboundFetch } from '../net/outbound.js';
import type { Metrics } from '../ops/metrics.js';
import { RobotPacer, type RateLimit } from '../robots/pacer.js';
import { FetchError } from '../use-cases/import-upload.js';
import { saveDownload } from '../use-cases/save-download.js';

/**
 * Feishu/Lark's open API, the calls the bot makes: its token, its own identity, a group's owner
 * and managers, sending and replying, pictures, and files people sent. Made with the process's
 * outbound fetch, so the proxy settings apply as to every other call; the SDK is used for
 * receiving only (its long connection and event decryption), not here.
 */

/** Codes with a meaning for the bot (send-message and gateway docs). */
export const FEISHU_CODES = {
  botNotInChat: 230002,
  botDisabled: 230006,
  chatFrequencyLimit: 230020,
  gatewayLimit: 99991400,
  tokenInvalid: 99991663,
  tokenExpired: 99991661,
} as const;

/** A group takes 5 messages a second, shared by every bot in it. */
const SENDS_PER_CHAT_PER_SECOND = 5;
/** The second is counted a little long: sends leave paced but arrive with the network's jitter. */
const CHAT_LIMIT: RateLimit[] = [{ count: SENDS_PER_CHAT_PER_SECOND, windowMs: 1200 }];
/** A rate-limited send waits this long at most for its turn again; a longer wait fails the send. */
const MAX_RATE_WAIT_MS = 10_000;
/** The token is renewed this long before Feishu says it expires. */
const TOKEN_MARGIN_MS = 5 * 60_000;
const TIMEOUT_MS = 30_000;

export class FeishuError extends Error {
  constructor(readonly code: number, readonly status: number, message: string, readonly retryAfterSeconds: number | null = null) {
    super(`Feishu ${status} ${code}: ${message}`);
  }

  /** The bot is not in the chat (removed, or the group was disbanded). */
  get gone(): boolean {
    return this.code === FEISHU_CODES.botNotInChat || this.code === FEISHU_CODES.botDisabled;
  }

  get rateLimited(): boolean {
    return this.status === 429 || this.code === FEISHU_CODES.chatFrequencyLimit || this.code === FEISHU_CODES.gatewayLimit;
  }
}

export interface FeishuApiOptions {
  appId: string;
  appSecret: string;
  /** `https://open.feishu.cn`, `https://open.larksuite.com`, or a private or test server. */
  baseUrl: string;
  fetch: OutboundFetch;
  clock: () => number;
  metrics?: Metrics;
}

export interface FeishuChat {
  ownerId: string | null;
  managerIds: string[];
  name: string | null;
}

type Query = Record<string, string>;

/** A multipart body, built here: the process's fetch and the platform's FormData may come from different undici copies, which do not know each other's. */
interface Multipart { type: string; body: Buffer }

function multipart(fields: Record<string, string>, file: { name: string; filename: string; type: string; bytes: Buffer }): Multipart {
  const boundary = `cancelwatch-${randomUUID()}`;
  const parts: Buffer[] = Object.entries(fields).map(([name, value]) => Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\ncontent-type: ${file.type}\r\n\r\n`), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { type: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(parts) };
}

export class FeishuApi {
  private token: { value: string; until: number } | null = null;
  private tokenPending: Promise<string> | null = null;
  /** Each chat's sends paced to its 5 a second, on the wire: real time, not the injected clock. */
  private readonly pacer = new RobotPacer({ now: () => performance.now(), sleep: (ms) => sleep(ms) });

  constructor(private readonly options: FeishuApiOptions) {}

  async botInfo(): Promise<{ openId: string; name: string }> {
    const body = await this.call<{ bot?: { open_id?: string; app_name?: string } }>('GET', '/open-apis/bot/v3/info');
    return { openId: body.bot?.open_id ?? '', name: body.bot?.app_name ?? '' };
  }

  async chat(chatId: string): Promise<FeishuChat> {
    const body = await this.call<{ data?: { owner_id?: string; user_manager_id_list?: string[]; name?: string } }>(
      'GET', `/open-apis/im/v1/chats/${encodeURIComponent(chatId)}`, { query: { user_id_type: 'open_id' } },
    );
    return { ownerId: body.data?.owner_id || null, managerIds: body.data?.user_manager_id_list ?? [], name: body.data?.name ?? null };
  }

  /**
   * A person's name, or null when Feishu does not give it (the app lacks the optional
   * `contact:user.base:readonly` scope, or the person is outside the tenant).
   */
  async userName(openId: string): Promise<string | null> {
    try {
      const body = await this.call<{ data?: { user?: { name?: string } } }>('GET', `/open-apis/contact/v3/users/${encodeURIComponent(openId)}`, { query: { user_id_type: 'open_id' } });
      return body.data?.user?.name || null;
    } catch {
      return null;
    }
  }

  /** A new message in a chat; `uuid` makes a retried send go out once (Feishu drops a repeat within an hour). */
  async send(chatId: string, msgType: string, content: object, uuid?: string): Promise<string> {
    await this.pacer.take(chatId, CHAT_LIMIT);
    const body = await this.call<{ data?: { message_id?: string } }>('POST', '/open-apis/im/v1/messages', {
      query: { receive_id_type: 'chat_id' }, json: { receive_id: chatId, msg_type: msgType, content: JSON.stringify(content), ...(uuid ? { uuid } : {}) }, chatId,
    });
    return body.data?.message_id ?? '';
  }

  /** A reply to a person's message, in its chat. */
  async reply(chatId: string, messageId: string, msgType: string, content: object): Promise<string> {
    await this.pacer.take(chatId, CHAT_LIMIT);
    const body = await this.call<{ data?: { message_id?: string } }>('POST', `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}/reply`, {
      json: { msg_type: msgType, content: JSON.stringify(content) }, chatId,
    });
    return body.data?.message_id ?? '';
  }

  /** Uploads a picture for messages and cards; returns its image_key. */
  async uploadImage(png: Buffer): Promise<string> {
    const form = multipart({ image_type: 'message' }, { name: 'image', filename: 'chart.png', type: 'image/png', bytes: png });
    const body = await this.call<{ data?: { image_key?: string } }>('POST', '/open-apis/im/v1/images', { form });
    return body.data?.image_key ?? '';
  }

  /**
   * A file a person sent, fetched to `dir`, at most `maxBytes`. Throws FetchError: 'telegram'
   * stands for "the platform would not hand it out", 'transfer' for a broken transfer.
   */
  async download(messageId: string, fileKey: string, maxBytes: number, dir: string): Promise<{ path: string; temporary: boolean }> {
    let response: Response;
    try {
      response = await this.request('GET', `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}/resources/${encodeURIComponent(fileKey)}`, { query: { type: 'file' } });
    } catch (error) {
      throw new FetchError('transfer', 'the file could not be fetched', { cause: error });
    }
    if (!response.ok || !response.body) {
      const text = await response.text().catch(() => '');
      throw new FetchError('telegram', `Feishu would not hand the file out (${response.status} ${text.slice(0, 200)})`);
    }
    const path = join(dir, `feishu-${randomUUID()}`);
    await saveDownload(response, path, maxBytes);
    return { path, temporary: true };
  }

  private async tenantToken(): Promise<string> {
    const now = this.options.clock();
    if (this.token && now < this.token.until) return this.token.value;
    this.tokenPending ??= (async () => {
      try {
        const response = await this.options.fetch(`${this.options.baseUrl}/open-apis/auth/v3/tenant_access_token/internal`, {
          method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify({ app_id: this.options.appId, app_secret: this.options.appSecret }), signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        const body = await response.json() as { code?: number; msg?: string; tenant_access_token?: string; expire?: number };
        if (body.code !== 0 || !body.tenant_access_token) throw new FeishuError(body.code ?? -1, response.status, body.msg ?? 'no token');
        this.token = { value: body.tenant_access_token, until: this.options.clock() + (body.expire ?? 7200) * 1000 - TOKEN_MARGIN_MS };
        return this.token.value;
      } finally {
        this.tokenPending = null;
      }
    })();
    return this.tokenPending;
  }

  private async request(method: string, path: string, options: { query?: Query; json?: object; form?: Multipart } = {}): Promise<Response> {
    const url = new URL(`${this.options.baseUrl}${path}`);
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = { authorization: `Bearer ${await this.tenantToken()}` };
    if (options.json) headers['content-type'] = 'application/json; charset=utf-8';
    if (options.form) headers['content-type'] = options.form.type;
    return this.options.fetch(url.href, {
      method, headers, signal: AbortSignal.timeout(TIMEOUT_MS),
      ...(options.json ? { body: JSON.stringify(options.json) } : options.form ? { body: new Uint8Array(options.form.body) } : {}),
    });
  }

  /**
   * One call, its answer's `code` checked. A token Feishu no longer takes is renewed once; a
   * rate limit (the group's 230020, the gateway's 429 with `x-ogw-ratelimit-reset`) is waited
   * out once when the wait is short, and counted.
   */
  private async call<T>(method: string, path: string, options: { query?: Query; json?: object; form?: Multipart; chatId?: string } = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const response = await this.request(method, path, options);
      const text = await response.text();
      let body: { code?: number; msg?: string } & Record<string, unknown>;
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        throw new FeishuError(-1, response.status, `not JSON: ${text.slice(0, 120)}`);
      }
      if (response.ok && (body.code ?? 0) === 0) return body as T;
      const reset = Number(response.headers.get('x-ogw-ratelimit-reset'));
      const error = new FeishuError(body.code ?? -1, response.status, body.msg ?? '', Number.isFinite(reset) && reset > 0 ? reset : null);
      if (attempt > 1) throw error;
      if (error.code === FEISHU_CODES.tokenInvalid || error.code === FEISHU_CODES.tokenExpired) {
        this.token = null;
        continue;
      }
      if (error.rateLimited) {
        const waitMs = (error.retryAfterSeconds ?? 1) * 1000;
        this.options.metrics?.rateLimited.inc({ api: 'feishu' });
        if (waitMs > MAX_RATE_WAIT_MS) throw error;
        this.options.metrics?.rateLimitedSeconds.inc({ api: 'feishu' }, waitMs / 1000);
        await sleep(waitMs);
        continue;
      }
      throw error;
    }
  }
}
