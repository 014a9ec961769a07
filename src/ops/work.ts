/**
 * Work under way in this process (updates being handled, imports, shop syncs, summary ticks),
 * so a stop can wait for all of it and, when it cannot wait longer, say what it cut short.
 * It knows nothing of what the work is: each caller names its kind and a label for the log.
 */
export interface WorkItem { kind: string; label: string; startedAt: number }

export class WorkTracker {
  private readonly items = new Map<number, WorkItem>();
  private readonly idleWaiters = new Set<() => void>();
  private nextId = 1;
  private stopping = false;

  constructor(private readonly clock: () => number = () => Date.now()) {}

  /** Runs `work`, counted as under way until it settles. */
  async track<T>(kind: string, label: string, work: () => Promise<T>): Promise<T> {
    const id = this.nextId++;
    this.items.set(id, { kind, label, startedAt: this.clock() });
    try {
      return await work();
    } finally {
      this.items.delete(id);
      if (this.items.size === 0) for (const wake of [...this.idleWaiters]) wake();
    }
  }

  get size(): number {
    return this.items.size;
  }

  /** True once a stop began: background jobs check it before starting anything new. */
  get isStopping(): boolean {
    return this.stopping;
  }

  beginStop(): void {
    this.stopping = true;
  }

  /** What is under way now, oldest first, with how long each has run. */
  underWay(): Array<{ kind: string; label: string; ms: number }> {
    const now = this.clock();
    return [...this.items.values()].map((w) => ({ kind: w.kind, label: w.label, ms: now - w.startedAt }));
  }

  /** Resolves when nothing is under way (at once if nothing is). */
  idle(): Promise<void> {
    if (this.items.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        this.idleWaiters.delete(wake);
        resolve();
      };
      this.idleWaiters.add(wake);
    });
  }
}
