import { Composer } from 'grammy';
import { escapeHtml } from '../../core/render/markup.js';
import { fromChat, type BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';

export function shopsFeature(deps: BotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const chats = feature.filter(fromChat);
  chats.command('shops', async (ctx) => {
    const chat = ctx.chatSettings;
    const shops = await deps.store.shops.list(chat.id);
    if (shops.length === 0) return void (await ctx.reply(ctx.tr.t('bot-no-data')));
    const when = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : ctx.tr.t('bot-shop-never'));
    const lines = [ctx.tr.t('bot-shops-title')];
    for (const s of shops) {
      if (s.source === 'api') {
        lines.push(ctx.tr.t('bot-shop-line-linked', {
          shop: escapeHtml(s.name), orders: s.orders, lastSync: when(s.lastSyncAt),
          expiry: s.refreshExpiresAt === null ? '—' : when(new Date(s.refreshExpiresAt * 1000).toISOString()),
        }));
      } else if (s.orders === 0) {
        lines.push(ctx.tr.t('bot-shop-line-empty', { shop: escapeHtml(s.name) }));
      } else {
        lines.push(ctx.tr.t('bot-shop-line', { shop: escapeHtml(s.name), orders: s.orders, from: s.firstDay ?? '', to: s.lastDay ?? '', lastImport: when(s.lastImportAt) }));
      }
    }
    await ctx.reply(lines.join('\n'), { parse_mode: 'HTML' });
  });
  return feature;
}
