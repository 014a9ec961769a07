import type { OrderState } from './order-state.js';
import { heldExtrasBytes, heldStateBytes, PackedStates, type HeldStates } from './packed-states.js';
import { decodeRun, encodeRun } from './spill-codec.js';
import type { Spill, SpillFactory } from './spill.js';

// The held states' parts, which the tests of held states reach by this module's name.
export { mergeStates, type OrderState } from './order-state.js';
export { PackedStates } from './packed-states.js';
export { decodeRun, encodeRun } from './spill-codec.js';

/** Parts the held orders are cut into (see IdRanges) when they go to the spill; each part is merged on its own at the end. */
export const BUCKETS = 64;

/**
 * 96 MB of held orders (about 700,000 without their lines) before any is spilled. Spilling is a
 * copy into packed runs and a merge per bucket at the end: a few tenths of a second of a
 * shuffled million-order report, for a peak about 90 MB lower.
 */
export const DEFAULT_MEMORY_BUDGET_BYTES = 96 * 1024 * 1024;

/** Held orders drained at a time (see drain). */
const DRAIN_BATCH = 1024;

/**
 * What was added before the states held now, in the order it came: spilled runs (a part of the
 * file read on another thread spills runs of its own, whose attempt and lines are its file's),
 * or states held in memory when such runs were adopted after them.
 */
type Segment = { spill: Spill; attempt: number | null; lineOffset: number } | { held: PackedStates };

/**
 * Which bucket an order goes to: digits-only ids (TikTok's) within the span of the ids sampled
 * when the first orders are spilled by ranges of their value, so that the buckets drained in
 * turn, each sorted, hand orders on in id order (a database takes a million orders in id order
 * in a quarter of the time it takes them in hash order); any other id by hash, so that no
 * bucket outgrows the rest when the ids sampled were not the file's (lines together until late,
 * where the later ids all lie past the sample). Every accumulator whose runs are merged together
 * must cut by the same ranges (see SharedRanges and adopt).
 */
export class IdRanges {
  /**
   * The sampled span's lowest and highest key, then BUCKETS - 1 rising keys: bucket b holds the
   * keys in [cuts[b-1], cuts[b]) within the span. Empty: every id by hash.
   */
  private constructor(readonly bounds: Float64Array) {}

  /** Ranges holding about as many of `states`' digits-only ids each (a sample of them). */
  static of(states: PackedStates): IdRanges {
    const step = Math.max(1, Math.floor(states.size / RANGE_SAMPLE));
    const keys: number[] = [];
    for (let slot = 0; slot < states.size; slot += step) {
      const key = states.rangeKeyOf(slot);
      if (!Number.isNaN(key)) keys.push(key);
    }
    if (keys.length < BUCKETS) return new IdRanges(new Float64Array(0));
    keys.sort((a, b) => a - b);
    const bounds = new Float64Array(BUCKETS + 1);
    bounds[0] = keys[0] ?? 0;
    bounds[1] = keys.at(-1) ?? 0;
    for (let b = 0; b < BUCKETS - 1; b++) bounds[b + 2] = keys[Math.floor(((b + 1) * keys.length) / BUCKETS)] ?? 0;
    return new IdRanges(bounds);
  }

  static from(bounds: Float64Array): IdRanges {
    return new IdRanges(bounds);
  }

  sameAs(other: IdRanges): boolean {
    return this.bounds.length === other.bounds.length && this.bounds.every((b, i) => b === other.bounds[i]);
  }

  bucketOf(states: PackedStates, slot: number): number {
    const key = states.rangeKeyOf(slot);
    const bounds = this.bounds;
    if (bounds.length === 0 || Number.isNaN(key) || key < (bounds[0] ?? 0) || key > (bounds[1] ?? 0)) return (states.hashOf(slot) >>> 0) % BUCKETS;
    let lo = 2;
    let hi = bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((bounds[mid] ?? 0) <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo - 2;
  }
}

/** Room for one IdRanges' bounds (see IdRanges.bounds). */
const RANGE_BOUNDS = BUCKETS + 1;

/**
 * Where the two threads of a split read settle on one IdRanges: the first to cut its ranges
 * settles them for both, so neither's runs need cutting again. In shared memory, so that the
 * other thread (split-read.ts) sees it: a state, the bounds' count, then the bounds.
 */
export class SharedRanges {
  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(8 + 8 * RANGE_BOUNDS)) {}

  /** The ranges settled: `proposed` when none were, else those the other thread settled. */
  settle(proposed: IdRanges): IdRanges {
    const state = new Int32Array(this.buffer, 0, 2);
    const bounds = new Float64Array(this.buffer, 8, RANGE_BOUNDS);
    if (Atomics.compareExchange(state, 0, OPEN, WRITING) === OPEN) {
      bounds.set(proposed.bounds);
      Atomics.store(state, 1, proposed.bounds.length);
      Atomics.store(state, 0, SETTLED);
      Atomics.notify(state, 0);
      return proposed;
    }
    // The other thread is writing a few dozen numbers: a wait of microseconds.
    while (Atomics.load(state, 0) !== SETTLED) Atomics.wait(state, 0, WRITING, 10);
    return IdRanges.from(Float64Array.from(bounds.subarray(0, Atomics.load(state, 1))));
  }
}
const [OPEN, WRITING, SETTLED] = [0, 1, 2] as const;

