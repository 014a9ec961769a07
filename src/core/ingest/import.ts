import type { Order, ReportColumn } from '../order.js';
import { dayOf } from '../order.js';
import { classifyReason } from '../reasons/classify.js';
import { DEFAULT_MEMORY_BUDGET_BYTES, OrderAccumulator, type HeldStates, type OrderState } from './accumulate.js';
import { bomCharset, CharsetMismatch, decodeSample, decodeText, LEGACY_CHARSETS, type Charset } from './charset.js';
import { CsvParser, csvRows, FieldTooLarge, MAX_ROW_CHARS, UnterminatedQuote, type Separator } from './csv.js';
import { DateStyleVote, parseDateParts, resolveDate, writtenDate, type DateParts, type DateSystem, type DateVoteFacts, type DayOrder } from './dates.js';
import { ImportError, shownValue, type SkippedRow } from './errors.js';
import { planHeader, type HeaderPlan } from './header.js';
import { interner, memo, memoLast } from './strings.js';
import { cellsOnDemand, type Row } from './rows.js';
import { sniffKind } from './sniff.js';
import { head, type ByteSource } from './source.js';
import type { SpillFactory } from './spill.js';
import { OrderStream, StreamAbandoned, type StateSink } from './stream.js';
import { chooseLayout, legacyCharsetAfter, type TextLayout } from './text-layout.js';
import { fulfilledByTikTok, initiatorOf, isYes, lineKind, OUT_OF_RANGE, paymentKind, plainMoney, readMoney, statusKind } from './values.js';
import type { XlsxLimits } from './xlsx.js';

