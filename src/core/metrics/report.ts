import type { DayOrder } from '../ingest/dates.js';
import { REPORT_COLUMNS, type ReportColumn } from '../order.js';
import type { Category, Initiator } from '../reasons/categories.js';
import { isSellerFault } from '../reasons/categories.js';
import type { ProductLine } from './products.js';
import { addTally, lacksUnpaidSign, lacksWhy, topExamples, type DailyTallies, type Tally } from './tally.js';
import { previousWindow, type Window } from './window.js';

/** The report's window: days in the shop's zone, or null days for files without any order time ("whole file only"). */
export interface ReportWindow {
  from: string | null;
  to: string | null;
  timeZone: string;
}

export type SellerFault = { orders: number; cancelled: number; rate: number | null };

/**
 * Values no table knows: per export column, and under `reasons` the cancel reason texts no
 * source knows (counted under `other`; a person can teach them), each with how many orders wrote it.
 */
export type Unrecognised = Partial<Record<Exclude<ReportColumn, 'Cancel Reason'>, Record<string, number>>> & { reasons?: Record<string, number> };

/** Cancelled COD orders without a paid time whose reason no source knows: in neither rate, listed with their reasons. */
export interface UncertainCod {
  orders: number;
  reasons: Record<string, number>;
}

/**
 * The JSON contract of metrics.md: field names are a public interface. Figures an export
 * cannot support (no `Cancel By` or `Cancel Reason`) are null, and `missing` names the columns.
 */
export interface Report {
  window: ReportWindow;
  orders: number;
  cancelled: number;
  cancelRate: number | null;
  sellerFault: SellerFault | null;
  partiallyCancelled: number;
  unpaidExpired: number;
  uncertainCod: UncertainCod;
  byInitiator: Record<Initiator, number> | null;
  reasons: ReasonLine[] | null;
  strategies: Array<{ category: Category; items: string[] }>;
  lostAmount: Array<{ currency: string; amount: number }>;
  previous: PreviousWindow | null;
  skipped: { rows: number; samples: Array<{ line: number; reason: string }> };
  /** Columns the data lacks, in the export's column order. */
  missing: ReportColumn[];
  /** Per column, values no table knows, with how many orders wrote each; `reasons` for cancel reasons. */
  unrecognised: Unrecognised;
  /**
   * Only on reports read from files, and only when a file's every date read either way (a
   * single-day file with days at most 12): the day order taken from the shop's time zone, and
   * which files it was assumed for.
   */
  assumedDayOrder?: { order: DayOrder; files: string[] };
  /** Per product, when asked for (`--by product`, the chat's product lines): see "Per product". */
  products?: ProductLine[];
}

export interface ReasonLine {
  category: Category;
  cancelled: number;
  share: number;
  sellerFault: number;
  examples: string[];
}

export interface PreviousWindow {
  window: ReportWindow;
  orders: number;
  cancelled: number;
  cancelRate: number | null;
  sellerFault: SellerFault | null;
}

export interface ReportInput {
  tallies: DailyTallies;
  window: Window;
  timeZone: string;
  /** First day the data covers; the previous window is shown only when it is covered. */
  dataFrom: string | null;
  /** Strategy texts for a category, in the reader's language; `products` lets them name a product. */
  strategies: (category: Category, products: readonly ProductLine[]) => string[];
  /** The window's product lines, most costly first; they join the report and sharpen its strategies. */
  products?: ProductLine[];
  skipped?: Report['skipped'];
  /** How many categories get strategies. */
  strategyCategories?: number;
  /** The whole data, orders without times included: a file's whole range when no window was asked. */
  whole?: boolean;
}

/** An empty denominator has no rate: null, never 0 and never NaN. */
const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/**
 * The two rates of a tally: no rate without a denominator (null, never 0 or NaN), and no
 * seller-fault rate when the export lacks who cancelled or why.
 */
export function ratesOf(t: Tally): { cancelRate: number | null; sellerFaultRate: number | null } {
  return { cancelRate: rate(t.cancelled, t.orders), sellerFaultRate: lacksWhy(t) ? null : rate(t.sellerFaultCancelled, t.sellerFaultOrders) };
}

