import type { Api } from 'grammy';
import { robotMessages } from '../core/render/robots.js';
import { logError, type Logger } from '../logger.js';
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
}

export interface RobotTickResult { due: number; sent: number; failed: number; paused: number; deferred: number; skipped: boolean }

const DEFAULT_LEASE_MS = 10 * 60_000;

/**
 * The daily summary mirrored into each group's robots, as DailySummaries sends it to the group:
 * at the chat's local time, claimed per (robot, local day) in one statement so that one
 * instance sends it, once. A robot whose signature or keyword check refuses, or that was
 * removed, is paused and its group told once; a rate-limited robot is left alone until the
 * service's wait is over, and a robot that could not be reached is tried again the next minute.
 */
export class RobotSummaries {
  private running = false;
  private stopping = false;

  constructor(private readonly deps: RobotSummaryDeps) {}

  async tick(): Promise<RobotTickResult> {
    const result: RobotTickResult = { due: 0, sent: 0, failed: 0, paused: 0, deferred: 0, skipped: false };
    if (this.running) return { ...result, skipped: true };
    this.running = true;
    try {
      const due = await this.dueNow();
      result.due = due.length;
      // Robots of one chat share one summary (and one picture).
      const byChat = new Map<string, Array<{ robot: ScheduledRobot; date: string }>>();
      for (const item of due) {
        const key = `${item.robot.chatId}|${item.date}`;
        const items = byChat.get(key);
        if (items) items.push(item);
        else byChat.set(key, [item]);
      }
      for (const items of byChat.values()) {
        let built: Promise<DaySummary | null> | null = null;
        for (const { robot, date } of items) {
          if (this.stopping) return result;
          const outcome = await this.deliver(robot, date, () => (built ??= this.build(robot.chatId, date, items.some((i) => i.robot.service === 'wecom'))));
          if (outcome) result[outcome]++;
        }
      }
      return result;
    } finally {
      this.running = false;
    }
  }

  /** Asks a running tick to stop after the robot being sent to. */
  stop(): void {
    this.stopping = true;
  }

  private async dueNow(): Promise<Array<{ robot: ScheduledRobot; date: string }>> {
    const { robots } = this.deps.store;
    const now = this.deps.clock();
    const nowIso = new Date(now).toISOString();
    // A rate-limited robot sits out the service's wait.
    const ready = (await robots.scheduled()).filter((r) => r.retryAt === null || r.retryAt <= nowIso);
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
      case 'network':
        await store.robots.release(robot.id, date, instance);
        logger.warn({ event: 'robot_unreachable', ...log, answer }, 'robot not reached: next tick tries again');
        return 'deferred';
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