export interface ImportOptions {
  /** Where to park orders once the memory budget is spent; without one, everything stays in memory. */
  spill?: SpillFactory | null;
  /** Bytes the held orders may take before they are spilled (an estimate; see accumulate.ts). */
  memoryBudgetBytes?: number;
  xlsx?: XlsxLimits;
  /** A file fails as a whole when more than this share of its rows is bad. */
  maxBadShare?: number;
  /** How many skipped rows are listed (all are counted). */
  sampleSize?: number;
  /**
   * Called once every file has been read and before the first order is handed on: the file is
   * known to be good, so a caller can open its transaction now (and not while the file is read).
   */
  beforeOrders?: () => Promise<void>;
  /**
   * How to read a file whose every date reads either way (`3/5/2026 17:00` in a single-day
   * file): from the shop's time zone (dayOrderOfZone). Without one such a file is refused.
   */
  dayOrderHint?: DayOrder | null;
  /**
   * Whether orders carry what each line bought (default true). A report without per-product
   * figures does not use them, and leaving the product cells uncut spares their longest texts.
   */
  productLines?: boolean;
  /** Reads the second part of a large CSV file on another thread (see splitRead); without one, every file is read on this thread. */
  secondPart?: SecondPartReader | null;
  /** Which files are split and where (tests move it): the smallest size, and the first part's share of the bytes. */
  split?: { minBytes: number; firstShare: number };
  /**
   * Hand each order on as soon as its lines are behind the reader, while the file is still
   * read, instead of once the whole file is found good (one file only; see stream.ts).
   * `beforeOrders` is then called before the file is read, and the import throws
   * StreamAbandoned where it cannot honour this (an order's lines apart, a day order decided
   * otherwise, a re-read in another charset): the caller undoes what it was handed and
   * imports the file again without it. A file refused otherwise is refused as without it.
   */
  optimistic?: boolean;
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

const SNIFF_BYTES = 64 * 1024;
/** A few bad rows in a large file are skipped and reported; this many always are, whatever the share. */
const BAD_ROWS_ALWAYS_TOLERATED = 2;

/** What one read of a file decided, kept until its orders are finalized (indexed by OrderState.attempt). */
export interface FileRead {
  name: string;
  dayOrder: DayOrder;
  plan: HeaderPlan;
  /** The plan's missing columns as each order carries them: Payment Method only bears on orders without a paid time. */
  gaps: { paidTime: readonly ReportColumn[]; noPaidTime: readonly ReportColumn[] };
  /** What the file's dates say of their day order so far (it decides `dayOrder` at the end). */
  vote: DateStyleVote;
}

/** Who cancelled, read once per distinct `Cancel By` text of an import. */
const initiatorOfText = memo(initiatorOf);
/** The unrecognised values of an order that has none (most orders): one shared, frozen record. */
const NONE: Partial<Record<ReportColumn, string>> = Object.freeze({});

/**
 * Reads TikTok Shop order exports (CSV or XLSX) into orders, one way down: bytes → text (the
 * charset and separator chosen once) → rows holding only the mapped columns (the header
 * planned once) → order states → orders. Several files merge, an order in two files counting
 * once, from the later file. Each finished order goes to `onOrder` (awaited when it returns a
 * promise, so a slow consumer holds the import back); nothing is passed on until every file
 * has been read, so a file that fails leaves nothing half-done. Optimistic
 * (`options.optimistic`), orders are passed on while the file is read, and a file that fails
 * leaves the caller something to undo.
 */
export async function importOrders(
  sources: readonly ByteSource[],
  onOrder: (order: Order) => void | Promise<void>,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const accumulator = new OrderAccumulator(options.spill ?? null, options.memoryBudgetBytes);
  const reads: FileRead[] = [];
  const summary: ImportSummary = {
    files: [], rows: 0, orders: 0, skipped: { rows: 0, samples: [] }, firstDay: null, lastDay: null, undated: { orders: 0, file: null },
  };
  const sampleSize = options.sampleSize ?? 10;
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
  const stream = options.optimistic === true && sources.length === 1 ? streamOf(reads, hand, options.dayOrderHint ?? null) : null;
  try {
    if (stream) await options.beforeOrders?.();
    for (const source of sources) {
      const file = await readFile(source, stream ?? accumulator, reads, options);
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
      await options.beforeOrders?.();
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

interface FileResult { rows: number; skipped: SkippedRow[]; skippedBeyondSamples: number; assumed?: DayOrder }

const planOf = (source: ByteSource, header: readonly string[], options: ImportOptions): HeaderPlan =>
  planHeader(source.name, header.map((c) => c.trim()), { productLines: options.productLines ?? true });

/** The file's plan, set by the reader's column selector when it meets the header, before any data row. */
interface PlanHolder { plan: HeaderPlan | null; dates: DateSystem }

async function readFile(source: ByteSource, accumulator: StateSink, reads: FileRead[], options: ImportOptions): Promise<FileResult> {
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
        holder.plan = planOf(source, header, options);
        holder.dates = facts.date1904 ? '1904' : '1900';
        return holder.plan.mask;
      };
      return readRows(source, xlsxRows(source, options.xlsx ?? DEFAULT_XLSX_LIMITS, select), holder, accumulator, reads, options);
    }
    case 'text': {
      const { fallbacks, ...layout } = chooseLayout(first);
      let charsets: Charset[] = [];
      try {
        return await readText(source, layout, accumulator, reads, options);
      } catch (error) {
        // UTF-8 held for the opening bytes but not further on: read the file again in the legacy
        // charset that reads the offending bytes best. The retry's orders replace the first
        // attempt's, which had another attempt number.
        if (error instanceof CharsetMismatch) {
          const best = legacyCharsetAfter(first, error.bytes, layout.separator, error.atEnd);
          charsets = [best, ...LEGACY_CHARSETS.filter((c) => c !== best)];
        } else if (error instanceof ImportError && error.code === 'encoding') {
          // A legacy charset that read the opening bytes as well as another but meets a byte it
          // cannot read further on (`José,` in GB18030): the next best is tried, in the same way.
          charsets = fallbacks;
        } else {
          throw error;
        }
      }
      for (const [i, charset] of charsets.entries()) {
        try {
          return await readText(source, { ...layout, charset }, accumulator, reads, options);
        } catch (retry) {
          if (!(retry instanceof ImportError && retry.code === 'encoding') || i === charsets.length - 1) throw retry;
        }
      }
      throw new ImportError('encoding', { file: source.name });
    }
  }
}

async function readText(source: ByteSource, layout: TextLayout, accumulator: StateSink, reads: FileRead[], options: ImportOptions): Promise<FileResult> {
  const holder: PlanHolder = { plan: null, dates: '1900' };
  const select = (header: readonly string[]) => (holder.plan = planOf(source, header, options)).mask;
  const parser = new CsvParser(select, layout.separator, layout.sepLine ? 2 : 1);
  // Orders handed on while the file is read (an optimistic import) are not held: such a read is not split.
  const split = accumulator instanceof OrderAccumulator ? await splitRead(source, layout, parser, accumulator, options) : null;
  let text = decodeText(split?.source ?? source, layout.charset);
  if (layout.sepLine) text = withoutFirstLine(text);
  try {
    return await readRows(source, csvRows(text, parser), holder, accumulator, reads, options, split?.taken);
  } catch (error) {
    split?.cancel();
    if (error instanceof UnterminatedQuote) throw new ImportError('unterminated-quote', { file: source.name, line: error.line });
    if (error instanceof FieldTooLarge) throw new ImportError('field-too-large', { file: source.name, line: error.line, limit: MAX_ROW_CHARS });
    throw error;
  }
}

/** The text after Excel's `sep=;` line. */
async function* withoutFirstLine(text: AsyncIterable<string>): AsyncGenerator<string> {
  let skipping = true;
  for await (const chunk of text) {
    if (!skipping) { yield chunk; continue; }
    const end = chunk.indexOf('\n');
    if (end === -1) continue;
    skipping = false;
    if (end + 1 < chunk.length) yield chunk.slice(end + 1);
  }
}

/**
 * A file of at least `minBytes` is read on two threads when a second one is offered: below it,
 * the other thread's start (about 0.1 s before it reads a row), handing its orders over and
 * merging them cost more than it saves. Measured on shuffled exports, two threads against one:
 * 0.56 s against 0.53 s at 45 MB (100k orders), 0.74 s against 0.76 s at 71 MB, 0.86 s against
 * 0.95 s at 95 MB. The calling thread, which also starts the other and merges its orders, reads
 * the first `firstShare` of the bytes: a little more than half, since the other starts late
 * (at 190 MB, 1.55 s against 1.63 s at one half and 1.63 s at 0.6).
 */
export const DEFAULT_SPLIT = { minBytes: 64 * 1024 * 1024, firstShare: 0.55 };

/**
 * A CSV file read in two parts at once: this thread reads up to a line break near the middle
 * while `secondPart` reads the rest. The rest's orders and findings are taken (`taken`) only
 * if this thread's parser, having read up to there, stands at the end of a row, so the other
 * thread began where a one-thread read would have found a row too; else (a quoted field holds
 * the break), or when the other part could not be read whole, this thread reads on as if
 * alone. The figures are the same either way: merging orders is associative, and the second
 * part's orders follow the first part's in the order they came.
 */
async function splitRead(source: ByteSource, layout: TextLayout, parser: CsvParser, held: OrderAccumulator, options: ImportOptions) {
  const { minBytes, firstShare } = options.split ?? DEFAULT_SPLIT;
  if (!options.secondPart || layout.charset !== 'utf-8' || layout.sepLine || source.size < minBytes) return null;
  const near = Math.floor(source.size * firstShare);
  const window = await source.read(near, near + SNIFF_BYTES);
  const lineBreak = window.indexOf(0x0a);
  if (lineBreak === -1) return null;
  const from = near + lineBreak + 1;
  const job = options.secondPart(source, {
    from, separator: layout.separator, productLines: options.productLines ?? true, sampleSize: options.sampleSize ?? 10,
    memoryBudgetBytes: Math.floor((options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES) / 2),
  });
  if (!job) return null;
  const { result, cancel } = job;
  const taken: TakenPart = { read: null, lineOffset: 0, into: held };
  async function* bytes(): AsyncGenerator<Uint8Array> {
    yield* source.stream(0, from);
    // Every row before `from` has been parsed and its order held by now: the text is pulled a chunk at a time.
    if (parser.atRowEnd) {
      taken.read = await result;
      if (taken.read) {
        taken.lineOffset = parser.nextLine - 1;
        return;
      }
    } else {
      cancel();
    }
    yield* source.stream(from);
  }
  return { source: { ...source, stream: bytes }, taken, cancel };
}

/** What the rows of the second part of a split file said, once taken, and the held orders its orders join. */
interface TakenPart { read: PartRead | null; lineOffset: number; into: OrderAccumulator }

/** How the second part of a file is to be read: from which byte, and as the first part is. */
export interface PartRequest {
  from: number;
  separator: Separator;
  productLines: boolean;
  sampleSize: number;
  /** Past this, the part gives up (null) and the first thread reads on alone. */
  memoryBudgetBytes: number;
}

/** The second part of a file being read elsewhere; `result` is null when it could not be read whole. */
export interface PartJob { result: Promise<PartRead | null>; cancel(): void }

/** Reads the second part of a file on another thread (see splitRead); null when none can be started. */
export type SecondPartReader = (source: ByteSource, request: PartRequest) => PartJob | null;

/** A part's findings, as plain data that crosses threads; lines are counted from the part's first line. */
export interface PartRead extends RowsFindings {
  ids: IdFacts;
  states: HeldStates;
}

/**
 * Reads the rows of `source` from byte `request.from` (the start of a line) to its end, with
 * the header of its first line, as readRows would have read them after the rows before: the
 * other thread's half of splitRead. Null when its orders outgrow its budget.
 */
export async function readSecondPart(source: ByteSource, request: PartRequest): Promise<PartRead | null> {
  // A decoder starting on U+FEFF would drop it as a byte-order mark, where one read of the file keeps it in the cell.
  if (bomCharset(await source.read(request.from, request.from + 3)) !== null) return null;
  // The header is planned as readText's selector plans it; the rest of the opening bytes is cut by that plan.
  const holder: PlanHolder = { plan: null, dates: '1900' };
  new CsvParser((header) => (holder.plan = planOf(source, header, { productLines: request.productLines })).mask, request.separator)
    .push(decodeSample(await head(source, SNIFF_BYTES), 'utf-8'));
  const plan = holder.plan;
  if (!plan) return null;
  const accumulator = new OrderAccumulator(null, request.memoryBudgetBytes);
  const reader = rowReader(plan, source.name, 0, '1900', false);
  const rows = new FileRows(reader, accumulator, request.sampleSize);
  const text = decodeText({ ...source, stream: () => source.stream(request.from) }, 'utf-8');
  for await (const batch of csvRows(text, CsvParser.afterHeader(plan.mask, request.separator))) {
    for (const row of batch) rows.take(row);
    if (accumulator.overBudget) return null;
  }
  const states = accumulator.held();
  return states && { ...rows.findings(), ids: reader.idFacts(), states };
}

/** What a file's data rows said besides their orders, before the file's end decides on them. */
interface RowsFindings {
  rows: number;
  badRows: number;
  skipped: SkippedRow[];
  skippedBeyondSamples: number;
  dates: DateVoteFacts;
}

/** A file's data rows → order states held by the accumulator, and what they said besides. */
class FileRows {
  rows = 0;
  /** Rows held against the file (too many fail it). */
  badRows = 0;
  readonly skipped: SkippedRow[] = [];
  skippedBeyondSamples = 0;
  readonly vote = new DateStyleVote();

