import type { Order, ReportColumn } from '../order.js';
import { dayOf } from '../order.js';
import { INITIATORS, isSellerFault, type Category, type Initiator } from '../reasons/categories.js';
import { isUnknownReason } from '../reasons/classify.js';

export interface ReasonTally {
  cancelled: number;
  sellerFault: number;
  /** How often each reason text was written, as the source wrote it (the first hundred texts). */
  texts: Map<string, number>;
}

/** The counts behind a report, for any set of orders; tallies of disjoint sets add up. */
export interface Tally {
  orders: number;
  cancelled: number;
  sellerFaultOrders: number;
  sellerFaultCancelled: number;
  partiallyCancelled: number;
  unpaidExpired: number;
  /**
   * Cancelled cash-on-delivery orders without a paid time whose reason no source knows: they
   * may never have been placed (an unpaid timeout in other words), so they are in neither rate.
   * Rollups stored before this field existed read it as 0 (see tally-json.ts).
   */
  uncertainCod: number;
  /** Their reason texts, as the source wrote them, with counts (the first hundred texts). */
  uncertainCodReasons: Map<string, number>;
  byInitiator: Record<Initiator, number>;
  reasons: Map<Category, ReasonTally>;
  /** Hundredths per currency code. */
  lostCents: Map<string, number>;
  /** How many orders (placed or not) came from a source lacking each column. */
  gaps: Map<ReportColumn, number>;
  /**
   * Values no table knows, per column, with how many orders wrote each (the first hundred per
   * column). `Cancel Reason` holds the reason texts of cancelled orders that no source knows.
   */
  unrecognised: Map<ReportColumn, Map<string, number>>;
}

const MAX_TEXTS = 100;
const MAX_EXAMPLES = 3;
/** ISO 4217's code for "no currency": the file did not say. */
export const UNKNOWN_CURRENCY = 'XXX';

export function emptyTally(): Tally {
  return {
    orders: 0, cancelled: 0, sellerFaultOrders: 0, sellerFaultCancelled: 0, partiallyCancelled: 0, unpaidExpired: 0,
    uncertainCod: 0, uncertainCodReasons: new Map(),
    byInitiator: Object.fromEntries(INITIATORS.map((i) => [i, 0])) as Record<Initiator, number>,
    reasons: new Map(), lostCents: new Map(), gaps: new Map(), unrecognised: new Map(),
  };
}

/** Where an order stands under the metric contract; the shop's and each product's figures both use it. */
export interface OrderStanding {
  /** Paid or placed: counted at all. Unpaid orders are not orders yet. */
  placed: boolean;
  /** In the SFCR denominator: placed, not fulfilled by TikTok, not a sample. */
  countsForSellerFault: boolean;
  /** Cancelled as a whole, and the seller's fault. */
  sellerFault: boolean;
  /** The reason's category; `other` where the source gave none. */
  category: Category;
  /** Cash on delivery without a paid time, cancelled for a reason no source knows: counted on its own line only. */
  uncertain: boolean;
  /** A reason text was written and nothing knows it: listed with the unrecognised values. */
  unknownReason: boolean;
}

export function orderStanding(order: Order): OrderStanding {
  const unknownReason = (order.cancelled || order.partiallyCancelled) && isUnknownReason(order.reason, order.category);
  // A COD order counts as placed only by its reason when cancelled without a paid time: an unknown reason cannot place it.
  const uncertain = order.cod && order.cancelled && unknownReason;
  const placed = order.paid && order.category !== 'unpaid' && !uncertain;
  const countsForSellerFault = placed && !order.fulfilledByTikTok && !order.sample;
  const category = order.category ?? 'other';
  return {
    placed, countsForSellerFault, category, uncertain, unknownReason,
    sellerFault: countsForSellerFault && order.cancelled && isSellerFault(order.initiator, category),
  };
}

/**
 * Raised whenever `countOrder` counts an order differently (2: a COD order cancelled for an
 * unknown reason is uncertain, unknown reasons are listed), so stored rollups are counted anew.
 */
export const COUNTING_RULES_VERSION = 2;

