import { REPORT_COLUMNS, type OrderLine, type ReportColumn } from '../order.js';
import type { DateParts } from './dates.js';
import { detach } from './strings.js';
import type { Money } from './values.js';
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
  /** Created Time (or, without that column, Paid Time) as parsed, day and month still unordered (see dates.ts); null when the file has no times. */
  created: DateParts | null;
  /** Has a paid time. */
  paid: boolean;
  statusCancelled: boolean;
  /** The status says unpaid / awaiting payment. */
  statusUnpaid: boolean;
  /** The status says the order left the unpaid state (on hold, to ship, shipped, delivered, completed). */
  statusPlaced: boolean;
  /** Payment Method says cash on delivery. */
  cod: boolean;
  lines: number;
  cancelLines: number;
  /** Who and why, taken from the first cancel line, else from the first line that says anything. */
  cancelBy: string;
  reason: string;
  fromCancelLine: boolean;
  fbt: boolean;
  sample: boolean;
  /** Order Amount, from the first line that has one. */
  amount: Money | null;
  /** Values no table knows, by column, the first written; null when every value was known. */
  unknown: Partial<Record<ReportColumn, string>> | null;
  /** What each row bought, in file order; empty when the file has no product columns. */
  items: OrderLine[];
}

const saysWho = (s: OrderState) => (s.fromCancelLine ? 2 : s.reason || s.cancelBy ? 1 : 0);

/** `later` was read after `earlier`; returns the merged state (mutating `earlier` where it can). */
export function mergeStates(earlier: OrderState, later: OrderState): OrderState {
  if (later.attempt !== earlier.attempt) return later.attempt > earlier.attempt ? later : earlier;
  earlier.lines += later.lines;
  earlier.cancelLines += later.cancelLines;
  earlier.paid ||= later.paid;
  earlier.statusCancelled ||= later.statusCancelled;
  earlier.statusUnpaid ||= later.statusUnpaid;
  earlier.statusPlaced ||= later.statusPlaced;
  earlier.cod ||= later.cod;
  if (later.unknown) earlier.unknown = { ...later.unknown, ...earlier.unknown };
  earlier.fbt ||= later.fbt;
  earlier.sample ||= later.sample;
  if (!earlier.amount) earlier.amount = later.amount;
  for (const item of later.items) earlier.items.push(item);
  if (saysWho(later) > saysWho(earlier)) {
    earlier.cancelBy = later.cancelBy;
    earlier.reason = later.reason;
    earlier.fromCancelLine = later.fromCancelLine;
  }
  return earlier;
}

/**
 * Spill records: fields joined by the ASCII unit separator, a character no export cell holds
 * (text fields are cleaned of it and of line breaks). About four times faster than JSON here.
 */
const SEP = '\x1f';
/** Between the column number and the value of an unknown value, and between unknown values; also between order lines, and between a line's fields. */
const PAIR = '\x1e';
const ITEM = '\x1d';
/**
 * A state's yes/no fields as bits. Read by name (`BIT.paid`), not by a key passed in: a lookup
 * by key was a megamorphic load on every line of a file.
 */
const BIT = {
  isoOrder: 1 << 0, meridiem: 1 << 1, paid: 1 << 2, statusCancelled: 1 << 3, fromCancelLine: 1 << 4, fbt: 1 << 5, sample: 1 << 6,
  dated: 1 << 7, statusUnpaid: 1 << 8, statusPlaced: 1 << 9, cod: 1 << 10,
} as const;
const UNSAFE = new RegExp(`[${ITEM}${PAIR}${SEP}\\n\\r]`, 'g');
const clean = (text: string) => text.replace(UNSAFE, ' ');
const bit = (flag: number, on: boolean) => (on ? flag : 0);
const hasFlag = (flags: number, flag: number) => (flags & flag) !== 0;

/** A state's yes/no fields as bits (BIT): shared by spill records and held states. */
function flagsOf(s: OrderState): number {
  const c = s.created;
  return bit(BIT.isoOrder, c?.isoOrder ?? false) | bit(BIT.meridiem, c?.meridiem ?? false) | bit(BIT.paid, s.paid)
    | bit(BIT.statusCancelled, s.statusCancelled) | bit(BIT.fromCancelLine, s.fromCancelLine) | bit(BIT.fbt, s.fbt) | bit(BIT.sample, s.sample)
    | bit(BIT.dated, c !== null) | bit(BIT.statusUnpaid, s.statusUnpaid) | bit(BIT.statusPlaced, s.statusPlaced) | bit(BIT.cod, s.cod);
}

