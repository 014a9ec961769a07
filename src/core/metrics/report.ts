import type { Category, Initiator } from '../reasons/categories.js';
import { isSellerFault } from '../reasons/categories.js';
import type { ProductLine } from './products.js';
import { topExamples, type DailyTallies, type Tally } from './tally.js';
import { previousWindow, type Window } from './window.js';

/** The JSON contract of metrics.md: field names are a public interface. */
export interface Report {
  window: Window & { timeZone: string };
  orders: number;
  cancelled: number;
  cancelRate: number | null;
  sellerFault: { orders: number; cancelled: number; rate: number | null };
  partiallyCancelled: number;
  unpaidExpired: number;
  byInitiator: Record<Initiator, number>;
  reasons: ReasonLine[];
  strategies: Array<{ category: Category; items: string[] }>;
  lostAmount: Array<{ currency: string; amount: number }>;
  previous: PreviousWindow | null;
  skipped: { rows: number; samples: Array<{ line: number; reason: string }> };
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
  window: Window & { timeZone: string };
  orders: number;
  cancelled: number;
  cancelRate: number | null;
  sellerFault: { orders: number; cancelled: number; rate: number | null };
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
}

/** An empty denominator has no rate: null, never 0 and never NaN. */
const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

export function buildReport(input: ReportInput): Report {
  const { window, timeZone } = input;
  const t = input.tallies.between(window.from, window.to);
  const reasons = reasonLines(t);
  const prevWindow = previousWindow(window);
  const previous = input.dataFrom !== null && input.dataFrom <= prevWindow.from
    ? headline(input.tallies.between(prevWindow.from, prevWindow.to), { ...prevWindow, timeZone })
    : null;
  return {
    // The headline comes first, in the contract's field order, computed as for the previous window.
    ...headline(t, { from: window.from, to: window.to, timeZone }),
    partiallyCancelled: t.partiallyCancelled,
    unpaidExpired: t.unpaidExpired,
    byInitiator: { ...t.byInitiator },
    reasons,
    strategies: strategyCategories(reasons, input.strategyCategories ?? 3).map((category) => ({ category, items: input.strategies(category, input.products ?? []) })),
    lostAmount: [...t.lostCents].sort(([a], [b]) => a.localeCompare(b)).map(([currency, cents]) => ({ currency, amount: cents / 100 })),
    previous,
    skipped: input.skipped ?? { rows: 0, samples: [] },
    ...(input.products ? { products: input.products } : {}),
  };
}

function headline(t: Tally, window: PreviousWindow['window']): PreviousWindow {
  return {
    window,
    orders: t.orders,
    cancelled: t.cancelled,
    cancelRate: rate(t.cancelled, t.orders),
    sellerFault: { orders: t.sellerFaultOrders, cancelled: t.sellerFaultCancelled, rate: rate(t.sellerFaultCancelled, t.sellerFaultOrders) },
  };
}

function reasonLines(t: Tally): ReasonLine[] {
  return [...t.reasons]
    .map(([category, r]) => ({ category, cancelled: r.cancelled, share: r.cancelled / t.cancelled, sellerFault: r.sellerFault, examples: topExamples(r.texts) }))
    .sort((a, b) => b.cancelled - a.cancelled || b.sellerFault - a.sellerFault || a.category.localeCompare(b.category));
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