  constructor(readonly reader: RowReader, private readonly accumulator: StateSink, private readonly sampleSize: number) {}

  /** One data row; true when the accumulator should be flushed before the next. */
  take(row: Row): boolean {
    const read = this.reader.read(row);
    if (read === DESCRIPTION_ROW) return false;
    this.rows++;
    if (!read.ok) {
      // A row that cannot be dated because the file has no Created Time is not malformed: it is listed, not held against the file.
      if (read.skipped.code !== 'undatable') this.badRows++;
      this.skip(read.skipped);
      return false;
    }
    if (read.state.created) this.vote.observe(read.state.created, row.line);
    return this.accumulator.add(read.state);
  }

  findings(): RowsFindings {
    return { rows: this.rows, badRows: this.badRows, skipped: this.skipped, skippedBeyondSamples: this.skippedBeyondSamples, dates: this.vote.facts() };
  }

  /** Takes in the second part of the file (see splitRead): its orders after this part's (into `held`), its lines after this part's last. */
  async absorb({ read: part, lineOffset, into }: TakenPart & { read: PartRead }, attempt: number): Promise<void> {
    await into.absorb(part.states, attempt, lineOffset);
    this.rows += part.rows;
    this.badRows += part.badRows;
    for (const row of part.skipped) this.skip({ ...row, line: row.line + lineOffset });
    this.skippedBeyondSamples += part.skippedBeyondSamples;
    this.vote.absorb(part.dates, lineOffset);
    this.reader.absorbIds(part.ids, lineOffset);
  }

