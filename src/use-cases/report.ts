import type { SkippedRow } from '../core/ingest/errors.js';
import { localDay } from '../core/metrics/days.js';
import type { ProductLine } from '../core/metrics/products.js';
import { buildReport, type Report } from '../core/metrics/report.js';
import type { DailyTallies } from '../core/metrics/tally.js';
import { dailyTrend, type TrendPoint } from '../core/metrics/trend.js';
import { resolveWindow, type Window, type WindowSpec } from '../core/metrics/window.js';
import { strategyItems } from '../core/render/strategies.js';
import { describeSkipped } from '../core/render/text.js';
import type { Translator } from '../core/render/translator.js';

export interface TalliesReportRequest {
  /** Per-day tallies covering the window and the one before it (for the comparison). */
  tallies: DailyTallies;
  window: WindowSpec;
  timeZone: string;
  /** The instant "today" is taken from. */
  now: number;
  tr: Translator;
  /** The days the data covers, or null without data: `all` resolves to it, the comparison needs it. */
  dataRange: Window | null;
  skipped?: { rows: number; samples: readonly SkippedRow[] };
  /** How many categories get strategies. */
  strategyCategories?: number;
  /** The whole data, orders without times included: a file's whole range when no window was asked. */
  whole?: boolean;
  /** The resolved window's product lines, most costly first: they join the report and sharpen its strategies. */
  products?: (window: Window) => ProductLine[];
}

export interface TalliesReport {
  report: Report;
  /** Daily rates over the report's window. */
  trend: TrendPoint[];
  dataRange: Window | null;
}

/**
 * The one way a report is built, whatever the tallies came from (an export file, the store's
 * daily rollups): the CLI, /rate, the report after an upload and the daily summary all call it.
 */
export function reportFromTallies(request: TalliesReportRequest): TalliesReport {
  const { tallies, tr, dataRange } = request;
  const window = resolveWindow(request.window, () => localDay(request.now, request.timeZone), dataRange);
  const skipped = request.skipped;
  const report = buildReport({
    tallies, window, timeZone: request.timeZone, dataFrom: dataRange?.from ?? null,
    strategies: (category, lines) => strategyItems(tr, category, lines),
    ...(request.products ? { products: request.products(window) } : {}),
    ...(request.strategyCategories !== undefined ? { strategyCategories: request.strategyCategories } : {}),
    ...(request.whole !== undefined ? { whole: request.whole } : {}),
    ...(skipped ? { skipped: { rows: skipped.rows, samples: skipped.samples.map((row) => ({ line: row.line, reason: describeSkipped(tr, row) })) } } : {}),
  });
  return { report, trend: dailyTrend(tallies, window), dataRange };
}
