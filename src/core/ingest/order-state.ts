import type { OrderLine, ReportColumn } from '../order.js';
import type { DateParts } from './dates.js';
import type { Money } from './values.js';

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

/** How much a state says of who cancelled and why: from a cancel line (2), from another line (1), nothing (0). */
export const saysWho = (s: OrderState) => (s.fromCancelLine ? 2 : s.reason || s.cancelBy ? 1 : 0);

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
 * A state's yes/no fields as bits. Read by name (`BIT.paid`), not by a key passed in: a lookup
 * by key was a megamorphic load on every line of a file.
 */
export const BIT = {
  isoOrder: 1 << 0, meridiem: 1 << 1, paid: 1 << 2, statusCancelled: 1 << 3, fromCancelLine: 1 << 4, fbt: 1 << 5, sample: 1 << 6,
  dated: 1 << 7, statusUnpaid: 1 << 8, statusPlaced: 1 << 9, cod: 1 << 10,
} as const;
export const bit = (flag: number, on: boolean) => (on ? flag : 0);
export const hasFlag = (flags: number, flag: number) => (flags & flag) !== 0;

/** A state's yes/no fields as bits (BIT): shared by spill records and held states. */
export function flagsOf(s: OrderState): number {
  const c = s.created;
  return bit(BIT.isoOrder, c?.isoOrder ?? false) | bit(BIT.meridiem, c?.meridiem ?? false) | bit(BIT.paid, s.paid)
    | bit(BIT.statusCancelled, s.statusCancelled) | bit(BIT.fromCancelLine, s.fromCancelLine) | bit(BIT.fbt, s.fbt) | bit(BIT.sample, s.sample)
    | bit(BIT.dated, c !== null) | bit(BIT.statusUnpaid, s.statusUnpaid) | bit(BIT.statusPlaced, s.statusPlaced) | bit(BIT.cod, s.cod);
}