  private skip(row: SkippedRow): void {
    if (this.skipped.length < this.sampleSize) this.skipped.push(row);
    else this.skippedBeyondSamples++;
  }
}

/** Rows of one file → order states. The first row is the header, already planned; later rows hold only the mapped columns. */
async function readRows(
  source: ByteSource, batches: AsyncIterable<Row[]>, holder: PlanHolder,
  accumulator: StateSink, reads: FileRead[], options: ImportOptions, secondPart?: TakenPart | null,
): Promise<FileResult> {
  const attempt = reads.length;
  let rows: FileRows | null = null;
  for await (const batch of batches) {
    for (const row of batch) {
      if (!rows) {
        // The first row is the header: the reader's column selector has planned it already.
        const plan = holder.plan;
        if (!plan) throw new ImportError('no-header', { file: source.name });
        rows = new FileRows(rowReader(plan, source.name, attempt, holder.dates), accumulator, options.sampleSize ?? 10);
        reads.push({
          name: source.name, dayOrder: 'dmy', plan,
          gaps: { paidTime: plan.missing.filter((c) => c !== 'Payment Method'), noPaidTime: plan.missing }, vote: rows.vote,
        });
        continue;
      }
      if (rows.take(row)) await accumulator.flush();
    }
  }
  if (!rows) throw new ImportError('empty', { file: source.name });
  if (secondPart?.read) await rows.absorb({ ...secondPart, read: secondPart.read }, attempt);
  if (rows.rows === 0) throw new ImportError('no-data', { file: source.name });
  rows.reader.checkIds();
  const maxBad = Math.max(BAD_ROWS_ALWAYS_TOLERATED, Math.floor(rows.rows * (options.maxBadShare ?? 0.05)));
  if (rows.badRows > maxBad) throw new ImportError('too-many-bad-rows', { file: source.name, bad: rows.badRows, rows: rows.rows }, rows.skipped.slice(0, 3));
  const decision = rows.vote.decide(options.dayOrderHint ?? null);
  if (!decision.ok) {
    if (decision.conflict === null) throw new ImportError('ambiguous-dates', { file: source.name });
    throw new ImportError('mixed-date-styles', { file: source.name, line1: decision.conflict[0], line2: decision.conflict[1] });
  }
  const read = reads[attempt];
  if (read) read.dayOrder = decision.order;
  const result: FileResult = { rows: rows.rows, skipped: rows.skipped, skippedBeyondSamples: rows.skippedBeyondSamples };
  if (decision.assumed) result.assumed = decision.order;
  return result;
}

/** Row 2 of a Seller Center export describes each column in words; it is not an order (nor an error). */
const DESCRIPTION_ROW = { ok: false, skipped: { code: 'missing-order-id', file: '', line: 0 } } as const satisfies RowRead;

type RowRead = { ok: true; state: OrderState } | { ok: false; skipped: SkippedRow };

interface RowReader {
  read(row: Row): RowRead;
  /** Refuses the file when its ids show Excel's rounding (see below), once every row is read. */
  checkIds(): void;
  /** What checkIds decides from, so far. */
  idFacts(): IdFacts;
  /** Adds what a reader of the rows after this one's saw, their lines counted from `lineOffset` + 1. */
  absorbIds(later: IdFacts, lineOffset: number): void;
}

/** Ids read, and ids in one of Excel's number formats, for refusing a file Excel reformatted (checkIds). */
export interface IdFacts {
  ids: number;
  excelNumbers: number;
  excelExample: { line: number; value: string } | null;
  longIds: number;
  roundedIds: number;
  /** The first two different rounded ids. */
  rounded: string[];
}

function noteRounded(facts: IdFacts, id: string): void {
  if (facts.rounded.length < 2 && !facts.rounded.includes(id)) facts.rounded.push(id);
}

/** An order id is letters, digits, `-` and `_`: TikTok's are 18–19 digits. */
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
/** What Excel shows an 18-digit id as when it takes it for a number: `5.76E+17`, or `5,76E+17` with a decimal comma. */
const E_NOTATION = /^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$/;
/** An id Excel formatted as a number: thousands separators, or a decimal part of zeros. */
const EXCEL_NUMBER = /^\d{1,3}(?:[,.\u00a0 ]\d{3}){4,}(?:[.,]0+)?$|^\d{15,}[.,]0+$/;
/** Excel keeps 15 significant digits: an id it stored as a number and wrote back out ends in zeros (`^\d{15}0+$`, for an id of digits). */
function roundedId(digits: string): boolean {
  if (digits.length < 16) return false;
  for (let i = 15; i < digits.length; i++) if (digits.charCodeAt(i) !== 48) return false;
  return true;
}

/** `^\d+$`, asked of every line's id: a loop costs less than the pattern there. */
function allDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return text.length > 0;
}

