import { Composer, GrammyError, InlineKeyboard } from 'grammy';
import { translator } from '../../i18n.js';
import type { LinkingDeps } from '../../use-cases/shop-linking.js';
import type { AdminCheck } from '../admin.js';
import { commandArgs } from '../args.js';
import { fromChat, type BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { CHOOSE, offerShops } from '../telegram.js';

const UNLINK = 'ul';

/** /link, /code, the shop buttons and /unlink. */
export function linkFeature(deps: BotDeps, isAdmin: AdminCheck, link: LinkingDeps | null): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const chats = feature.filter(fromChat);

  chats.command(['link', 'unlink', 'code'], async (ctx, next) => {
    if (!link) return void (await ctx.reply(ctx.tr.t('bot-link-disabled')));
    if (ctx.msg.text?.startsWith('/code') === true) return next();
    if (!(await isAdmin(ctx))) return void (await ctx.reply(ctx.tr.t('bot-admins-only')));
    await next();
  });

  if (!link) return feature;

  chats.command('link', async (ctx) => {
    const chat = ctx.chatSettings;
    const user = ctx.from;
    if (!user) return;
    const url = await link.linking.start(chat.id, String(user.id));
    const title = ctx.chat.type === 'private' ? user.first_name : ctx.chat.title;
    const text = [ctx.tr.t('bot-link-private', { chat: title }), ctx.tr.t(link.hasCallback ? 'bot-link-return' : 'bot-link-paste')].join('\n\n');
    try {
      await ctx.api.sendMessage(user.id, text, { reply_markup: new InlineKeyboard().url(ctx.tr.t('bot-link-button'), url) });
    } catch (error) {
      if (error instanceof GrammyError && error.error_code === 403) return void (await ctx.reply(ctx.tr.t('bot-link-start-private')));
      throw error;
    }
    if (ctx.chat.type !== 'private') await ctx.reply(ctx.tr.t('bot-link-sent-private'));
  });

  chats.command('code', async (ctx) => {
    const user = ctx.from;
    const [code] = commandArgs(ctx.match);
    if (!user || ctx.chat.type !== 'private' || !code) return;
    await offerShops(ctx.api, ctx.tr, String(user.id), await link.linking.complete(code, { userId: String(user.id) }));
  });

  chats.callbackQuery(new RegExp(`^${CHOOSE}:([\\w-]+):(\\d+)$`), async (ctx) => {
    const [, state = '', shopRef = ''] = ctx.match;
    const chosen = await link.linking.choose(state, String(ctx.from.id), shopRef);
    await ctx.answerCallbackQuery();
    if (!chosen) return void (await ctx.editMessageText(ctx.tr.t('bot-link-invalid')));
    await ctx.editMessageText(ctx.tr.t('bot-link-done-private', { shop: chosen.name }));
    const group = await deps.store.chats.find(chosen.chatId);
    if (group && group.id !== String(ctx.from.id)) await ctx.api.sendMessage(group.id, translator(group.locale).t('bot-link-done-group', { shop: chosen.name }));
    deps.logger.info({ event: 'shop_linked', chat: chosen.chatId, shop: chosen.shopId }, 'shop linked');
    link.syncSoon(chosen.shopId);
  });

  chats.command('unlink', async (ctx) => {
    const chat = ctx.chatSettings;
    const linked = await deps.store.shops.names(chat.id, 'api');
    const name = commandArgs(ctx.match).join(' ');
    const shop = (await deps.store.shops.byName(chat.id, name));
    if (!shop) return void (await ctx.reply(ctx.tr.t('bot-unlink-usage', { shops: linked.join(', ') || ctx.tr.t('bot-no-shops') })));
    await ctx.reply(ctx.tr.t('bot-unlink-confirm', { shop: name }), {
      reply_markup: new InlineKeyboard().text(ctx.tr.t('bot-unlink-keep'), `${UNLINK}:${shop}:keep`).text(ctx.tr.t('bot-unlink-drop'), `${UNLINK}:${shop}:drop`),
    });
  });

  chats.callbackQuery(new RegExp(`^${UNLINK}:(\\d+):(keep|drop)$`), async (ctx) => {
    const chat = ctx.chatSettings;
    if (!(await isAdmin(ctx))) return void (await ctx.answerCallbackQuery({ text: ctx.tr.t('bot-admins-only'), show_alert: true }));
    await ctx.answerCallbackQuery();
    const shopId = Number(ctx.match[1]);
    const shop = await deps.store.shops.find(shopId);
    if (!shop || shop.chatId !== chat.id) return;
    await deps.store.unlinkShop(shopId, ctx.match[2] === 'drop');
    // An authorization still open for the shop holds the seller's tokens too: they go with the link.
    await deps.store.linkStates.deleteSessionsOfShop(chat.id, shop.ref);
    deps.logger.info({ event: 'shop_unlinked', chat: chat.id, shop: shopId, dropped: ctx.match[2] === 'drop' }, 'shop unlinked');
    await ctx.editMessageText(ctx.tr.t('bot-unlink-done', { shop: shop.name }));
  });

  return feature;
}
