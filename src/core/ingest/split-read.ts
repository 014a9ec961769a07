import { OrderAccumulator, SharedRanges } from './accumulate.js';
import { bomCharset, decodeSample, decodeText } from './charset.js';
import { CsvParser, csvRows, type Separator } from './csv.js';
import { FileRows, planOf, type PartRead, type TakenPart } from './file-rows.js';
import type { HeaderPlan } from './header.js';
import { rowReader } from './row-reader.js';
import { SNIFF_BYTES } from './sniff.js';
import { head, type ByteSource } from './source.js';
import type { SpillFactory } from './spill.js';
import type { TextLayout } from './text-layout.js';

export type { PartRead } from './file-rows.js';

/**
 * A file of at least `minBytes` is read on two threads when a second one is offered: below it,
 * starting the other thread and merging its orders cost more than the split saves. The calling
 * thread, which also starts the other and merges its orders, reads the first `firstShare` of
 * the bytes: a little more than half, since the other starts late.
 */
export const DEFAULT_SPLIT = { minBytes: 64 * 1024 * 1024, firstShare: 0.55 };

/** Whether and how a large file is split, settled once per import: where, and how its second part is read. */
export interface SplitPlan {
  reader: SecondPartReader;
  minBytes: number;
  firstShare: number;
  /** The request's fields that are the same for every file of the import. */
  request: Omit<PartRequest, 'from' | 'separator'>;
}

/** A split under way: the first part's bytes (then the second's, when not taken), and what the second part said. */
export interface SplitRead { source: ByteSource; taken: TakenPart; cancel(): void }

/**
 * A CSV file read in two parts at once: this thread reads up to a line break near the middle
 * while `secondPart` reads the rest. The rest's orders and findings are taken (`taken`) only
 * if this thread's parser, having read up to there, stands at the end of a row, so the other
 * thread began where a one-thread read would have found a row too; else (a quoted field holds
 * the break), or when the other part could not be read whole, this thread reads on as if
 * alone. The figures are the same either way: merging orders is associative, and the second
 * part's orders follow the first part's in the order they came.
 */
export async function splitRead(source: ByteSource, layout: TextLayout, parser: CsvParser, held: OrderAccumulator, split: SplitPlan): Promise<SplitRead | null> {
  const { minBytes, firstShare, reader, request } = split;
  if (layout.charset !== 'utf-8' || layout.sepLine || source.size < minBytes) return null;
  const near = Math.floor(source.size * firstShare);
  const window = await source.read(near, near + SNIFF_BYTES);
  const lineBreak = window.indexOf(0x0a);
  if (lineBreak === -1) return null;
  const from = near + lineBreak + 1;
  const job = reader(source, { ...request, from, separator: layout.separator });
  if (!job) return null;
  const { result, cancel } = job;
  const taken: TakenPart = { read: null, lineOffset: 0, into: held };
  /** A part read but not taken leaves its spilled runs behind: they are removed. */
  const drop = () => {
    cancel();
    if (taken.read === null) void result.then((read) => read?.spilled?.spill.dispose());
  };
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
      drop();
    }
    yield* source.stream(from);
  }
  return { source: { ...source, stream: bytes }, taken, cancel: drop };
}

/** How the second part of a file is to be read: from which byte, and as the first part is. */
export interface PartRequest {
  from: number;
  separator: Separator;
  productLines: boolean;
  sampleSize: number;
  /** Held orders past this go to the part's own spill where it may spill (`spill`); else the part gives up (null) and the first thread reads on alone. */
  memoryBudgetBytes: number;
  /** Whether the import parks orders that do not fit (ImportOptions.spill): then the part may too. */
  spill: boolean;
  /** The SharedRanges both parts cut their spilled orders by. */
  ranges: SharedArrayBuffer;
}

/** The second part of a file being read elsewhere; `result` is null when it could not be read whole. */
export interface PartJob { result: Promise<PartRead | null>; cancel(): void }

/** Reads the second part of a file on another thread (see splitRead); null when none can be started. */
export type SecondPartReader = (source: ByteSource, request: PartRequest) => PartJob | null;

/**
 * Reads the rows of `source` from byte `request.from` (the start of a line) to its end, with
 * the header of its first line, as readRows would have read them after the rows before: the
 * other thread's half of splitRead. Orders past its budget go to `spill` (then the taker's to
 * dispose of); without one, null when they outgrow it.
 */
export async function readSecondPart(source: ByteSource, request: PartRequest, spill: SpillFactory | null = null): Promise<PartRead | null> {
  // A decoder starting on U+FEFF would drop it as a byte-order mark, where one read of the file keeps it in the cell.
  if (bomCharset(await source.read(request.from, request.from + 3)) !== null) return null;
  // The header is planned as readText's selector plans it; the rest of the opening bytes is cut by that plan.
  const holder: { plan: HeaderPlan | null } = { plan: null };
  new CsvParser((header) => (holder.plan = planOf(source, header, request.productLines)).mask, request.separator)
    .push(decodeSample(await head(source, SNIFF_BYTES), 'utf-8'));
  const plan = holder.plan;
  if (!plan) return null;
  const accumulator = new OrderAccumulator(request.spill ? spill : null, request.memoryBudgetBytes, new SharedRanges(request.ranges));
  const reader = rowReader(plan, source.name, 0, '1900', false);
  const rows = new FileRows(reader, accumulator, request.sampleSize);
  const text = decodeText({ ...source, stream: () => source.stream(request.from) }, 'utf-8');
  try {
    for await (const batch of csvRows(text, CsvParser.afterHeader(plan.mask, request.separator))) {
      for (const row of batch) if (rows.take(row)) await accumulator.flush();
      if (accumulator.overBudget && !(request.spill && spill)) return null;
    }
    return { ...rows.findings(), ids: reader.ids.facts, ...accumulator.handOver() };
  } catch (error) {
    await accumulator.dispose();
    throw error;
  }
}
