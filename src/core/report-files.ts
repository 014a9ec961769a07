import { ImportError } from './ingest/errors.js';
import { dayOrderOfZone } from './ingest/dates.js';
import { importOrders, type ImportOptions, type ImportSummary } from './ingest/import.js';
import type { ByteSource } from './ingest/source.js';
import { localDay } from './metrics/days.js';
import { productLines, ProductRollup } from './metrics/products.js';
import { buildReport, type Report } from './metrics/report.js';
import { DailyTallies } from './metrics/tally.js';
import { resolveWindow, type WindowSpec } from './metrics/window.js';
import { strategyItems } from './render/strategies.js';
import { describeSkipped } from './render/text.js';
import type { Translator } from './render/translator.js';

export interface FileReportRequest {
  sources: readonly ByteSource[];
  window: WindowSpec;
  timeZone: string;
  /** The instant "today" is taken from. */
  now: number;
  tr: Translator;
  importOptions?: ImportOptions;
  /** Per-product figures as well (`--by product`), rated from this many orders in the window. */
  byProduct?: { minOrders: number };
}

/** Export files → the report of metrics.md, in one pass over the files. */
export async function reportFromFiles(request: FileReportRequest): Promise<{ report: Report; summary: ImportSummary; hasLines: boolean }> {
  const tallies = new DailyTallies();
  const products = request.byProduct ? new ProductRollup() : null;
  let hasLines = false;
  const summary = await importOrders(request.sources, (order) => {
    tallies.add(order);
    if (products && order.lines) {
      hasLines = true;
      products.add(order);
    }
  }, { dayOrderHint: dayOrderOfZone(request.timeZone), ...request.importOptions });
  // Orders without any time belong to no day: such a file can be reported only as a whole.
  const whole = request.window.kind === 'all';
  if (summary.undated.orders > 0 && !whole) throw new ImportError('no-order-times-window', { file: summary.undated.file ?? '' });
  const dataRange = summary.firstDay && summary.lastDay ? { from: summary.firstDay, to: summary.lastDay } : null;
  const window = resolveWindow(request.window, localDay(request.now, request.timeZone), dataRange);
  const report = buildReport({
    tallies,
    window,
    timeZone: request.timeZone,
    dataFrom: summary.firstDay,
    whole,
    strategies: (category, lines) => strategyItems(request.tr, category, lines),
    ...(products && request.byProduct ? { products: productLines(products.between(window.from, window.to, whole), request.byProduct.minOrders) } : {}),
    skipped: {
      rows: summary.skipped.rows,
      samples: summary.skipped.samples.map((row) => ({ line: row.line, reason: describeSkipped(request.tr, row) })),
    },
  });
  if (summary.assumedDayOrder) report.assumedDayOrder = summary.assumedDayOrder;
  return { report, summary, hasLines };
}
