import type { OrderLine } from '../order.js';
import { doubled, idHash, idRangeKey, OrderIds } from './order-ids.js';
import { bit, BIT, flagsOf, hasFlag, saysWho, type OrderState } from './order-state.js';

/** Int32 lanes of a held state; its amount sits apart in a Float64Array (cents exceed 2^31). */
const LANES = 14;
const [ATTEMPT, LINE, YEAR, FIRST, SECOND, SECONDS, FLAG_BITS, LINES, CANCEL_LINES, CANCEL_BY, REASON, CURRENCY, FIRST_ITEM, LAST_ITEM] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13] as const;
/** Beyond BIT's bits. */
const HAS_AMOUNT = 1 << 11;
/**
 * Int32 lanes of a held order line (what one row bought): the next line of its order (-1 after
 * the last), its four texts' numbers (-1: none) and whether it was cancelled; its quantity sits
 * apart in a Float64Array (any whole number).
 */
export const ITEM_LANES = 6;
const [NEXT, SKU_ID, SELLER_SKU, PRODUCT, VARIATION, ITEM_CANCELLED] = [0, 1, 2, 3, 4, 5] as const;
/** A line's lanes that hold text numbers. */
const ITEM_TEXTS = [SKU_ID, SELLER_SKU, PRODUCT, VARIATION] as const;
/** No line, no text. */
const NONE = -1;
/** What one held order costs, in bytes: its lanes and amount, its id and its index entries (about a map entry). */
export const heldStateBytes = (id: string): number => LANES * 4 + 8 + MAP_ENTRY_BYTES + STRING_HEADER_BYTES + id.length;
const MAP_ENTRY_BYTES = 40;
const STRING_HEADER_BYTES = 16;
/** What a held order line costs: its lanes and quantity (its texts are held once each, and counted as texts). */
const ITEM_BYTES = ITEM_LANES * 4 + 8;

/**
 * What an order's lines and its values no table knows cost beside its slot, however they come
 * (a state being added, a slot of another part's held states): each value as a map entry and its text.
 */
export function heldExtrasBytes(lineCount: number, unknown: OrderState['unknown'] | undefined): number {
  let bytes = lineCount * ITEM_BYTES;
  if (unknown) for (const value of Object.values(unknown)) bytes += MAP_ENTRY_BYTES + STRING_HEADER_BYTES + (value?.length ?? 0) * 2;
  return bytes;
}

/**
 * Chains line `item` after the last line of the state whose lanes start at `state` in `ints`:
 * the one way lines are linked, held here or copied into a run.
 */
function chainItem(ints: Int32Array, state: number, items: Int32Array, item: number): void {
  items[item * ITEM_LANES + NEXT] = NONE;
  const last = ints[state + LAST_ITEM] ?? NONE;
  if (last === NONE) ints[state + FIRST_ITEM] = item;
  else items[last * ITEM_LANES + NEXT] = item;
  ints[state + LAST_ITEM] = item;
}

/**
 * Held states as plain data that crosses threads: the slots' lanes, their ids and texts, in the
 * order the orders came; their order lines' lanes, numbered within these (a slot's FIRST_ITEM
 * and LAST_ITEM, a line's NEXT), their texts among `texts`.
 */
export interface HeldStates {
  ids: string[];
  ints: Int32Array<ArrayBuffer>;
  cents: Float64Array<ArrayBuffer>;
  texts: string[];
  unknown: Array<[number, NonNullable<OrderState['unknown']>]>;
  items: Int32Array<ArrayBuffer>;
  quantities: Float64Array<ArrayBuffer>;
}

/**
 * Held order states packed into typed arrays, a slot per order found by its id: a few numbers
 * per order and per order line instead of objects, so the heap stays small and the collector
 * has almost nothing to trace. Texts (who cancelled, why, currency, what was bought) are stored
 * once each.
 */
export class PackedStates {
  private readonly ids = new OrderIds();
  private ints = new Int32Array(LANES * 4096);
  private cents = new Float64Array(4096);
  private texts: string[] = [];
  private textIds = new Map<string, number>();
  private unknown = new Map<number, NonNullable<OrderState['unknown']>>();
  /** Order lines, ITEM_LANES each, chained per order (an order's later lines come after other orders'). */
  private items = new Int32Array(ITEM_LANES * 4096);
  private quantities = new Float64Array(4096);
  private itemCount = 0;
  private textBytes = 0;
  /** heldOf's scratch: a run's numbers of the texts held here. */
  private runNumbers = new Int32Array(0);
  /** A view's ids (viewOf), by slot: it holds no index of them. */
  private viewIds: readonly string[] | null = null;

