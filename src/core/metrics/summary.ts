import type { Order } from '../order.js';
import { addDays } from './days.js';
import { buildReport, type ReasonLine } from './report.js';
import { DailyTallies, type Tally } from './tally.js';
import { dailyTrend, type TrendPoint } from './trend.js';

export interface DayFigures {
  orders: number;
  cancelled: number;
  cancelRate: number | null;
  sellerFaultRate: number | null;
  sellerFaultCancelled: number;
}

/** What a morning summary says about one day, for a chat of one or more shops. */
export interface DailySummary {
  day: string;
  total: DayFigures;
  /** Per shop, only when the chat has more than one. */
  shops: Array<{ name: string; figures: DayFigures }>;
  /** The seven days before `day`, taken together; null when they hold no paid orders. */
  baseline: { cancelRate: number | null; sellerFaultRate: number | null } | null;
  reasons: ReasonLine[];
  trend: TrendPoint[];
}

/** Days before the summarised day that make its comparison and its trend picture. */
export const BASELINE_DAYS = 7;
const TOP_REASONS = 3;

const figures = (t: Tally): DayFigures => ({
  orders: t.orders,
  cancelled: t.cancelled,
  cancelRate: t.orders > 0 ? t.cancelled / t.orders : null,
  sellerFaultCancelled: t.sellerFaultCancelled,
  sellerFaultRate: t.sellerFaultOrders > 0 ? t.sellerFaultCancelled / t.sellerFaultOrders : null,
});

/**
 * Summarises `day` from the orders of `day` and the seven days before it, grouped by shop.
 * Reasons are those of `day`, most first, as in the report.
 */
export function summarizeDay(day: string, ordersByShop: ReadonlyMap<string, readonly Order[]>): DailySummary {
  const all = new DailyTallies();
  const shops: DailySummary['shops'] = [];
  for (const [name, orders] of ordersByShop) {
    const own = new DailyTallies();
    for (const order of orders) {
      all.add(order);
      own.add(order);
    }
    shops.push({ name, figures: figures(own.between(day, day)) });
  }
  const baselineTally = all.between(addDays(day, -BASELINE_DAYS), addDays(day, -1));
  const baseline = figures(baselineTally);
  const report = buildReport({ tallies: all, window: { from: day, to: day }, timeZone: '', dataFrom: null, strategies: () => [] });
  return {
    day,
    total: figures(all.between(day, day)),
    shops: shops.length > 1 ? shops.sort((a, b) => a.name.localeCompare(b.name)) : [],
    baseline: baseline.orders > 0 ? { cancelRate: baseline.cancelRate, sellerFaultRate: baseline.sellerFaultRate } : null,
    reasons: report.reasons.slice(0, TOP_REASONS),
    trend: dailyTrend(all, { from: addDays(day, -(BASELINE_DAYS - 1)), to: day }),
  };
}
