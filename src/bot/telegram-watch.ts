import type { Transformer } from 'grammy';
import { describeFailure, type Failure } from '../net/failure.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../ops/metrics.js';

export interface TelegramLinkState {
  /** When a Bot API call last got an answer from Telegram (ms since the epoch), or null. */
  lastOkAt: number | null;
  /** When calls began failing, or null while they succeed. */
  failingSince: number | null;
  lastFailure: Failure | null;
}

/**
 * An API transformer installed closest to the network (first, so auto-retry's repeats pass
 * through it one by one): it notes every answer for /readyz, counts 429s and failures, and
 * logs a failing Bot API once with the host and the cause in words, again every `repeatMs`
 * while it lasts, and its recovery once. Never the URL: it holds the token.
 */
export function telegramWatch(options: { host: string; logger: Logger; metrics: Metrics; clock?: () => number; repeatMs?: number }) {
  const { host, logger, metrics } = options;
  const clock = options.clock ?? (() => Date.now());
  const repeatMs = options.repeatMs ?? 30_000;
  const state: TelegramLinkState = { lastOkAt: null, failingSince: null, lastFailure: null };
  let failures = 0;
  let loggedAt = 0;

  const failed = (method: string, failure: Failure) => {
    const now = clock();
    metrics.telegramFailures.inc({ cause: failure.cause });
    failures++;
    state.lastFailure = failure;
    if (state.failingSince === null) {
      state.failingSince = now;
      loggedAt = now;
      logger.warn({ event: 'telegram_unreachable', host, method, cause: failure.cause, code: failure.code, reason: failure.words }, `cannot reach the Bot API at ${host}: ${failure.words}`);
    } else if (now - loggedAt >= repeatMs) {
      loggedAt = now;
      logger.warn({ event: 'telegram_still_unreachable', host, method, cause: failure.cause, code: failure.code, reason: failure.words, failures, downSeconds: Math.round((now - state.failingSince) / 1000) }, `still cannot reach the Bot API at ${host}: ${failure.words}`);
    }
  };
  const answered = () => {
    const now = clock();
    state.lastOkAt = now;
    if (state.failingSince !== null) {
      logger.info({ event: 'telegram_recovered', host, failures, downSeconds: Math.round((now - state.failingSince) / 1000) }, `the Bot API at ${host} answers again`);
      state.failingSince = null;
      state.lastFailure = null;
      failures = 0;
    }
  };

  const transformer: Transformer = async (prev, method, payload, signal) => {
    let result;
    try {
      result = await prev(method, payload, signal);
    } catch (error) {
      // A stop aborts the pending long poll: that is no network trouble.
      if (!signal?.aborted) failed(method, describeFailure(error));
      throw error;
    }
    if (!result.ok && (result.error_code >= 500 || result.error_code === 401)) {
      failed(method, describeFailure(null, result.error_code));
    } else {
      answered();
      if (!result.ok && result.error_code === 429) {
        metrics.rateLimited.inc({ api: 'telegram' });
        metrics.rateLimitedSeconds.inc({ api: 'telegram' }, result.parameters?.retry_after ?? 0);
      }
    }
    return result;
  };
  return { transformer, state: (): TelegramLinkState => ({ ...state }) };
}
export type TelegramWatch = ReturnType<typeof telegramWatch>;
