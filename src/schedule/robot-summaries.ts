import type { Api } from 'grammy';
import { robotMessages } from '../core/render/robots.js';
import { logError, type Logger } from '../logger.js';
import { backoffMs, type Backoff } from '../robots/backoff.js';
import type { ScheduledRobot } from '../store/robot-targets.js';
import { daySummary, dueToday, type DaySummary } from '../use-cases/day-summary.js';
import { describeAnswer, openRobot, robotContent, type RobotDeps } from '../use-cases/robot-targets.js';

export interface RobotSummaryDeps extends RobotDeps {
  /** Tells a group, once, that one of its robots was paused. */
  api: Api;
  clock: () => number;
  logger: Logger;
  /** This process's name in claims, unique among the instances sharing the database. */
  instance: string;
  /** A claim older than this whose summary was never sent is taken to be abandoned. */
  leaseMs?: number;
  /** Robots posted to at once. */
  concurrency?: number;
  /** How long a robot that could not be reached is left alone. */
  backoff?: Backoff;
}

/** A robot whose summary for a local date is due. */
interface Due { robot: ScheduledRobot; date: string }

export interface RobotTickResult { due: number; sent: number; failed: number; paused: number; deferred: number; skipped: boolean }

const DEFAULT_LEASE_MS = 10 * 60_000;
/** Enough that a few dead robots cost one timeout, not one each; few enough to stay a light neighbour on a shared host. */
const DEFAULT_CONCURRENCY = 4;

/**
 * The daily summary mirrored into each group's robots, as DailySummaries sends it to the group:
 * at the chat's local time, claimed per (robot, local day) in one statement so that one
 * instance sends it, once. A robot whose signature or keyword check refuses, or that was
 * removed, is paused and its group told once; a rate-limited robot is left alone until the
 * service's wait is over, and a robot that could not be reached is tried again after a wait that
 * doubles with each failure in a row, up to an hour. The retry time is stored, so every instance
 * and a restart keep the wait; the count of failures is this process's, so after a restart the
 * waits grow again from a minute. Several robots are posted to at once, within a bound.
 */
export class RobotSummaries {
  private running = false;
  private stopping = false;
  /** Failures in a row of each robot that could not be reached, ended by any answer. */
  private readonly unreachable = new Map<number, number>();

  constructor(private readonly deps: RobotSummaryDeps) {}

  async tick(): Promise<RobotTickResult> {
    const result: RobotTickResult = { due: 0, sent: 0, failed: 0, paused: 0, deferred: 0, skipped: false };
    if (this.running) return { ...result, skipped: true };
    this.running = true;
    try {
      const due = await this.dueNow();
      result.due = due.length;
      // Robots of one chat share one summary (and one picture, built if any of them shows it), let
      // go once the last of them is done: a big morning holds a few chats' pictures, not all.
      const keyOf = (item: Due) => `${item.robot.chatId}|${item.date}`;
      const pictured = new Set(due.filter((i) => i.robot.service === 'wecom').map(keyOf));
      const left = new Map<string, number>();
      for (const item of due) left.set(keyOf(item), (left.get(keyOf(item)) ?? 0) + 1);
      const builds = new Map<string, Promise<DaySummary | null>>();
      const buildFor = (key: string, item: Due) => {
        let built = builds.get(key);
        if (!built) builds.set(key, built = this.build(item.robot.chatId, item.date, pictured.has(key)));
        return built;
      };
      // A chat's robots side by side, so its summary is let go soon after it is built.
      const ordered = [...due].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
      await eachWithin(ordered, this.deps.concurrency ?? DEFAULT_CONCURRENCY, async (item) => {
        if (this.stopping) return;
        const key = keyOf(item);
        try {
          const outcome = await this.deliver(item.robot, item.date, () => buildFor(key, item));
          if (outcome) result[outcome]++;
        } finally {
          const remaining = (left.get(key) ?? 1) - 1;
          left.set(key, remaining);
          if (remaining === 0) builds.delete(key);
        }
      });
      return result;
    } finally {
      this.running = false;
    }
  }

  /** Asks a running tick to stop after the robots being sent to. */
  stop(): void {
    this.stopping = true;
  }

  private async dueNow(): Promise<Due[]> {
    const { robots } = this.deps.store;
    const now = this.deps.clock();
    const nowIso = new Date(now).toISOString();
    const scheduled = await robots.scheduled();
    // A stored retry time cleared (by this instance or another) ends a streak; a robot no longer scheduled needs none.
    const failing = new Set(scheduled.filter((r) => r.retryAt !== null).map((r) => r.id));
    for (const id of this.unreachable.keys()) if (!failing.has(id)) this.unreachable.delete(id);
    // A rate-limited or unreachable robot sits out its wait.
    const ready = scheduled.filter((r) => r.retryAt === null || r.retryAt <= nowIso);
    const due = await dueToday(ready, now, (r) => r.id, (from) => robots.settledSince(from));
    return due.map(({ item, date }) => ({ robot: item, date }));
  }