  get size(): number {
    return this.viewIds ? this.viewIds.length : this.ids.size;
  }

  /** What the distinct texts (who cancelled, why, currency) take: free-text reasons may differ on every order. */
  get textsBytes(): number {
    return this.textBytes;
  }

  slotOf(id: string): number | undefined {
    return this.ids.slotOf(id);
  }

  /** Holds a state for an order not held yet. */
  append(id: string, s: OrderState): void {
    const slot = this.ids.size;
    if ((slot + 1) * LANES > this.ints.length) this.grow();
    this.ids.add(id);
    this.write(slot, s);
  }

  /**
   * mergeStates(held, s) for the order held in `slot`, worked on its lanes: the held state is
   * never built as an object, so a scattered order's later lines allocate nothing here.
   */
  merge(slot: number, s: OrderState): void {
    const i = slot * LANES;
    const ints = this.ints;
    const attempt = ints[i + ATTEMPT] ?? 0;
    if (s.attempt !== attempt) {
      if (s.attempt > attempt) this.write(slot, s);
      return;
    }
    ints[i + LINES] = (ints[i + LINES] ?? 0) + s.lines;
    ints[i + CANCEL_LINES] = (ints[i + CANCEL_LINES] ?? 0) + s.cancelLines;
    let flags = (ints[i + FLAG_BITS] ?? 0) | bit(BIT.paid, s.paid) | bit(BIT.statusCancelled, s.statusCancelled) | bit(BIT.statusUnpaid, s.statusUnpaid)
      | bit(BIT.statusPlaced, s.statusPlaced) | bit(BIT.cod, s.cod) | bit(BIT.fbt, s.fbt) | bit(BIT.sample, s.sample);
    if (s.unknown) this.unknown.set(slot, { ...s.unknown, ...this.unknown.get(slot) });
    if ((flags & HAS_AMOUNT) === 0 && s.amount) {
      flags |= HAS_AMOUNT;
      this.cents[slot] = s.amount.cents;
      ints[i + CURRENCY] = s.amount.currency != null ? this.textId(s.amount.currency) : -1;
    }
    if (s.items.length > 0) this.appendItems(slot, s.items);
    const heldSays = hasFlag(flags, BIT.fromCancelLine) ? 2 : this.texts[ints[i + REASON] ?? 0] || this.texts[ints[i + CANCEL_BY] ?? 0] ? 1 : 0;
    if (saysWho(s) > heldSays) {
      ints[i + CANCEL_BY] = this.textId(s.cancelBy);
      ints[i + REASON] = this.textId(s.reason);
      flags = (flags & ~BIT.fromCancelLine) | bit(BIT.fromCancelLine, s.fromCancelLine);
    }
    ints[i + FLAG_BITS] = flags;
  }

  write(slot: number, s: OrderState): void {
    const i = slot * LANES;
    const c = s.created;
    const ints = this.ints;
    ints[i + ATTEMPT] = s.attempt;
    ints[i + LINE] = s.line;
    ints[i + YEAR] = c?.year ?? 0;
    ints[i + FIRST] = c?.first ?? 0;
    ints[i + SECOND] = c?.second ?? 0;
    ints[i + SECONDS] = c?.seconds ?? 0;
    ints[i + FLAG_BITS] = flagsOf(s) | (s.amount ? HAS_AMOUNT : 0);
    ints[i + LINES] = s.lines;
    ints[i + CANCEL_LINES] = s.cancelLines;
    ints[i + CANCEL_BY] = this.textId(s.cancelBy);
    ints[i + REASON] = this.textId(s.reason);
    ints[i + CURRENCY] = s.amount?.currency != null ? this.textId(s.amount.currency) : -1;
    this.cents[slot] = s.amount?.cents ?? 0;
    // Values no table knows are rare: kept beside the slots, for the orders that have them.
    if (s.unknown) this.unknown.set(slot, s.unknown);
    else if (this.unknown.size > 0) this.unknown.delete(slot);
    ints[i + FIRST_ITEM] = NONE;
    ints[i + LAST_ITEM] = NONE;
    if (s.items.length > 0) this.appendItems(slot, s.items);
  }

  /** Holds `lines` after the lines of the order in `slot`. */
  private appendItems(slot: number, lines: readonly OrderLine[]): void {
    for (const l of lines) {
      const item = this.newItem(slot);
      const at = item * ITEM_LANES;
      this.items[at + SKU_ID] = this.textIdOrNone(l.skuId);
      this.items[at + SELLER_SKU] = this.textIdOrNone(l.sellerSku);
      this.items[at + PRODUCT] = this.textIdOrNone(l.product);
      this.items[at + VARIATION] = this.textIdOrNone(l.variation);
      this.items[at + ITEM_CANCELLED] = l.cancelled ? 1 : 0;
      this.quantities[item] = l.quantity;
    }
  }

