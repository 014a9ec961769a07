import { dayOrderOfZone } from '../core/ingest/dates.js';
import { ImportError } from '../core/ingest/errors.js';
import { importOrders, type ImportOptions, type ImportSummary } from '../core/ingest/import.js';
import type { ByteSource } from '../core/ingest/source.js';
import { streamingFirst } from '../core/ingest/stream.js';
import { productLines, ProductRollup } from '../core/metrics/products.js';
import { DailyTallies } from '../core/metrics/tally.js';
import type { WindowSpec } from '../core/metrics/window.js';
import type { Report } from '../core/metrics/report.js';
import type { Category } from '../core/reasons/categories.js';
import { withTaught } from '../core/reasons/classify.js';
import type { Translator } from '../core/render/translator.js';
import { reportFromTallies } from './report.js';

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
  /** Told when the export, counted as it was read, must be read again whole (a progress line starts over). */
  onReadAgain?: () => void;
  /**
   * Reason texts the seller mapped to categories (`--reasons`), keyed as `readReason(text).key`:
   * every order is read through them before it is counted, as a chat's taught reasons are.
   */
  taught?: ReadonlyMap<string, Category>;
}

/**
 * Export files → the report of metrics.md (the CLI's report). One export is read first as its
 * orders come (an order's lines together, as Seller Center writes them: nothing held, nothing
 * parked on disk, see stream.ts); where it proves otherwise, what was counted is dropped and
 * the file is read again, whole. Several files are always read whole.
 */
export function reportFromFiles(request: FileReportRequest): Promise<{ report: Report; summary: ImportSummary; hasLines: boolean }> {
  if (request.sources.length !== 1) return reportOnce(request, false);
  return streamingFirst((optimistic) => reportOnce(request, optimistic), () => request.onReadAgain?.());
}

async function reportOnce(request: FileReportRequest, optimistic: boolean): Promise<{ report: Report; summary: ImportSummary; hasLines: boolean }> {
  const tallies = new DailyTallies();
  const { byProduct } = request;
  const products = byProduct ? new ProductRollup() : null;
  let hasLines = false;
  const taught = request.taught;
  const summary = await importOrders(request.sources, (read) => {
    const order = taught ? withTaught(read, taught) : read;
    tallies.add(order);
    if (products && order.lines) {
      hasLines = true;
      products.add(order);
    }
  }, {
    ...request.importOptions,
    reading: { dayOrderHint: dayOrderOfZone(request.timeZone), productLines: byProduct !== undefined, ...request.importOptions?.reading },
    handing: { ...request.importOptions?.handing, optimistic },
  });
  // Orders without any time belong to no day: such a file can be reported only as a whole.
  const whole = request.window.kind === 'all';
  if (summary.undated.orders > 0 && !whole) throw new ImportError('no-order-times-window', { file: summary.undated.file ?? '' });
  const dataRange = summary.firstDay && summary.lastDay ? { from: summary.firstDay, to: summary.lastDay } : null;
  const { report } = reportFromTallies({
    tallies, window: request.window, timeZone: request.timeZone, now: request.now, tr: request.tr, dataRange, skipped: summary.skipped, whole,
    ...(products && byProduct ? { products: (window) => productLines(products.between(window.from, window.to, whole), byProduct.minOrders) } : {}),
  });
  if (summary.assumedDayOrder) report.assumedDayOrder = summary.assumedDayOrder;
  return { report, summary, hasLines };
}