/** Counts one order by the metric contract (docs/metrics.md). */
export function countOrder(tally: Tally, order: Order): void {
  const { placed, countsForSellerFault, category, sellerFault, uncertain, unknownReason } = orderStanding(order);
  // What the source could not say is counted for every order, placed or not: it decided whether the order counts.
  for (const column of order.gaps) tally.gaps.set(column, (tally.gaps.get(column) ?? 0) + 1);
  for (const column in order.unrecognised) {
    const value = order.unrecognised[column as ReportColumn];
    if (value !== undefined) countUnrecognised(tally, column as ReportColumn, value, 1);
  }
  // Every unknown reason text is listed with its count, whatever it did to the figures, so a person can teach it.
  if (unknownReason && order.reason !== null) countUnrecognised(tally, 'Cancel Reason', order.reason, 1);
  // Unpaid orders are not orders yet: out of every figure, counted on their own line if they expired.
  if (!placed) {
    if (uncertain && order.reason !== null) {
      tally.uncertainCod++;
      countText(tally.uncertainCodReasons, order.reason, 1);
    } else if (order.cancelled) tally.unpaidExpired++;
    return;
  }
  tally.orders++;
  if (countsForSellerFault) tally.sellerFaultOrders++;
  if (order.partiallyCancelled) tally.partiallyCancelled++;
  if (!order.cancelled) return;

  tally.cancelled++;
  tally.byInitiator[order.initiator]++;
  if (sellerFault) tally.sellerFaultCancelled++;
  const reason = tally.reasons.get(category) ?? { cancelled: 0, sellerFault: 0, texts: new Map() };
  reason.cancelled++;
  if (sellerFault) reason.sellerFault++;
  if (order.reason) countText(reason.texts, order.reason, 1);
  tally.reasons.set(category, reason);
  if (order.amountCents !== null) {
    const currency = order.currency ?? UNKNOWN_CURRENCY;
    tally.lostCents.set(currency, (tally.lostCents.get(currency) ?? 0) + order.amountCents);
  }
}

/** Without `Cancel By` or `Cancel Reason`, who cancelled and why are unknown: no SFCR, initiators or reasons. */
export const lacksWhy = (t: Tally): boolean => (t.gaps.get('Cancel By') ?? 0) > 0 || (t.gaps.get('Cancel Reason') ?? 0) > 0;

/**
 * Without `Paid Time` and without `Cancel Reason`, an unpaid order that expired looks like any
 * cancelled order: the cancel rate cannot be told from unpaid noise, so it is not given.
 */
export const lacksUnpaidSign = (t: Tally): boolean => (t.gaps.get('Paid Time') ?? 0) > 0 && (t.gaps.get('Cancel Reason') ?? 0) > 0;

function countUnrecognised(tally: Tally, column: ReportColumn, value: string, count: number): void {
  let values = tally.unrecognised.get(column);
  if (!values) tally.unrecognised.set(column, (values = new Map()));
  countText(values, value, count);
}

function countText(texts: Map<string, number>, text: string, count: number): void {
  const held = texts.get(text);
  if (held !== undefined) texts.set(text, held + count);
  else if (texts.size < MAX_TEXTS) texts.set(text, count);
}

/** The most written texts first (ties alphabetically), so examples never depend on row order. */
export function topExamples(texts: ReadonlyMap<string, number>): string[] {
  return [...texts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)).slice(0, MAX_EXAMPLES).map(([text]) => text);
}

export function addTally(into: Tally, other: Tally): void {
  into.orders += other.orders;
  into.cancelled += other.cancelled;
  into.sellerFaultOrders += other.sellerFaultOrders;
  into.sellerFaultCancelled += other.sellerFaultCancelled;
  into.partiallyCancelled += other.partiallyCancelled;
  into.unpaidExpired += other.unpaidExpired;
  into.uncertainCod += other.uncertainCod;
  for (const [text, count] of other.uncertainCodReasons) countText(into.uncertainCodReasons, text, count);
  for (const i of INITIATORS) into.byInitiator[i] += other.byInitiator[i];
  for (const [category, r] of other.reasons) {
    const mine = into.reasons.get(category) ?? { cancelled: 0, sellerFault: 0, texts: new Map() };
    mine.cancelled += r.cancelled;
    mine.sellerFault += r.sellerFault;
    for (const [text, count] of r.texts) countText(mine.texts, text, count);
    into.reasons.set(category, mine);
  }
  for (const [currency, cents] of other.lostCents) into.lostCents.set(currency, (into.lostCents.get(currency) ?? 0) + cents);
  for (const [column, n] of other.gaps) into.gaps.set(column, (into.gaps.get(column) ?? 0) + n);
  for (const [column, values] of other.unrecognised) for (const [value, n] of values) countUnrecognised(into, column, value, n);
}

/**
 * `stored` with the orders of `added` counted in and those of `removed` (orders counted into
 * `stored` before) taken back out, as counting the remaining orders again would give it; null
 * where the three tallies cannot tell: a text map at its cap with orders taken out (which texts
 * it holds hangs on the order they came in), a currency whose amounts now sum to zero with no
 * added order in it (whether any order still has it is unknown), or counts below zero.
 * Changes and returns `stored`.
 */
