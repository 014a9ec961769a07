import type { EventEmitter } from 'node:events';

/**
 * The first value `emitter` emits as `event` that matches, or the first of `past` that does;
 * rejects with `what` after `timeoutMs`. The fakes' waitFor… helpers are this, over their own events.
 */
export function firstMatch<T>(emitter: EventEmitter, event: string, past: readonly T[], match: (value: T) => boolean, timeoutMs: number, what: () => string): Promise<T> {
  const found = past.find(match);
  if (found !== undefined) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { emitter.off(event, onValue); reject(new Error(what())); }, timeoutMs);
    const onValue = (value: T) => {
      if (!match(value)) return;
      clearTimeout(timer);
      emitter.off(event, onValue);
      resolve(value);
    };
    emitter.on(event, onValue);
  });
}
