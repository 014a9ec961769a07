import { setTimeout as sleepFor } from 'node:timers/promises';
import type { Transformer } from 'grammy';

/**
 * Telegram's flood waits, kept per chat. A 429 with `retry_after` holds only the chat it names
 * (or, for a call without a chat, every call); a call to a held chat waits when the hold ends
 * within `maxWaitMs`, and otherwise fails at once with Telegram's own 429 shape, so a flooded
 * group's replies are dropped instead of keeping the bot busy for minutes.
 */
export interface FloodGateOptions {
  clock: () => number;
  /** The longest a call may wait for its chat's hold to end; longer holds fail the call at once. */
  maxWaitMs: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Retries of one call after 429s it was allowed to wait out, before it gives up. */
const MAX_WAITED_RETRIES = 2;
/** Holds are forgotten once past; past this many at once, the expired ones are swept. */
const SWEEP_AT = 10_000;

export class FloodGate {
  private readonly heldUntil = new Map<string, number>();
  private everyoneUntil = 0;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(private readonly options: FloodGateOptions) {
    this.sleep = options.sleep ?? ((ms, signal) => sleepFor(ms, undefined, signal ? { signal } : {}));
  }

  /** How long calls to this chat must still wait (ms, 0 when not held). */
  heldFor(chatId: string | undefined): number {
    const now = this.options.clock();
    const chatUntil = chatId === undefined ? 0 : this.heldUntil.get(chatId) ?? 0;
    if (chatId !== undefined && chatUntil !== 0 && chatUntil <= now) this.heldUntil.delete(chatId);
    return Math.max(0, Math.max(chatUntil, this.everyoneUntil) - now);
  }

  /** True when a reply to this chat would be dropped now: its hold ends later than a call may wait. */
  isFlooded(chatId: string | undefined): boolean {
    return this.heldFor(chatId) > this.options.maxWaitMs;
  }

  readonly transformer: Transformer = async (prev, method, payload, signal) => {
    const chatId = chatOf(payload);
    for (let retries = 0; ; retries++) {
      const waitMs = this.heldFor(chatId);
      if (waitMs > this.options.maxWaitMs || retries > MAX_WAITED_RETRIES) {
        const seconds = Math.max(1, Math.ceil(waitMs / 1000));
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a transformer answers any method
        return { ok: false, error_code: 429, description: `Too Many Requests: retry after ${seconds}`, parameters: { retry_after: seconds } } as any;
      }
      // grammY types its signal as the abort-controller polyfill's; the platform's works the same.
      if (waitMs > 0) await this.sleep(waitMs, signal as AbortSignal | undefined);
      const result = await prev(method, payload, signal);
      if (result.ok || result.error_code !== 429) return result;
      this.hold(chatId, (result.parameters?.retry_after ?? 1) * 1000);
    }
  };

  private hold(chatId: string | undefined, ms: number): void {
    const until = this.options.clock() + ms;
    if (chatId === undefined) {
      this.everyoneUntil = Math.max(this.everyoneUntil, until);
      return;
    }
    if (this.heldUntil.size >= SWEEP_AT) {
      const now = this.options.clock();
      for (const [id, at] of this.heldUntil) if (at <= now) this.heldUntil.delete(id);
    }
    this.heldUntil.set(chatId, Math.max(this.heldUntil.get(chatId) ?? 0, until));
  }
}

function chatOf(payload: unknown): string | undefined {
  const id = (payload as { chat_id?: unknown } | undefined)?.chat_id;
  return typeof id === 'number' || typeof id === 'string' ? String(id) : undefined;
}
