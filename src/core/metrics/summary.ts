import type { Order, ReportColumn } from '../order.js';
import { addDays } from './days.js';
import { buildReport, type ReasonLine } from './report.js';
import { DailyTallies } from './tally.js';
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
  /** What the day's data could not say (see the report's fields of the same names). */
  missing: ReportColumn[];
  unrecognised: Partial<Record<ReportColumn, Record<string, number>>>;
}

/** Days before the summarised day that make its comparison and its trend picture. */
export const BASELINE_DAYS = 7;
const TOP_REASONS = 3;

/** The headline of a report over `from`…`to`: the rate rules are the report's own. */
function figuresBetween(tallies: DailyTallies, from: string, to: string): DayFigures & Pick<DailySummary, 'reasons' | 'missing' | 'unrecognised'> {
  const r = buildReport({ tallies, window: { from, to }, timeZone: '', dataFrom: null, strategies: () => [] });
  return {
    orders: r.orders, cancelled: r.cancelled, cancelRate: r.cancelRate,
    sellerFaultRate: r.sellerFault?.rate ?? null, sellerFaultCancelled: r.sellerFault?.cancelled ?? 0, reasons: r.reasons ?? [],
    missing: r.missing, unrecognised: r.unrecognised,
  };
}

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
    const { reasons: _own, missing: _missing, unrecognised: _unrecognised, ...figures } = figuresBetween(own, day, day);
    shops.push({ name, figures });
  }
  const baseline = figuresBetween(all, addDays(day, -BASELINE_DAYS), addDays(day, -1));
  const { reasons, missing, unrecognised, ...total } = figuresBetween(all, day, day);
  return {
    day,
    total,
    shops: shops.length > 1 ? shops.sort((a, b) => a.name.localeCompare(b.name)) : [],
    baseline: baseline.orders > 0 ? { cancelRate: baseline.cancelRate, sellerFaultRate: baseline.sellerFaultRate } : null,
    reasons: reasons.slice(0, TOP_REASONS),
    trend: dailyTrend(all, { from: addDays(day, -(BASELINE_DAYS - 1)), to: day }),
    missing,
    unrecognised,
  };
}