  /** A line chained after the last of the order in `slot`, its texts and quantity still to be written. */
  private newItem(slot: number): number {
    const item = this.itemCount++;
    if (this.itemCount * ITEM_LANES > this.items.length) {
      this.items = doubled(this.items);
      this.quantities = doubled(this.quantities);
    }
    chainItem(this.ints, slot * LANES, this.items, item);
    return item;
  }

  /** The lines held for `slot`, as objects. */
  private itemsOf(slot: number): OrderLine[] {
    const lines: OrderLine[] = [];
    const texts = this.texts;
    const text = (n: number): string | null => (n === NONE ? null : texts[n] ?? null);
    for (let item = this.firstItem(slot); item !== NONE; item = this.nextItem(item)) {
      const at = item * ITEM_LANES;
      lines.push({
        skuId: text(this.items[at + SKU_ID] ?? NONE), sellerSku: text(this.items[at + SELLER_SKU] ?? NONE),
        product: text(this.items[at + PRODUCT] ?? NONE), variation: text(this.items[at + VARIATION] ?? NONE),
        quantity: this.quantities[item] ?? 0, cancelled: this.items[at + ITEM_CANCELLED] === 1,
      });
    }
    return lines;
  }

  /** How many lines are held for `slot`. */
  private itemCountOf(slot: number): number {
    let count = 0;
    for (let item = this.firstItem(slot); item !== NONE; item = this.nextItem(item)) count++;
    return count;
  }

  /** The first line held for `slot`, NONE when it has none. */
  private firstItem(slot: number): number {
    return this.ints[slot * LANES + FIRST_ITEM] ?? NONE;
  }

  /** The line after `item` in its order, NONE after the last. */
  private nextItem(item: number): number {
    return this.items[item * ITEM_LANES + NEXT] ?? NONE;
  }

  /** The states of slots [from, to), unpacked: a batch costs no iterator step per order. */
  unpackRange(from: number, to: number): OrderState[] {
    const states: OrderState[] = [];
    for (let slot = from; slot < Math.min(to, this.size); slot++) states.push(this.unpack(this.idAt(slot), slot));
    return states;
  }

  /** The states of `slots`, in that order, unpacked. */
  unpackSlots(slots: Int32Array): OrderState[] {
    const states: OrderState[] = [];
    for (const slot of slots) states.push(this.unpack(this.idAt(slot), slot));
    return states;
  }

  /** The held states as plain data (copies of the used part of the lanes). */
  held(): HeldStates {
    const size = this.ids.size;
    return {
      ids: Array.from({ length: size }, (_, slot) => this.ids.idOf(slot)), ints: this.ints.slice(0, size * LANES), cents: this.cents.slice(0, size),
      texts: this.texts, unknown: [...this.unknown],
      items: this.items.slice(0, this.itemCount * ITEM_LANES), quantities: this.quantities.slice(0, this.itemCount),
    };
  }

  idAt(slot: number): string {
    return this.viewIds ? this.viewIds[slot] ?? '' : this.ids.idOf(slot);
  }

  /** The id in `slot`, hashed as idHash hashes it. */
  hashOf(slot: number): number {
    return this.viewIds ? idHash(this.viewIds[slot] ?? '') : this.ids.hashOf(slot);
  }

  /** The id in `slot` as idRangeKey reads it. */
  rangeKeyOf(slot: number): number {
    return this.viewIds ? idRangeKey(this.viewIds[slot] ?? '') : this.ids.rangeKeyOf(slot);
  }

