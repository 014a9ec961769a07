/**
 * Catalogue text (product names, variations) made safe to show: names come in any script, with
 * emoji and line breaks, and some run past 300 characters. They are cut by what a reader sees:
 * whole grapheme clusters (a Thai vowel mark or an emoji sequence is never split) and display
 * width (a CJK character or an emoji takes two columns, as on a phone screen).
 */

/** Made on first use: a report without product names (most CLI reports) never needs it, and making one takes ICU about 10 ms. */
let graphemes: Intl.Segmenter | null = null;
const segmenter = () => (graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' }));

/** Characters that take two columns: CJK, Hangul, full-width forms, pictographic emoji. */
const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{20000}-\u{3FFFD}]|\p{Extended_Pictographic}/u;
/** Control, line-separator and bidirectional-override characters: shown as nothing but able to break a layout. */
const INVISIBLE = /[\p{Cc}\p{Zl}\p{Zp}\u200E\u200F\u202A-\u202E\u2066-\u2069]+/gu;

export const ELLIPSIS = '…';

/** Columns a text takes on screen. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const { segment } of segmenter().segment(text)) width += WIDE.test(segment) ? 2 : 1;
  return width;
}

/** One line of at most `maxWidth` columns: control characters and runs of spaces folded, the end cut with `…`. */
export function shorten(text: string, maxWidth: number): string {
  const flat = text.replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
  if (displayWidth(flat) <= maxWidth) return flat;
  let out = '';
  let width = 0;
  for (const { segment } of segmenter().segment(flat)) {
    const w = WIDE.test(segment) ? 2 : 1;
    if (width + w > maxWidth - 1) break;
    out += segment;
    width += w;
  }
  return `${out.trimEnd()}${ELLIPSIS}`;
}
