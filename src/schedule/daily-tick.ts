import type { Claim, ClaimLedger } from '../store/claims.js';
import { dueToday } from '../use-cases/day-summary.js';

/** A claim older than this whose send was never settled is taken to be abandoned: its instance stopped. */
const DEFAULT_LEASE_MS = 10 * 60_000;

/** Something sent daily at a local time (a chat's summary, a robot's copy). */
export interface Daily { time: string; timeZone: string }

/** An item due on its local date. */
export interface Due<T> { item: T; date: string }

/** One tick's builds of what its due items send. */
export interface Builder<T, B> {
  /** What the item sends; null when there is nothing to send (its chat is gone). */
  build(due: Due<T>, now: number): Promise<B | null>;
  /** The tick is done with the item (settled, let go, or claimed by another instance). */
  done?(due: Due<T>): void;
}

/** Counts of one tick: the items due, and each outcome; `skipped` when a tick was still running. */
export type TickCounts<O extends string> = { due: number; skipped: boolean } & Record<O, number>;

/** What each kind of daily send is given for its claims. */
export interface DailyTickDeps {
  clock: () => number;
  /** This process's name in claims, unique among the instances sharing the database. */
  instance: string;
  /** A claim older than this whose send was never settled is taken to be abandoned. */
  leaseMs?: number | undefined;
}

export interface TickOptions<O extends string> extends DailyTickDeps {
  /** The ledger of this kind of send. */
  claims: ClaimLedger;
  /** The outcomes counted, each from 0. */
  outcomes: readonly O[];
  /** Items claimed and built ahead of the sends, so builds run while sends wait for their turn. */
  ahead: number;
  /** Items sent at once. */
  lanes: number;
}

type Taken<T, B, O> = { due: Due<T>; outcome: O | null } | { due: Due<T>; built: B; claim: Claim };

/**
 * The minute tick of one kind of daily send. Each tick finds the items whose local send time has
 * come today (their local today) and whose send for that day is not settled in the ledger, and
 * for each: claims (item, day) in one statement (only the claimant goes on), builds what it
 * sends, sends it and settles the claim. Several instances on one database therefore never send
 * twice; a stopped instance's unsettled claims are taken over after the lease; an instance that
 * was down at send time catches up the same local day. One item's failure never stops the others.
 * A subclass says what is scheduled, how it is built and how it is sent.
 */
export abstract class DailyTick<T extends Daily, B, O extends string> {
  private running = false;
  private stopping = false;

  constructor(private readonly options: TickOptions<O>) {}

  /** The items sent daily, in the order to send them. */
  protected abstract scheduled(now: number): Promise<readonly T[]>;
  /** The item's name in the ledger. */
  protected abstract subject(item: T): string | number;
  /** The builds of one tick's due items. */
  protected abstract builder(due: ReadonlyArray<Due<T>>): Builder<T, B>;
  /** Logs a build that threw (its claim is let go, to be tried again); what it counts as, if anything. */
  protected abstract unbuilt(due: Due<T>, error: unknown): O | null;
  /** What an item with nothing to send counts as, if anything; its claim is given up for the day. */
  protected abstract nothing(due: Due<T>): O | null;
  /** Sends what was built and settles (or lets go) the claim: the outcome. */
  protected abstract send(due: Due<T>, built: B, claim: Claim): Promise<O>;

  async tick(): Promise<TickCounts<O>> {
    const result = { due: 0, skipped: false, ...Object.fromEntries(this.options.outcomes.map((o) => [o, 0])) } as TickCounts<O>;
    if (this.running) return { ...result, skipped: true };
    this.running = true;
    try {
      const now = this.options.clock();
      const due = await dueToday(await this.scheduled(now), now, (item) => this.subject(item), (from) => this.options.claims.settledSince(from));
      result.due = due.length;
      const builder = this.builder(due);
      const queue: Array<Promise<Taken<T, B, O>>> = [];
      let next = 0;
      const fill = () => {
        while (!this.stopping && queue.length < this.options.ahead && next < due.length) {
          const item = due[next++];
          if (!item) continue;
          const taken = this.take(item, builder);
          // Awaited in its turn; until then its failure must not count as unhandled.
          taken.catch(() => undefined);
          queue.push(taken);
        }
      };
      const lane = async () => {
        for (fill(); queue.length > 0; fill()) {
          const taken = await queue.shift();
          fill();
          if (!taken) continue;
          try {
            const outcome = 'claim' in taken ? await this.settle(taken) : taken.outcome;
            if (outcome !== null) result[outcome]++;
          } finally {
            builder.done?.(taken.due);
          }
        }
      };
      const lanes = Math.max(1, Math.min(this.options.lanes, due.length));
      const ended = await Promise.allSettled(Array.from({ length: lanes }, lane));
      const failed = ended.find((e): e is PromiseRejectedResult => e.status === 'rejected');
      if (failed) {
        // Lanes still running drain the queue; if none was, what it holds was claimed ahead: let go for the next tick.
        await Promise.allSettled(queue.splice(0).map(async (taken) => {
          const left = await taken;
          if ('claim' in left) await left.claim.release();
        }));
        throw failed.reason;
      }
      return result;
    } finally {
      this.running = false;
    }
  }

  /** Asks a running tick to stop after the items being sent; claims not sent yet are let go. */
  stop(): void {
    this.stopping = true;
  }

  /** Claims the item and builds what it sends. */
  private async take(due: Due<T>, builder: Builder<T, B>): Promise<Taken<T, B, O>> {
    const { claims, clock, instance, leaseMs } = this.options;
    const now = clock();
    const claim = await claims.claim(this.subject(due.item), due.date, instance, new Date(now).toISOString(), new Date(now - (leaseMs ?? DEFAULT_LEASE_MS)).toISOString());
    if (!claim) return { due, outcome: null };
    let built: B | null;
    try {
      built = await builder.build(due, now);
    } catch (error) {
      const outcome = this.unbuilt(due, error);
      await claim.release();
      return { due, outcome };
    }
    if (built === null) {
      await claim.failed();
      return { due, outcome: this.nothing(due) };
    }
    return { due, built, claim };
  }

  private async settle(taken: { due: Due<T>; built: B; claim: Claim }): Promise<O | null> {
    if (this.stopping) {
      await taken.claim.release();
      return null;
    }
    return this.send(taken.due, taken.built, taken.claim);
  }
}
