import { Composer } from 'grammy';
import { addDays, canonicalTimeZone, localDateTime, localDay } from '../../core/metrics/days.js';
import { percent } from '../../core/render/markup.js';
import { parseThreshold } from '../../core/render/text.js';
import { isLocale, type Locale } from '../../core/render/translator.js';
import type { AdminCheck } from '../admin.js';
import { commandArgs } from '../args.js';
import { setChatCommandMenu } from '../commands.js';
import { fromChat, type BotContext, type ChatContext } from '../context.js';
import type { BotDeps } from '../deps.js';

/** /lang, /tz, /threshold and /daily: group admins only, each answering with what it now is. */
export function settingsFeature(deps: BotDeps, isAdmin: AdminCheck): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const chats = feature.filter(fromChat);

  const adminOnly = (command: string, handle: (ctx: ChatContext, args: string[]) => Promise<void>) =>
    chats.command(command, async (ctx) => {
        if (!(await isAdmin(ctx))) {
        await ctx.reply(ctx.tr.t('bot-admins-only'));
        return;
      }
      await handle(ctx, commandArgs(ctx.match));
    });

  adminOnly('lang', async (ctx, [value]) => {
    const chat = ctx.chatSettings;
    if (value === undefined || !isLocale(value.toLowerCase())) return void (await ctx.reply(ctx.tr.t('bot-lang-usage')));
    const locale = value.toLowerCase() as Locale;
    await deps.store.chats.update(chat.id, { locale });
    chat.locale = locale;
    await ctx.reply(ctx.tr.t('bot-lang-set'));
    await setChatCommandMenu(ctx.api, chat.id, ctx.tr);
  });

  adminOnly('tz', async (ctx, [value]) => {
    const chat = ctx.chatSettings;
    if (value === undefined) return void (await ctx.reply(ctx.tr.t('bot-tz-usage', { timeZone: chat.timeZone })));
    const timeZone = canonicalTimeZone(value);
    if (!timeZone) return void (await ctx.reply(ctx.tr.t('bot-tz-bad', { value })));
    // Stored orders keep their days (an export's are the shop's own wall-clock days): only "today" moves.
    await deps.store.chats.update(chat.id, { timeZone });
    await ctx.reply(ctx.tr.t('bot-tz-set', { timeZone, today: localDay(deps.clock(), timeZone) }));
  });

  adminOnly('threshold', async (ctx, [value]) => {
    const chat = ctx.chatSettings;
    if (value === undefined) return void (await ctx.reply(ctx.tr.t('bot-threshold-usage', { threshold: percent(ctx.tr, chat.threshold) })));
    const threshold = parseThreshold(value);
    if (threshold === null) return void (await ctx.reply(ctx.tr.t('bot-threshold-bad', { value })));
    await deps.store.chats.update(chat.id, { threshold });
    await ctx.reply(ctx.tr.t('bot-threshold-set', { threshold: percent(ctx.tr, threshold) }));
  });

  // Anyone may ask what the daily summary is set to; changing it is for admins.
  chats.command('daily', async (ctx, next) => {
    const chat = ctx.chatSettings;
    if (commandArgs(ctx.match).length > 0) return next();
    const daily = await deps.store.chats.dailyTime(chat.id);
    if (!daily.time) return void (await ctx.reply(ctx.tr.t('bot-daily-status-off')));
    await ctx.reply(ctx.tr.t('bot-daily-status-on', { time: daily.time, timeZone: chat.timeZone, next: nextSendTime(deps.clock(), chat.timeZone, daily.time) }));
  });

  adminOnly('daily', async (ctx, [time = '', zone]) => {
    const chat = ctx.chatSettings;
    if (time.toLowerCase() === 'off') {
      await deps.store.chats.setDaily(chat.id, null);
      return void (await ctx.reply(ctx.tr.t('bot-daily-off')));
    }
    const at = clockTime(time);
    if (!at) return void (await ctx.reply(ctx.tr.t('bot-daily-bad-time', { value: time })));
    let timeZone = chat.timeZone;
    if (zone !== undefined) {
      const named = canonicalTimeZone(zone);
      if (!named) return void (await ctx.reply(ctx.tr.t('bot-tz-bad', { value: zone })));
      timeZone = named;
      await deps.store.chats.update(chat.id, { timeZone });
    }
    await deps.store.chats.setDaily(chat.id, at);
    await deps.store.chats.setPaused(chat.id, false);
    await ctx.reply(ctx.tr.t('bot-daily-on', { time: at, timeZone, next: nextSendTime(deps.clock(), timeZone, at) }));
  });

  return feature;
}

/** `8:30` or `08:30` → `08:30`; null for anything that is not a time of day. */
export function clockTime(text: string): string | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2])];
  return h <= 23 && min <= 59 ? `${String(h).padStart(2, '0')}:${m[2]}` : null;
}

/** The next local `YYYY-MM-DD HH:MM` at which a summary set for `time` goes out. */
export function nextSendTime(now: number, timeZone: string, time: string): string {
  const local = localDateTime(now, timeZone);
  const today = local.slice(0, 10);
  return `${local.slice(11, 16) < time ? today : addDays(today, 1)} ${time}`;
}