export function buildReport(input: ReportInput): Report {
  const { window, timeZone } = input;
  const u = input.tallies.undated;
  const undated = input.whole === true && u.orders + u.unpaidExpired + u.uncertainCod + u.gaps.size > 0;
  const t = input.tallies.between(window.from, window.to);
  if (undated) addTally(t, input.tallies.undated);
  const knowsWhy = !lacksWhy(t);
  const reasons = knowsWhy ? reasonLines(t) : null;
  const prevWindow = previousWindow(window);
  const previous = !undated && input.dataFrom !== null && input.dataFrom <= prevWindow.from
    ? headline(input.tallies.between(prevWindow.from, prevWindow.to), { ...prevWindow, timeZone })
    : null;
  // A report that holds orders without times covers the whole file and no days.
  const reportWindow = undated && input.tallies.range() === null ? { from: null, to: null, timeZone } : { from: window.from, to: window.to, timeZone };
  return {
    // The headline comes first, in the contract's field order, computed as for the previous window.
    ...headline(t, reportWindow),
    partiallyCancelled: t.partiallyCancelled,
    unpaidExpired: t.unpaidExpired,
    uncertainCod: { orders: t.uncertainCod, reasons: byCount(t.uncertainCodReasons) },
    byInitiator: knowsWhy ? { ...t.byInitiator } : null,
    reasons,
    strategies: strategyCategories(reasons ?? [], input.strategyCategories ?? 3).map((category) => ({ category, items: input.strategies(category, input.products ?? []) })),
    lostAmount: [...t.lostCents].sort(([a], [b]) => byCode(a, b)).map(([currency, cents]) => ({ currency, amount: cents / 100 })),
    previous,
    skipped: input.skipped ?? { rows: 0, samples: [] },
    missing: REPORT_COLUMNS.filter((column) => (t.gaps.get(column) ?? 0) > 0),
    unrecognised: unrecognisedOf(t),
    ...(input.products ? { products: input.products } : {}),
  };
}

/** Texts with their counts, the most written first (ties by text), as the JSON lists them. */
function byCount(texts: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...texts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)));
}

/** The columns' unknown values in the export's column order; unknown cancel reasons last, as `reasons`. */
export function unrecognisedOf(t: Pick<Tally, 'unrecognised'>): Unrecognised {
  const out: Record<string, Record<string, number>> = {};
  for (const column of REPORT_COLUMNS) {
    const values = t.unrecognised.get(column);
    if (column !== 'Cancel Reason' && values && values.size > 0) out[column] = byCount(values);
  }
  const reasons = t.unrecognised.get('Cancel Reason');
  if (reasons && reasons.size > 0) out.reasons = byCount(reasons);
  return out as Unrecognised;
}

/** The headline figures of a window (the report's own, and the previous window's): the rate rules are those of `ratesOf`. */
export function headline(t: Tally, window: ReportWindow): PreviousWindow {
  const { cancelRate, sellerFaultRate } = ratesOf(t);
  return {
    window,
    orders: t.orders,
    cancelled: t.cancelled,
    cancelRate: lacksUnpaidSign(t) ? null : cancelRate,
    // Without any column saying why orders were cancelled there is no seller-fault figure at all.
    sellerFault: !lacksWhy(t) ? { orders: t.sellerFaultOrders, cancelled: t.sellerFaultCancelled, rate: sellerFaultRate } : null,
  };
}


function reasonLines(t: Tally): ReasonLine[] {
  return [...t.reasons]
    .map(([category, r]) => ({ category, cancelled: r.cancelled, share: r.cancelled / t.cancelled, sellerFault: r.sellerFault, examples: topExamples(r.texts) }))
    .sort((a, b) => b.cancelled - a.cancelled || b.sellerFault - a.sellerFault || byCode(a.category, b.category));
}

/**
 * Which categories get strategies: those that cost the seller its SFCR first (seller-fault
 * orders, or a category that is seller-fault whenever the seller cancels), then the rest by size.
 */
function strategyCategories(reasons: readonly ReasonLine[], limit: number): Category[] {
  const weight = (r: ReasonLine) => (r.sellerFault > 0 ? 2 : isSellerFault('seller', r.category) ? 1 : 0);
  return [...reasons]
    .sort((a, b) => weight(b) - weight(a) || b.sellerFault - a.sellerFault || b.cancelled - a.cancelled)
    .slice(0, limit)
    .map((r) => r.category);
}

/**
 * Category names and currency codes are ASCII identifiers: compared by code, in the order
 * localeCompare gives them, without loading a collator (about 5 ms of a CLI report).
 */
function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