/** Empty text and null are told apart: a leading 1 marks a present value. */
const optional = (text: string | null) => (text === null ? '' : `1${clean(text)}`);
const unoptional = (field: string | undefined) => (field ? field.slice(1) : null);

function encodeItems(items: readonly OrderLine[]): string {
  return items.map((l) => [optional(l.skuId), optional(l.sellerSku), optional(l.product), optional(l.variation), l.quantity, l.cancelled ? 1 : 0].join(ITEM)).join(PAIR);
}

function decodeItems(field: string): OrderLine[] {
  if (field === '') return [];
  return field.split(PAIR).map((line) => {
    const f = line.split(ITEM);
    return { skuId: unoptional(f[0]), sellerSku: unoptional(f[1]), product: unoptional(f[2]), variation: unoptional(f[3]), quantity: Number(f[4]), cancelled: f[5] === '1' };
  });
}

export function encodeState(s: OrderState): string {
  const c = s.created;
  const unknown = s.unknown ? Object.entries(s.unknown).map(([col, v]) => `${REPORT_COLUMNS.indexOf(col as ReportColumn)}${PAIR}${clean(v)}`).join(ITEM) : '';
  return [
    s.id, s.attempt, s.line, c?.year ?? 0, c?.first ?? 0, c?.second ?? 0, c?.seconds ?? 0, flagsOf(s), s.lines, s.cancelLines,
    clean(s.cancelBy), clean(s.reason), s.amount?.cents ?? '', s.amount?.currency ?? '', unknown, encodeItems(s.items),
  ].join(SEP);
}

export function decodeState(record: string): OrderState {
  const f = record.split(SEP);
  const n = (i: number) => Number(f[i]);
  const flags = n(7);
  const has = (flag: number) => hasFlag(flags, flag);
  const cents = f[12] ?? '';
  const unknownText = f[14] ?? '';
  const unknown = unknownText === '' ? null : Object.fromEntries(unknownText.split(ITEM).map((item) => {
    const [col = '', value = ''] = item.split(PAIR);
    return [REPORT_COLUMNS[Number(col)] ?? 'Order Status', value];
  })) as Partial<Record<ReportColumn, string>>;
  return {
    id: f[0] ?? '', attempt: n(1), line: n(2),
    created: has(BIT.dated) ? { year: n(3), first: n(4), second: n(5), seconds: n(6), isoOrder: has(BIT.isoOrder), meridiem: has(BIT.meridiem) } : null,
    paid: has(BIT.paid), statusCancelled: has(BIT.statusCancelled), statusUnpaid: has(BIT.statusUnpaid), statusPlaced: has(BIT.statusPlaced),
    cod: has(BIT.cod), lines: n(8), cancelLines: n(9),
    cancelBy: f[10] ?? '', reason: f[11] ?? '', fromCancelLine: has(BIT.fromCancelLine), fbt: has(BIT.fbt), sample: has(BIT.sample),
    amount: cents === '' ? null : { cents: Number(cents), currency: f[13] || null }, unknown,
    items: decodeItems(f[15] ?? ''),
  };
}

const BUCKETS = 64;

function bucketOf(id: string): number {
  // FNV-1a: cheap and spreads sequential order ids evenly.
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % BUCKETS;
}

/** 150 MB of held orders (about a million) before any is spilled: a big export stays in memory. */
export const DEFAULT_MEMORY_BUDGET_BYTES = 150 * 1024 * 1024;

/** Int32 lanes of a held state; its amount sits apart in a Float64Array (cents exceed 2^31). */
const LANES = 12;
const [ATTEMPT, LINE, YEAR, FIRST, SECOND, SECONDS, FLAG_BITS, LINES, CANCEL_LINES, CANCEL_BY, REASON, CURRENCY] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] as const;
/** Beyond BIT's bits. */
const HAS_AMOUNT = 1 << 11;
/**
 * What one held order costs, in bytes: its lanes and amount, its id and its index entries (about a map entry). As an
 * object with its date and amount, V8 (Node 20) took 344 bytes a state; packed, 110.
 */
