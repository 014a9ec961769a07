import type { Api } from 'grammy';
import { chatOfKey, type Platform } from '../conversation/platform.js';
import { logError, type Logger } from '../logger.js';
import type { Metrics } from '../ops/metrics.js';
import type { Claim } from '../store/claims.js';
import type { Schedule } from '../store/schedules.js';
import { daySummary, type DaySummary, type DaySummaryDeps } from '../use-cases/day-summary.js';
import { DailyTick, type Builder, type DailyTickDeps, type Due, type TickCounts } from './daily-tick.js';
import { noPacing, type Pacer } from './pacer.js';
import { telegramSummaryPoster, type SummaryPoster } from './summary-posters.js';

export interface DailySummaryDeps extends DaySummaryDeps, DailyTickDeps {
  /** Counts summaries sent, failed and paused for /metrics. */
  metrics?: Metrics;
  /** Telegram's Bot API, for Telegram chats' summaries. */
  api?: Api;
  /** How each other platform this process serves posts a summary. */
  posters?: Partial<Record<Platform, SummaryPoster>>;
  logger: Logger;
  /** Telegram's pace for its summaries (other platforms pace their own sends). */
  pacer?: Pacer;
}

type Outcome = 'sent' | 'failed' | 'paused';

export type TickResult = TickCounts<Outcome>;

/** Summaries built ahead of the one being sent, so pictures render while sends wait for their turn. */
const LOOKAHEAD = 8;

/**
 * The morning summaries, one DailyTick per minute: the chats whose local send time has come
 * today, each claimed per (chat, local day), built and sent one at a time (paced), a few built
 * ahead. Each platform's adapter gives the summary its shape and says how the post ended; a
 * chat whose platform says the bot is gone (blocked, removed) is paused until the bot is back.
 */
export class DailySummaries extends DailyTick<Schedule, DaySummary, Outcome> {
  private readonly posters: Partial<Record<Platform, SummaryPoster>>;

  constructor(private readonly deps: DailySummaryDeps) {
    super({ ...deps, claims: deps.store.schedules.claims, outcomes: ['sent', 'failed', 'paused'], ahead: LOOKAHEAD, lanes: 1 });
    const pacer = deps.pacer ?? noPacing;
    this.posters = { ...(deps.api ? { telegram: telegramSummaryPoster(deps.api, pacer) } : {}), ...deps.posters };
  }

  /** Chats with the summary on, of the platforms this process serves. */
  protected async scheduled(): Promise<Schedule[]> {
    return (await this.deps.store.schedules.active()).filter((s) => this.posters[chatOfKey(s.chatId).platform] !== undefined);
  }

  protected subject(schedule: Schedule): string {
    return schedule.chatId;
  }

  protected builder(): Builder<Schedule, DaySummary> {
    return { build: ({ item, date }, now) => daySummary(this.deps, item.chatId, date, now, { picture: true }) };
  }

  protected unbuilt({ item, date }: Due<Schedule>, error: unknown): null {
    this.deps.logger.error({ event: 'summary_build_failed', chat: item.chatId, date, err: logError(error) }, 'summary not built');
    return null;
  }

  /** The chat is gone: nothing counted. */
  protected nothing(): null {
    return null;
  }

  protected async send(due: Due<Schedule>, built: DaySummary, claim: Claim): Promise<Outcome> {
    const outcome = await this.post(due.item.chatId, due.date, built, claim);
    this.deps.metrics?.summaries.inc({ result: outcome });
    return outcome;
  }

  private async post(chatId: string, date: string, summary: DaySummary, claim: Claim): Promise<Outcome> {
    const { store, logger } = this.deps;
    const { platform, id } = chatOfKey(chatId);
    const poster = this.posters[platform];
    if (!poster) {
      await claim.release();
      return 'failed';
    }
    const { outcome, code, error } = await poster(id, summary);
    switch (outcome) {
      case 'sent':
        await claim.sent(new Date(this.deps.clock()).toISOString());
        logger.info({ event: 'summary_sent', chat: chatId, date }, 'daily summary sent');
        return 'sent';
      case 'gone':
        await store.chats.setPaused(chatId, true);
        await claim.failed();
        logger.warn({ event: 'summary_paused', chat: chatId, platform, code }, 'bot blocked or removed: daily summary paused');
        return 'paused';
      case 'retry':
      case 'failed':
        // A rate limit or an outage passes: the summary is released and the next tick tries again.
        if (outcome === 'retry') await claim.release();
        else await claim.failed();
        logger.error({ event: 'summary_failed', chat: chatId, platform, code, err: logError(error) }, 'daily summary not sent');
        return 'failed';
    }
  }
}
