import { schedule, type ScheduledTask } from 'node-cron';
import { logError, type Logger } from '../logger.js';
import { WorkTracker } from '../ops/work.js';
import type { DailySummaries } from './daily-summaries.js';
import type { RobotSummaries } from './robot-summaries.js';

export interface DailyTicks {
  stop(): Promise<void>;
  /** When the last tick finished, or while one runs, now; the start time before the first (ms). */
  lastAliveAt(): number;
}

/**
 * One tick a minute. Ticks never overlap: a morning's fan-out to many chats can outlast a
 * minute, and the next tick simply finds fewer chats still due. The groups' robots get their
 * copies beside the Telegram fan-out, not after it.
 */
export function startDailyTicks(
  summaries: DailySummaries, logger: Logger, ops: { work?: WorkTracker; clock?: () => number; robots?: RobotSummaries | null } = {},
): DailyTicks {
  const work = ops.work ?? new WorkTracker();
  const clock = ops.clock ?? (() => Date.now());
  const robots = ops.robots ?? null;
  let current: Promise<unknown> = Promise.resolve();
  let running = false;
  let finishedAt = clock();
  const task: ScheduledTask = schedule('* * * * *', async () => {
    if (work.isStopping) return;
    running = true;
    const telegram = work.track('tick', 'daily summaries', () => summaries.tick()).then((r) => {
      if (r.due > 0) logger.info({ event: 'summary_tick', ...r }, 'daily summary tick');
    }).catch((error: unknown) => logger.error({ event: 'summary_tick_failed', err: logError(error) }, 'daily summary tick failed'));
    const mirrored = robots ? work.track('tick', 'robot summaries', () => robots.tick()).then((r) => {
      if (r.due > 0) logger.info({ event: 'robot_summary_tick', ...r }, 'robot summary tick');
    }).catch((error: unknown) => logger.error({ event: 'robot_summary_tick_failed', err: logError(error) }, 'robot summary tick failed')) : null;
    current = Promise.all([telegram, mirrored]).then(() => undefined)
      .finally(() => {
        running = false;
        finishedAt = clock();
      });
    await current;
  }, { noOverlap: true, name: 'daily-summaries', suppressMissedWarning: true });
  return {
    async stop() {
      summaries.stop();
      robots?.stop();
      await task.stop();
      await current;
    },
    lastAliveAt: () => (running ? clock() : finishedAt),
  };
}