/** Undoes what sellers do to keep Excel off an id: a leading apostrophe, or `="…"`. */
function cleanId(raw: string): string {
  const first = raw.charCodeAt(0);
  if (first !== 39 && first !== 61) return raw; // neither ' nor =
  if (first === 39) return raw.slice(1).trim();
  const formula = /^="(.*)"$/.exec(raw);
  return formula ? (formula[1] ?? '').trim() : raw;
}

/** One data row → its order state, or why the row cannot count. Only mapped columns are read. */
function rowReader(plan: HeaderPlan, file: string, attempt: number, dates: DateSystem, fromFileStart = true): RowReader {
  const columns = plan.columns;
  // One cache per column: each compares a cell with its last few texts before its map.
  const status = memo(statusKind);
  const substatus = memo(statusKind);
  const line = memo(lineKind);
  const fbt = memo(fulfilledByTikTok);
  const payment = memo(paymentKind);
  const yes = memo(isYes);
  // Plain amounts (`35.91`) differ from order to order and are read without the cache; the rest (`RM 35,91`) repeat.
  const money = memo(readMoney, 4096);
  const date = (text: string) => parseDateParts(text, dates);
  const createdDate = memoLast(date);
  const paidDate = memoLast(date);
  const text = interner();
  /** Without Created Time, the paid time dates the order; with neither column, the file has no times. */
  const dateColumn = columns.created ?? columns.paid;
  const undatedFile = dateColumn === undefined;
  const hasProducts = [columns.skuId, columns.sellerSku, columns.productName, columns.variation].some((i) => i !== undefined);
  let first = fromFileStart;
  const ids: IdFacts = { ids: 0, excelNumbers: 0, excelExample: null, longIds: 0, roundedIds: 0, rounded: [] };

  return {
    read(row) {
      const { line: lineNo, cells } = row;
      const rawId = cellOf(cells, columns.orderId);
      const wasFirst = first;
      first = false;
      if (row.badReference !== undefined) return { ok: false, skipped: { file, line: lineNo, code: 'bad-cell-reference', value: row.badReference } };
      const id = cleanId(rawId);
      // An id of digits (nearly every one) is neither of the shapes checked next.
      const digits = allDigits(id);
      // Checked after cleaning too: an apostrophe does not undo what Excel already did (`'5.76E+17`).
      if (!digits && (id.includes('E') || id.includes('e')) && E_NOTATION.test(id)) throw new ImportError('excel-ids', { file, line: lineNo, value: rawId });
      // The description row: words where the id and the time should be.
      if (wasFirst && !digits && !ID.test(id) && (undatedFile || !date(cellOf(cells, dateColumn)))) return DESCRIPTION_ROW;
      if (!id) return { ok: false, skipped: { file, line: lineNo, code: 'missing-order-id' } };
      if (!digits && !ID.test(id)) {
        // `576,461,413,038,780,001` or `576461413038780001.0`: Excel's number formats on an id it took for a number.
        if (EXCEL_NUMBER.test(id)) {
          ids.excelNumbers++;
          ids.excelExample ??= { line: lineNo, value: rawId };
        }
        return { ok: false, skipped: { file, line: lineNo, code: 'bad-order-id', value: id } };
      }
      ids.ids++;
      if (id.length >= 16 && digits) {
        ids.longIds++;
        if (roundedId(id)) {
          ids.roundedIds++;
          noteRounded(ids, id);
        }
      }

      let created: DateParts | null = null;
      if (!undatedFile) {
        const written = cellOf(cells, dateColumn);
        if (columns.created === undefined && written === '') return { ok: false, skipped: { file, line: lineNo, code: 'undatable' } };
        created = createdDate(written);
        if (!created) return { ok: false, skipped: { file, line: lineNo, code: columns.created === undefined ? 'bad-paid-time' : 'bad-created-time', value: written } };
      }

      // Values no table knows are rare: the record of them is made only when one turns up.
      let unknown: OrderState['unknown'] = null;
      const statusText = cellOf(cells, columns.status);
      const substatusText = cellOf(cells, columns.substatus);
      const kind = status(statusText);
      const subkind = substatus(substatusText);
      // The status decides; the substatus only where the status is blank or unknown.
      const where = kind ?? subkind ?? null;
      const typeText = cellOf(cells, columns.cancelType);
      const type = line(typeText);
      const fulfilmentText = cellOf(cells, columns.fulfillment);
      const byTikTok = fbt(fulfilmentText);
      const amountText = cellOf(cells, columns.amount);
      const amount = amountText === '' ? null : plainMoney(amountText) ?? money(amountText);
      // Unlike text that is no amount (shown below), a number beyond any real order would wreck the sums it joined.
      if (amount === OUT_OF_RANGE) return { ok: false, skipped: { file, line: lineNo, code: 'amount-out-of-range', value: shownValue(amountText) } };
      // A paid time is a date: `-` or `N/A` in the cell is no payment (and is shown), not a paid order.
      const paidText = cellOf(cells, columns.paid);
      const paid = paidText !== '' && (columns.created === undefined || paidDate(paidText) !== null);
      const paidUnknown = paidText !== '' && !paid;
      // The payment method bears only on an order without a paid time (finalize): a paid line's is never asked for.
      const paymentText = paid ? '' : cellOf(cellsOnDemand(row), plan.onDemand.paymentMethod);
      const pay = payment(paymentText);
      if (kind === undefined || subkind === undefined || type === undefined || byTikTok === undefined || pay === undefined || (amountText !== '' && !amount) || paidUnknown) {
        unknown = {};
        if (kind === undefined) unknown['Order Status'] = text(statusText);
        if (subkind === undefined) unknown['Order Substatus'] = text(substatusText);
        if (type === undefined) unknown['Cancelation/Return Type'] = text(typeText);
        if (byTikTok === undefined) unknown['Fulfillment Type'] = text(fulfilmentText);
        if (pay === undefined) unknown['Payment Method'] = text(paymentText);
        // An amount no reading makes sense of is shown, not dropped: the lost amount would be understated.
        if (amountText !== '' && !amount) unknown['Order Amount'] = text(amountText);
        if (paidUnknown) unknown['Paid Time'] = text(paidText);
      }

      const isCancel = type === 'cancel';
      const reason = text(cellOf(cells, columns.cancelReason));
      const cancelBy = text(cellOf(cells, columns.cancelBy));
      const state: OrderState = {
        id, attempt, line: lineNo, created,
        paid,
        statusCancelled: where === 'cancelled',
        statusUnpaid: where === 'unpaid',
        statusPlaced: where !== null && where !== 'unpaid' && where !== 'cancelled',
        cod: pay === 'cod',
        lines: 1,
        cancelLines: isCancel ? 1 : 0,
        cancelBy, reason,
        fromCancelLine: isCancel && (reason !== '' || cancelBy !== ''),
        fbt: byTikTok === true,
        sample: yes(cellOf(cells, columns.sample)),
        amount,
        unknown,
        items: hasProducts ? [{
          skuId: skuIdOf(text(cellOf(cells, columns.skuId))),
          sellerSku: text(cellOf(cells, columns.sellerSku)) || null,
          product: text(cellOf(cells, columns.productName)) || null,
          variation: text(cellOf(cells, columns.variation)) || null,
          quantity: quantityOf(cellOf(cells, columns.quantity)),
          cancelled: isCancel,
        }] : [],
      };
      return { ok: true, state };
    },
    checkIds() {
      // Most ids in Excel's number formats: the file is Excel's, not a few typos; refused with the Excel message.
      if (ids.excelExample && ids.excelNumbers > ids.ids) throw new ImportError('excel-ids', { file, line: ids.excelExample.line, value: ids.excelExample.value });
      // Every long id ending in zeros past the 15th digit, and at least two different ones: one by chance is 1 in 1000.
      if (ids.longIds > 0 && ids.roundedIds === ids.longIds && ids.rounded.length >= 2) {
        throw new ImportError('excel-ids-rounded', { file, value: ids.rounded[0] ?? '' });
      }
    },
    idFacts: () => ids,
    absorbIds(later, lineOffset) {
      ids.ids += later.ids;
      ids.excelNumbers += later.excelNumbers;
      if (later.excelExample) ids.excelExample ??= { line: later.excelExample.line + lineOffset, value: later.excelExample.value };
      ids.longIds += later.longIds;
      ids.roundedIds += later.roundedIds;
      for (const id of later.rounded) noteRounded(ids, id);
    },
  };
}

