import { I18n } from '@grammyjs/i18n';
import { LOCALES, localeOf, type Locale, type Translator } from '../core/render/translator.js';
import { loadFtl, translator } from '../i18n.js';
import type { BotContext } from './context.js';

/**
 * grammY's i18n plugin (`ctx.t`) over the same Fluent files the CLI reads, and the core's
 * translators (`ctx.tr`, for the renderers) over the same files. Replies follow the chat's
 * language, not the sender's: groups share one language, set with /lang.
 */
export function createI18n(): { i18n: I18n<BotContext>; translators: Record<Locale, Translator> } {
  const i18n = new I18n<BotContext>({
    defaultLocale: 'en',
    // HTML replies: isolation marks would land inside tags and copied figures.
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: (ctx) => ctx.chatSettings?.locale ?? localeOf(ctx.from?.language_code),
  });
  for (const locale of LOCALES) i18n.loadLocaleSync(locale, { source: loadFtl(locale) });
  const translators = Object.fromEntries(LOCALES.map((locale) => [locale, translator(locale)])) as Record<Locale, Translator>;
  return { i18n, translators };
}
