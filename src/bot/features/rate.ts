import { Composer } from 'grammy';
import { answerProducts, answerRate } from '../../conversation/reports.js';
import type { AdminCheck } from '../admin.js';
import { fromChat, type BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { telegramTurn } from '../telegram-turn.js';

/** /rate and /products, answered by the conversation every platform shares. */
export function rateFeature(deps: BotDeps, isAdmin: AdminCheck): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const chats = feature.filter(fromChat);
  const reportDeps = { ...deps, refreshChat: deps.linking?.refreshChat };
  chats.command('rate', (ctx) => answerRate(reportDeps, telegramTurn(ctx, isAdmin), ctx.match));
  chats.command('products', (ctx) => answerProducts(reportDeps, telegramTurn(ctx, isAdmin), ctx.match));
  return feature;
}
