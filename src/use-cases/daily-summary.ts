import { addDays } from '../core/metrics/days.js';
import type { Report } from '../core/metrics/report.js';
import { BASELINE_DAYS, type DailySummary, type DayFigures } from '../core/metrics/summary.js';
import { DailyTallies } from '../core/metrics/tally.js';
import type { Translator } from '../core/render/translator.js';
import { reportFromTallies } from './report.js';

const TOP_REASONS = 3;

const figures = (r: Report): DayFigures => ({
  orders: r.orders, cancelled: r.cancelled, cancelRate: r.cancelRate, sellerFaultRate: r.sellerFault?.rate ?? null, sellerFaultCancelled: r.sellerFault?.cancelled ?? 0,
});

/**
 * Summarises `day` from the tallies of `day` and the seven days before it, per shop. Every
 * figure is a report over some days, built the one way reports are built.
 */
export function summarizeDay(day: string, byShop: ReadonlyMap<string, DailyTallies>, timeZone: string, tr: Translator, now: number): DailySummary {
  const over = (tallies: DailyTallies, from: string, to = day) =>
    reportFromTallies({ tallies, window: { kind: 'range', from, to }, timeZone, now, tr, dataRange: null, strategyCategories: 0 });
  const all = new DailyTallies();
  const shops: DailySummary['shops'] = [];
  for (const [name, tallies] of byShop) {
    all.addAll(tallies);
    shops.push({ name, figures: figures(over(tallies, day).report) });
  }
  const baseline = over(all, addDays(day, -BASELINE_DAYS), addDays(day, -1)).report;
  const { report } = over(all, day);
  return {
    day,
    total: figures(report),
    shops: shops.length > 1 ? shops.sort((a, b) => a.name.localeCompare(b.name)) : [],
    baseline: baseline.orders > 0 ? { cancelRate: baseline.cancelRate, sellerFaultRate: baseline.sellerFault?.rate ?? null } : null,
    reasons: (report.reasons ?? []).slice(0, TOP_REASONS),
    trend: over(all, addDays(day, -(BASELINE_DAYS - 1))).trend,
    missing: report.missing,
    unrecognised: report.unrecognised,
  };
}
