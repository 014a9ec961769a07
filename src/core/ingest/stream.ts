import { mergeStates, type OrderState } from './order-state.js';
import type { DateParts, DateStyleVote, DayOrder } from './dates.js';

/** Why an optimistic import gave up: what it handed on must be undone and the file imported the classic way. */
export type AbandonReason =
  /** An order's id came back after the order had been handed on: its lines are not together. */
  | 'reappeared'
  /** Orders were finalized in a day order the whole file did not end up deciding. */
  | 'day-order'
  /** The file is read again in another charset: what the first reading handed on is void. */
  | 'charset'
  /** The taker refused an order (a file without any order time); the classic import says why, after its checks. */
  | 'unstorable';

/**
 * Thrown by an optimistic import (ImportOptions.optimistic) when the file turns out not to be
 * one it can stream: nothing it has handed on may be kept. The caller rolls back and imports
 * the file again the classic way, which gives the figures, or the refusal, a classic import gives.
 */
export class StreamAbandoned extends Error {
  constructor(readonly reason: AbandonReason, readonly handedOn: number) {
    super(`optimistic import abandoned (${reason}) after ${handedOn} orders`);
    this.name = 'StreamAbandoned';
  }
}

/**
 * Runs `read` streaming first (optimistic); where the stream must be undone, tells `onAbandoned`
 * and runs it once more reading the file whole, which never streams.
 */
export async function streamingFirst<T>(read: (optimistic: boolean) => Promise<T>, onAbandoned: (why: StreamAbandoned) => void): Promise<T> {
  try {
    return await read(true);
  } catch (error) {
    if (!(error instanceof StreamAbandoned)) throw error;
    onAbandoned(error);
  }
  return read(false);
}

/** Where merged states go while a file is read: the accumulator (classic) or the stream. */
export interface StateSink {
  /** Takes a row's state; true when the caller should `await flush()` before adding more. */
  add(state: OrderState): boolean;
  flush(): Promise<void>;
}

/** Completed orders held while the file's dates have not settled its day order (at most this many). */
export const HELD_UNTIL_SETTLED = 2_000;

/** Whether finalizing an order with these dates depends on the day order (`3/5/2026`; not `5/5/2026`, ISO or undated). */
const dependsOnDayOrder = (c: DateParts | null) => c !== null && !c.isoOrder && c.first !== c.second;

/** What the stream needs of the file being read: which read it is, and its vote on the day order. */
export interface StreamFile {
  attempt: number;
  vote: DateStyleVote;
}

/**
 * The optimistic path of an import, for a file whose orders' lines are together (as Seller
 * Center writes them): an order is complete when a row of another order starts, and is handed
 * on then, while the file is still being read. Completed ids are remembered compactly
 * (SeenIds); an id that comes back abandons the stream. Orders are finalized in the file's day
 * order: held (up to HELD_UNTIL_SETTLED) until a date settles it (a day or month above 12),
 * else finalized in the order the dates so far point to, which the end of the file must
 * confirm (`finish`), or the stream is abandoned.
 */
export class OrderStream implements StateSink {
  private current: OrderState | null = null;
  private readonly seen = new SeenIds();
  /** Completed, not yet handed on. */
  private held: OrderState[] = [];
  private file: StreamFile | null = null;
  /** The day order orders are finalized in, once chosen. */
  private order: DayOrder | null = null;
  /** Whether an order handed on depended on `order`. */
  private used = false;
  private handed = 0;

  constructor(
    /** The file a state's attempt belongs to (its vote), or null before its header. */
    private readonly fileOf: (attempt: number) => StreamFile | null,
    /** Hands one completed order on, finalized in `dayOrder`; may wait for the taker. */
    private readonly hand: (state: OrderState, dayOrder: DayOrder) => void | Promise<void>,
    private readonly hint: DayOrder | null,
  ) {}

  /** Orders handed on so far. */
  get handedOn(): number {
    return this.handed;
  }

