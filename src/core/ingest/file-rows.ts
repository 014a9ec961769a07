import { IdRanges, type OrderAccumulator } from './accumulate.js';
import { DateStyleVote, type DateSystem, type DateVoteFacts, type DayOrder } from './dates.js';
import { ImportError, type SkippedRow } from './errors.js';
import type { IdFacts } from './excel-ids.js';
import type { FileRead } from './finalize.js';
import { planHeader, type HeaderPlan } from './header.js';
import type { HeldStates } from './packed-states.js';
import { DESCRIPTION_ROW, rowReader, type RowReader } from './row-reader.js';
import type { Row } from './rows.js';
import type { ByteSource } from './source.js';
import type { Spill } from './spill.js';
import type { StateSink } from './stream.js';

/** A few bad rows in a large file are skipped and reported; this many always are, whatever the share. */
const BAD_ROWS_ALWAYS_TOLERATED = 2;

/** How every file of an import is read: the import's options with their defaults, settled once. */
export interface ReadSettings {
  productLines: boolean;
  /** How many skipped rows are listed (all are counted). */
  sampleSize: number;
  /** A file fails as a whole when more than this share of its rows is bad. */
  maxBadShare: number;
  dayOrderHint: DayOrder | null;
}

/** What every file of an import is read into: where its states go, the reads so far (indexed by attempt), and how. */
export interface FileTarget { sink: StateSink; reads: FileRead[]; settings: ReadSettings }

/** The file's plan, set by the reader's column selector when it meets the header, before any data row. */
export interface PlanHolder { plan: HeaderPlan | null; dates: DateSystem }

export const planOf = (source: ByteSource, header: readonly string[], productLines: boolean): HeaderPlan =>
  planHeader(source.name, header.map((c) => c.trim()), { productLines });

export interface FileResult { rows: number; skipped: SkippedRow[]; skippedBeyondSamples: number; assumed?: DayOrder }

/** What a file's data rows said besides their orders, before the file's end decides on them. */
export interface RowsFindings {
  rows: number;
  badRows: number;
  skipped: SkippedRow[];
  skippedBeyondSamples: number;
  dates: DateVoteFacts;
}

/** A part's findings (see split-read.ts), as plain data that crosses threads; lines are counted from the part's first line. */
export interface PartRead extends RowsFindings {
  ids: IdFacts;
  /** Its orders: those it spilled (the taker's to dispose of) and the ranges they are cut by, then those it held. */
  spilled: { spill: Spill; ranges: Float64Array } | null;
  states: HeldStates;
}

/** What the rows of the second part of a split file said, once taken, and the held orders its orders join. */
export interface TakenPart { read: PartRead | null; lineOffset: number; into: OrderAccumulator }

/** A file's data rows → order states held by the accumulator, and what they said besides. */
export class FileRows {
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

  /** Takes in the second part of the file (see split-read.ts): its orders after this part's (into `held`), its lines after this part's last. */
  async absorb({ read: part, lineOffset, into }: TakenPart & { read: PartRead }, attempt: number): Promise<void> {
    if (part.spilled) await into.adopt(part.spilled.spill, IdRanges.from(part.spilled.ranges), attempt, lineOffset);
    await into.absorb(part.states, attempt, lineOffset);
    this.rows += part.rows;
    this.badRows += part.badRows;
    for (const row of part.skipped) this.skip({ ...row, line: row.line + lineOffset });
    this.skippedBeyondSamples += part.skippedBeyondSamples;
    this.vote.absorb(part.dates, lineOffset);
    this.reader.ids.absorb(part.ids, lineOffset);
  }

  private skip(row: SkippedRow): void {
    if (this.skipped.length < this.sampleSize) this.skipped.push(row);
    else this.skippedBeyondSamples++;
  }
}

/**
 * Rows of one file → order states (the header, then accumulate stages). The first row is the
 * header, already planned by the reader's column selector; later rows hold only the mapped
 * columns. Once every row is read the file is judged: its ids, its bad rows, its day order.
 */
export async function readRows(
  source: ByteSource, batches: AsyncIterable<Row[]>, holder: PlanHolder, { sink, reads, settings }: FileTarget, secondPart?: TakenPart | null,
): Promise<FileResult> {
  const attempt = reads.length;
  let rows: FileRows | null = null;
  for await (const batch of batches) {
    for (const row of batch) {
      if (!rows) {
        // The first row is the header: the reader's column selector has planned it already.
        const plan = holder.plan;
        if (!plan) throw new ImportError('no-header', { file: source.name });
        rows = new FileRows(rowReader(plan, source.name, attempt, holder.dates), sink, settings.sampleSize);
        reads.push({
          name: source.name, dayOrder: 'dmy', plan,
          gaps: { paidTime: plan.missing.filter((c) => c !== 'Payment Method'), noPaidTime: plan.missing }, vote: rows.vote,
        });
        continue;
      }
      if (rows.take(row)) await sink.flush();
    }
  }
  if (!rows) throw new ImportError('empty', { file: source.name });
  if (secondPart?.read) await rows.absorb({ ...secondPart, read: secondPart.read }, attempt);
  if (rows.rows === 0) throw new ImportError('no-data', { file: source.name });
  rows.reader.ids.check(source.name);
  const maxBad = Math.max(BAD_ROWS_ALWAYS_TOLERATED, Math.floor(rows.rows * settings.maxBadShare));
  if (rows.badRows > maxBad) throw new ImportError('too-many-bad-rows', { file: source.name, bad: rows.badRows, rows: rows.rows }, rows.skipped.slice(0, 3));
  const decision = rows.vote.decide(settings.dayOrderHint);
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
