import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FluentBundle, FluentResource } from '@fluent/bundle';
import type { Locale, Translator } from './core/render/translator.js';

/** The project's `locales/` folder, found from this module whether it runs from src/ or dist/. */
export function localesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'locales', 'en.ftl'))) return join(dir, 'locales');
    const up = dirname(dir);
    if (up === dir) throw new Error('locales/ not found next to the program');
    dir = up;
  }
}

export function loadFtl(locale: Locale, dir = localesDir()): string {
  return readFileSync(join(dir, `${locale}.ftl`), 'utf8');
}

/** A translator over one Fluent source; errors in the source fail loudly at start-up. */
export function translatorFromFtl(locale: Locale, ftl: string): Translator {
  // Isolation marks would land inside HTML and copy-pasted figures; our values are never bidi.
  const bundle = new FluentBundle(locale, { useIsolating: false });
  const errors = bundle.addResource(new FluentResource(ftl));
  if (errors.length > 0) throw new Error(`locales/${locale}.ftl: ${errors.map((e) => e.message).join('; ')}`);
  return {
    locale,
    has: (key) => bundle.hasMessage(key),
    t(key, args) {
      const message = bundle.getMessage(key);
      if (!message?.value) return key;
      return bundle.formatPattern(message.value, args);
    },
  };
}

const cache = new Map<Locale, Translator>();

/**
 * The one way to translate: the process's translator for a locale, read from disk once. The bot's
 * `ctx.tr`, the CLI, the summaries and the callback page all come here.
 */
export function translator(locale: Locale): Translator {
  let tr = cache.get(locale);
  if (!tr) cache.set(locale, (tr = translatorFromFtl(locale, loadFtl(locale))));
  return tr;
}
