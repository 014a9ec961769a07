import type { Order } from '../order.js';
import { dayOf } from '../order.js';
import { classifyReason } from '../reasons/classify.js';
import { OrderAccumulator, type OrderState } from './accumulate.js';
import { CharsetMismatch, decodeText, guessCharset, type Charset } from './charset.js';
import { CsvParser, csvRows, UnterminatedQuote } from './csv.js';
import { DateStyleVote, parseDateParts, resolveDate, writtenDate, type DayOrder } from './dates.js';
import { ImportError, type SkippedRow } from './errors.js';
import { keepOnlyMapped, mapHeader, type ColumnMap } from './header.js';
import { interner, memo } from './strings.js';
import type { Row } from './rows.js';
import { sniffKind } from './sniff.js';
import { head, type ByteSource } from './source.js';
import type { SpillFactory } from './spill.js';
import { initiatorOf, isCancelLine, isFulfilledByTikTok, isYes, parseMoney, statusKind } from './values.js';
import { DEFAULT_XLSX_LIMITS, xlsxRows, type XlsxLimits } from './xlsx.js';

export interface ImportOptions {
  /** Where to park orders past `maxOrdersInMemory`; without one, everything stays in memory. */
  spill?: SpillFactory | null;
  maxOrdersInMemory?: number;
  xlsx?: XlsxLimits;
  /** A file fails as a whole when more than this share of its rows is bad. */
  maxBadShare?: number;
  /** How many skipped rows are listed (all are counted). */
  sampleSize?: number;
}

export interface ImportSummary {
  files: Array<{ name: string; rows: number }>;
  /** Data rows read, all files. */
  rows: number;
  /** Distinct orders after merging files. */
  orders: number;
  skipped: { rows: number; samples: SkippedRow[] };
  /** Local days of the earliest and latest created order, or null with no orders. */
  firstDay: string | null;
  lastDay: string | null;
}

const SNIFF_BYTES = 64 * 1024;
/** A few bad rows in a large file are skipped and reported; this many always are, whatever the share. */
const BAD_ROWS_ALWAYS_TOLERATED = 2;

/**
 * Reads TikTok Shop order exports (CSV or XLSX) into orders. Several files merge, an order in
 * two files counting once, from the later file. Each finished order goes to `onOrder`; nothing
 * is passed on until every file has been read, so a file that fails leaves nothing half-done.
 */
export async function importOrders(
  sources: readonly ByteSource[],
  onOrder: (order: Order) => void,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const accumulator = new OrderAccumulator(options.spill ?? null, options.maxOrdersInMemory);
  /** Per file read (see OrderState.attempt): its day/month order and its name. */
  const dayOrders: DayOrder[] = [];
  const fileNames: string[] = [];
  const summary: ImportSummary = { files: [], rows: 0, orders: 0, skipped: { rows: 0, samples: [] }, firstDay: null, lastDay: null };
  const sampleSize = options.sampleSize ?? 10;
  const note = (row: SkippedRow) => {
    summary.skipped.rows++;
    if (summary.skipped.samples.length < sampleSize) summary.skipped.samples.push(row);
  };
  try {
    for (const source of sources) {
      const file = await readFile(source, accumulator, { dayOrders, fileNames }, options);
      summary.files.push({ name: source.name, rows: file.rows });
      summary.rows += file.rows;
      file.skipped.forEach(note);
      summary.skipped.rows += file.skippedBeyondSamples;
    }
    for await (const state of accumulator.drain()) {
      const order = finalize(state, dayOrders[state.attempt] ?? 'dmy');
      if (!order) {
        note({ file: fileNames[state.attempt] ?? '', line: state.line, code: 'impossible-date', value: writtenDate(state.created) });
        continue;
      }
      summary.orders++;
      const day = dayOf(order);
      if (summary.firstDay === null || day < summary.firstDay) summary.firstDay = day;
      if (summary.lastDay === null || day > summary.lastDay) summary.lastDay = day;
      onOrder(order);
    }
  } finally {
    await accumulator.dispose();
  }
  return summary;
}

interface FileResult { rows: number; skipped: SkippedRow[]; skippedBeyondSamples: number }

/** What the import keeps per file read, indexed by attempt number. */
interface Attempts { dayOrders: DayOrder[]; fileNames: string[] }

async function readFile(source: ByteSource, accumulator: OrderAccumulator, attempts: Attempts, options: ImportOptions): Promise<FileResult> {
  // Both readers are told, once they have the header, which columns to read: no other cell becomes a string.
  const select = (header: readonly string[]) => keepOnlyMapped(mapHeader(source.name, header.map((c) => c.trim())), header.length).mask;
  const first = await head(source, SNIFF_BYTES);
  const kind = sniffKind(first);
  switch (kind) {
    case 'empty': throw new ImportError('empty', { file: source.name });
    case 'legacy-xls': throw new ImportError('legacy-xls', { file: source.name });
    case 'pdf': case 'image': case 'binary': throw new ImportError('not-a-table', { file: source.name });
    case 'zip': return readRows(source, xlsxRows(source, options.xlsx ?? DEFAULT_XLSX_LIMITS, select), accumulator, attempts, options);
    case 'text': {
      const readCsv = async (charset: Charset) => {
        try {
          return await readRows(source, csvRows(decodeText(source, charset), new CsvParser(select)), accumulator, attempts, options);
        } catch (error) {
          if (error instanceof UnterminatedQuote) throw new ImportError('unterminated-quote', { file: source.name, line: error.line });
          throw error;
        }
      };
      try {
        return await readCsv(guessCharset(first));
      } catch (error) {
        // UTF-8 held for the opening bytes but not further on: read the file again as GB18030.
        // The retry's orders replace the first attempt's, which had a new attempt number.
        if (!(error instanceof CharsetMismatch)) throw error;
        return readCsv('gb18030');
      }
    }
  }
}