export const heldStateBytes = (id: string): number => LANES * 4 + 8 + MAP_ENTRY_BYTES + STRING_HEADER_BYTES + id.length;
const MAP_ENTRY_BYTES = 40;
const STRING_HEADER_BYTES = 16;
/** What held order lines cost beyond their texts: the line object, its slot in the array, the array's share. */
const LINE_BYTES = 96;
export const heldLinesBytes = (lines: readonly OrderLine[]): number => {
  let bytes = 0;
  for (const l of lines) bytes += LINE_BYTES + (l.skuId?.length ?? 0) + (l.sellerSku?.length ?? 0) + (l.product?.length ?? 0) + (l.variation?.length ?? 0);
  return bytes;
};

/** Values no table knows, kept beside an order's slot: each as a map entry and its text. */
const heldUnknownBytes = (unknown: NonNullable<OrderState['unknown']>): number => {
  let bytes = 0;
  for (const value of Object.values(unknown)) bytes += MAP_ENTRY_BYTES + STRING_HEADER_BYTES + (value?.length ?? 0) * 2;
  return bytes;
};

/** Held states as plain data that crosses threads: the slots' lanes, their ids and texts, in the order the orders came. */
export interface HeldStates {
  ids: string[];
  ints: Int32Array<ArrayBuffer>;
  cents: Float64Array<ArrayBuffer>;
  texts: string[];
  unknown: Array<[number, NonNullable<OrderState['unknown']>]>;
  items: Array<[number, OrderLine[]]>;
}

/**
 * Held order states packed into typed arrays, a slot per order found by its id: a few numbers
 * per order instead of three objects, so the heap stays small and the collector has almost
 * nothing to trace. Texts (who cancelled, why, currency) are stored once each.
 */
export class PackedStates {
  private readonly ids = new OrderIds();
  private ints = new Int32Array(LANES * 4096);
  private cents = new Float64Array(4096);
  private texts: string[] = [];
  private textIds = new Map<string, number>();
  private unknown = new Map<number, NonNullable<OrderState['unknown']>>();
  private items = new Map<number, OrderLine[]>();
  private textBytes = 0;

  get size(): number {
    return this.ids.size;
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
   * never built as an object, which for a file whose lines of one order are scattered was most
   * of what a line cost beyond reading it.
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
    if (s.items.length > 0) {
      const items = this.items.get(slot);
      if (items) for (const item of s.items) items.push(item);
      else this.items.set(slot, s.items);
    }
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
    // Order lines exist only when the file has product columns: kept beside the slots too.
    if (s.items.length > 0) this.items.set(slot, s.items);
    else if (this.items.size > 0) this.items.delete(slot);
  }

  *values(): Generator<OrderState> {
    for (let slot = 0; slot < this.ids.size; slot++) yield this.unpack(this.ids.idOf(slot), slot);
  }

  /** The states of slots [from, to), unpacked: a batch costs no iterator step per order. */
  unpackRange(from: number, to: number): OrderState[] {
    const states: OrderState[] = [];
    for (let slot = from; slot < Math.min(to, this.ids.size); slot++) states.push(this.unpack(this.ids.idOf(slot), slot));
    return states;
  }

  /** The held states as plain data (copies of the used part of the lanes). */
  held(): HeldStates {
    const size = this.ids.size;
    return {
      ids: Array.from({ length: size }, (_, slot) => this.ids.idOf(slot)), ints: this.ints.slice(0, size * LANES), cents: this.cents.slice(0, size),
      texts: this.texts, unknown: [...this.unknown], items: [...this.items],
    };
  }

  /** A read-only view of `held`'s slots, for absorbing them. */
  static viewOf(held: HeldStates): PackedStates {
    const view = new PackedStates();
    view.ints = held.ints;
    view.cents = held.cents;
    view.texts = held.texts;
    view.unknown = new Map(held.unknown);
    view.items = new Map(held.items);
    return view;
  }

