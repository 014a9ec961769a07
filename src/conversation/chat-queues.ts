/**
 * Updates of one chat are handled one at a time (two uploads never interleave), different chats
 * side by side; and no chat can take more than its share. A chat holds at most `perChat`
 * updates waiting behind the one running, the bot at most `total` waiting in all: what comes
 * beyond is dropped at once, never held, so a flood in one group costs the others nothing and
 * memory stays bounded (in webhook mode Telegram keeps sending whatever we hold).
 */
export interface ChatQueueLimits {
  /** Updates a chat may have waiting behind the one being handled. */
  perChat: number;
  /** Updates waiting across all chats. */
  total: number;
}

export type DropReason = 'chat-queue-full' | 'bot-queue-full';

/** A chat with an update running, and the updates waiting behind it; a chat with none has no line. */
interface ChatLine { waiting: Array<() => void> }

export class ChatQueues {
  private readonly lines = new Map<string, ChatLine>();
  private waitingTotal = 0;

  constructor(private readonly limits: ChatQueueLimits) {}

  /** Updates waiting (not running) across all chats. */
  get waiting(): number {
    return this.waitingTotal;
  }

  /**
   * Runs `task` in the chat's turn, or returns the reason it was dropped without running it.
   * A task without a chat runs at once.
   */
  async run(chatId: string | undefined, task: () => Promise<void>): Promise<DropReason | null> {
    if (chatId === undefined) {
      await task();
      return null;
    }
    let line = this.lines.get(chatId);
    if (line) {
      if (line.waiting.length >= this.limits.perChat) return 'chat-queue-full';
      if (this.waitingTotal >= this.limits.total) return 'bot-queue-full';
      this.waitingTotal++;
      const queued = line;
      await new Promise<void>((resolve) => queued.waiting.push(resolve));
      this.waitingTotal--;
    } else {
      line = { waiting: [] };
      this.lines.set(chatId, line);
    }
    try {
      await task();
    } finally {
      const next = line.waiting.shift();
      if (next) next();
      else this.lines.delete(chatId);
    }
    return null;
  }
}

/**
 * Whether a chat may be told once more that it is sending too fast: at most once per `everyMs`,
 * however long the flood goes on. Chats told long ago are forgotten.
 */
export class NoticeCooldown {
  private readonly toldAt = new Map<string, number>();

  constructor(private readonly clock: () => number, private readonly everyMs: number) {}

  /** True (and remembered) when the chat was not told within the cooldown. */
  take(chatId: string): boolean {
    const now = this.clock();
    const last = this.toldAt.get(chatId);
    if (last !== undefined && now - last < this.everyMs) return false;
    if (this.toldAt.size > 10_000) for (const [id, at] of this.toldAt) if (now - at >= this.everyMs) this.toldAt.delete(id);
    this.toldAt.set(chatId, now);
    return true;
  }
}
