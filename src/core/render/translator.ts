/** Looks up a message of the reader's language; the render code never holds wording itself. */
export interface Translator {
  readonly locale: Locale;
  t(key: string, args?: Record<string, string | number>): string;
  has(key: string): boolean;
}

export const LOCALES = ['en', 'zh'] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

/** A Telegram or OS language tag → our locale: any Chinese variant reads Chinese, the rest English. */
export function localeOf(languageTag: string | undefined | null): Locale {
  return languageTag?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** The locale an environment asks for, by the usual precedence of LC_ALL, LC_MESSAGES and LANG. */
export function localeOfEnv(env: Record<string, string | undefined>): Locale {
  return localeOf(env['LC_ALL'] || env['LC_MESSAGES'] || env['LANG']);
}