  /**
   * Holds the state in `slot` of `other` for an order not held yet, copied lane by lane (its
   * texts numbered here): what `append` would do with it, without building it as an object.
   */
  appendFrom(other: PackedStates, slot: number, id: string, attempt: number, lineOffset: number, textsHere: TextNumbers): void {
    const mine = this.ids.size;
    if ((mine + 1) * LANES > this.ints.length) this.grow();
    this.ids.add(id);
    const to = mine * LANES;
    const from = slot * LANES;
    const ints = this.ints;
    const theirs = other.ints;
    for (let lane = 0; lane < LANES; lane++) ints[to + lane] = theirs[from + lane] ?? 0;
    ints[to + ATTEMPT] = attempt;
    ints[to + LINE] = (ints[to + LINE] ?? 0) + lineOffset;
    ints[to + CANCEL_BY] = this.textFrom(other, theirs[from + CANCEL_BY] ?? 0, textsHere);
    ints[to + REASON] = this.textFrom(other, theirs[from + REASON] ?? 0, textsHere);
    const currency = theirs[from + CURRENCY] ?? -1;
    ints[to + CURRENCY] = currency >= 0 ? this.textFrom(other, currency, textsHere) : -1;
    this.cents[mine] = other.cents[slot] ?? 0;
    const unknown = other.unknown.size > 0 ? other.unknown.get(slot) : undefined;
    if (unknown) this.unknown.set(mine, unknown);
    else if (this.unknown.size > 0) this.unknown.delete(mine);
    const items = other.items.size > 0 ? other.items.get(slot) : undefined;
    if (items) this.items.set(mine, items);
    else if (this.items.size > 0) this.items.delete(mine);
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

  /** Whether any held state has order lines or values no table knows (extrasOf is worth asking). */
  get hasExtras(): boolean {
    return this.items.size > 0 || this.unknown.size > 0;
  }

  /** Order lines and values no table knows held for `slot`, as the budget counts them. */
  extrasOf(slot: number): { items: readonly OrderLine[]; unknown: OrderState['unknown'] } {
    return { items: this.items.get(slot) ?? [], unknown: this.unknown.get(slot) ?? null };
  }

  clear(): void {
    this.ids.clear();
    this.ints = new Int32Array(LANES * 4096);
    this.cents = new Float64Array(4096);
    this.texts = [];
    this.textIds = new Map();
    this.textBytes = 0;
    this.unknown = new Map();
    this.items = new Map();
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
      items: this.items.size > 0 ? this.items.get(slot) ?? [] : [],
    };
  }
}

/** Another part's text numbers → this part's, -1 where not numbered here yet (see PackedStates.textNumbers). */
type TextNumbers = Int32Array;

