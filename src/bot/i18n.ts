import { I18n } from '@grammyjs/i18n';
import { LOCALES, localeOf, type Locale, type Translator } from '../core/render/translator.js';
import { loadFtl } from '../i18n.js';
import type { BotContext } from './context.js';

/**
 * grammY's i18n plugin over the same Fluent files the CLI reads. Replies follow the chat's
 * language, not the sender's: groups share one language, set with /lang.
 */
export function createI18n(): { i18n: I18n<BotContext>; translators: Record<Locale, Translator> } {
  const i18n = new I18n<BotContext>({
    defaultLocale: 'en',
    // HTML replies: isolation marks would land inside tags and copied figures.
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: (ctx) => ctx.chatSettings?.locale ?? localeOf(ctx.from?.language_code),
  });
  const translators = {} as Record<Locale, Translator>;
  for (const locale of LOCALES) {
    const source = loadFtl(locale);
    i18n.loadLocaleSync(locale, { source });
    const keys = new Set(source.split('\n').map((line) => /^([a-zA-Z][\w-]*)\s*=/.exec(line)?.[1]).filter((k): k is string => Boolean(k)));
    translators[locale] = { locale, t: (key, args) => i18n.t(locale, key, args), has: (key) => keys.has(key) };
  }
  return { i18n, translators };
}
