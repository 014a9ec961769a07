import { InputFile } from 'grammy';
import { MIN_TREND_DAYS } from '../core/metrics/trend.js';
import { renderReport } from '../core/render/text.js';
import { trendLabels } from '../chart/trend-chart.js';
import type { ChatReport } from '../use-cases/chat-report.js';
import type { BotContext } from './context.js';
import type { TrendRenderer } from './deps.js';

/** Sends a report as HTML messages under Telegram's limit, then its trend picture if it has one. */
export async function replyWithReport(ctx: BotContext, result: ChatReport, threshold: number, renderTrend: TrendRenderer): Promise<void> {
  for (const message of renderReport(result.report, ctx.tr, { html: true, threshold })) {
    await ctx.reply(message, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
  }
  if (result.trend.length < MIN_TREND_DAYS) return;
  const { from, to } = result.report.window;
  const png = await renderTrend(result.trend, threshold, trendLabels(ctx.tr, threshold));
  await ctx.replyWithPhoto(new InputFile(png, 'trend.png'), { caption: ctx.tr.t('bot-trend-caption', { from: from ?? '', to: to ?? '' }) });
}
