import type { RobotMessage, RobotService } from './formats.js';
import { RobotPacer, realWaiting, type RateLimit, type RobotPacing, type Waiting } from './pacer.js';
import { dingtalkSignedUrl, feishuSignature } from './sign.js';
import type { RobotTarget } from './target.js';

/** An HTTP answer as far as the robots need it. */
export interface HttpAnswer { status: number; text: string }
export type PostJson = (url: string, body: string) => Promise<HttpAnswer>;

const TIMEOUT_MS = 15_000;

/**
 * The one place robot webhooks reach the network, through the process's outbound fetch (proxies
 * applied). Redirects are not followed: a host a group was allowed to name must not bounce the
 * bot's post, with the summary, to an address nobody allowed (the bot's own network included).
 */
export const postJsonWith = (fetchFn: typeof globalThis.fetch, timeoutMs = TIMEOUT_MS): PostJson => async (url, body) => {
  const response = await fetchFn(url, {
    method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, text: await response.text() };
};

export const postJson: PostJson = postJsonWith(globalThis.fetch);

/**
 * How a send ended. `security`: the robot's signature, keyword or IP check refused it (a wrong
 * secret, or a clock off by more than an hour); `gone`: the robot was removed; `rate-limited`:
 * too fast, try again after `retryAfterMs`; `refused`: any other answer of the service (a
 * redirect too: it is never followed); `network`: no answer (or a 5xx, or not the service's
 * JSON), try again later.
 */
export type SendFailure = 'security' | 'gone' | 'rate-limited' | 'refused' | 'network';
export type SendResult =
  | { ok: true; status: number; code: number }
  | { ok: false; reason: SendFailure; status: number | null; code: number | null; message: string; retryAfterMs: number };

const MINUTE_MS = 60_000;

/** Limits and error codes per service, from the services' documentation and users' reports. */
const SERVICES: Record<RobotService, {
  limits: RateLimit[];
  /** How long a refused-for-rate robot is left alone. */
  backoffMs: number;
  codeOf: (body: Record<string, unknown>) => number | null;
  messageOf: (body: Record<string, unknown>) => string;
  failures: Partial<Record<number, SendFailure>>;
}> = {
  wecom: {
    limits: [{ count: 20, windowMs: MINUTE_MS }],
    backoffMs: MINUTE_MS,
    codeOf: (b) => (typeof b['errcode'] === 'number' ? b['errcode'] : null),
    messageOf: (b) => String(b['errmsg'] ?? ''),
    failures: { 93000: 'gone', 45009: 'rate-limited' },
  },
  feishu: {
    limits: [{ count: 5, windowMs: 1000 }, { count: 100, windowMs: MINUTE_MS }],
    backoffMs: MINUTE_MS,
    // Older hooks answer `StatusCode`, newer ones `code`.
    codeOf: (b) => (typeof b['code'] === 'number' ? b['code'] : typeof b['StatusCode'] === 'number' ? b['StatusCode'] : null),
    messageOf: (b) => String(b['msg'] ?? b['StatusMessage'] ?? ''),
    // 19021 signature or timestamp, 19022 IP, 19024 keyword; 19001 an unknown hook and 11232
    // "frequency limited" are from users' reports.
    failures: { 19021: 'security', 19022: 'security', 19024: 'security', 19001: 'gone', 11232: 'rate-limited' },
  },
  dingtalk: {
    limits: [{ count: 20, windowMs: MINUTE_MS }],
    // Over the limit DingTalk throttles the robot for about ten minutes.
    backoffMs: 10 * MINUTE_MS,
    codeOf: (b) => (typeof b['errcode'] === 'number' ? b['errcode'] : null),
    messageOf: (b) => String(b['errmsg'] ?? ''),
    // All from users' reports: 310000 signature, keyword or IP; 130101 too fast; 300001 and
    // 300005 an unknown or removed token.
    failures: { 310000: 'security', 130101: 'rate-limited', 300001: 'gone', 300005: 'gone' },
  },
};

/** Reads a service's answer into a result. */
export function classifyAnswer(service: RobotService, answer: HttpAnswer): SendResult {
  const spec = SERVICES[service];
  let body: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(answer.text);
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    body = null;
  }
  const code = body ? spec.codeOf(body) : null;
  const failed = (reason: SendFailure, message: string): SendResult =>
    ({ ok: false, reason, status: answer.status, code, message, retryAfterMs: reason === 'rate-limited' ? spec.backoffMs : 0 });
  if (code === 0 && answer.status < 300) return { ok: true, status: answer.status, code };
  // No service redirects its webhooks, so one is a misconfigured relay or a trap, not a passing fault.
  if (answer.status >= 300 && answer.status < 400) return failed('refused', 'redirect not followed');
  const message = body ? spec.messageOf(body) : `HTTP ${answer.status}`;
  const known = code === null ? undefined : spec.failures[code];
  if (known) return failed(known, message);
  if (answer.status === 429) return failed('rate-limited', message);
  if (answer.status >= 500 || code === null) return failed('network', message);
  if (answer.status === 404) return failed('gone', message);
  return failed('refused', message);
}