/** A typed array twice as long, starting with `values`. */
function doubled(values: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer>;
function doubled(values: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer>;
function doubled(values: Int32Array<ArrayBuffer> | Float64Array<ArrayBuffer>): Int32Array<ArrayBuffer> | Float64Array<ArrayBuffer> {
  const longer = values instanceof Int32Array ? new Int32Array(values.length * 2) : new Float64Array(values.length * 2);
  longer.set(values);
  return longer;
}

/** Held orders drained at a time (see drain). */
const DRAIN_BATCH = 1024;

/** Encoded records written to the spill at a time when the held orders go to disk (characters). */
const FLUSH_SLICE_CHARS = 4 * 1024 * 1024;

/** Digits of an id beyond which it is no longer held as two numbers (see OrderIds). */
const MAX_NUMERIC_ID = 19;
const LOW_DIGITS = 9;

/**
 * Held order ids → their slots, in the order they came. TikTok's ids are 18–19 digits: such an id
 * is held as two numbers in typed arrays, so finding a line's order hashes a few integers
 * instead of a freshly cut string and compares no strings, and no string per order stays on
 * the heap for the collector to copy (the id is written out again when the order is drained).
 * Any other id is held as text, in a Map.
 */
class OrderIds {
  private count = 0;
  /** Per slot: the digits before the last nine, times 32, plus the id's length; and the last nine digits. -1: not numeric. */
  private high = new Float64Array(4096);
  private low = new Int32Array(4096);
  private hashes = new Int32Array(4096);
  /** Open addressing: slot + 1, 0 where free. */
  private table = new Int32Array(8192);
  private others = new Map<string, number>();
  private otherIds = new Map<number, string>();

  get size(): number {
    return this.count;
  }

  idOf(slot: number): string {
    const key = this.high[slot] ?? -1;
    if (key < 0) return this.otherIds.get(slot) ?? '';
    const length = key % 32;
    const low = String(this.low[slot] ?? 0);
    if (length <= LOW_DIGITS) return low.padStart(length, '0');
    return String((key - length) / 32).padStart(length - LOW_DIGITS, '0') + low.padStart(LOW_DIGITS, '0');
  }

  slotOf(id: string): number | undefined {
    if (!this.key(id)) return this.others.get(id);
    const mask = this.table.length - 1;
    for (let at = keyHash & mask; ; at = (at + 1) & mask) {
      const held = this.table[at] ?? 0;
      if (held === 0) return undefined;
      if (this.high[held - 1] === keyHigh && this.low[held - 1] === keyLow) return held - 1;
    }
  }

  add(id: string): void {
    const slot = this.count++;
    if (slot >= this.high.length) {
      this.high = doubled(this.high);
      this.low = doubled(this.low);
      this.hashes = doubled(this.hashes);
    }
    if (!this.keyAgain(id)) {
      this.high[slot] = -1;
      const held = detach(id);
      this.others.set(held, slot);
      this.otherIds.set(slot, held);
      return;
    }
    this.high[slot] = keyHigh;
    this.low[slot] = keyLow;
    this.hashes[slot] = keyHash;
    if ((slot + 1) * 2 > this.table.length) this.rehash();
    else this.place(slot, keyHash);
  }

  clear(): void {
    this.count = 0;
    this.high = new Float64Array(4096);
    this.low = new Int32Array(4096);
    this.hashes = new Int32Array(4096);
    this.table = new Int32Array(8192);
    this.others = new Map();
    this.otherIds = new Map();
  }

  private place(slot: number, hash: number): void {
    const mask = this.table.length - 1;
    let at = hash & mask;
    while ((this.table[at] ?? 0) !== 0) at = (at + 1) & mask;
    this.table[at] = slot + 1;
  }

  private rehash(): void {
    this.table = new Int32Array(this.table.length * 2);
    for (let slot = 0; slot < this.count; slot++) if ((this.high[slot] ?? -1) >= 0) this.place(slot, this.hashes[slot] ?? 0);
  }

  /**
   * key(id), where a new order's id was keyed when it was looked for: the same string, so
   * comparing is at once. (Comparing each line's id with the line before's was not: two
   * different ids of one length are compared character by character.)
   */
  private keyAgain(id: string): boolean {
    return id === keyedId ? keyedNumeric : this.key(id);
  }

  /** Reads `id` as a numeric key into keyHigh, keyLow and keyHash; false when it is not one. */
  private key(id: string): boolean {
    keyedId = id;
    keyedNumeric = false;
    const length = id.length;
    if (length === 0 || length > MAX_NUMERIC_ID) return false;
    let high = 0;
    let low = 0;
    let hash = 0x811c9dc5;
    const split = length - LOW_DIGITS;
    for (let i = 0; i < length; i++) {
      const c = id.charCodeAt(i);
      const d = c - 48;
      if (d < 0 || d > 9) return false;
      if (i < split) high = high * 10 + d;
      else low = low * 10 + d;
      hash = Math.imul(hash ^ c, 0x01000193);
    }
    keyHigh = high * 32 + length;
    keyLow = low;
    keyHash = hash;
    keyedNumeric = true;
    return true;
  }
}

/** OrderIds.key's results: module variables rather than an object per line, and the id they are of. */
let keyHigh = 0;
let keyLow = 0;
let keyHash = 0;
let keyedId: string | null = null;
let keyedNumeric = false;

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
    // Records go to disk a slice at a time: encoding every held order before writing any held
    // them all twice over, which with order lines (names and SKUs in every record) was more
    // than the budget itself.
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
   * Every order's merged state, once, in batches: awaiting each order on its own cost more than
   * finalizing it (a 100k-order report spent about 30 ms on the awaits alone).
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