/** Ids sampled to cut the ranges. */
const RANGE_SAMPLE = 8192;

/** Slots of `states` by bucket, each bucket's in the order the orders came (a counting sort): bucket b's are slots[starts[b]..starts[b+1]). */
function bucketOrder(states: PackedStates, ranges: IdRanges): { slots: Int32Array; starts: Int32Array } {
  const size = states.size;
  const bucketOfSlot = new Uint8Array(size);
  const starts = new Int32Array(BUCKETS + 1);
  for (let slot = 0; slot < size; slot++) {
    const bucket = ranges.bucketOf(states, slot);
    bucketOfSlot[slot] = bucket;
    starts[bucket + 1] = (starts[bucket + 1] ?? 0) + 1;
  }
  for (let b = 0; b < BUCKETS; b++) starts[b + 1] = (starts[b + 1] ?? 0) + (starts[b] ?? 0);
  const next = starts.slice(0, BUCKETS);
  const slots = new Int32Array(size);
  for (let slot = 0; slot < size; slot++) {
    const bucket = bucketOfSlot[slot] ?? 0;
    slots[next[bucket] ?? 0] = slot;
    next[bucket] = (next[bucket] ?? 0) + 1;
  }
  return { slots, starts };
}

/** The slots of `states` in the order of their ids' range keys (ids of another kind after them, as they came). */
function idOrder(states: PackedStates): Int32Array {
  const keys = new Float64Array(states.size);
  for (let slot = 0; slot < states.size; slot++) {
    const key = states.rangeKeyOf(slot);
    keys[slot] = Number.isNaN(key) ? Number.POSITIVE_INFINITY : key;
  }
  return Int32Array.from({ length: states.size }, (_, slot) => slot).sort((a, b) => (keys[a] ?? 0) - (keys[b] ?? 0) || a - b);
}

/**
 * Merges states by order id while the held orders fit the memory budget; past it, the held
 * states go to the spill cut into BUCKETS parts by their ids, as packed runs, and each part is
 * merged on its own at the end: a part holds about 1/BUCKETS of the orders, however many
 * the file has.
 */
export class OrderAccumulator {
  private states = new PackedStates();
  /** Where the held states go when flushed; null until a flush, and again after adopting another's (see adopt). */
  private spill: Spill | null = null;
  private segments: Segment[] = [];
  private heldBytes = 0;
  /** How orders are cut into buckets, once any is spilled (or another's runs are adopted). */
  private ranges: IdRanges | null = null;

  /**
   * Spilling costs copying, disk and merging, and every spilled order is read back at the end,
   * so it is kept for files whose orders truly do not fit: the budget is in bytes, not orders.
   */
  constructor(
    private readonly spillFactory: SpillFactory | null,
    private readonly memoryBudgetBytes = DEFAULT_MEMORY_BUDGET_BYTES,
    /** Where the ranges are settled with the other part of a split read, if any. */
    private readonly shared: SharedRanges | null = null,
  ) {}

  /** The ranges orders are cut by, cut from `states` (or settled with the other part) when first needed. */
  private rangesFor(states: PackedStates): IdRanges {
    if (this.ranges === null) {
      const proposed = IdRanges.of(states);
      this.ranges = this.shared ? this.shared.settle(proposed) : proposed;
    }
    return this.ranges;
  }

