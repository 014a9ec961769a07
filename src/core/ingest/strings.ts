/**
 * String helpers for the import's hot path. Cells are cut out of large chunks of file text,
 * and V8 may keep a cut-out string as a view on its chunk: an order id held for the whole
 * import would then keep its whole chunk alive, and memory would grow with the file.
 */

/** A copy of `s` that does not keep the text it was cut from alive. */
export function detach(s: string): string {
  // Short strings are always copied by V8; longer ones are flattened by the concatenation.
  if (s.length < 13) return s;
  const joined = ` ${s}`;
  joined.charCodeAt(1);
  return joined.slice(1);
}

/**
 * Caches a text → value function. Export columns such as status or fulfilment type take a
 * handful of distinct values over thousands of rows, so each is normalized once, not per row.
 */
export function memo<T>(fn: (text: string) => T, capacity = 512): (text: string) => T {
  const cache = new Map<string, T>();
  // Most rows repeat the row before (a column is mostly "Completed", mostly blank), and the rest
  // one of a few texts: comparing with the last few is cheaper than hashing the freshly cut text
  // for the map. A text of another length fails the comparison at once.
  const recentTexts: Array<string | null> = [null, null, null, null];
  const recentValues: Array<T | undefined> = [undefined, undefined, undefined, undefined];
  let next = 0;
  return (text) => {
    for (let i = 0; i < RECENT; i++) if (text === recentTexts[i]) return recentValues[i] as T;
    let value = cache.get(text);
    // A value may itself be undefined (a text no table knows): only then is the map asked twice.
    if (value === undefined && (cache.size >= capacity || !cache.has(text))) {
      value = fn(text);
      if (cache.size < capacity) cache.set(detach(text), value);
    }
    if (text.length < 64) {
      recentTexts[next] = text;
      recentValues[next] = value;
      next = (next + 1) % RECENT;
    }
    return value as T;
  };
}

/** How many of its last distinct texts a memo compares a text with before its map. */
const RECENT = 4;

/**
 * Caches a text → value function's last answer only: for columns whose values rarely repeat
 * across orders but do across an order's lines (its times), which the parser hands on as the
 * same string.
 */
export function memoLast<T>(fn: (text: string) => T): (text: string) => T {
  let lastText: string | null = null;
  let lastValue!: T;
  return (text) => {
    if (text !== lastText) {
      lastValue = fn(text);
      lastText = text;
    }
    return lastValue;
  };
}

/** One shared, detached copy of each distinct text (reasons, who cancelled), however many rows repeat it. */
export function interner(capacity = 4096): (text: string) => string {
  const seen = new Map<string, string>();
  // As in memo: the row before is the likeliest match, and comparing costs less than hashing.
  let last = '';
  return (text) => {
    if (text === last) return last;
    const held = seen.get(text);
    if (held !== undefined) return (last = held);
    const copy = detach(text);
    if (seen.size < capacity) seen.set(copy, copy);
    return (last = copy);
  };
}