  /** The held states of `slots`, in that order, as plain data carrying only the texts they use. */
  heldOf(slots: Int32Array): HeldStates {
    const count = slots.length;
    const ids = new Array<string>(count);
    const ints = new Int32Array(count * LANES);
    const cents = new Float64Array(count);
    const texts: string[] = [];
    // The run's number of each text held here, NONE until used: one array kept for every run, put back after each.
    if (this.runNumbers.length < this.texts.length) this.runNumbers = new Int32Array(this.texts.length * 2).fill(NONE);
    const numbers = this.runNumbers;
    const used: number[] = [];
    const local = (n: number): number => {
      if (n === NONE) return NONE;
      let k = numbers[n] ?? NONE;
      if (k === NONE) {
        k = texts.length;
        texts.push(this.texts[n] ?? '');
        numbers[n] = k;
        used.push(n);
      }
      return k;
    };
    let itemTotal = 0;
    if (this.itemCount > 0) for (let k = 0; k < count; k++) itemTotal += this.itemCountOf(slots[k] ?? 0);
    const items = new Int32Array(itemTotal * ITEM_LANES);
    const quantities = new Float64Array(itemTotal);
    let next = 0;
    const unknown: HeldStates['unknown'] = [];
    for (let k = 0; k < count; k++) {
      const slot = slots[k] ?? 0;
      ids[k] = this.idAt(slot);
      const to = k * LANES;
      ints.set(this.ints.subarray(slot * LANES, slot * LANES + LANES), to);
      ints[to + CANCEL_BY] = local(ints[to + CANCEL_BY] ?? 0);
      ints[to + REASON] = local(ints[to + REASON] ?? 0);
      ints[to + CURRENCY] = local(ints[to + CURRENCY] ?? NONE);
      cents[k] = this.cents[slot] ?? 0;
      const u = this.unknown.size > 0 ? this.unknown.get(slot) : undefined;
      if (u) unknown.push([k, u]);
      // The order's lines, one after another, chained anew within the run.
      ints[to + FIRST_ITEM] = NONE;
      ints[to + LAST_ITEM] = NONE;
      for (let item = this.firstItem(slot); item !== NONE; item = this.nextItem(item)) {
        const from = item * ITEM_LANES;
        const at = next * ITEM_LANES;
        chainItem(ints, to, items, next);
        for (const lane of ITEM_TEXTS) items[at + lane] = local(this.items[from + lane] ?? NONE);
        items[at + ITEM_CANCELLED] = this.items[from + ITEM_CANCELLED] ?? 0;
        quantities[next] = this.quantities[item] ?? 0;
        next++;
      }
    }
    for (const n of used) numbers[n] = NONE;
    return { ids, ints, cents, texts, unknown, items, quantities };
  }

  /** A read-only view of `held`'s slots, for absorbing them (found by slot, not by id). */
  static viewOf(held: HeldStates): PackedStates {
    const view = new PackedStates();
    view.viewIds = held.ids;
    view.ints = held.ints;
    view.cents = held.cents;
    view.texts = held.texts;
    view.unknown = new Map(held.unknown);
    view.items = held.items;
    view.quantities = held.quantities;
    view.itemCount = held.quantities.length;
    return view;
  }

  /**
   * Holds the state in `slot` of `other` as `add` would hold it: merged into the order held
   * here, or copied over lane by lane for an order not held yet (its texts numbered here,
   * `textsHere`), without building it as an object. `attempt` null keeps the slot's own.
   * True when the order was not held yet.
   */
  takeFrom(other: PackedStates, slot: number, id: string, attempt: number | null, lineOffset: number, textsHere: TextNumbers): boolean {
    const mine = this.slotOf(id);
    if (mine === undefined) {
      this.appendFrom(other, slot, id, attempt, lineOffset, textsHere);
      return true;
    }
    const state = other.unpack(id, slot);
    if (attempt !== null) state.attempt = attempt;
    state.line += lineOffset;
    this.merge(mine, state);
    return false;
  }

  private appendFrom(other: PackedStates, slot: number, id: string, attempt: number | null, lineOffset: number, textsHere: TextNumbers): void {
    const mine = this.ids.size;
    if ((mine + 1) * LANES > this.ints.length) this.grow();
    this.ids.add(id);
    const to = mine * LANES;
    const from = slot * LANES;
    const ints = this.ints;
    const theirs = other.ints;
    for (let lane = 0; lane < LANES; lane++) ints[to + lane] = theirs[from + lane] ?? 0;
    if (attempt !== null) ints[to + ATTEMPT] = attempt;
    ints[to + LINE] = (ints[to + LINE] ?? 0) + lineOffset;
    ints[to + CANCEL_BY] = this.textFrom(other, theirs[from + CANCEL_BY] ?? 0, textsHere);
    ints[to + REASON] = this.textFrom(other, theirs[from + REASON] ?? 0, textsHere);
    const currency = theirs[from + CURRENCY] ?? -1;
    ints[to + CURRENCY] = currency >= 0 ? this.textFrom(other, currency, textsHere) : -1;
    this.cents[mine] = other.cents[slot] ?? 0;
    const unknown = other.unknown.size > 0 ? other.unknown.get(slot) : undefined;
    if (unknown) this.unknown.set(mine, unknown);
    else if (this.unknown.size > 0) this.unknown.delete(mine);
    ints[to + FIRST_ITEM] = NONE;
    ints[to + LAST_ITEM] = NONE;
    for (let item = other.firstItem(slot); item !== NONE; item = other.nextItem(item)) {
      const at = item * ITEM_LANES;
      const copy = this.newItem(mine);
      const into = copy * ITEM_LANES;
      for (const lane of ITEM_TEXTS) {
        const n = other.items[at + lane] ?? NONE;
        this.items[into + lane] = n === NONE ? NONE : this.textFrom(other, n, textsHere);
      }
      this.items[into + ITEM_CANCELLED] = other.items[at + ITEM_CANCELLED] ?? 0;
      this.quantities[copy] = other.quantities[item] ?? 0;
    }
  }

