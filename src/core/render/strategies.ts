import type { ProductLine } from '../metrics/products.js';
import type { Category } from '../reasons/categories.js';
import { productStrategy } from './products.js';
import type { Translator } from './translator.js';

/** Strategies live in the locale files as `strategy-<category>-1` … `-4`. */
export const MAX_STRATEGIES = 4;

/** A category's strategies; where `products` show one product behind it, a strategy naming it comes first. */
export function strategyItems(tr: Translator, category: Category, products: readonly ProductLine[] = []): string[] {
  const specific = productStrategy(tr, category, products);
  const items: string[] = specific ? [specific] : [];
  for (let n = 1; n <= MAX_STRATEGIES; n++) {
    const key = `strategy-${category}-${n}`;
    if (tr.has(key)) items.push(tr.t(key));
  }
  return items;
}
