import type { OrderLine } from '../order.js';
import type { OrderState } from './order-state.js';
import { heldLinesBytes, heldStateBytes, heldUnknownBytes, PackedStates, type HeldStates } from './packed-states.js';
import { decodeRun, encodeRun } from './spill-codec.js';
import type { Spill, SpillFactory } from './spill.js';

// The held states' parts, which the tests of held states reach by this module's name.
export { mergeStates, type OrderState } from './order-state.js';
export { PackedStates } from './packed-states.js';
export { decodeRun, encodeRun } from './spill-codec.js';

/** Parts the held orders are split into by id hash when they go to the spill; each part is merged on its own at the end. */
export const BUCKETS = 64;

/** 150 MB of held orders (about a million) before any is spilled: a big export stays in memory. */
export const DEFAULT_MEMORY_BUDGET_BYTES = 150 * 1024 * 1024;

/** Held orders drained at a time (see drain). */
const DRAIN_BATCH = 1024;

/**
 * Spilled runs, in the order they were written, and how their states read here: a part of the
 * file read on another thread spills runs of its own, whose attempt and lines are its file's.
 */
interface Segment { spill: Spill; attempt: number | null; lineOffset: number }

/**
 * Merges states by order id while the held orders fit the memory budget; past it, the held
 * states go to the spill split by id hash into BUCKETS parts, as packed runs, and each part is
 * merged on its own at the end: a part holds about 1/BUCKETS of the orders, however many
 * the file has.
 */
export class OrderAccumulator {
  private readonly states = new PackedStates();
  /** Where the held states go when flushed; null until a flush, and again after adopting another's (see adopt). */
  private spill: Spill | null = null;
  private segments: Segment[] = [];
  private heldBytes = 0;

  /**
   * Spilling costs copying, disk and merging, and every spilled order is read back at the end,
   * so it is kept for files whose orders truly do not fit: the budget is in bytes, not orders.
   */
  constructor(private readonly spillFactory: SpillFactory | null, private readonly memoryBudgetBytes = DEFAULT_MEMORY_BUDGET_BYTES) {}

  /** Adds a state; true when the caller should `await flush()` before adding more. */
  add(state: OrderState): boolean {
    const slot = this.states.slotOf(state.id);
    if (slot !== undefined) {
      this.states.merge(slot, state);
    } else {
      this.states.append(state.id, state);
      this.heldBytes += heldStateBytes(state.id);
    }
    this.countExtras(state.items, state.unknown);
    return this.spillFactory !== null && this.overBudget;
  }

  /** Order lines and values no table knows come with a state: the budget counts them too. */
  private countExtras(items: readonly OrderLine[], unknown: OrderState['unknown']): void {
    if (items.length > 0) this.heldBytes += heldLinesBytes(items);
    if (unknown) this.heldBytes += heldUnknownBytes(unknown);
  }

  /**
   * Adds the states of `held`, read after every state added so far (the second part of a file,
   * see splitRead), as `add` would one by one: an order held here is merged, any other is
   * copied over lane by lane.
   */
  async absorb(held: HeldStates, attempt: number, lineOffset: number): Promise<void> {
    const other = PackedStates.viewOf(held);
    const textsHere = PackedStates.textNumbers(other);
    const extras = other.hasExtras;
    for (let slot = 0; slot < held.ids.length; slot++) {
      const id = held.ids[slot] ?? '';
      if (this.states.takeFrom(other, slot, id, attempt, lineOffset, textsHere)) this.heldBytes += heldStateBytes(id);
      if (extras) {
        const { items, unknown } = other.extrasOf(slot);
        this.countExtras(items, unknown);
      }
      if (this.spillFactory !== null && this.overBudget) {
        await this.flush();
        // The flush let go of the texts held here: they are numbered afresh.
        textsHere.fill(-1);
      }
    }
  }

  /**
   * Takes over the runs another accumulator spilled (the second part of a file, see splitRead),
   * read after every state added so far; their states are merged in at the end, before any
   * added after this.
   */
  async adopt(spilled: Spill, attempt: number, lineOffset: number): Promise<void> {
    // Runs are merged segment by segment: what is held here must reach a segment before the other's.
    if (this.states.size > 0) {
      if (!this.spillFactory) throw new Error('spilled orders cannot follow held ones without a spill of their own');
      await this.flush();
    }
    this.segments.push({ spill: spilled, attempt, lineOffset });
    this.spill = null;
  }