export interface RobotClientOptions {
  post?: PostJson;
  waiting?: Waiting;
  pacer?: RobotPacing;
  /** The longest a rate-limited send waits before trying again; beyond it the failure is returned. */
  maxRateWaitMs?: number;
}

/**
 * Posts robot messages: paced per robot, signed at the moment of each attempt (a retry gets a
 * fresh timestamp), and read into a SendResult. A rate-limited answer waits and tries again
 * while the wait stays under `maxRateWaitMs`.
 */
export class RobotClient {
  private readonly post: PostJson;
  private readonly waiting: Waiting;
  private readonly pacer: RobotPacing;
  private readonly maxRateWaitMs: number;

  constructor(options: RobotClientOptions = {}) {
    this.post = options.post ?? postJson;
    this.waiting = options.waiting ?? realWaiting;
    this.pacer = options.pacer ?? new RobotPacer(this.waiting);
    this.maxRateWaitMs = options.maxRateWaitMs ?? MINUTE_MS;
  }

  /** Sends one message. */
  async send(target: RobotTarget, message: RobotMessage): Promise<SendResult> {
    const spec = SERVICES[target.service];
    for (let attempt = 0; ; attempt++) {
      await this.pacer.take(target.url, spec.limits);
      const result = await this.attempt(target, message);
      if (result.ok || result.reason !== 'rate-limited' || attempt >= 2 || result.retryAfterMs > this.maxRateWaitMs) return result;
      await this.waiting.sleep(result.retryAfterMs);
    }
  }

  /**
   * Sends a summary's messages in order. The first one carries the summary: its failure is the
   * result. A later one (WeCom's picture) failing is reported in `extraFailures` but does not
   * make the summary unsent, so a retry never posts the text twice.
   */
  async sendAll(target: RobotTarget, messages: readonly RobotMessage[]): Promise<{ result: SendResult; extraFailures: SendResult[] }> {
    const [first, ...rest] = messages;
    if (!first) throw new Error('no robot message to send');
    const result = await this.send(target, first);
    const extraFailures: SendResult[] = [];
    if (!result.ok) return { result, extraFailures };
    for (const message of rest) {
      const extra = await this.send(target, message);
      if (!extra.ok) extraFailures.push(extra);
    }
    return { result, extraFailures };
  }

  private async attempt(target: RobotTarget, message: RobotMessage): Promise<SendResult> {
    const now = this.waiting.now();
    let url = target.url;
    let body: object = message;
    if (target.secret !== null && target.service === 'feishu') body = { ...feishuSignature(target.secret, now), ...message };
    if (target.secret !== null && target.service === 'dingtalk') url = dingtalkSignedUrl(target.url, target.secret, now);
    try {
      return classifyAnswer(target.service, await this.post(url, JSON.stringify(body)));
    } catch (error) {
      // Only the cause's code is kept: an error's text can quote the address, which is a secret.
      const cause = (error as { cause?: { code?: unknown } }).cause;
      const name = error instanceof Error ? error.name : 'Error';
      const message = typeof cause?.code === 'string' ? cause.code : name;
      return { ok: false, reason: 'network', status: null, code: null, message, retryAfterMs: 0 };
    }
  }
}