  add(state: OrderState): boolean {
    const current = this.current;
    if (current !== null && current.id === state.id && current.attempt === state.attempt) {
      mergeStates(current, state);
      return false;
    }
    if (this.file === null) this.file = this.fileOf(state.attempt);
    else if (state.attempt !== this.file.attempt) throw new StreamAbandoned('charset', this.handed);
    // An order's id is remembered as its first row comes: its later rows merge above, before this.
    if (!this.seen.add(state.id)) throw new StreamAbandoned('reappeared', this.handed);
    if (current !== null) this.held.push(current);
    this.current = state;
    if (this.order === null) {
      const settled = this.file?.vote.settled() ?? null;
      if (settled !== null) this.order = settled;
      else if (this.held.length >= HELD_UNTIL_SETTLED) this.order = this.guess();
    }
    return this.order !== null && this.held.length > 0;
  }

  async flush(): Promise<void> {
    const order = this.order;
    if (order === null) return;
    const held = this.held;
    this.held = [];
    for (const state of held) {
      if (!this.used && dependsOnDayOrder(state.created)) this.used = true;
      this.handed++;
      const taken = this.hand(state, order);
      if (taken) await taken;
    }
  }

  /**
   * The file has been read and found good, its day order decided: hands on what is left, or
   * abandons the stream when orders went in another day order than the one decided.
   */
  async finish(decided: DayOrder): Promise<void> {
    if (this.order !== null && this.order !== decided) {
      const pending = this.current ? [...this.held, this.current] : this.held;
      if (this.used || pending.some((s) => dependsOnDayOrder(s.created))) throw new StreamAbandoned('day-order', this.handed);
    }
    this.order = decided;
    if (this.current !== null) this.held.push(this.current);
    this.current = null;
    await this.flush();
  }

  /** The day order the dates read so far point to (the final vote may still overrule it). */
  private guess(): DayOrder {
    const decision = this.file?.vote.decide(this.hint);
    return decision?.ok ? decision.order : (this.hint ?? 'dmy');
  }
}

/**
 * Ids of orders met so far (the one being read included), as two independent 32-bit hashes
 * each in an open-addressed table: 8 bytes a slot, half full at most, so about 16 bytes an
 * order (16 MB at a million) whatever the ids. Two different ids share both hashes with a chance of about n²/2⁶⁵ in a
 * file of n orders: that only abandons a stream for nothing, it never merges two orders.
 */
export class SeenIds {
  private a = new Int32Array(1 << 14);
  private b = new Int32Array(1 << 14);
  private count = 0;
  /** hashPair's results: fields rather than an object per id. */
  private hashA = 0;
  private hashB = 0;

  get size(): number {
    return this.count;
  }

  /** Remembers `id`; false when it was already remembered. */
  add(id: string): boolean {
    this.hashPair(id);
    if ((this.count + 1) * 2 > this.a.length) this.grow();
    if (!this.place(this.a, this.b, this.hashA, this.hashB)) return false;
    this.count++;
    return true;
  }

  private place(ta: Int32Array, tb: Int32Array, a: number, b: number): boolean {
    const mask = ta.length - 1;
    for (let at = a & mask; ; at = (at + 1) & mask) {
      const x = ta[at] ?? 0;
      const y = tb[at] ?? 0;
      if (x === 0 && y === 0) {
        ta[at] = a;
        tb[at] = b;
        return true;
      }
      if (x === a && y === b) return false;
    }
  }

  private grow(): void {
    const oldA = this.a;
    const oldB = this.b;
    this.a = new Int32Array(oldA.length * 2);
    this.b = new Int32Array(oldB.length * 2);
    for (let i = 0; i < oldA.length; i++) {
      const a = oldA[i] ?? 0;
      const b = oldB[i] ?? 0;
      if (a !== 0 || b !== 0) this.place(this.a, this.b, a, b);
    }
  }

  /** FNV-1a and a multiply-rotate hash of the same characters; (0, 0) marks a free slot, so it is never a key. */
  private hashPair(id: string): void {
    let a = 0x811c9dc5;
    let b = 0x9747b28c;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b = (b << 13) | (b >>> 19);
    }
    b ^= b >>> 15;
    b = Math.imul(b, 0x2c1b3c6d);
    b ^= b >>> 12;
    this.hashA = a | 0;
    this.hashB = b === 0 && this.hashA === 0 ? 1 : b | 0;
  }
}
