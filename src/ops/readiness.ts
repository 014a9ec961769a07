import { errorMessage, type Logger } from '../logger.js';

/**
 * `GET /readyz`: whether this instance can do its job now. Each check answers with ok and, when
 * not ok, a reason code; the route answers 503 when any is not ok. What went wrong in words
 * (a database error names its host and user) goes to the operator's log, never to the port.
 */
export interface ReadinessProbes {
  /** Resolves when the database answers a trivial query. */
  database(): Promise<void>;
  /** When a Bot API call last got an answer (ms), or null if none has; absent when this process serves no Telegram bot. */
  telegramOkAt?: () => number | null;
  /** When the daily-summary ticks last showed life (ms). */
  ticksAliveAt(): number;
}

/**
 * `database_unreachable`: the database did not answer a trivial query (an error, or no answer in
 * time); `telegram_never`: no Bot API call has succeeded since start; `telegram_stale`: none has
 * lately; `ticks_stale`: the minute ticks (daily summaries, robots) stopped running.
 */
export type ReadinessReason = 'database_unreachable' | 'telegram_never' | 'telegram_stale' | 'ticks_stale';

export interface Check {
  ok: boolean;
  reason?: ReadinessReason;
  /** For the log only. */
  detail?: string;
}

export type CheckName = 'database' | 'telegram' | 'ticks';

export interface Readiness {
  ready: boolean;
  checks: Record<CheckName, Check>;
}

/** How stale each signal may be. Long polling answers at least every 30 s; ticks run every minute. */
export const READY_LIMITS = { telegramMs: 120_000, ticksMs: 180_000, databaseMs: 5_000 };

export async function checkReadiness(probes: ReadinessProbes, now: number, limits = READY_LIMITS): Promise<Readiness> {
  const database: Check = await withTimeout(probes.database(), limits.databaseMs)
    .then(() => ({ ok: true }), (error: unknown) => ({ ok: false, reason: 'database_unreachable' as const, detail: withoutPasswords(errorMessage(error)) }));
  const okAt = probes.telegramOkAt ? probes.telegramOkAt() : now;
  const telegram: Check = okAt === null
    ? { ok: false, reason: 'telegram_never', detail: 'no successful Bot API call yet' }
    : now - okAt <= limits.telegramMs ? { ok: true } : { ok: false, reason: 'telegram_stale', detail: `last successful Bot API call ${Math.round((now - okAt) / 1000)} s ago` };
  const aliveAt = probes.ticksAliveAt();
  const ticks: Check = now - aliveAt <= limits.ticksMs ? { ok: true } : { ok: false, reason: 'ticks_stale', detail: `last tick ${Math.round((now - aliveAt) / 1000)} s ago` };
  return { ready: database.ok && telegram.ok && ticks.ok, checks: { database, telegram, ticks } };
}

/** What `/readyz` serves: the verdict and the codes, never a check's detail. */
export function publicReadiness(r: Readiness): { status: 'ready' | 'not ready'; ready: boolean; checks: Record<CheckName, { ok: boolean; reason?: ReadinessReason }> } {
  const shown = (c: Check) => (c.ok ? { ok: true } : { ok: false, ...(c.reason ? { reason: c.reason } : {}) });
  return {
    status: r.ready ? 'ready' : 'not ready', ready: r.ready,
    checks: { database: shown(r.checks.database), telegram: shown(r.checks.telegram), ticks: shown(r.checks.ticks) },
  };
}

/**
 * The route's check, logging the details as one line when the failing reasons change (and once
 * when ready again): a supervisor probing every few seconds must not fill the log with one
 * outage.
 */
export function loggedReadiness(probes: ReadinessProbes, logger: Logger, clock: () => number = () => Date.now(), limits = READY_LIMITS): () => Promise<Readiness> {
  let last = '';
  return async () => {
    const r = await checkReadiness(probes, clock(), limits);
    const failing = (Object.entries(r.checks) as Array<[CheckName, Check]>).filter(([, c]) => !c.ok);
    const now = failing.map(([name, c]) => `${name}:${c.reason ?? ''}`).join(',');
    if (now !== last) {
      if (failing.length > 0) {
        logger.warn({
          event: 'not_ready',
          reasons: Object.fromEntries(failing.map(([name, c]) => [name, c.reason])),
          detail: Object.fromEntries(failing.map(([name, c]) => [name, c.detail])),
        }, `not ready: ${failing.map(([name, c]) => `${name} (${c.detail ?? c.reason})`).join('; ')}`);
      } else {
        logger.info({ event: 'ready' }, 'ready');
      }
      last = now;
    }
    return r;
  };
}

/** A connection string's password, should an error quote one, is not for a log line. */
function withoutPasswords(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@/]*@/gi, '$1:[secret]@');
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