  /**
   * Where appendFrom keeps the numbers here of `other`'s texts, each numbered on first use: a
   * text is held (and counted against the budget) only once an order that has it is.
   */
  static textNumbers(other: PackedStates): TextNumbers {
    return new Int32Array(other.texts.length).fill(-1);
  }

  /** The number here of `other`'s text `n`. */
  private textFrom(other: PackedStates, n: number, textsHere: TextNumbers): number {
    let id = textsHere[n] ?? -1;
    if (id < 0) {
      id = this.textId(other.texts[n] ?? '');
      textsHere[n] = id;
    }
    return id;
  }

  /** Whether any held state has order lines or values no table knows (extraBytesOf is worth asking). */
  get hasExtras(): boolean {
    return this.itemCount > 0 || this.unknown.size > 0;
  }

  /** What the order lines and values no table knows held for `slot` cost, as the budget counts them (their texts apart). */
  extraBytesOf(slot: number): number {
    return heldExtrasBytes(this.itemCountOf(slot), this.unknown.size > 0 ? this.unknown.get(slot) : undefined);
  }

  /**
   * Forgets every state. The lanes keep the size they grew to, for the states held after a
   * flush: arrays let go of are memory outside the heap, which the collector frees late, and
   * they would raise the import threads' peak while they lie about.
   */
  clear(): void {
    this.ids.clear();
    this.texts = [];
    this.textIds = new Map();
    this.textBytes = 0;
    this.unknown = new Map();
    this.itemCount = 0;
  }

  private textIdOrNone(text: string | null): number {
    return text === null ? NONE : this.textId(text);
  }

  private textId(text: string): number {
    let id = this.textIds.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.texts.push(text);
      this.textIds.set(text, id);
      this.textBytes += MAP_ENTRY_BYTES + STRING_HEADER_BYTES + text.length * 2;
    }
    return id;
  }

  private grow(): void {
    this.ints = doubled(this.ints);
    this.cents = doubled(this.cents);
  }

  unpack(id: string, slot: number): OrderState {
    const i = slot * LANES;
    const ints = this.ints;
    const flags = ints[i + FLAG_BITS] ?? 0;
    const currency = ints[i + CURRENCY] ?? -1;
    return {
      id, attempt: ints[i + ATTEMPT] ?? 0, line: ints[i + LINE] ?? 0,
      created: hasFlag(flags, BIT.dated) ? {
        year: ints[i + YEAR] ?? 0, first: ints[i + FIRST] ?? 0, second: ints[i + SECOND] ?? 0, seconds: ints[i + SECONDS] ?? 0,
        isoOrder: hasFlag(flags, BIT.isoOrder), meridiem: hasFlag(flags, BIT.meridiem),
      } : null,
      paid: hasFlag(flags, BIT.paid), statusCancelled: hasFlag(flags, BIT.statusCancelled), statusUnpaid: hasFlag(flags, BIT.statusUnpaid),
      statusPlaced: hasFlag(flags, BIT.statusPlaced), cod: hasFlag(flags, BIT.cod),
      lines: ints[i + LINES] ?? 0, cancelLines: ints[i + CANCEL_LINES] ?? 0,
      cancelBy: this.texts[ints[i + CANCEL_BY] ?? 0] ?? '', reason: this.texts[ints[i + REASON] ?? 0] ?? '',
      fromCancelLine: hasFlag(flags, BIT.fromCancelLine), fbt: hasFlag(flags, BIT.fbt), sample: hasFlag(flags, BIT.sample),
      amount: (flags & HAS_AMOUNT) !== 0 ? { cents: this.cents[slot] ?? 0, currency: currency >= 0 ? this.texts[currency] ?? null : null } : null,
      unknown: this.unknown.size > 0 ? this.unknown.get(slot) ?? null : null,
      items: this.itemCount > 0 ? this.itemsOf(slot) : [],
    };
  }
}

/** Another part's text numbers → this part's, -1 where not numbered here yet (see PackedStates.textNumbers). */
type TextNumbers = Int32Array;