  /** Whether the held orders take more than the budget (whether or not there is a spill to take them). */
  get overBudget(): boolean {
    return this.heldBytes + this.states.textsBytes > this.memoryBudgetBytes;
  }

  /** The held states as plain data, or null once some went to the spill. */
  held(): HeldStates | null {
    return this.segments.length > 0 ? null : this.states.held();
  }

  /**
   * Everything added, for another thread to take over: the held states, and the runs spilled
   * (all of them, then, the held states none), which are the taker's to dispose of.
   */
  async handOver(): Promise<{ states: HeldStates; spilled: Spill | null }> {
    if (this.segments.length === 0) return { states: this.states.held(), spilled: null };
    await this.flush();
    const [own] = this.segments;
    if (!own || this.segments.length > 1) throw new Error('only an accumulator that adopted nothing hands over');
    this.segments = [];
    this.spill = null;
    return { states: this.states.held(), spilled: own.spill };
  }

  async flush(): Promise<void> {
    const size = this.states.size;
    if (!this.spillFactory || size === 0) return;
    if (!this.spill) {
      this.spill = await this.spillFactory();
      this.segments.push({ spill: this.spill, attempt: null, lineOffset: 0 });
    }
    // Slots by bucket, each bucket's in the order the orders came (a counting sort).
    const bucketOfSlot = new Uint8Array(size);
    const starts = new Int32Array(BUCKETS + 1);
    for (let slot = 0; slot < size; slot++) {
      const bucket = (this.states.hashOf(slot) >>> 0) % BUCKETS;
      bucketOfSlot[slot] = bucket;
      starts[bucket + 1] = (starts[bucket + 1] ?? 0) + 1;
    }
    for (let b = 0; b < BUCKETS; b++) starts[b + 1] = (starts[b + 1] ?? 0) + (starts[b] ?? 0);
    const next = starts.slice(0, BUCKETS);
    const sorted = new Int32Array(size);
    for (let slot = 0; slot < size; slot++) {
      const bucket = bucketOfSlot[slot] ?? 0;
      sorted[next[bucket] ?? 0] = slot;
      next[bucket] = (next[bucket] ?? 0) + 1;
    }
    // A bucket at a time: the runs are never all in memory beside the held states.
    for (let b = 0; b < BUCKETS; b++) {
      const from = starts[b] ?? 0;
      const to = starts[b + 1] ?? 0;
      if (to > from) await this.spill.append(b, encodeRun(this.states.heldOf(sorted.subarray(from, to))));
    }
    this.states.clear();
    this.heldBytes = 0;
  }

  /**
   * Every order's merged state, once, in batches: awaiting each order on its own costs more than
   * finalizing it. Spilled, a bucket's runs are merged in the order they were written.
   */
  async *drain(): AsyncGenerator<readonly OrderState[]> {
    if (this.segments.length === 0) {
      for (let from = 0; from < this.states.size; from += DRAIN_BATCH) yield this.states.unpackRange(from, from + DRAIN_BATCH);
      this.states.clear();
      return;
    }
    await this.flush();
    for (let b = 0; b < BUCKETS; b++) {
      const merged = new PackedStates();
      for (const { spill, attempt, lineOffset } of this.segments) {
        for await (const run of spill.read(b)) {
          const held = decodeRun(run);
          const view = PackedStates.viewOf(held);
          const textsHere = PackedStates.textNumbers(view);
          for (let slot = 0; slot < held.ids.length; slot++) merged.takeFrom(view, slot, held.ids[slot] ?? '', attempt, lineOffset, textsHere);
        }
      }
      for (let from = 0; from < merged.size; from += DRAIN_BATCH) yield merged.unpackRange(from, from + DRAIN_BATCH);
    }
  }

  async dispose(): Promise<void> {
    this.states.clear();
    const segments = this.segments;
    this.segments = [];
    this.spill = null;
    await Promise.all(segments.map((s) => s.spill.dispose()));
  }
}
