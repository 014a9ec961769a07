import { schedule } from 'node-cron';
import { logError, type Logger } from '../logger.js';
import { WorkTracker } from '../ops/work.js';
import type { DailySummaries } from './daily-summaries.js';
import type { RobotSummaries } from './robot-summaries.js';

export interface DailyTicks {
  stop(): Promise<void>;
  /**
   * When the last tick finished, or while one runs, now; the start time before the first (ms).
   * With several ticks, the one longest silent: a stuck one must show.
   */
  lastAliveAt(): number;
}

/** Calls `run` at the start of every minute until stopped (a test turns the minutes by hand). */
export type EveryMinute = (name: string, run: () => Promise<void>) => { stop(): void | Promise<void> };

export const cronEveryMinute: EveryMinute = (name, run) => schedule('* * * * *', run, { noOverlap: true, name, suppressMissedWarning: true });

/** Something sent daily, found due by a tick each minute (the Telegram summaries, the robots' copies). */
interface Ticking {
  tick(): Promise<{ due: number }>;
  /** Asks a running tick to stop early. */
  stop(): void;
}

interface Job { stop(): Promise<void>; lastAliveAt(): number }

/**
 * Each kind of daily send has its own minute tick, so a slow one (robots behind a dead network
 * wait out their timeouts) never holds up another: the groups' Telegram summaries go out on
 * time whatever their robots do. A tick never overlaps itself: a morning's fan-out can outlast
 * a minute, and the next tick simply finds fewer items still due.
 */
export function startDailyTicks(
  summaries: DailySummaries, logger: Logger,
  ops: { work?: WorkTracker; clock?: () => number; robots?: RobotSummaries | null; everyMinute?: EveryMinute } = {},
): DailyTicks {
  const work = ops.work ?? new WorkTracker();
  const clock = ops.clock ?? (() => Date.now());
  const every = ops.everyMinute ?? cronEveryMinute;
  const start = (name: string, ticking: Ticking, log: { label: string; event: string; message: string }): Job => {
    let current: Promise<void> = Promise.resolve();
    let running = false;
    let finishedAt = clock();
    const task = every(name, async () => {
      if (work.isStopping || running) return;
      running = true;
      current = work.track('tick', log.label, () => ticking.tick())
        .then((r) => {
          if (r.due > 0) logger.info({ event: log.event, ...r }, log.message);
        })
        .catch((error: unknown) => logger.error({ event: `${log.event}_failed`, err: logError(error) }, `${log.message} failed`))
        .finally(() => {
          running = false;
          finishedAt = clock();
        });
      await current;
    });
    return {
      async stop() {
        ticking.stop();
        await task.stop();
        await current;
      },
      lastAliveAt: () => (running ? clock() : finishedAt),
    };
  };
  const jobs = [start('daily-summaries', summaries, { label: 'daily summaries', event: 'summary_tick', message: 'daily summary tick' })];
  if (ops.robots) jobs.push(start('robot-summaries', ops.robots, { label: 'robot summaries', event: 'robot_summary_tick', message: 'robot summary tick' }));
  return {
    async stop() {
      await Promise.all(jobs.map((job) => job.stop()));
    },
    lastAliveAt: () => Math.min(...jobs.map((job) => job.lastAliveAt())),
  };
}
