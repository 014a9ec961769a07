import type { Order } from '../order.js';
import { dayOf } from '../order.js';
import { DEFAULT_MEMORY_BUDGET_BYTES, OrderAccumulator, SharedRanges } from './accumulate.js';
import { writtenDate, type DayOrder } from './dates.js';
import { ImportError, type SkippedRow } from './errors.js';
import { planOf, readRows, type FileResult, type FileTarget, type PlanHolder, type ReadSettings } from './file-rows.js';
import { finalize, type FileRead } from './finalize.js';
import type { OrderState } from './order-state.js';
import { SNIFF_BYTES, sniffKind } from './sniff.js';
import { head, type ByteSource } from './source.js';
import type { SpillFactory } from './spill.js';
import { DEFAULT_SPLIT, type SecondPartReader } from './split-read.js';
import { OrderStream, StreamAbandoned } from './stream.js';
import { readTextFile, type HeldSplit } from './text-file.js';
import type { XlsxLimits } from './xlsx.js';

// The split read's parts that callers of the import (the CLI's tests among them) reach by this module's name.
export { DEFAULT_SPLIT, readSecondPart, type PartRequest, type SecondPartReader } from './split-read.js';

/**
 * The import, stage by stage; each stage is one module, entered once per file:
 *
 *   1. sniff       sniff.ts        what the file is, from its first bytes (CSV text or an XLSX zip)
 *   2. decode      text-file.ts    a text file's charset (charset.ts), retried in the next best one where it fails further on
 *   3. layout      text-layout.ts  its separator and Excel's `sep=` line, chosen with the charset from the opening bytes
 *   4. rows        csv.ts, xlsx.ts rows holding only the cells the header plan keeps (split-read.ts: a large CSV on two threads)
 *   5. header      header.ts       the first row planned once (file-rows.ts's planOf): which columns, where, what is missing
 *   6. accumulate  file-rows.ts    each data row → an order state (row-reader.ts, excel-ids.ts), merged by order id in the sink
 *                                  (accumulate.ts: held, spilled past the budget; or stream.ts: handed on as the file is read)
 *   7. finalize    finalize.ts     each merged state → the order the metrics count, in the file's decided day order
 *
 * How an import runs is settled once, as data, before the first file is read, from the options'
 * three parts: the read settings (reading → ReadSettings), where states go (handing: a sink, held
 * or streamed) and how held ones are kept (holding: the budget, the spill, the split).
 */
export interface ImportOptions {
  /** How rows are read and judged (stages 1–5), whatever holds their orders. */
  reading?: ReadingOptions;
  /** Where orders wait while a file is read (stage 6, held): memory, then the spill; a large CSV over two threads. */
  holding?: HoldingOptions;
  /** When orders are handed on (stage 7): once every file is found good, or as each completes. */
  handing?: HandingOptions;
}

export interface ReadingOptions {
  /**
   * Whether orders carry what each line bought (default true). A report without per-product
   * figures does not use them, and leaving the product cells uncut spares their longest texts.
   */
  productLines?: boolean;
  /** How many skipped rows are listed (all are counted; default 10). */
  sampleSize?: number;
  /** A file fails as a whole when more than this share of its rows is bad (default 5%). */
  maxBadShare?: number;
  /**
   * How to read a file whose every date reads either way (`3/5/2026 17:00` in a single-day
   * file): from the shop's time zone (dayOrderOfZone). Without one such a file is refused.
   */
  dayOrderHint?: DayOrder | null;
  xlsx?: XlsxLimits;
}

export interface HoldingOptions {
  /** Where to park orders once the memory budget is spent; without one, everything stays in memory. */
  spill?: SpillFactory | null;
  /** Bytes the held orders may take before they are spilled (an estimate; see accumulate.ts). */
  memoryBudgetBytes?: number;
  /** Reads the second part of a large CSV file on another thread (see splitRead); without one, every file is read on this thread. */
  secondPart?: SecondPartReader | null;
  /** Which files are split and where (tests move it): the smallest size, and the first part's share of the bytes. */
  split?: { minBytes: number; firstShare: number };
}

