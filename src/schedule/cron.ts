import { schedule, type ScheduledTask } from 'node-cron';
import { logError, type Logger } from '../logger.js';
import type { DailySummaries } from './daily-summaries.js';

/**
 * One tick a minute. Ticks never overlap: a morning's fan-out to many chats can outlast a
 * minute, and the next tick simply finds fewer chats still due.
 */
export function startDailyTicks(summaries: DailySummaries, logger: Logger): { stop(): Promise<void> } {
  let current: Promise<unknown> = Promise.resolve();
  const task: ScheduledTask = schedule('* * * * *', async () => {
    current = summaries.tick().then((r) => {
      if (r.due > 0) logger.info({ event: 'summary_tick', ...r }, 'daily summary tick');
    }).catch((error: unknown) => logger.error({ event: 'summary_tick_failed', err: logError(error) }, 'daily summary tick failed'));
    await current;
  }, { noOverlap: true, name: 'daily-summaries', suppressMissedWarning: true });
  return {
    async stop() {
      summaries.stop();
      await task.stop();
      await current;
    },
  };
}
