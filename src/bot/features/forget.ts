import { Composer, InlineKeyboard } from 'grammy';
import type { AdminCheck } from '../admin.js';
import { fromChat, type BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';

const YES = 'forget:yes';
const NO = 'forget:no';

/** /forget asks first; only an admin's press of the button deletes anything. */
export function forgetFeature(deps: BotDeps, isAdmin: AdminCheck): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const chats = feature.filter(fromChat);
  chats.command('forget', async (ctx) => {
    if (!(await isAdmin(ctx))) return void (await ctx.reply(ctx.tr.t('bot-admins-only')));
    const keyboard = new InlineKeyboard().text(ctx.tr.t('bot-forget-yes'), YES).text(ctx.tr.t('bot-forget-no'), NO);
    await ctx.reply(ctx.tr.t('bot-forget-confirm'), { reply_markup: keyboard });
  });
  chats.callbackQuery([YES, NO], async (ctx) => {
    const chat = ctx.chatSettings;
    if (!(await isAdmin(ctx))) return void (await ctx.answerCallbackQuery({ text: ctx.tr.t('bot-admins-only'), show_alert: true }));
    await ctx.answerCallbackQuery();
    if (ctx.callbackQuery.data === NO) return void (await ctx.editMessageText(ctx.tr.t('bot-forget-kept')));
    await deps.store.forgetChat(chat.id);
    deps.logger.info({ event: 'chat_forgotten', chat: chat.id }, 'chat data deleted');
    await ctx.editMessageText(ctx.tr.t('bot-forget-done'));
  });
  return feature;
}
