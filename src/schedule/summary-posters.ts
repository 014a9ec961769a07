import { GrammyError, InputFile, type Api } from 'grammy';
import type { PostResult } from '../conversation/platform.js';
import { renderDailySummary } from '../core/render/summary.js';
import type { DaySummary } from '../use-cases/day-summary.js';
import type { Pacer } from './pacer.js';

/** Posts a chat's summary on one platform (the chat's own id there). */
export type SummaryPoster = (chatId: string, summary: DaySummary) => Promise<PostResult>;

/** Telegram's limit for a photo caption; a longer summary goes as its own message after the picture. */
const CAPTION_LIMIT = 1024;

/**
 * Telegram: the summary as an HTML message, under its picture when it fits a caption. A chat
 * that blocked or removed the bot (403, chat not found) is gone; a flood wait passes.
 */
export function telegramSummaryPoster(api: Api, pacer: Pacer): SummaryPoster {
  return async (chatId, built) => {
    const { tr, summary, context, png, strategies } = built;
    const text = summary ? renderDailySummary(summary, tr, context, strategies) : tr.t('summary-no-data');
    try {
      if (png && summary && text.length <= CAPTION_LIMIT) {
        await pacer.wait();
        await api.sendPhoto(chatId, new InputFile(png, 'trend.png'), { caption: text, parse_mode: 'HTML' });
      } else {
        if (png && summary) {
          await pacer.wait();
          await api.sendPhoto(chatId, new InputFile(png, 'trend.png'), { caption: tr.t('summary-trend-caption') });
        }
        await pacer.wait();
        await api.sendMessage(chatId, text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
      }
      return { outcome: 'sent' };
    } catch (error) {
      const code = error instanceof GrammyError ? error.error_code : null;
      if (code === 403 || (code === 400 && /chat not found/i.test((error as GrammyError).description))) return { outcome: 'gone', code };
      // A flood wait passes: the next tick tries again. Another 4xx will not pass today.
      const permanent = code !== null && code >= 400 && code < 500 && code !== 429;
      return { outcome: permanent ? 'failed' : 'retry', code, error };
    }
  };
}
