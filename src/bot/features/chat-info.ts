import { Composer } from 'grammy';
import { answerShops, answerStart } from '../../conversation/chat-info.js';
import { answerReason } from '../../conversation/reasons.js';
import type { AdminCheck } from '../admin.js';
import { fromChat, type BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { telegramTurn } from '../telegram-turn.js';

/** /start, /help, /shops and /reason, answered by the conversation every platform shares. */
export function chatInfoFeature(deps: BotDeps, isAdmin: AdminCheck): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const chats = feature.filter(fromChat);
  chats.command('start', (ctx) => answerStart(telegramTurn(ctx, isAdmin)));
  feature.command('help', (ctx) => ctx.reply(ctx.tr.t('bot-help'), { parse_mode: 'HTML' }));
  chats.command('shops', (ctx) => answerShops(deps.store, telegramTurn(ctx, isAdmin)));
  chats.command('reason', (ctx) => answerReason(deps, telegramTurn(ctx, isAdmin), ctx.match));
  return feature;
}
