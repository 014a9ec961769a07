/**
 * Spaces sends so they stay under Telegram's broadcast limit (about 30 messages a second across
 * all chats): each `wait()` resolves no sooner than 1/rate seconds after the previous one.
 */
export interface Pacer {
  wait(): Promise<void>;
}

export function ratePacer(perSecond: number, clock: () => number = () => performance.now()): Pacer {
  const interval = 1000 / perSecond;
  let next = 0;
  return {
    async wait() {
      const now = clock();
      const at = Math.max(now, next);
      next = at + interval;
      if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
    },
  };
}

/** No pacing: tests, and bots that send one message at a time anyway. */
export const noPacing: Pacer = { wait: () => Promise.resolve() };
