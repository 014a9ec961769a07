/**
 * Work that takes turns: at most `size` tasks run at once, the rest wait in arrival order.
 * Imports use it so a Monday morning of uploads neither starts a worker per file nor keeps
 * the main thread busy for the other chats.
 */
export class Turns {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {}

  /** Tasks waiting for a turn, not counting those running. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `task` in its turn; `onQueued` is told how many tasks are ahead when it has to wait. */
  async run<T>(task: () => Promise<T>, onQueued?: (ahead: number) => Promise<void> | void): Promise<T> {
    if (this.running >= this.size) {
      const ahead = this.waiting.length + this.running;
      const turn = new Promise<void>((resolve) => this.waiting.push(resolve));
      await onQueued?.(ahead);
      await turn;
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
