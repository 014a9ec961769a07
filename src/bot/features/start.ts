import { Composer } from 'grammy';
import { percent } from '../../core/render/markup.js';
import { fromChat, type BotContext } from '../context.js';

export function startFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const chats = feature.filter(fromChat);
  chats.command('start', async (ctx) => {
    const chat = ctx.chatSettings;
    await ctx.reply(ctx.tr.t('bot-welcome', { timeZone: chat.timeZone, threshold: percent(ctx.tr, chat.threshold) }));
  });
  feature.command('help', (ctx) => ctx.reply(ctx.tr.t('bot-help'), { parse_mode: 'HTML' }));
  return feature;
}
