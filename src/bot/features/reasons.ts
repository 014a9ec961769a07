import { Composer } from 'grammy';
import { CATEGORIES, isCategory } from '../../core/reasons/categories.js';
import type { AdminCheck } from '../admin.js';
import { fromChat, type BotContext, type ChatContext } from '../context.js';
import type { BotDeps } from '../deps.js';

/** `"a reason text" category`, the text in straight or curly quotes, or without them when the category ends the line. */
const TEACH = /^\s*(?:["“”'‘’「『](.+?)["“”'‘’」』]|(.+?))\s+([a-z_]+)\s*$/s;
const REMOVE = /^\s*remove\s+(?:["“”'‘’「『](.+?)["“”'‘’」』]|(.+?))\s*$/s;


/**
 * /reason: a group teaches the bot the reason texts it does not know (listed under /rate's
 * reasons). `/reason "Payment overdue" unpaid` maps a text to a category for this chat, past
 * orders included; `/reason list` shows the chat's mappings; `/reason remove "text"` forgets one.
 * Anyone may list; teaching and forgetting change the figures, so they are for admins.
 */
export function reasonsFeature(deps: BotDeps, isAdmin: AdminCheck): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const chats = feature.filter(fromChat);

  chats.command('reason', async (ctx) => {
    const args = typeof ctx.match === 'string' ? ctx.match.trim() : '';
    if (args === '' || args === 'list') return list(ctx);
    if (!(await isAdmin(ctx))) return void (await ctx.reply(ctx.tr.t('bot-admins-only')));
    const removal = REMOVE.exec(args);
    if (removal) {
      const text = (removal[1] ?? removal[2] ?? '').trim();
      const changed = await deps.store.teachReason(ctx.chatSettings.id, text, null, ctx.from ? String(ctx.from.id) : null);
      return void (await ctx.reply(changed === null ? ctx.tr.t('bot-reason-not-taught', { text }) : ctx.tr.t('bot-reason-removed', { text, orders: changed })));
    }
    const taught = TEACH.exec(args);
    const category = taught?.[3];
    const text = (taught?.[1] ?? taught?.[2] ?? '').trim();
    if (!taught || category === undefined || !isCategory(category) || text === '') return void (await ctx.reply(usage(ctx)));
    const changed = await deps.store.teachReason(ctx.chatSettings.id, text, category, ctx.from ? String(ctx.from.id) : null);
    deps.logger.info({ event: 'reason_taught', chat: ctx.chatSettings.id, category, orders: changed }, 'a chat taught a reason');
    await ctx.reply(ctx.tr.t('bot-reason-taught', { text, category: ctx.tr.t(`category-${category}`), orders: changed ?? 0 }));
  });

  async function list(ctx: ChatContext): Promise<void> {
    const mappings = await deps.store.reasonMappings.list(ctx.chatSettings.id);
    if (mappings.length === 0) return void (await ctx.reply(`${ctx.tr.t('bot-reason-none')}\n\n${usage(ctx)}`));
    const lines = mappings.map((m) => ctx.tr.t('bot-reason-line', { text: m.text, category: ctx.tr.t(`category-${m.category}`), id: m.category }));
    await ctx.reply([ctx.tr.t('bot-reason-list-title'), ...lines].join('\n'));
  }

  const usage = (ctx: ChatContext) =>
    ctx.tr.t('bot-reason-usage', { categories: CATEGORIES.map((c) => `${c} (${ctx.tr.t(`category-${c}`)})`).join(', ') });

  return feature;
}