  /** Adds a state; true when the caller should `await flush()` before adding more. */
  add(state: OrderState): boolean {
    const slot = this.states.slotOf(state.id);
    if (slot !== undefined) {
      this.states.merge(slot, state);
    } else {
      this.states.append(state.id, state);
      this.heldBytes += heldStateBytes(state.id);
    }
    // Its lines and values no table knows are counted too (their texts as the held texts).
    if (state.items.length > 0 || state.unknown) this.heldBytes += heldExtrasBytes(state.items.length, state.unknown);
    return this.spillFactory !== null && this.overBudget;
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
      if (extras) this.heldBytes += other.extraBytesOf(slot);
      if (this.spillFactory !== null && this.overBudget) {
        await this.flush();
        // The flush let go of the texts held here: they are numbered afresh.
        textsHere.fill(-1);
      }
    }
  }

  /**
   * Takes over the runs another accumulator spilled (the second part of a file, see splitRead),
   * cut by `ranges`, read after every state added so far; their states are merged in at the
   * end, before any added after this.
   */
  async adopt(spilled: Spill, ranges: IdRanges, attempt: number, lineOffset: number): Promise<void> {
    // What is held here comes before the other's runs: it stays in memory, as a segment of its own (still counted against the budget).
    if (this.states.size > 0) {
      this.segments.push({ held: this.states });
      this.states = new PackedStates();
    }
    this.spill = null;
    if (this.ranges === null || this.ranges.sameAs(ranges)) {
      this.ranges = ranges;
      this.segments.push({ spill: spilled, attempt, lineOffset });
      return;
    }
    // Runs cut by other ranges would never meet these in a bucket: they are cut again, by these.
    if (!this.spillFactory) throw new Error('runs cut by other ranges need a spill to be cut again into');
    const recut = await this.spillFactory();
    for (let b = 0; b < BUCKETS; b++) for await (const run of spilled.read(b)) await this.write(PackedStates.viewOf(decodeRun(run)), recut);
    await spilled.dispose();
    this.segments.push({ spill: recut, attempt, lineOffset });
  }

  /** Whether the held orders take more than the budget (whether or not there is a spill to take them). */
  get overBudget(): boolean {
    return this.heldBytes + this.states.textsBytes > this.memoryBudgetBytes;
  }

  /**
   * Everything added, for another thread to take over: the runs spilled (the taker's to dispose
   * of), then the states held now, which came after them.
   */
  handOver(): { states: HeldStates; spilled: { spill: Spill; ranges: Float64Array } | null } {
    const [own, ...more] = this.segments;
    if (own === undefined || this.ranges === null) return { states: this.states.held(), spilled: null };
    if (more.length > 0 || !('spill' in own)) throw new Error('only an accumulator that adopted nothing hands over');
    this.segments = [];
    this.spill = null;
    return { states: this.states.held(), spilled: { spill: own.spill, ranges: this.ranges.bounds } };
  }

  /** Writes every state held in memory to the spill (each in-memory segment in its place, then the states held now). */
  async flush(): Promise<void> {
    if (!this.spillFactory) return;
    for (const [i, segment] of this.segments.entries()) {
      if (!('held' in segment)) continue;
      const spill = await this.spillFactory();
      await this.write(segment.held, spill);
      this.segments[i] = { spill, attempt: null, lineOffset: 0 };
    }
    if (this.states.size > 0) {
      if (!this.spill) {
        this.spill = await this.spillFactory();
        this.segments.push({ spill: this.spill, attempt: null, lineOffset: 0 });
      }
      await this.write(this.states, this.spill);
    }
    this.states.clear();
    this.heldBytes = 0;
  }

  /** `states` as one run per bucket, a bucket at a time: the runs are never all in memory beside the states. */
  private async write(states: PackedStates, spill: Spill): Promise<void> {
    const { slots, starts } = bucketOrder(states, this.rangesFor(states));
    for (let b = 0; b < BUCKETS; b++) {
      const from = starts[b] ?? 0;
      const to = starts[b + 1] ?? 0;
      if (to > from) await spill.append(b, encodeRun(states.heldOf(slots.subarray(from, to))));
    }
  }

  /**
   * Every order's merged state, once, in batches: awaiting each order on its own costs more than
   * finalizing it. Held, in the order the orders came; spilled, in id order (see IdRanges), each
   * bucket's runs merged in the order they were written.
   */
  async *drain(): AsyncGenerator<readonly OrderState[]> {
    if (this.segments.length === 0) {
      for (let from = 0; from < this.states.size; from += DRAIN_BATCH) yield this.states.unpackRange(from, from + DRAIN_BATCH);
      this.states.clear();
      return;
    }
    // States still in memory are merged where they are, bucket by bucket, beside the runs.
    const ranges = this.rangesFor(this.states);
    const segments: Array<Segment | { held: PackedStates; order: ReturnType<typeof bucketOrder> }> = [...this.segments, { held: this.states }]
      .map((segment) => ('held' in segment ? { held: segment.held, order: bucketOrder(segment.held, ranges) } : segment));
    // One set of lanes for every bucket, cleared between them (see PackedStates.clear).
    const merged = new PackedStates();
    for (let b = 0; b < BUCKETS; b++) {
      merged.clear();
      for (const segment of segments) {
        if ('order' in segment) {
          const { held, order: { slots, starts } } = segment;
          const textsHere = PackedStates.textNumbers(held);
          for (let k = starts[b] ?? 0; k < (starts[b + 1] ?? 0); k++) {
            const slot = slots[k] ?? 0;
            merged.takeFrom(held, slot, held.idAt(slot), null, 0, textsHere);
          }
        } else if ('spill' in segment) {
          const { spill, attempt, lineOffset } = segment;
          for await (const run of spill.read(b)) {
            const held = decodeRun(run);
            const view = PackedStates.viewOf(held);
            const textsHere = PackedStates.textNumbers(view);
            for (let slot = 0; slot < held.ids.length; slot++) merged.takeFrom(view, slot, held.ids[slot] ?? '', attempt, lineOffset, textsHere);
          }
        }
      }
      const order = idOrder(merged);
      for (let from = 0; from < order.length; from += DRAIN_BATCH) yield merged.unpackSlots(order.subarray(from, from + DRAIN_BATCH));
    }
  }

  async dispose(): Promise<void> {
    this.states.clear();
    const segments = this.segments;
    this.segments = [];
    this.spill = null;
    await Promise.all(segments.map((s) => ('spill' in s ? s.spill.dispose() : undefined)));
  }
}