export interface HandingOptions {
  /**
   * Hand each order on as soon as its lines are behind the reader, while the file is still
   * read, instead of once the whole file is found good (one file only; see stream.ts).
   * `beforeOrders` is then called before the file is read, and the import throws
   * StreamAbandoned where it cannot honour this (an order's lines apart, a day order decided
   * otherwise, a re-read in another charset): the caller undoes what it was handed and
   * imports the file again without it. A file refused otherwise is refused as without it.
   */
  optimistic?: boolean;
  /**
   * Called once every file has been read and before the first order is handed on: the file is
   * known to be good, so a caller can open its transaction now (and not while the file is read).
   */
  beforeOrders?: () => Promise<void>;
}

export interface ImportSummary {
  files: Array<{ name: string; rows: number }>;
  /** Data rows read, all files. */
  rows: number;
  /** Distinct orders after merging files. */
  orders: number;
  skipped: { rows: number; samples: SkippedRow[] };
  /** Local days of the earliest and latest created order, or null with no dated orders. */
  firstDay: string | null;
  lastDay: string | null;
  /** Orders without any time (their file has neither Created Time nor Paid Time), and the first such file. */
  undated: { orders: number; file: string | null };
  /** Files whose dates read either way, read in the hinted order (said in the reply). */
  assumedDayOrder?: { order: DayOrder; files: string[] };
  /** Orders were handed on while the file was read (an optimistic import that held). */
  streamed?: true;
}

/**
 * Reads TikTok Shop order exports (CSV or XLSX) into orders, through the stages above. Several
 * files merge, an order in two files counting once, from the later file. Each finished order
 * goes to `onOrder` (awaited when it returns a promise, so a slow consumer holds the import
 * back); nothing is passed on until every file has been read, so a file that fails leaves
 * nothing half-done. Optimistic (`handing.optimistic`), orders are passed on while the file is
 * read, and a file that fails leaves the caller something to undo.
 */
export async function importOrders(
  sources: readonly ByteSource[],
  onOrder: (order: Order) => void | Promise<void>,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const { reading = {}, holding = {}, handing = {} } = options;
  const settings: ReadSettings = {
    productLines: reading.productLines ?? true, sampleSize: reading.sampleSize ?? 10,
    maxBadShare: reading.maxBadShare ?? 0.05, dayOrderHint: reading.dayOrderHint ?? null,
  };
  // A split read's two parts cut their spilled orders by one set of ranges, whichever settles it first.
  const second = holding.secondPart ? { reader: holding.secondPart, ranges: new SharedRanges() } : null;
  const accumulator = new OrderAccumulator(holding.spill ?? null, holding.memoryBudgetBytes, second?.ranges ?? null);
  const reads: FileRead[] = [];
  const summary: ImportSummary = {
    files: [], rows: 0, orders: 0, skipped: { rows: 0, samples: [] }, firstDay: null, lastDay: null, undated: { orders: 0, file: null },
  };
  const sampleSize = settings.sampleSize;
  const note = (row: SkippedRow) => {
    summary.skipped.rows++;
    if (summary.skipped.samples.length < sampleSize) summary.skipped.samples.push(row);
  };
  // Impossible dates show when orders are finalized: listed after the files' skipped rows, however early that was.
  const late: SkippedRow[] = [];
  let lateBeyondSamples = 0;
  const hand = (state: OrderState, read: FileRead): void | Promise<void> => {
    const order = finalize(state, read);
    if (!order) {
      if (late.length < sampleSize) late.push({ file: read.name, line: state.line, code: 'impossible-date', value: state.created ? writtenDate(state.created) : '' });
      else lateBeyondSamples++;
      return;
    }
    summary.orders++;
    const day = dayOf(order);
    if (day === null) {
      summary.undated.orders++;
      summary.undated.file ??= read.name;
    } else {
      if (summary.firstDay === null || day < summary.firstDay) summary.firstDay = day;
      if (summary.lastDay === null || day > summary.lastDay) summary.lastDay = day;
    }
    return onOrder(order);
  };
  // Several files merge, the later file's order winning wherever it is: only one file streams.
  const stream = handing.optimistic === true && sources.length === 1 ? streamOf(reads, hand, settings.dayOrderHint) : null;
  // The sink, chosen once: held orders (which a split read can join), or the stream.
  const target: FileTarget = { sink: stream ?? accumulator, reads, settings };
  const split = stream || !second ? null : splitOf(second, holding, settings, accumulator);
  try {
    if (stream) await handing.beforeOrders?.();
    for (const source of sources) {
      const file = await readFile(source, target, split, reading.xlsx);
      summary.files.push({ name: source.name, rows: file.rows });
      summary.rows += file.rows;
      file.skipped.forEach(note);
      summary.skipped.rows += file.skippedBeyondSamples;
      if (file.assumed) {
        summary.assumedDayOrder ??= { order: file.assumed, files: [] };
        summary.assumedDayOrder.files.push(source.name);
      }
    }
    if (stream) {
      await stream.finish(reads.at(-1)?.dayOrder ?? 'dmy');
      summary.streamed = true;
    } else {
      await handing.beforeOrders?.();
      for await (const batch of accumulator.drain()) {
        for (const state of batch) {
          const read = reads[state.attempt];
          if (!read) continue;
          const taken = hand(state, read);
          if (taken) await taken;
        }
      }
    }
    late.forEach(note);
    summary.skipped.rows += lateBeyondSamples;
  } finally {
    await accumulator.dispose();
  }
  return summary;
}

