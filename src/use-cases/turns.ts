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

  /**
   * Runs `task` in its turn; `onQueued` is told how many tasks are ahead when it has to wait.
   * If telling fails (the chat is gone), the task gives up its place and the error is thrown.
   */
  async run<T>(task: () => Promise<T>, onQueued?: (ahead: number) => Promise<void> | void): Promise<T> {
    if (this.running >= this.size) {
      const ahead = this.waiting.length + this.running;
      let wake!: () => void;
      const turn = new Promise<void>((resolve) => { wake = resolve; });
      this.waiting.push(wake);
      try {
        await onQueued?.(ahead);
      } catch (error) {
        const at = this.waiting.indexOf(wake);
        // Still waiting: leave the queue. Already handed a turn meanwhile: hand it on.
        if (at !== -1) this.waiting.splice(at, 1);
        else this.release();
        throw error;
      }
      await turn;
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  /** A finished task's turn goes to the first waiting one, or is freed. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
