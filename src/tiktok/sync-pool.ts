import type { SyncResult } from './sync.js';

/** Timers the pool sets (deadlines, a reply's wait); tests pass ones they fire themselves. */
export interface Timers {
  /** Calls `fn` after `ms`; returns what cancels it. */
  after(ms: number, fn: () => void): () => void;
}

/** The process's timers; they never keep a finished process alive. */
export const realTimers: Timers = {
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/**
 * Who asked for a sync: the background round (every SYNC_MINUTES, and a first sync after
 * linking), or a reply (/rate, a summary) for its own chat's shops.
 */
export type SyncLane = 'background' | 'reply';

export interface SyncPoolOptions {
  /** Syncs one shop; `signal` is aborted at the sync's deadline or at a stop. */
  run: (shopId: number, signal: AbortSignal) => Promise<SyncResult>;
  /** Syncs at once per lane: replies have slots of their own, so they never queue behind another chat's long backfill. */
  slots: Record<SyncLane, number>;
  /** How long one sync may take per lane; a reply's sync cut short goes on in the background lane. */
  deadlineMs: Record<SyncLane, number>;
  timers: Timers;
  /** Milliseconds since the epoch, for TikTok's `retry-after`. */
  clock: () => number;
  /** Every finished sync's result, or what it threw (for the log and /metrics). */
  onDone?: (shopId: number, outcome: { result: SyncResult } | { error: unknown }) => void;
}

interface Entry {
  shopId: number;
  lane: SyncLane;
  running: boolean;
  controller: AbortController | null;
  done: Promise<SyncResult | null>;
  settle: (result: SyncResult | null) => void;
}

/**
 * Syncs run per shop, never one chain for the whole instance: a shop has at most one sync under
 * way or waiting (asking again joins it), each lane runs a bounded number at once, and each sync
 * has a deadline after which its signal aborts it (the cursor keeps what it stored). A shop whose
 * API asked for a long wait (`retry-after` beyond the client's cap) is left alone until then.
 */
export class SyncPool {
  private readonly entries = new Map<number, Entry>();
  private readonly queues: Record<SyncLane, Entry[]> = { background: [], reply: [] };
  private readonly running: Record<SyncLane, number> = { background: 0, reply: 0 };
  private readonly notBefore = new Map<number, number>();
  private stopped = false;

  constructor(private readonly options: SyncPoolOptions) {}

  /**
   * The shop's sync: the one under way or waiting, else a new one on `lane`. A reply's request
   * moves a shop still waiting in the background lane to its own. Resolves with the result, or
   * null when no sync ran (stopping, or TikTok asked to wait).
   */
  request(shopId: number, lane: SyncLane): Promise<SyncResult | null> {
    if (this.stopped) return Promise.resolve(null);
    const until = this.notBefore.get(shopId);
    if (until !== undefined) {
      if (until > this.options.clock()) return Promise.resolve(null);
      this.notBefore.delete(shopId);
    }
    const existing = this.entries.get(shopId);
    if (existing) {
      if (!existing.running && existing.lane === 'background' && lane === 'reply') {
        this.queues.background = this.queues.background.filter((e) => e !== existing);
        existing.lane = 'reply';
        this.queues.reply.push(existing);
        this.pump('reply');
      }
      return existing.done;
    }
    let settle: (result: SyncResult | null) => void = () => undefined;
    const done = new Promise<SyncResult | null>((resolve) => { settle = resolve; });
    const entry: Entry = { shopId, lane, running: false, controller: null, done, settle };
    this.entries.set(shopId, entry);
    this.queues[lane].push(entry);
    this.pump(lane);
    return done;
  }

  /** Resolves once no sync is under way or waiting (those that start meanwhile included). */
  async idle(): Promise<void> {
    while (this.entries.size > 0) await Promise.all([...this.entries.values()].map((e) => e.done));
  }

  /** No new syncs; waiting ones are dropped, running ones aborted (each stops at once, its cursor kept), then awaited. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const lane of ['background', 'reply'] as const) {
      for (const entry of this.queues[lane].splice(0)) {
        this.entries.delete(entry.shopId);
        entry.settle(null);
      }
    }
    for (const entry of this.entries.values()) entry.controller?.abort(new Error('stopping'));
    await this.idle();
  }

  private pump(lane: SyncLane): void {
    while (this.running[lane] < this.options.slots[lane]) {
      const entry = this.queues[lane].shift();
      if (!entry) return;
      this.start(entry);
    }
  }

  private start(entry: Entry): void {
    const { lane, shopId } = entry;
    entry.running = true;
    this.running[lane]++;
    const controller = new AbortController();
    entry.controller = controller;
    let deadlinePassed = false;
    const cancel = this.options.timers.after(this.options.deadlineMs[lane], () => {
      deadlinePassed = true;
      controller.abort(new Error('sync deadline'));
    });
    void (async () => {
      let result: SyncResult | null = null;
      try {
        result = await this.options.run(shopId, controller.signal);
        this.options.onDone?.(shopId, { result });
      } catch (error) {
        this.options.onDone?.(shopId, { error });
      } finally {
        cancel();
        this.running[lane]--;
        this.entries.delete(shopId);
      }
      if (result && !result.ok && result.reason === 'failed' && result.retryAfterSeconds !== undefined) {
        this.notBefore.set(shopId, this.options.clock() + result.retryAfterSeconds * 1000);
      }
      entry.settle(result);
      // A reply's sync holds a reply slot only briefly: what its deadline cut short (a first backfill) goes on in the background.
      if (lane === 'reply' && deadlinePassed && result?.ok === false && result.reason === 'aborted') void this.request(shopId, 'background');
      this.pump(lane);
    })();
  }
}