  private async build(chatId: string, date: string, picture: boolean): Promise<DaySummary | null> {
    return daySummary(this.deps, chatId, date, this.deps.clock(), { picture });
  }

  private async deliver(robot: ScheduledRobot, date: string, build: () => Promise<DaySummary | null>): Promise<'sent' | 'failed' | 'paused' | 'deferred' | null> {
    const { store, logger, instance, client } = this.deps;
    const now = this.deps.clock();
    const iso = (ms: number) => new Date(ms).toISOString();
    const claimed = await store.robots.claim(robot.id, date, instance, iso(now), iso(now - (this.deps.leaseMs ?? DEFAULT_LEASE_MS)));
    if (!claimed) return null;
    const log = { robot: robot.id, chat: robot.chatId, service: robot.service, date };
    let built: DaySummary | null;
    try {
      built = await build();
    } catch (error) {
      logger.error({ event: 'robot_summary_build_failed', ...log, err: logError(error) }, 'robot summary not built');
      await store.robots.release(robot.id, date, instance);
      return 'failed';
    }
    if (!built) {
      await store.robots.settle(robot.id, date, 'failed', iso(now));
      return 'failed';
    }
    let target;
    try {
      target = openRobot(this.deps.crypto, robot);
    } catch {
      // Sealed with another key (TOKEN_ENCRYPTION_KEY changed): only adding the robot again helps.
      logger.error({ event: 'robot_unsealable', ...log }, 'robot address cannot be unsealed with this key');
      await store.robots.settle(robot.id, date, 'failed', iso(now));
      return 'failed';
    }
    const { result, extraFailures } = await client.sendAll(target, robotMessages(robot.service, robotContent(built), built.tr, built.png));
    const at = iso(this.deps.clock());
    if (result.ok || result.reason !== 'network') this.unreachable.delete(robot.id);
    for (const extra of extraFailures) logger.warn({ event: 'robot_picture_failed', ...log, answer: describeAnswer(extra) }, 'robot summary picture not sent');
    if (result.ok) {
      await store.robots.settle(robot.id, date, 'sent', at);
      if (robot.retryAt !== null || robot.lastError !== null) await store.robots.retryAt(robot.id, null, null);
      logger.info({ event: 'robot_summary_sent', ...log }, 'robot summary sent');
      return 'sent';
    }
    const answer = describeAnswer(result);
    switch (result.reason) {
      case 'security':
      case 'gone': {
        await store.robots.settle(robot.id, date, 'failed', at);
        // The service's answer is logged as it came: with a signature, clock skew is the usual cause.
        logger.warn({ event: 'robot_paused', ...log, reason: result.reason, answer }, 'robot refused: paused');
        if (await store.robots.pause(robot.id, result.reason, answer)) await this.tellGroup(robot, built, result.reason);
        return 'paused';
      }
      case 'rate-limited':
        await store.robots.retryAt(robot.id, iso(this.deps.clock() + result.retryAfterMs), answer);
        await store.robots.release(robot.id, date, instance);
        logger.warn({ event: 'robot_rate_limited', ...log, answer, retryInMs: result.retryAfterMs }, 'robot rate-limited: waiting');
        return 'deferred';
      case 'network': {
        const failures = (this.unreachable.get(robot.id) ?? 0) + 1;
        this.unreachable.set(robot.id, failures);
        const waitMs = backoffMs(failures, this.deps.backoff);
        await store.robots.retryAt(robot.id, iso(this.deps.clock() + waitMs), answer);
        await store.robots.release(robot.id, date, instance);
        logger.warn({ event: 'robot_unreachable', ...log, answer, failures, retryInMs: waitMs }, 'robot not reached: trying again later');
        return 'deferred';
      }
      case 'refused':
        await store.robots.settle(robot.id, date, 'failed', at);
        await store.robots.retryAt(robot.id, null, answer);
        logger.error({ event: 'robot_summary_refused', ...log, answer }, 'robot refused the summary');
        return 'failed';
    }
  }

  private async tellGroup(robot: ScheduledRobot, built: DaySummary, reason: 'security' | 'gone'): Promise<void> {
    const { tr } = built;
    const n = (await this.deps.store.robots.list(robot.chatId)).findIndex((r) => r.id === robot.id) + 1;
    try {
      await this.deps.api.sendMessage(robot.chatId, tr.t('bot-push-paused-notice', {
        service: tr.t(`robot-service-${robot.service}`), address: robot.address, why: tr.t(`robot-failure-${reason}`), n,
      }), { link_preview_options: { is_disabled: true } });
    } catch (error) {
      this.deps.logger.warn({ event: 'robot_pause_notice_failed', chat: robot.chatId, robot: robot.id, err: logError(error) }, 'group not told of a paused robot');
    }
  }
}

/**
 * Runs `work` on each item, at most `limit` at a time. A failure ends only its own lane and is
 * thrown once every lane has ended, so nothing still runs when the tick reports it.
 */
async function eachWithin<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  const ended = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  const failed = ended.find((e) => e.status === 'rejected');
  if (failed) throw failed.reason;
}
