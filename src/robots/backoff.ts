/** How long an unreachable robot is left alone: `baseMs`, doubled with each failure in a row, at most `maxMs`. */
export interface Backoff { baseMs: number; maxMs: number }

/** A minute first, so a passing outage costs little; an hour at most, so a robot back up hears from the bot the same morning. */
export const ROBOT_BACKOFF: Backoff = { baseMs: 60_000, maxMs: 60 * 60_000 };

/** The wait after the `failures`-th failure in a row (1 for the first). */
export function backoffMs(failures: number, backoff: Backoff = ROBOT_BACKOFF): number {
  return Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(failures - 1, 0));
}
