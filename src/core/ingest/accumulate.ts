import type { DateParts } from './dates.js';
import type { Spill, SpillFactory } from './spill.js';

/**
 * What the rows of one order have said so far. Rows of an order may be anywhere in a file and
 * in several files, so states merge: rows of the same file add up, a later file replaces an
 * earlier one. Raw text is kept and interpreted once per order when the order is finalized.
 */
export interface OrderState {
  id: string;
  /** Which file read (a retry of the same file counts as a new one) this state comes from. */
  attempt: number;
  /** Where the order was first seen, for messages. */
  line: number;
  file: string;
  /** Created Time as written, and as parsed (day and month still unordered: see dates.ts). */
  created: string;
  createdParts: DateParts;
  paid: boolean;
  statusCancelled: boolean;
  lines: number;
  cancelLines: number;
  /** Who and why, taken from the first cancel line, else from the first line that says anything. */
  cancelBy: string;
  reason: string;
  fromCancelLine: boolean;
  fbt: boolean;
  sample: boolean;
  amount: string;
}

const saysWho = (s: OrderState) => (s.fromCancelLine ? 2 : s.reason || s.cancelBy ? 1 : 0);

/** `later` was read after `earlier`; returns the merged state (mutating `earlier` where it can). */
export function mergeStates(earlier: OrderState, later: OrderState): OrderState {
  if (later.attempt !== earlier.attempt) return later.attempt > earlier.attempt ? later : earlier;
  earlier.lines += later.lines;
  earlier.cancelLines += later.cancelLines;
  earlier.paid ||= later.paid;
  earlier.statusCancelled ||= later.statusCancelled;
  earlier.fbt ||= later.fbt;
  earlier.sample ||= later.sample;
  if (!earlier.amount) earlier.amount = later.amount;
  if (saysWho(later) > saysWho(earlier)) {
    earlier.cancelBy = later.cancelBy;
    earlier.reason = later.reason;
    earlier.fromCancelLine = later.fromCancelLine;
  }
  return earlier;
}

const BUCKETS = 64;

function bucketOf(id: string): number {
  // FNV-1a: cheap and spreads sequential order ids evenly.
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % BUCKETS;
}

/**
 * Merges states by order id with at most `maxInMemory` orders held; past that, the held
 * states go to the spill in hash buckets and each bucket is merged on its own at the end.
 */
export class OrderAccumulator {
  private readonly states = new Map<string, OrderState>();
  private spill: Spill | null = null;

  constructor(private readonly spillFactory: SpillFactory | null, private readonly maxInMemory = 200_000) {}

  /** Adds a state; true when the caller should `await flush()` before adding more. */
  add(state: OrderState): boolean {
    const held = this.states.get(state.id);
    this.states.set(state.id, held ? mergeStates(held, state) : state);
    return this.spillFactory !== null && this.states.size >= this.maxInMemory;
  }

  async flush(): Promise<void> {
    if (!this.spillFactory || this.states.size === 0) return;
    this.spill ??= await this.spillFactory();
    const buckets = new Map<number, string[]>();
    for (const state of this.states.values()) {
      const b = bucketOf(state.id);
      const list = buckets.get(b);
      if (list) list.push(JSON.stringify(state));
      else buckets.set(b, [JSON.stringify(state)]);
    }
    this.states.clear();
    for (const [b, records] of buckets) await this.spill.append(b, records);
  }

  /** Every order's merged state, once. */
  async *drain(): AsyncGenerator<OrderState> {
    if (!this.spill) {
      yield* this.states.values();
      this.states.clear();
      return;
    }
    await this.flush();
    for (let b = 0; b < BUCKETS; b++) {
      const merged = new Map<string, OrderState>();
      for await (const record of this.spill.read(b)) {
        const state = JSON.parse(record) as OrderState;
        const held = merged.get(state.id);
        merged.set(state.id, held ? mergeStates(held, state) : state);
      }
      yield* merged.values();
    }
  }

  async dispose(): Promise<void> {
    this.states.clear();
    await this.spill?.dispose();
    this.spill = null;
  }
}
