import type { Category } from './categories.js';
import { REASON_TABLE } from './table.js';

/**
 * Folds the differences sellers' files show for the same reason: case, width, spacing,
 * punctuation and symbols. Letters and digits of every script are kept, so Chinese and Thai
 * phrases stay distinct.
 */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\p{P}\p{S}\p{Z}\s]+/gu, '');
}

const BY_PHRASE: ReadonlyMap<string, Category> = new Map(
  REASON_TABLE.flatMap(({ category, phrases }) => phrases.map((p) => [normalizeText(p), category] as const)),
);

/** The category of a cancel reason; unknown or missing text is `other`. */
export function classifyReason(text: string | null | undefined): Category {
  if (!text) return 'other';
  return BY_PHRASE.get(normalizeText(text)) ?? 'other';
}

/** True when a reason text is in the table (used to tell which decoding of a file reads its words). */
export function isKnownReason(text: string): boolean {
  return BY_PHRASE.has(normalizeText(text));
}
