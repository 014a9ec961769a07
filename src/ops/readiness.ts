/**
 * `GET /readyz`: whether this instance can do its job now. Each check answers with ok and, when
 * not ok, a reason a supervisor's log can show; the route answers 503 when any is not ok.
 */
export interface ReadinessProbes {
  /** Resolves when the database answers a trivial query. */
  database(): Promise<void>;
  /** When a Bot API call last got an answer (ms), or null if none has. */
  telegramOkAt(): number | null;
  /** When the daily-summary ticks last showed life (ms). */
  ticksAliveAt(): number;
}

export interface Readiness {
  ready: boolean;
  checks: Record<'database' | 'telegram' | 'ticks', { ok: boolean; reason?: string }>;
}

/** How stale each signal may be. Long polling answers at least every 30 s; ticks run every minute. */
export const READY_LIMITS = { telegramMs: 120_000, ticksMs: 180_000, databaseMs: 5_000 };

export async function checkReadiness(probes: ReadinessProbes, now: number, limits = READY_LIMITS): Promise<Readiness> {
  const database = await withTimeout(probes.database(), limits.databaseMs)
    .then(() => ({ ok: true }), (error: unknown) => ({ ok: false, reason: `database: ${(error as Error).message}` }));
  const okAt = probes.telegramOkAt();
  const telegram = okAt !== null && now - okAt <= limits.telegramMs
    ? { ok: true }
    : { ok: false, reason: okAt === null ? 'telegram: no successful Bot API call yet' : `telegram: last successful Bot API call ${Math.round((now - okAt) / 1000)} s ago` };
  const aliveAt = probes.ticksAliveAt();
  const ticks = now - aliveAt <= limits.ticksMs ? { ok: true } : { ok: false, reason: `ticks: last daily-summary tick ${Math.round((now - aliveAt) / 1000)} s ago` };
  return { ready: database.ok && telegram.ok && ticks.ok, checks: { database, telegram, ticks } };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