/** Rows of one file → order states. Rows after the header hold only the mapped columns, in column order. */
async function readRows(
  source: ByteSource, batches: AsyncIterable<Row[]>,
  accumulator: OrderAccumulator, attempts: Attempts, options: ImportOptions,
): Promise<FileResult> {
  const attempt = attempts.dayOrders.length;
  attempts.dayOrders.push('dmy');
  attempts.fileNames.push(source.name);
  const vote = new DateStyleVote();
  const result: FileResult = { rows: 0, skipped: [], skippedBeyondSamples: 0 };
  const sampleSize = options.sampleSize ?? 10;
  let badRows = 0;
  let columns: ColumnMap | null = null;
  let toState: RowReader | null = null;

  for await (const batch of batches) {
    for (const row of batch) {
      if (!columns || !toState) {
        columns = mapHeader(source.name, row.cells.map((c) => c.trim()));
        columns = keepOnlyMapped(columns, row.cells.length).compact;
        toState = rowReader(columns, source.name, attempt);
        continue;
      }
      const read = toState(row);
      if (read === DESCRIPTION_ROW) continue;
      result.rows++;
      if (!read.ok) {
        badRows++;
        if (result.skipped.length < sampleSize) result.skipped.push(read.skipped);
        else result.skippedBeyondSamples++;
        continue;
      }
      vote.observe(read.state.created, row.line);
      if (accumulator.add(read.state)) await accumulator.flush();
    }
  }
  if (!columns) throw new ImportError('empty', { file: source.name });
  if (result.rows === 0) throw new ImportError('no-data', { file: source.name });
  const maxBad = Math.max(BAD_ROWS_ALWAYS_TOLERATED, Math.floor(result.rows * (options.maxBadShare ?? 0.05)));
  if (badRows > maxBad) throw new ImportError('too-many-bad-rows', { file: source.name, bad: badRows, rows: result.rows }, result.skipped.slice(0, 3));
  const decision = vote.decide();
  if (!decision.ok) throw new ImportError('mixed-date-styles', { file: source.name, line1: decision.conflict[0], line2: decision.conflict[1] });
  attempts.dayOrders[attempt] = decision.order;
  return result;
}

/** Row 2 of a Seller Center export describes each column in words; it is not an order (nor an error). */
const DESCRIPTION_ROW = { ok: false, skipped: { code: 'missing-order-id', file: '', line: 0 } } as const satisfies ReturnType<RowReader>;

type RowReader = (row: Row) => { ok: true; state: OrderState } | { ok: false; skipped: SkippedRow };

/** One data row → its order state, or why the row cannot count. Only mapped columns are read. */
function rowReader(columns: ColumnMap, file: string, attempt: number): RowReader {
  const status = memo(statusKind);
  const cancelLine = memo(isCancelLine);
  const fbt = memo(isFulfilledByTikTok);
  const yes = memo(isYes);
  const money = memo(parseMoney, 4096);
  const text = interner();
  let first = true;
  return ({ line, cells }) => {
    const cell = (i: number | undefined) => (i === undefined ? '' : (cells[i] ?? '').trim());
    const id = cell(columns.orderId);
    const created = cell(columns.created);
    const parts = parseDateParts(created);
    const wasFirst = first;
    first = false;
    if (wasFirst && !parts && !/^\d+$/.test(id)) return DESCRIPTION_ROW;
    if (!id) return { ok: false, skipped: { file, line, code: 'missing-order-id' } };
    if (!parts) return { ok: false, skipped: { file, line, code: 'bad-created-time', value: created } };
    const isCancel = cancelLine(cell(columns.cancelType));
    const reason = text(cell(columns.cancelReason));
    const cancelBy = text(cell(columns.cancelBy));
    const state: OrderState = {
      id, attempt, line, created: parts,
      paid: cell(columns.paid) !== '',
      statusCancelled: status(cell(columns.status)) === 'cancelled',
      lines: 1,
      cancelLines: isCancel ? 1 : 0,
      cancelBy, reason,
      fromCancelLine: isCancel && (reason !== '' || cancelBy !== ''),
      fbt: fbt(cell(columns.fulfillment)),
      sample: yes(cell(columns.sample)),
      amount: money(cell(columns.amount)),
    };
    return { ok: true, state };
  };
}

/** A merged state → the order the metrics count; null when its date is impossible in the file's day order. */
export function finalize(state: OrderState, dayOrder: DayOrder): Order | null {
  const createdAt = resolveDate(state.created, dayOrder);
  if (!createdAt) return null;
  const cancelled = state.statusCancelled || (state.lines > 0 && state.cancelLines === state.lines);
  const partiallyCancelled = !cancelled && state.cancelLines > 0;
  const category = cancelled || partiallyCancelled || state.reason ? classifyReason(state.reason) : null;
  return {
    id: state.id,
    createdAt,
    paid: state.paid,
    cancelled,
    partiallyCancelled,
    initiator: initiatorOf(state.cancelBy),
    reason: state.reason || null,
    category,
    fulfilledByTikTok: state.fbt,
    sample: state.sample,
    amountCents: state.amount?.cents ?? null,
    currency: state.amount?.currency ?? null,
  };
}
