import type { OrderLine } from '../order.js';
import { mergeStates, type OrderState } from './order-state.js';
import { heldLinesBytes, heldStateBytes, heldUnknownBytes, PackedStates, type HeldStates } from './packed-states.js';
import { decodeState, encodeState } from './spill-codec.js';
import type { Spill, SpillFactory } from './spill.js';

// The held states' parts, which the tests of held states reach by this module's name.
export { mergeStates, type OrderState } from './order-state.js';
export { PackedStates } from './packed-states.js';
export { decodeState, encodeState } from './spill-codec.js';

const BUCKETS = 64;

function bucketOf(id: string): number {
  // FNV-1a: cheap and spreads sequential order ids evenly.
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % BUCKETS;
}

/** 150 MB of held orders (about a million) before any is spilled: a big export stays in memory. */
export const DEFAULT_MEMORY_BUDGET_BYTES = 150 * 1024 * 1024;

/** Held orders drained at a time (see drain). */
const DRAIN_BATCH = 1024;

/** Encoded records written to the spill at a time when the held orders go to disk (characters). */
const FLUSH_SLICE_CHARS = 4 * 1024 * 1024;

/**
 * Merges states by order id while the held orders fit the memory budget; past it, the held
 * states go to the spill in hash buckets and each bucket is merged on its own at the end.
 */
export class OrderAccumulator {
  private readonly states = new PackedStates();
  private spill: Spill | null = null;
  private heldBytes = 0;

  /**
   * Spilling costs encoding, disk and decoding, and every spilled order is read back at the
   * end, so it is kept for files whose orders truly do not fit: the budget is in bytes, not orders.
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
      const mine = this.states.slotOf(id);
      if (mine !== undefined) {
        const state = other.unpack(id, slot);
        state.attempt = attempt;
        state.line += lineOffset;
        this.states.merge(mine, state);
      } else {
        this.states.appendFrom(other, slot, id, attempt, lineOffset, textsHere);
        this.heldBytes += heldStateBytes(id);
      }
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

  /** Whether the held orders take more than the budget (whether or not there is a spill to take them). */
  get overBudget(): boolean {
    return this.heldBytes + this.states.textsBytes > this.memoryBudgetBytes;
  }

  /** The held states as plain data, or null once some went to the spill. */
  held(): HeldStates | null {
    return this.spill ? null : this.states.held();
  }

  async flush(): Promise<void> {
    if (!this.spillFactory || this.states.size === 0) return;
    const spill = (this.spill ??= await this.spillFactory());
    // Records go to disk a slice at a time: encoding every held order before writing any would
    // hold them all twice over, past the budget where orders carry their lines.
    let buckets = new Map<number, string[]>();
    let pendingChars = 0;
    const write = async () => {
      const full = buckets;
      buckets = new Map();
      pendingChars = 0;
      await Promise.all([...full].map(([b, records]) => spill.append(b, records)));
    };
    for (const state of this.states.values()) {
      const b = bucketOf(state.id);
      const record = encodeState(state);
      const list = buckets.get(b);
      if (list) list.push(record);
      else buckets.set(b, [record]);
      pendingChars += record.length;
      if (pendingChars >= FLUSH_SLICE_CHARS) await write();
    }
    await write();
    this.states.clear();
    this.heldBytes = 0;
  }

  /**
   * Every order's merged state, once, in batches: awaiting each order on its own costs more than
   * finalizing it.
   */
  async *drain(): AsyncGenerator<readonly OrderState[]> {
    if (!this.spill) {
      for (let from = 0; from < this.states.size; from += DRAIN_BATCH) yield this.states.unpackRange(from, from + DRAIN_BATCH);
      this.states.clear();
      return;
    }
    await this.flush();
    for (let b = 0; b < BUCKETS; b++) {
      const merged = new Map<string, OrderState>();
      for await (const record of this.spill.read(b)) {
        const state = decodeState(record);
        const held = merged.get(state.id);
        merged.set(state.id, held ? mergeStates(held, state) : state);
      }
      if (merged.size > 0) yield [...merged.values()];
    }
  }

  async dispose(): Promise<void> {
    this.states.clear();
    await this.spill?.dispose();
    this.spill = null;
  }
}