export function changedTally(stored: Tally, added: Tally, removed: Tally): Tally | null {
  const t = stored;
  addTally(t, added);
  t.orders -= removed.orders;
  t.cancelled -= removed.cancelled;
  t.sellerFaultOrders -= removed.sellerFaultOrders;
  t.sellerFaultCancelled -= removed.sellerFaultCancelled;
  t.partiallyCancelled -= removed.partiallyCancelled;
  t.unpaidExpired -= removed.unpaidExpired;
  t.uncertainCod -= removed.uncertainCod;
  if (t.uncertainCod < 0 || !takeTexts(t.uncertainCodReasons, removed.uncertainCodReasons)) return null;
  for (const i of INITIATORS) if ((t.byInitiator[i] -= removed.byInitiator[i]) < 0) return null;
  if (t.orders < 0 || t.cancelled < 0 || t.sellerFaultOrders < 0 || t.sellerFaultCancelled < 0 || t.partiallyCancelled < 0 || t.unpaidExpired < 0) return null;
  for (const [category, r] of removed.reasons) {
    const mine = t.reasons.get(category);
    if (!mine || (mine.cancelled -= r.cancelled) < 0 || (mine.sellerFault -= r.sellerFault) < 0 || !takeTexts(mine.texts, r.texts)) return null;
    // A category is listed for its cancelled orders only.
    if (mine.cancelled === 0) {
      if (mine.texts.size > 0 || mine.sellerFault > 0) return null;
      t.reasons.delete(category);
    }
  }
  for (const [currency, cents] of removed.lostCents) {
    const held = t.lostCents.get(currency);
    if (held === undefined) return null;
    const left = held - cents;
    if (left === 0 && !added.lostCents.has(currency)) return null;
    t.lostCents.set(currency, left);
  }
  for (const [column, n] of removed.gaps) {
    const left = (t.gaps.get(column) ?? 0) - n;
    if (left < 0) return null;
    if (left === 0) t.gaps.delete(column);
    else t.gaps.set(column, left);
  }
  for (const [column, values] of removed.unrecognised) {
    const mine = t.unrecognised.get(column);
    if (!mine || !takeTexts(mine, values)) return null;
    if (mine.size === 0) t.unrecognised.delete(column);
  }
  return t;
}

/** Takes counted texts back out of a capped map; false where the map cannot say what it would hold now. */
function takeTexts(texts: Map<string, number>, removed: ReadonlyMap<string, number>): boolean {
  if (removed.size === 0) return true;
  // At the cap, which texts are held hangs on the order they came in: with orders taken out, only counting again can tell.
  if (texts.size >= MAX_TEXTS) return false;
  for (const [text, n] of removed) {
    const left = (texts.get(text) ?? 0) - n;
    if (left < 0) return false;
    if (left === 0) texts.delete(text);
    else texts.set(text, left);
  }
  return true;
}

/**
 * Tallies per local creation day: any window's figures are the sum of its days, so a file is
 * read once whatever windows are asked of it, and memory holds days, not orders.
 */
export class DailyTallies {
  private readonly days = new Map<string, Tally>();
  /** Orders of files without any order time: they belong to no day, only to the whole file. */
  readonly undated = emptyTally();

  add(order: Order): void {
    const day = dayOf(order);
    if (day === null) return countOrder(this.undated, order);
    let tally = this.days.get(day);
    if (!tally) this.days.set(day, (tally = emptyTally()));
    countOrder(tally, order);
  }

  /** Adds a day's tally counted elsewhere (a stored rollup). */
  addDay(day: string, tally: Tally): void {
    let held = this.days.get(day);
    if (!held) this.days.set(day, (held = emptyTally()));
    addTally(held, tally);
  }

  /** Adds every day of `other` (another shop's days, say). */
  addAll(other: DailyTallies): void {
    for (const [day, tally] of other.days) this.addDay(day, tally);
  }

  /** Sum over the days from `from` to `to`, both included. */
  between(from: string, to: string): Tally {
    const sum = emptyTally();
    for (const [day, tally] of this.days) if (day >= from && day <= to) addTally(sum, tally);
    return sum;
  }

  /** Each day from `from` to `to` that has orders, in order. */
  daysBetween(from: string, to: string): Array<[string, Tally]> {
    return [...this.days].filter(([day]) => day >= from && day <= to).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** First and last day with any order, or null. */
  range(): { from: string; to: string } | null {
    let from: string | null = null;
    let to: string | null = null;
    for (const day of this.days.keys()) {
      if (from === null || day < from) from = day;
      if (to === null || day > to) to = day;
    }
    return from !== null && to !== null ? { from, to } : null;
  }
}