/** How a large CSV file is split between two threads, when a second one is offered and orders are held. */
function splitOf(second: { reader: SecondPartReader; ranges: SharedRanges }, holding: HoldingOptions, settings: ReadSettings, held: OrderAccumulator): HeldSplit {
  const { minBytes, firstShare } = holding.split ?? DEFAULT_SPLIT;
  const request = {
    productLines: settings.productLines, sampleSize: settings.sampleSize,
    memoryBudgetBytes: Math.floor((holding.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES) / 2), spill: holding.spill != null,
    ranges: second.ranges.buffer,
  };
  return { plan: { reader: second.reader, minBytes, firstShare, request }, held };
}

/**
 * The optimistic path's sink: orders handed on in the day order the stream chose (the file's
 * own once decided); the taker refusing one (ImportError) abandons the stream, so that a
 * classic import says why after every check of the file it makes first.
 */
function streamOf(reads: readonly FileRead[], hand: (state: OrderState, read: FileRead) => void | Promise<void>, hint: DayOrder | null): OrderStream {
  /** The file's read as the stream finalizes its orders: in the day order it chose. */
  let readIn: FileRead | null = null;
  let readOf: FileRead | null = null;
  const unstorable = (error: unknown) => (error instanceof ImportError ? new StreamAbandoned('unstorable', stream.handedOn) : error);
  const stream: OrderStream = new OrderStream((attempt) => {
    const read = reads[attempt];
    return read ? { attempt, vote: read.vote } : null;
  }, (state, dayOrder) => {
    const read = reads[state.attempt];
    if (!read) return;
    if (readIn === null || readOf !== read || readIn.dayOrder !== dayOrder) {
      readOf = read;
      readIn = { ...read, dayOrder };
    }
    let taken: void | Promise<void>;
    try {
      taken = hand(state, readIn);
    } catch (error) {
      throw unstorable(error);
    }
    return taken?.catch((error: unknown) => { throw unstorable(error); });
  }, hint);
  return stream;
}

/** One file through the stages: sniffed, then read as a workbook or as text. */
async function readFile(source: ByteSource, target: FileTarget, split: HeldSplit | null, xlsx: XlsxLimits | undefined): Promise<FileResult> {
  const first = await head(source, SNIFF_BYTES);
  switch (sniffKind(first)) {
    case 'empty': throw new ImportError('empty', { file: source.name });
    case 'legacy-xls': throw new ImportError('legacy-xls', { file: source.name });
    case 'pdf': case 'image': case 'binary': throw new ImportError('not-a-table', { file: source.name });
    case 'zip': {
      // The workbook readers (a zip and an XML parser) load with the first workbook: most exports are CSV.
      const { DEFAULT_XLSX_LIMITS, xlsxRows } = await import('./xlsx.js');
      const holder: PlanHolder = { plan: null, dates: '1900' };
      const select = (header: readonly string[], facts: { date1904: boolean }) => {
        holder.plan = planOf(source, header, target.settings.productLines);
        holder.dates = facts.date1904 ? '1904' : '1900';
        return holder.plan.mask;
      };
      return readRows(source, xlsxRows(source, xlsx ?? DEFAULT_XLSX_LIMITS, select), holder, target);
    }
    case 'text': return readTextFile(source, first, target, split);
  }
}
