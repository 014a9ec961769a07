import type { Api } from 'grammy';
import { robotMessages } from '../robots/formats.js';
import { logError, type Logger } from '../logger.js';
import { backoffMs, type Backoff } from '../robots/backoff.js';
import type { Claim } from '../store/claims.js';
import type { ScheduledRobot } from '../store/robot-targets.js';
import { daySummary, type DaySummary } from '../use-cases/day-summary.js';
import { describeAnswer, openRobot, robotContent, type RobotDeps } from '../use-cases/robot-targets.js';
import { DailyTick, type Builder, type DailyTickDeps, type Due, type TickCounts } from './daily-tick.js';

export interface RobotSummaryDeps extends RobotDeps, DailyTickDeps {
  /** Tells a group, once, that one of its robots was paused. */
  api: Api;
  logger: Logger;
  /** Robots posted to at once. */
  concurrency?: number;
  /** How long a robot that could not be reached is left alone. */
  backoff?: Backoff;
}

type Outcome = 'sent' | 'failed' | 'paused' | 'deferred';

export type RobotTickResult = TickCounts<Outcome>;

/** Enough that a few dead robots cost one timeout, not one each; few enough to stay a light neighbour on a shared host. */
const DEFAULT_CONCURRENCY = 4;

/**
 * The daily summary mirrored into each group's robots, a DailyTick as DailySummaries is: at the
 * chat's local time, claimed per (robot, local day), so that one instance sends it, once. A
 * robot whose signature or keyword check refuses, or that was removed, is paused and its group
 * told once; a rate-limited robot is left alone until the service's wait is over, and a robot
 * that could not be reached is tried again after a wait that doubles with each failure in a
 * row, up to an hour. The retry time is stored, so every instance and a restart keep the wait;
 * the count of failures is this process's, so after a restart the waits grow again from a
 * minute. Several robots are posted to at once, within a bound.
 */
export class RobotSummaries extends DailyTick<ScheduledRobot, DaySummary, Outcome> {
  /** Failures in a row of each robot that could not be reached, ended by any answer. */
  private readonly unreachable = new Map<number, number>();

  constructor(private readonly deps: RobotSummaryDeps) {
    const lanes = deps.concurrency ?? DEFAULT_CONCURRENCY;
    super({ ...deps, claims: deps.store.robots.claims, outcomes: ['sent', 'failed', 'paused', 'deferred'], ahead: lanes, lanes });
  }

  /** Robots not paused nor waiting, a chat's side by side, so its summary is let go soon after it is built. */
  protected async scheduled(now: number): Promise<ScheduledRobot[]> {
    const nowIso = new Date(now).toISOString();
    const scheduled = await this.deps.store.robots.scheduled();
    // A stored retry time cleared (by this instance or another) ends a streak; a robot no longer scheduled needs none.
    const failing = new Set(scheduled.filter((r) => r.retryAt !== null).map((r) => r.id));
    for (const id of this.unreachable.keys()) if (!failing.has(id)) this.unreachable.delete(id);
    // A rate-limited or unreachable robot sits out its wait.
    const ready = scheduled.filter((r) => r.retryAt === null || r.retryAt <= nowIso);
    return ready.sort((a, b) => a.chatId.localeCompare(b.chatId));
  }

  protected subject(robot: ScheduledRobot): number {
    return robot.id;
  }

  /**
   * Robots of one chat share one summary (and one picture, built if any of them shows it), let
   * go once the last of them is done: a big morning holds a few chats' pictures, not all.
   */
  protected builder(due: ReadonlyArray<Due<ScheduledRobot>>): Builder<ScheduledRobot, DaySummary> {
    const keyOf = ({ item, date }: Due<ScheduledRobot>) => `${item.chatId}|${date}`;
    const pictured = new Set(due.filter((d) => d.item.service === 'wecom').map(keyOf));
    const left = new Map<string, number>();
    for (const d of due) left.set(keyOf(d), (left.get(keyOf(d)) ?? 0) + 1);
    const builds = new Map<string, Promise<DaySummary | null>>();
    return {
      build: (d, now) => {
        const key = keyOf(d);
        let built = builds.get(key);
        if (!built) builds.set(key, built = daySummary(this.deps, d.item.chatId, d.date, now, { picture: pictured.has(key) }));
        return built;
      },
      done: (d) => {
        const key = keyOf(d);
        const remaining = (left.get(key) ?? 1) - 1;
        left.set(key, remaining);
        if (remaining === 0) builds.delete(key);
      },
    };
  }

  protected unbuilt({ item, date }: Due<ScheduledRobot>, error: unknown): Outcome {
    this.deps.logger.error({ event: 'robot_summary_build_failed', ...logOf(item, date), err: logError(error) }, 'robot summary not built');
    return 'failed';
  }

  /** The chat is gone. */
  protected nothing(): Outcome {
    return 'failed';
  }

  protected async send({ item: robot, date }: Due<ScheduledRobot>, built: DaySummary, claim: Claim): Promise<Outcome> {
    const { store, logger, client } = this.deps;
    const iso = (ms: number) => new Date(ms).toISOString();
    const log = logOf(robot, date);
    let target;
    try {
      target = openRobot(this.deps.crypto, robot);
    } catch {
      // Sealed with another key (TOKEN_ENCRYPTION_KEY changed): only adding the robot again helps.
      logger.error({ event: 'robot_unsealable', ...log }, 'robot address cannot be unsealed with this key');
      await claim.failed();
      return 'failed';
    }
    const { result, extraFailures } = await client.sendAll(target, robotMessages(robot.service, robotContent(built), built.tr, built.png));
    const at = iso(this.deps.clock());
    if (result.ok || result.reason !== 'network') this.unreachable.delete(robot.id);
    for (const extra of extraFailures) logger.warn({ event: 'robot_picture_failed', ...log, answer: describeAnswer(extra) }, 'robot summary picture not sent');
    if (result.ok) {
      await claim.sent(at);
      if (robot.retryAt !== null || robot.lastError !== null) await store.robots.retryAt(robot.id, null, null);
      logger.info({ event: 'robot_summary_sent', ...log }, 'robot summary sent');
      return 'sent';
    }
    const answer = describeAnswer(result);
    switch (result.reason) {
      case 'security':
      case 'gone': {
        await claim.failed();
        // The service's answer is logged as it came: with a signature, clock skew is the usual cause.
        logger.warn({ event: 'robot_paused', ...log, reason: result.reason, answer }, 'robot refused: paused');
        if (await store.robots.pause(robot.id, result.reason, answer)) await this.tellGroup(robot, built, result.reason);
        return 'paused';
      }
      case 'rate-limited':
        await store.robots.retryAt(robot.id, iso(this.deps.clock() + result.retryAfterMs), answer);
        await claim.release();
        logger.warn({ event: 'robot_rate_limited', ...log, answer, retryInMs: result.retryAfterMs }, 'robot rate-limited: waiting');
        return 'deferred';
      case 'network': {
        const failures = (this.unreachable.get(robot.id) ?? 0) + 1;
        this.unreachable.set(robot.id, failures);
        const waitMs = backoffMs(failures, this.deps.backoff);
        await store.robots.retryAt(robot.id, iso(this.deps.clock() + waitMs), answer);
        await claim.release();
        logger.warn({ event: 'robot_unreachable', ...log, answer, failures, retryInMs: waitMs }, 'robot not reached: trying again later');
        return 'deferred';
      }
      case 'refused':
        await claim.failed();
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

const logOf = (robot: ScheduledRobot, date: string) => ({ robot: robot.id, chat: robot.chatId, service: robot.service, date });
