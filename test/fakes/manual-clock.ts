import type { Timers } from '../../src/tiktok/sync-pool.js';

/**
 * A clock and timers that move only when the test says: `now` for the code's clock, `after` for
 * its timers, `advance` to move time on (running the timers that come due, in order), and
 * `timerSet` to await the moment the code under test has set a timer of some delay.
 */
export class ManualClock implements Timers {
  private timers: Array<{ at: number; ms: number; fn: () => void }> = [];
  private watchers: Array<{ ms: number; resolve: () => void }> = [];

  constructor(private ms: number) {}

  readonly now = (): number => this.ms;

  after(ms: number, fn: () => void): () => void {
    const timer = { at: this.ms + ms, ms, fn };
    this.timers.push(timer);
    this.watchers = this.watchers.filter((w) => (w.ms === ms ? (w.resolve(), false) : true));
    return () => { this.timers = this.timers.filter((t) => t !== timer); };
  }

  /** Resolves once a timer of `ms` is waiting (at once if one is). */
  timerSet(ms: number): Promise<void> {
    if (this.timers.some((t) => t.ms === ms)) return Promise.resolve();
    return new Promise((resolve) => this.watchers.push({ ms, resolve }));
  }

  /** The delays of the timers waiting now. */
  pending(): number[] {
    return this.timers.map((t) => t.ms);
  }

  advance(ms: number): void {
    this.ms += ms;
    const due = this.timers.filter((t) => t.at <= this.ms).sort((a, b) => a.at - b.at);
    this.timers = this.timers.filter((t) => !due.includes(t));
    for (const timer of due) timer.fn();
  }
}
