import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OutboundFetch } from '../net/outbound.js';
import type { Metrics } from '../ops/metrics.js';
import { RobotPacer, type RateLimit } from '../robots/pacer.js';
import { FetchError } from '../use-cases/import-upload.js';
import { saveDownload } from '../use-cases/save-download.js';

/**
 * DingTalk's open API, the calls the bot makes: the app's tokens, files people sent, sending to
 * a group or a person, the session webhook a message came with, and picture uploads. Made with
 * the process's outbound fetch, so the proxy settings apply as to every other call; the SDK is
 * used for the stream connection only. Facts and their sources:
 * /work/shared/reference/chat-platforms.md §2.
 */

/** Codes with a meaning for the bot. Seen in public code and a mirror of the docs, not on an official page (UNCONFIRMED). */
export const DINGTALK_CODES = {
  qpsLimitForApi: 'Forbidden.AccessDenied.QpsLimitForApi',
  qpsLimitForAppkeyAndApi: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi',
  robotNotInGroup: 'invalidParameter.robotCode.notExsit',
  invalidConversation: 'invalid.openConversationId',
  botStopped: 'bot.stopped',
} as const;

const GONE_CODES: ReadonlySet<string> = new Set([DINGTALK_CODES.robotNotInGroup, DINGTALK_CODES.invalidConversation, DINGTALK_CODES.botStopped]);

/** The legacy API's codes for a token it no longer takes (invalid, expired). */
const LEGACY_TOKEN_CODES: ReadonlySet<number> = new Set([40014, 42001]);

/** `msgParam` is at most 15,000 bytes (help.dingtalk.io, the-robot-sends-a-group-message). */
export const MSG_PARAM_MAX_BYTES = 15_000;
/**
 * DingTalk is said to take about 20 calls a second per app and API (UNCONFIRMED): sends keep
 * well under it, so a wrong guess by a few costs nothing.
 */
const API_LIMIT: RateLimit[] = [{ count: 12, windowMs: 1000 }];
/** A rate-limited call waits this long, once, before its one retry. */
const RATE_LIMIT_WAIT_MS = 1_000;
/** Tokens are renewed this long before DingTalk says they expire. */
const TOKEN_MARGIN_MS = 5 * 60_000;
const TIMEOUT_MS = 30_000;

export class DingtalkError extends Error {
  constructor(readonly code: string, readonly status: number, message: string) {
    super(`DingTalk ${status} ${code}: ${message}`);
  }

  /** The robot is out of the conversation (removed, the group disbanded, the robot stopped). */
  get gone(): boolean {
    return GONE_CODES.has(this.code);
  }

  /** Any QPS code, not only the two seen: a limit misread as a failure would drop a message. */
  get rateLimited(): boolean {
    return this.status === 429 || /QpsLimit/i.test(this.code) || this.code === 'flowControlled';
  }
}

/** What the send APIs take: a message key and its parameters (`sampleText`, `sampleMarkdown`, `sampleImageMsg`). */
export interface RobotMessage {
  msgKey: 'sampleText' | 'sampleMarkdown' | 'sampleImageMsg';
  msgParam: Record<string, string>;
}

/** What a session webhook takes: text or markdown (it sends no pictures or cards). */
export type SessionMessage =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'markdown'; markdown: { title: string; text: string } };

export interface DingtalkApiOptions {
  /** The app's AppKey, which is also its robotCode. */
  clientId: string;
  clientSecret: string;
  /** `https://api.dingtalk.com`, or a private or test server. */
  apiRoot: string;
  /** `https://oapi.dingtalk.com`, or a private or test server. */
  oapiRoot: string;
  fetch: OutboundFetch;
  clock: () => number;
  metrics?: Metrics;
}

export class DingtalkApi {
  private token: { value: string; until: number } | null = null;
  private tokenPending: Promise<string> | null = null;
  private legacy: { value: string; until: number } | null = null;
  private legacyPending: Promise<string> | null = null;
  /** Each API's calls paced to its share of the app's limit, on the wire: real time, not the injected clock. */
  private readonly pacer = new RobotPacer({ now: () => performance.now(), sleep: (ms) => sleep(ms) });

  constructor(private readonly options: DingtalkApiOptions) {}

  get robotCode(): string {
    return this.options.clientId;
  }