/** A row's cell in column `i` of the kept cells, trimmed; blank where the file has no such column. */
function cellOf(cells: readonly string[], i: number | undefined): string {
  if (i === undefined) return '';
  const cell = cells[i] ?? '';
  // Most cells begin and end in a printable ASCII character, which is no space of any kind: nothing to trim.
  const first = cell.charCodeAt(0);
  const last = cell.charCodeAt(cell.length - 1);
  return cell === '' || (first > 32 && first < 127 && last > 32 && last < 127) ? cell : cell.trim();
}

/**
 * A SKU ID as written, or null when missing or turned into a float by a spreadsheet
 * (`1.72936E+18` names no SKU: its last digits are gone).
 */
function skuIdOf(value: string): string | null {
  if (value === '' || /e\+?\d+$/i.test(value)) return null;
  return value;
}

/** Quantity of a line: a whole number of at least one; anything else counts as one unit. */
function quantityOf(value: string): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

/**
 * A merged state → the order the metrics count, by the rules of the metric contract ("Which
 * orders count", "When the export lacks columns"); null when its date is impossible in the
 * file's day order.
 */
export function finalize(state: OrderState, read: FileRead): Order | null {
  let createdAt: string | null = null;
  if (state.created) {
    createdAt = resolveDate(state.created, read.dayOrder);
    if (!createdAt) return null;
  }
  const cancelled = state.statusCancelled || (state.lines > 0 && state.cancelLines === state.lines);
  const partiallyCancelled = !cancelled && state.cancelLines > 0;
  const category = cancelled || partiallyCancelled || state.reason ? classifyReason(state.reason) : null;
  const initiator = initiatorOfText(state.cancelBy);
  const hasPaidColumn = read.plan.columns.paid !== undefined;
  const unpaid = state.statusUnpaid && !cancelled;
  // Cash on delivery has no paid time: it counts once it left the unpaid state (cancelled for
  // any reason but `unpaid` included; countOrder leaves out the `unpaid` reason everywhere).
  // Where no status says which state it is in (no Order Status, or a blank one), it follows the
  // no-paid-time rule: placed unless its reason is `unpaid`, so in-progress COD orders are not
  // dropped while cancelled ones count.
  const statusKnown = state.statusPlaced || state.statusUnpaid || state.statusCancelled;
  const codPlaced = hasPaidColumn && !state.paid && state.cod && !unpaid && (state.statusPlaced || cancelled || !statusKnown);
  const placed = hasPaidColumn ? state.paid || codPlaced : !unpaid;
  // Which payment method an order without a paid time used matters only to such orders.
  const lacksPaidTime = hasPaidColumn && !state.paid;
  let unrecognised = NONE;
  if (state.unknown || initiator === undefined) {
    const { 'Payment Method': method, ...others } = state.unknown ?? {};
    unrecognised = { ...others, ...(method !== undefined && lacksPaidTime ? { 'Payment Method': method } : {}), ...(initiator === undefined ? { 'Cancel By': state.cancelBy } : {}) };
  }
  const gaps = lacksPaidTime ? read.gaps.noPaidTime : read.gaps.paidTime;
  const order: Order = {
    id: state.id,
    createdAt,
    paid: placed,
    cod: codPlaced,
    cancelled,
    partiallyCancelled,
    initiator: initiator ?? 'unknown',
    reason: state.reason || null,
    category,
    fulfilledByTikTok: state.fbt,
    sample: state.sample,
    amountCents: state.amount?.cents ?? null,
    currency: state.amount?.currency ?? null,
    gaps,
    unrecognised,
  };
  // Set after, not spread into the literal: a spread made every order take V8's slow path for literals.
  if (state.items.length > 0) order.lines = state.items;
  return order;
}
