import { GrammyError, InputFile, type Api } from 'grammy';
import { renderDailySummary } from '../core/render/summary.js';
import { logError, type Logger } from '../logger.js';
import type { Metrics } from '../ops/metrics.js';
import type { Claim } from '../store/claims.js';
import type { Schedule } from '../store/schedules.js';
import { daySummary, type DaySummaryDeps } from '../use-cases/day-summary.js';
import { DailyTick, type Builder, type DailyTickDeps, type Due, type TickCounts } from './daily-tick.js';
import { noPacing, type Pacer } from './pacer.js';

export interface DailySummaryDeps extends DaySummaryDeps, DailyTickDeps {
  /** Counts summaries sent, failed and paused for /metrics. */
  metrics?: Metrics;
  api: Api;
  logger: Logger;
  pacer?: Pacer;
}

type Outcome = 'sent' | 'failed' | 'paused';

export type TickResult = TickCounts<Outcome>;

/** A chat's summary, ready to send. */
interface Built { text: string; png: Buffer | null; caption: string }

/** Telegram's limit for a photo caption; a longer summary goes as its own message after the picture. */
const CAPTION_LIMIT = 1024;
/** Summaries built ahead of the one being sent, so pictures render while sends wait for their turn. */
const LOOKAHEAD = 8;

/**
 * The morning summaries, one DailyTick per minute: the chats whose local send time has come
 * today, each claimed per (chat, local day), built and sent one at a time (paced), a few built
 * ahead. A chat that blocked or removed the bot is paused until the bot is back.
 */
export class DailySummaries extends DailyTick<Schedule, Built, Outcome> {
  constructor(private readonly deps: DailySummaryDeps) {
    super({ ...deps, claims: deps.store.schedules.claims, outcomes: ['sent', 'failed', 'paused'], ahead: LOOKAHEAD, lanes: 1 });
  }

  /** Chats with the summary on. */
  protected scheduled(): Promise<Schedule[]> {
    return this.deps.store.schedules.active();
  }

  protected subject(schedule: Schedule): string {
    return schedule.chatId;
  }

  protected builder(): Builder<Schedule, Built> {
    return { build: ({ item, date }, now) => this.build(item.chatId, date, now) };
  }

  protected unbuilt({ item, date }: Due<Schedule>, error: unknown): null {
    this.deps.logger.error({ event: 'summary_build_failed', chat: item.chatId, date, err: logError(error) }, 'summary not built');
    return null;
  }

  /** The chat is gone: nothing counted. */
  protected nothing(): null {
    return null;
  }

  private async build(chatId: string, date: string, now: number): Promise<Built | null> {
    const built = await daySummary(this.deps, chatId, date, now, { picture: true });
    if (!built) return null;
    const { tr, summary, context, png, strategies } = built;
    if (!summary) return { text: tr.t('summary-no-data'), png: null, caption: '' };
    const text = renderDailySummary(summary, tr, context, strategies);
    return { text, png, caption: tr.t('summary-trend-caption') };
  }

  protected async send(due: Due<Schedule>, built: Built, claim: Claim): Promise<Outcome> {
    const outcome = await this.post(due.item.chatId, due.date, built, claim);
    this.deps.metrics?.summaries.inc({ result: outcome });
    return outcome;
  }

  private async post(chatId: string, date: string, p: Built, claim: Claim): Promise<Outcome> {
    const { api, store, logger } = this.deps;
    const pacer = this.deps.pacer ?? noPacing;
    try {
      if (p.png && p.text.length <= CAPTION_LIMIT) {
        await pacer.wait();
        await api.sendPhoto(chatId, new InputFile(p.png, 'trend.png'), { caption: p.text, parse_mode: 'HTML' });
      } else {
        if (p.png) {
          await pacer.wait();
          await api.sendPhoto(chatId, new InputFile(p.png, 'trend.png'), { caption: p.caption });
        }
        await pacer.wait();
        await api.sendMessage(chatId, p.text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
      }
      await claim.sent(new Date(this.deps.clock()).toISOString());
      logger.info({ event: 'summary_sent', chat: chatId, date }, 'daily summary sent');
      return 'sent';
    } catch (error) {
      const code = error instanceof GrammyError ? error.error_code : null;
      if (code === 403 || (code === 400 && /chat not found/i.test((error as GrammyError).description))) {
        await store.chats.setPaused(chatId, true);
        await claim.failed();
        logger.warn({ event: 'summary_paused', chat: chatId, code }, 'bot blocked or removed: daily summary paused');
        return 'paused';
      }
      // A flood wait passes: the summary is released and the next tick tries again.
      if (code !== null && code >= 400 && code < 500 && code !== 429) {
        await claim.failed();
      } else {
        await claim.release();
      }
      logger.error({ event: 'summary_failed', chat: chatId, code, err: logError(error) }, 'daily summary not sent');
      return 'failed';
    }
  }
}
