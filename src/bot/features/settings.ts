import { Composer } from 'grammy';
import { isTimeZone, localDay } from '../../core/metrics/days.js';
import { percent } from '../../core/render/text.js';
import { isLocale, type Locale, type Translator } from '../../core/render/translator.js';
import type { AdminCheck } from '../admin.js';
import { commandArgs } from '../args.js';
import { setChatCommandMenu } from '../commands.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';

/** /lang, /tz and /threshold: group admins only, each answering with what it now is. */
export function settingsFeature(deps: BotDeps, isAdmin: AdminCheck, translators: Record<Locale, Translator>): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  const adminOnly = (command: string, handle: (ctx: BotContext, args: string[]) => Promise<void>) =>
    feature.command(command, async (ctx) => {
      if (!ctx.chatSettings) return;
      if (!(await isAdmin(ctx))) {
        await ctx.reply(ctx.t('bot-admins-only'));
        return;
      }
      await handle(ctx, commandArgs(ctx.match));
    });

  adminOnly('lang', async (ctx, [value]) => {
    const chat = ctx.chatSettings;
    if (!chat || value === undefined || !isLocale(value.toLowerCase())) return void (await ctx.reply(ctx.t('bot-lang-usage')));
    const locale = value.toLowerCase() as Locale;
    await deps.store.chats.update(chat.id, { locale });
    chat.locale = locale;
    ctx.i18n.useLocale(locale);
    ctx.tr = translators[locale];
    await ctx.reply(ctx.t('bot-lang-set'));
    await setChatCommandMenu(ctx.api, chat.id, translators[locale]);
  });

  adminOnly('tz', async (ctx, [value]) => {
    const chat = ctx.chatSettings;
    if (!chat) return;
    if (value === undefined) return void (await ctx.reply(ctx.t('bot-tz-usage', { timeZone: chat.timeZone })));
    if (!isTimeZone(value)) return void (await ctx.reply(ctx.t('bot-tz-bad', { value })));
    const timeZone = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
    await deps.store.chats.update(chat.id, { timeZone });
    await ctx.reply(ctx.t('bot-tz-set', { timeZone, today: localDay(deps.clock(), timeZone) }));
  });

  adminOnly('threshold', async (ctx, [value]) => {
    const chat = ctx.chatSettings;
    if (!chat) return;
    if (value === undefined) return void (await ctx.reply(ctx.t('bot-threshold-usage', { threshold: percent(ctx.tr, chat.threshold) })));
    const number = Number(value.replace('%', '').replace(',', '.'));
    if (!Number.isFinite(number) || number < 0.1 || number > 50) return void (await ctx.reply(ctx.t('bot-threshold-bad', { value })));
    const threshold = number / 100;
    await deps.store.chats.update(chat.id, { threshold });
    await ctx.reply(ctx.t('bot-threshold-set', { threshold: percent(ctx.tr, threshold) }));
  });

  return feature;
}
