import { schedule, type ScheduledTask } from 'node-cron';
import { logError, type Logger } from '../logger.js';
import type { DailySummaries } from './daily-summaries.js';
import type { RobotSummaries } from './robot-summaries.js';

/**
 * One tick a minute. Ticks never overlap: a morning's fan-out to many chats can outlast a
 * minute, and the next tick simply finds fewer chats still due. The groups' robots get their
 * copies beside the Telegram fan-out, not after it.
 */
export function startDailyTicks(summaries: DailySummaries, logger: Logger, robots: RobotSummaries | null = null): { stop(): Promise<void> } {
  let current: Promise<unknown> = Promise.resolve();
  const task: ScheduledTask = schedule('* * * * *', async () => {
    const telegram = summaries.tick().then((r) => {
      if (r.due > 0) logger.info({ event: 'summary_tick', ...r }, 'daily summary tick');
    }).catch((error: unknown) => logger.error({ event: 'summary_tick_failed', err: logError(error) }, 'daily summary tick failed'));
    const mirrored = robots?.tick().then((r) => {
      if (r.due > 0) logger.info({ event: 'robot_summary_tick', ...r }, 'robot summary tick');
    }).catch((error: unknown) => logger.error({ event: 'robot_summary_tick_failed', err: logError(error) }, 'robot summary tick failed'));
    current = Promise.all([telegram, mirrored]);
    await current;
  }, { noOverlap: true, name: 'daily-summaries', suppressMissedWarning: true });
  return {
    async stop() {
      summaries.stop();
      robots?.stop();
      await task.stop();
      await current;
    },
  };
}
