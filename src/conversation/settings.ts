import { addDays, canonicalTimeZone, localDateTime, localDay } from '../core/metrics/days.js';
import { percent } from '../core/render/markup.js';
import { parseThreshold } from '../core/render/text.js';
import { isLocale, type Locale } from '../core/render/translator.js';
import { translator } from '../i18n.js';
import type { Store } from '../store/store.js';
import { words } from './commands.js';
import type { Turn } from './turn.js';

export const SETTING_COMMANDS = ['lang', 'tz', 'threshold', 'daily'] as const;
export type SettingCommand = (typeof SETTING_COMMANDS)[number];

export interface SettingsDeps {
  store: Store;
  clock: () => number;
}

/**
 * /lang, /tz, /threshold and /daily, each answering with what it now is. Changing one is for
 * the chat's admins; anyone may ask what the daily summary is set to.
 */
export async function answerSetting(deps: SettingsDeps, turn: Turn, command: SettingCommand, args: string): Promise<void> {
  const [value, second] = words(args);
  if (command === 'daily' && value === undefined) return dailyStatus(deps, turn);
  if (!(await turn.isAdmin())) return void (await turn.replies.text(turn.tr.t('bot-admins-only')));
  const chat = turn.chat;
  const say = (key: string, params?: Record<string, string | number>) => turn.replies.text(turn.tr.t(key, params));
  switch (command) {
    case 'lang': {
      if (value === undefined || !isLocale(value.toLowerCase())) return say('bot-lang-usage');
      const locale = value.toLowerCase() as Locale;
      await deps.store.chats.update(chat.id, { locale });
      chat.locale = locale;
      // Answered in the new language.
      await turn.replies.text(translator(locale).t('bot-lang-set'));
      await turn.languageChanged?.();
      return;
    }
    case 'tz': {
      if (value === undefined) return say('bot-tz-usage', { timeZone: chat.timeZone });
      const timeZone = canonicalTimeZone(value);
      if (!timeZone) return say('bot-tz-bad', { value });
      // Stored orders keep their days (an export's are the shop's own wall-clock days): only "today" moves.
      await deps.store.chats.update(chat.id, { timeZone });
      chat.timeZone = timeZone;
      return say('bot-tz-set', { timeZone, today: localDay(deps.clock(), timeZone) });
    }
    case 'threshold': {
      if (value === undefined) return say('bot-threshold-usage', { threshold: percent(turn.tr, chat.threshold) });
      const threshold = parseThreshold(value);
      if (threshold === null) return say('bot-threshold-bad', { value });
      await deps.store.chats.update(chat.id, { threshold });
      chat.threshold = threshold;
      return say('bot-threshold-set', { threshold: percent(turn.tr, threshold) });
    }
    case 'daily': {
      const time = value ?? '';
      if (time.toLowerCase() === 'off') {
        await deps.store.chats.setDaily(chat.id, null);
        return say('bot-daily-off');
      }
      const at = clockTime(time);
      if (!at) return say('bot-daily-bad-time', { value: time });
      let timeZone = chat.timeZone;
      if (second !== undefined) {
        const named = canonicalTimeZone(second);
        if (!named) return say('bot-tz-bad', { value: second });
        timeZone = named;
        await deps.store.chats.update(chat.id, { timeZone });
        chat.timeZone = timeZone;
      }
      await deps.store.chats.setDaily(chat.id, at);
      await deps.store.chats.setPaused(chat.id, false);
      return say('bot-daily-on', { time: at, timeZone, next: nextSendTime(deps.clock(), timeZone, at) });
    }
  }
}

async function dailyStatus(deps: SettingsDeps, turn: Turn): Promise<void> {
  const chat = turn.chat;
  const daily = await deps.store.chats.dailyTime(chat.id);
  if (!daily.time) return void (await turn.replies.text(turn.tr.t('bot-daily-status-off')));
  await turn.replies.text(turn.tr.t('bot-daily-status-on', { time: daily.time, timeZone: chat.timeZone, next: nextSendTime(deps.clock(), chat.timeZone, daily.time) }));
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
