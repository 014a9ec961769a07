import { GrammyError, InputFile, type Api } from 'grammy';
import { renderDailySummary } from '../core/render/summary.js';
import { logError, type Logger } from '../logger.js';
import type { Metrics } from '../ops/metrics.js';
import type { Schedule } from '../store/schedules.js';
import { daySummary, dueToday, type DaySummaryDeps } from '../use-cases/day-summary.js';
import { noPacing, type Pacer } from './pacer.js';

export interface DailySummaryDeps extends DaySummaryDeps {
  /** Counts summaries sent, failed and paused for /metrics. */
  metrics?: Metrics;
  api: Api;
  clock: () => number;
  logger: Logger;
  /** This process's name in claims, unique among the instances sharing the database. */
  instance: string;
  pacer?: Pacer;
  /** A claim older than this whose summary was never sent is taken to be abandoned. */
  leaseMs?: number;
}

export interface TickResult { due: number; sent: number; failed: number; paused: number; skipped: boolean }

interface Prepared { chatId: string; date: string; text: string; png: Buffer | null; caption: string }

/** Telegram's limit for a photo caption; a longer summary goes as its own message after the picture. */
const CAPTION_LIMIT = 1024;
/** Summaries built ahead of the one being sent, so pictures render while sends wait for their turn. */
const LOOKAHEAD = 8;
const DEFAULT_LEASE_MS = 10 * 60_000;

/**
 * The morning summaries. Each minute's tick finds the chats whose local send time has come today
 * and whose summary for that local day is not settled, and for each: claims (chat, day) in the
 * database in one statement (only the claimant goes on), builds and sends the summary, marks it
 * sent. Several instances on one database therefore never post twice; a stopped instance's
 * unsent claims are taken over after the lease; a bot that was down at send time catches up the
 * same local day. One chat's failure never stops the others; a chat that blocked or removed the
 * bot is paused until the bot is back.
 */
export class DailySummaries {
  private running = false;
  private stopping = false;

  constructor(private readonly deps: DailySummaryDeps) {}

  async tick(): Promise<TickResult> {
    const result: TickResult = { due: 0, sent: 0, failed: 0, paused: 0, skipped: false };
    if (this.running) return { ...result, skipped: true };
    this.running = true;
    try {
      const due = await this.dueNow();
      result.due = due.length;
      const queue: Array<Promise<Prepared | null>> = [];
      let next = 0;
      const fill = () => {
        while (!this.stopping && queue.length < LOOKAHEAD && next < due.length) {
          const item = due[next++];
          if (item) queue.push(this.prepare(item.schedule, item.date));
        }
      };
      fill();
      while (queue.length > 0) {
        const prepared = await queue.shift();
        fill();
        if (!prepared) continue;
        if (this.stopping) {
          await this.deps.store.schedules.release(prepared.chatId, prepared.date, this.deps.instance);
          continue;
        }
        const outcome = await this.send(prepared);
        result[outcome]++;
        this.deps.metrics?.summaries.inc({ result: outcome });
      }
      return result;
    } finally {
      this.running = false;
    }
  }

  /** Asks a running tick to stop after the summary being sent; unsent claims are released. */
  stop(): void {
    this.stopping = true;
  }

  /** Chats whose send time has passed today (their local today) with no settled summary. */
  private async dueNow(): Promise<Array<{ schedule: Schedule; date: string }>> {
    const { schedules } = this.deps.store;
    const due = await dueToday(await schedules.active(), this.deps.clock(), (s) => s.chatId, (from) => schedules.settledSince(from));
    return due.map(({ item, date }) => ({ schedule: item, date }));
  }

  private async prepare(schedule: Schedule, date: string): Promise<Prepared | null> {
    const { store, instance } = this.deps;
    const now = this.deps.clock();
    const claimed = await store.schedules.claim(schedule.chatId, date, instance, new Date(now).toISOString(), new Date(now - (this.deps.leaseMs ?? DEFAULT_LEASE_MS)).toISOString());
    if (!claimed) return null;
    try {
      return await this.build(schedule.chatId, date, now);
    } catch (error) {
      this.deps.logger.error({ event: 'summary_build_failed', chat: schedule.chatId, date, err: logError(error) }, 'summary not built');
      await store.schedules.release(schedule.chatId, date, instance);
      return null;
    }
  }

  private async build(chatId: string, date: string, now: number): Promise<Prepared | null> {
    const built = await daySummary(this.deps, chatId, date, now, { picture: true });
    if (!built) return null;
    const { tr, summary, context, png, strategies } = built;
    if (!summary) return { chatId, date, text: tr.t('summary-no-data'), png: null, caption: '' };
    const text = renderDailySummary(summary, tr, context, strategies);
    return { chatId, date, text, png, caption: tr.t('summary-trend-caption') };
  }

  private async send(p: Prepared): Promise<'sent' | 'failed' | 'paused'> {
    const { api, store, logger, instance } = this.deps;
    const pacer = this.deps.pacer ?? noPacing;
    try {
      if (p.png && p.text.length <= CAPTION_LIMIT) {
        await pacer.wait();
        await api.sendPhoto(p.chatId, new InputFile(p.png, 'trend.png'), { caption: p.text, parse_mode: 'HTML' });
      } else {
        if (p.png) {
          await pacer.wait();
          await api.sendPhoto(p.chatId, new InputFile(p.png, 'trend.png'), { caption: p.caption });
        }
        await pacer.wait();
        await api.sendMessage(p.chatId, p.text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
      }
      await store.schedules.markSent(p.chatId, p.date, new Date(this.deps.clock()).toISOString());
      logger.info({ event: 'summary_sent', chat: p.chatId, date: p.date }, 'daily summary sent');
      return 'sent';
    } catch (error) {
      const code = error instanceof GrammyError ? error.error_code : null;
      if (code === 403 || (code === 400 && /chat not found/i.test((error as GrammyError).description))) {
        await store.chats.setPaused(p.chatId, true);
        await store.schedules.markFailed(p.chatId, p.date);
        logger.warn({ event: 'summary_paused', chat: p.chatId, code }, 'bot blocked or removed: daily summary paused');
        return 'paused';
      }
      // A flood wait passes: the summary is released and the next tick tries again.
      if (code !== null && code >= 400 && code < 500 && code !== 429) {
        await store.schedules.markFailed(p.chatId, p.date);
      } else {
        await store.schedules.release(p.chatId, p.date, instance);
      }
      logger.error({ event: 'summary_failed', chat: p.chatId, code, err: logError(error) }, 'daily summary not sent');
      return 'failed';
    }
  }
}
