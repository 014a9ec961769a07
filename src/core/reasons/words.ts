/**
 * Text as the cue matcher reads it: case, width, Latin accents, punctuation and spacing folded,
 * English contractions spelled out ("didn't" → "did not") so that negations are one word.
 * Scripts written without spaces (Chinese, Japanese, Thai) are matched as substrings of the
 * compact form; every other script word by word.
 */
export interface Words {
  /** Words in order; empty for text with no letters or digits. */
  tokens: readonly string[];
  /** The words joined without spaces, for scripts that do not separate words. */
  compact: string;
}

/**
 * Combining marks of Latin letters (U+0300–U+036F: acute, grave, tilde, horn, dot below …).
 * Only these are dropped: Thai vowel signs and Japanese voicing marks live elsewhere and keep
 * their meaning, so stripping accents never merges two words of those scripts.
 */
const LATIN_MARKS = /[\u0300-\u036f]/g;
/** `n't` spelled out, so "hasn't paid" and "has not paid" are the same words. */
const CONTRACTION = /n['’`´]t\b/g;
/** Apostrophes end a word (French `l'acheteur`, `n'a`); every other mark or symbol is a space. */
const SEPARATORS = /[\p{P}\p{S}\p{Z}\s]+/gu;

export function wordsOf(text: string): Words {
  const folded = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(CONTRACTION, ' not')
    .replace(/ß/g, 'ss')
    .replace(/đ/g, 'd')
    .normalize('NFD')
    .replace(LATIN_MARKS, '')
    .normalize('NFC')
    .replace(SEPARATORS, ' ')
    .trim();
  const tokens = folded === '' ? [] : folded.split(' ');
  return { tokens, compact: tokens.join('') };
}

/**
 * Reason keys of the Partner API (`seller_cancel_unpaid_reason_out_of_stock`) name the order's
 * state and who cancelled before the reason itself: "unpaid" in such a prefix is the state the
 * order was in, not the cause. Only the part after the prefix is read for cues.
 */
const KEY = /^[a-z0-9_()/,.-]+$/i;
const KEY_PREFIXES = [
  /^.*?_reason_/i,
  /^(?:system|operator|seller|buyer|platform)_cancel_(?:order_)?/i,
];

export function causeOfKey(text: string): string {
  // Full-width keys (typed with a Chinese input method) are keys too; a key may also sit among other words.
  return text.normalize('NFKC').split(/\s+/).map((chunk) => {
    if (!KEY.test(chunk) || !chunk.includes('_')) return chunk;
    for (const prefix of KEY_PREFIXES) if (prefix.test(chunk)) return chunk.replace(prefix, '');
    return chunk;
  }).join(' ');
}

/** True for words of scripts written without spaces between words (Han, kana, Thai). */
export const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
