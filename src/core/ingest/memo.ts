/**
 * Caches a text → value function. Export columns such as status or fulfilment type take a
 * handful of distinct values over thousands of rows, so each is normalized once, not per row.
 */
export function memo<T>(fn: (text: string) => T, capacity = 512): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    let value = cache.get(text);
    if (value === undefined && !cache.has(text)) {
      value = fn(text);
      if (cache.size < capacity) cache.set(text, value);
    }
    return value as T;
  };
}
