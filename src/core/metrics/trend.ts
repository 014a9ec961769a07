import { lacksWhy, type DailyTallies } from './tally.js';
import type { Window } from './window.js';

export interface TrendPoint {
  day: string;
  cancelRate: number | null;
  sellerFaultRate: number | null;
}

/** A trend picture needs a few days to say anything; fewer and the reply is text only. */
export const MIN_TREND_DAYS = 3;

/** Daily rates over the window's days that have paid orders. */
export function dailyTrend(tallies: DailyTallies, window: Window): TrendPoint[] {
  return tallies.daysBetween(window.from, window.to)
    .filter(([, t]) => t.orders > 0)
    .map(([day, t]) => ({
      day,
      cancelRate: t.cancelled / t.orders,
      sellerFaultRate: t.sellerFaultOrders > 0 && !lacksWhy(t) ? t.sellerFaultCancelled / t.sellerFaultOrders : null,
    }));
}