  /** The new-style token (`x-acs-dingtalk-access-token`); start-up calls it to learn early that the credentials are wrong. */
  async accessToken(): Promise<string> {
    const now = this.options.clock();
    if (this.token && now < this.token.until) return this.token.value;
    this.tokenPending ??= (async () => {
      try {
        const { response, body } = await this.exchange(`${this.options.apiRoot}/v1.0/oauth2/accessToken`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ appKey: this.options.clientId, appSecret: this.options.clientSecret }),
        });
        const token = body['accessToken'];
        if (!response.ok || typeof token !== 'string' || token === '') throw apiError(response.status, body, 'no token');
        this.token = { value: token, until: this.options.clock() + numberOr(body['expireIn'], 7200) * 1000 - TOKEN_MARGIN_MS };
        return token;
      } finally {
        this.tokenPending = null;
      }
    })();
    return this.tokenPending;
  }

  /** The legacy token, which only the legacy media upload takes. */
  private async legacyToken(): Promise<string> {
    const now = this.options.clock();
    if (this.legacy && now < this.legacy.until) return this.legacy.value;
    this.legacyPending ??= (async () => {
      try {
        const url = new URL(`${this.options.oapiRoot}/gettoken`);
        url.searchParams.set('appkey', this.options.clientId);
        url.searchParams.set('appsecret', this.options.clientSecret);
        const { response, body } = await this.exchange(url.href, { method: 'GET' });
        const token = body['access_token'];
        if (!response.ok || numberOr(body['errcode'], 0) !== 0 || typeof token !== 'string' || token === '') throw legacyError(response.status, body);
        this.legacy = { value: token, until: this.options.clock() + numberOr(body['expires_in'], 7200) * 1000 - TOKEN_MARGIN_MS };
        return token;
      } finally {
        this.legacyPending = null;
      }
    })();
    return this.legacyPending;
  }

  /** A message to a group (or any conversation the robot is in) by its conversation id. */
  async sendToGroup(conversationId: string, message: RobotMessage): Promise<string> {
    const body = await this.call('/v1.0/robot/groupMessages/send', {
      msgKey: message.msgKey, msgParam: msgParamOf(message), openConversationId: conversationId, robotCode: this.robotCode,
    });
    return typeof body['processQueryKey'] === 'string' ? body['processQueryKey'] : '';
  }

  /**
   * A message to one person in their one-to-one chat with the robot, by staff id. A person the
   * app cannot reach (left the company) is gone; one DingTalk holds back is rate limited.
   */
  async sendToPerson(staffId: string, message: RobotMessage): Promise<string> {
    const body = await this.call('/v1.0/robot/oToMessages/batchSend', {
      robotCode: this.robotCode, userIds: [staffId], msgKey: message.msgKey, msgParam: msgParamOf(message),
    });
    const listed = (key: string) => Array.isArray(body[key]) && (body[key] as unknown[]).includes(staffId);
    if (listed('invalidStaffIdList')) throw new DingtalkError(DINGTALK_CODES.invalidConversation, 200, `${staffId} cannot be reached`);
    if (listed('flowControlledStaffIdList')) throw new DingtalkError('flowControlled', 200, `sends to ${staffId} are held back`);
    return typeof body['processQueryKey'] === 'string' ? body['processQueryKey'] : '';
  }

  /**
   * A reply through the webhook a message came with: no token and no QPS of the send APIs.
   * Any answer but errcode 0 throws, so the caller can fall back on the send API.
   */
  async sendBySession(webhook: string, message: SessionMessage): Promise<void> {
    await this.pacer.take('session', API_LIMIT);
    const { response, body } = await this.exchange(webhook, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message),
    });
    if (!response.ok || numberOr(body['errcode'], 0) !== 0) throw legacyError(response.status, body);
  }

  /** Uploads a picture; returns its media_id, which `sampleImageMsg` takes as `photoURL`. */
  async uploadImage(png: Buffer): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      await this.pacer.take('media', API_LIMIT);
      const url = new URL(`${this.options.oapiRoot}/media/upload`);
      url.searchParams.set('access_token', await this.legacyToken());
      url.searchParams.set('type', 'image');
      const form = new FormData();
      form.set('media', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'chart.png');
      const { response, body } = await this.exchange(url.href, { method: 'POST', body: form });
      const mediaId = body['media_id'];
      if (response.ok && numberOr(body['errcode'], 0) === 0 && typeof mediaId === 'string' && mediaId !== '') return mediaId;
      if (attempt === 1 && LEGACY_TOKEN_CODES.has(numberOr(body['errcode'], 0))) {
        this.legacy = null;
        continue;
      }
      throw legacyError(response.status, body);
    }
  }

  /**
   * A file a person sent, fetched to `dir`, at most `maxBytes`. Throws FetchError: 'telegram'
   * stands for "the platform would not hand it out", 'transfer' for a broken transfer.
   */
  async download(downloadCode: string, maxBytes: number, dir: string): Promise<{ path: string; temporary: boolean }> {
    let downloadUrl: string;
    try {
      const body = await this.call('/v1.0/robot/messageFiles/download', { downloadCode, robotCode: this.robotCode });
      downloadUrl = typeof body['downloadUrl'] === 'string' ? body['downloadUrl'] : '';
    } catch (error) {
      if (error instanceof DingtalkError) throw new FetchError('telegram', `DingTalk would not hand the file out (${error.message.slice(0, 200)})`);
      throw new FetchError('transfer', 'the file could not be fetched', { cause: error });
    }
    if (!/^https?:\/\//.test(downloadUrl)) throw new FetchError('telegram', 'DingTalk gave no download address');
    let response: Response;
    try {
      response = await this.options.fetch(downloadUrl, { signal: AbortSignal.timeout(10 * TIMEOUT_MS) });
    } catch (error) {
      throw new FetchError('transfer', 'the file could not be fetched', { cause: error });
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      throw new FetchError('telegram', `DingTalk would not hand the file out (${response.status})`);
    }
    if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
      await response.body.cancel().catch(() => undefined);
      throw new FetchError('transfer', 'the file is larger than the upload limit');
    }
    // The address names the file with a placeholder; our own name is what the importer opens.
    const path = join(dir, `dingtalk-${randomUUID()}`);
    await saveDownload(response, path, maxBytes);
    return { path, temporary: true };
  }

  /** One request and its answer read as JSON (an answer that is not JSON reads as `{}`). */
  private async exchange(url: string, init: RequestInit): Promise<{ response: Response; body: Record<string, unknown> }> {
    const response = await this.options.fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
    } catch {
      body = { message: `not JSON: ${text.slice(0, 120)}` };
    }
    return { response, body };
  }

  /**
   * One call to the new-style API, paced per API. A token DingTalk no longer takes (401) is
   * renewed once; a QPS limit is waited out once, briefly, and counted.
   */
  private async call(path: string, json: object): Promise<Record<string, unknown>> {
    for (let attempt = 1; ; attempt++) {
      await this.pacer.take(path, API_LIMIT);
      const { response, body } = await this.exchange(`${this.options.apiRoot}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-acs-dingtalk-access-token': await this.accessToken() },
        body: JSON.stringify(json),
      });
      if (response.ok) return body;
      const error = apiError(response.status, body, response.statusText);
      if (attempt > 1) throw error;
      if (response.status === 401 || error.code === 'InvalidAuthentication') {
        this.token = null;
        continue;
      }
      if (error.rateLimited) {
        this.options.metrics?.rateLimited.inc({ api: 'dingtalk' });
        this.options.metrics?.rateLimitedSeconds.inc({ api: 'dingtalk' }, RATE_LIMIT_WAIT_MS / 1000);
        await sleep(RATE_LIMIT_WAIT_MS);
        continue;
      }
      throw error;
    }
  }
}

function msgParamOf(message: RobotMessage): string {
  const param = JSON.stringify(message.msgParam);
  // The message builders fit their text under this; a message over it is a bug, refused here rather than by DingTalk.
  if (Buffer.byteLength(param, 'utf8') > MSG_PARAM_MAX_BYTES) throw new DingtalkError('msgParam.tooLong', 0, `msgParam of ${Buffer.byteLength(param, 'utf8')} bytes`);
  return param;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** The new-style API's error: `{code, message, requestid}`. */
function apiError(status: number, body: Record<string, unknown>, fallback: string): DingtalkError {
  const code = typeof body['code'] === 'string' && body['code'] !== '' ? body['code'] : `http.${status}`;
  return new DingtalkError(code, status, typeof body['message'] === 'string' ? body['message'] : fallback);
}

/** The legacy API's and a session webhook's error: `{errcode, errmsg}`. */
function legacyError(status: number, body: Record<string, unknown>): DingtalkError {
  const errcode = body['errcode'];
  const code = typeof errcode === 'number' || typeof errcode === 'string' ? String(errcode) : `http.${status}`;
  return new DingtalkError(code, status, typeof body['errmsg'] === 'string' ? body['errmsg'] : String(body['message'] ?? ''));
}
