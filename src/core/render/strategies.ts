import type { Category } from '../reasons/categories.js';
import type { Translator } from './translator.js';

/** Strategies live in the locale files as `strategy-<category>-1` … `-4`. */
export const MAX_STRATEGIES = 4;

export function strategyItems(tr: Translator, category: Category): string[] {
  const items: string[] = [];
  for (let n = 1; n <= MAX_STRATEGIES; n++) {
    const key = `strategy-${category}-${n}`;
    if (tr.has(key)) items.push(tr.t(key));
  }
  return items;
}
