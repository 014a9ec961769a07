import { Composer } from 'grammy';
import { escapeHtml } from '../../core/render/text.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';

export function shopsFeature(deps: BotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command('shops', async (ctx) => {
    const chat = ctx.chatSettings;
    if (!chat) return;
    const shops = await deps.store.orders.shops(chat.id);
    if (shops.length === 0) return void (await ctx.reply(ctx.t('bot-no-data')));
    const lines = [ctx.t('bot-shops-title'), ...shops.map((s) => s.orders === 0
      ? ctx.t('bot-shop-line-empty', { shop: escapeHtml(s.name) })
      : ctx.t('bot-shop-line', {
        shop: escapeHtml(s.name), orders: s.orders, from: s.firstDay ?? '', to: s.lastDay ?? '',
        lastImport: s.lastImportAt ? s.lastImportAt.slice(0, 16).replace('T', ' ') + ' UTC' : '—',
      }))];
    await ctx.reply(lines.join('\n'), { parse_mode: 'HTML' });
  });
  return feature;
}
