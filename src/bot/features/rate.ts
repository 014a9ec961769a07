import { Composer } from 'grammy';
import { parseWindowSpec, type WindowSpec } from '../../core/metrics/window.js';
import { syncLagLines } from '../../core/render/sync-lag.js';
import { chatReport } from '../../use-cases/chat-report.js';
import { commandArgs } from '../args.js';
import { fromChat, type BotContext, type ChatContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { replyWithReport } from '../replies.js';

const DEFAULT_WINDOW: WindowSpec = { kind: 'last', days: 7 };

/**
 * `/rate [window] [shop]`: the window first or last, the rest a shop's name (names may hold
 * spaces). Anything that is neither gets an answer saying what would work.
 */
export function parseRateArgs(words: readonly string[], shops: readonly string[]): { ok: true; spec: WindowSpec; shop?: string } | { ok: false; bad: string } {
  const first = words[0] === undefined ? null : parseWindowSpec(words[0]);
  const last = words.length > 1 && words[words.length - 1] !== undefined ? parseWindowSpec(words[words.length - 1] ?? '') : null;
  const spec = first ?? last ?? DEFAULT_WINDOW;
  const rest = first ? words.slice(1) : last ? words.slice(0, -1) : words;
  if (rest.length === 0) return { ok: true, spec };
  const shop = rest.join(' ');
  if (shops.includes(shop)) return { ok: true, spec, shop };
  return { ok: false, bad: shop };
}

/**
 * A command's `[window] [shop]` read as /rate reads them, the chat's linked shops brought up to
 * date (waiting a short while at most, then saying which shops' figures may be behind); null
 * after answering an argument that is neither, with what would work.
 */
export async function windowAndShop(ctx: ChatContext, match: string, deps: BotDeps): Promise<{ spec: WindowSpec; shop?: string } | null> {
  const shops = await deps.store.shops.names(ctx.chatSettings.id);
  const args = parseRateArgs(commandArgs(match), shops);
  if (!args.ok) {
    await ctx.reply(ctx.tr.t('bot-bad-rate-argument', { value: args.bad, shops: shops.join(', ') || ctx.tr.t('bot-no-shops') }));
    return null;
  }
  const lag = (await deps.linking?.refreshChat(ctx.chatSettings.id)) ?? [];
  // Said before the figures, so nobody reads a stored report as live.
  if (lag.length > 0) await ctx.reply(syncLagLines(ctx.tr, lag, deps.clock()).join('\n'));
  return args;
}

export function rateFeature(deps: BotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const chats = feature.filter(fromChat);
  chats.command('rate', async (ctx) => {
    const chat = ctx.chatSettings;
    const args = await windowAndShop(ctx, ctx.match, deps);
    if (!args) return;
    const result = await chatReport(deps.store, chat, args.spec, ctx.tr, deps.clock(), args.shop, deps.productMinOrders);
    if (!result.dataRange) {
      await ctx.reply(ctx.tr.t('bot-no-data'));
      return;
    }
    const r = result.report;
    if (r.orders === 0 && r.unpaidExpired === 0) {
      await ctx.reply(ctx.tr.t('bot-no-data-window', {
        from: r.window.from ?? '', to: r.window.to ?? '', dataFrom: result.dataRange.from, dataTo: result.dataRange.to,
      }));
      return;
    }
    await replyWithReport(ctx, result, chat.threshold, deps.renderTrend);
  });
  return feature;
}
