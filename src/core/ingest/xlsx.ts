import { Readable, Transform } from 'node:stream';
import { SaxesParser } from 'saxes';
import yauzl from 'yauzl';
import { ImportError, shownValue } from './errors.js';
import { SKIP, wholeRow, type Row } from './rows.js';
import type { ByteSource } from './source.js';

/**
 * XLSX (first sheet) → rows, streamed. A workbook is a zip of XML parts; we read the zip
 * directory with yauzl and the XML with saxes, both maintained streaming readers, instead of
 * the stale `xlsx` package. Only the first sheet and the shared-string table are inflated,
 * and their inflated size is capped, so a small zip that expands to gigabytes is refused.
 */
export interface XlsxLimits {
  /** Most bytes the parts we read may inflate to, all together. */
  maxInflatedBytes: number;
}

export const DEFAULT_XLSX_LIMITS: XlsxLimits = { maxInflatedBytes: 1024 * 1024 * 1024 };

class SourceReader extends yauzl.RandomAccessReader {
  constructor(private readonly source: ByteSource) {
    super();
  }
  override _readStreamForRange(start: number, end: number): Readable {
    const source = this.source;
    return Readable.from((async function* () { yield Buffer.from(await source.read(start, end)); })());
  }
}

/** What the workbook says about reading its cells. */
export interface WorkbookFacts {
  /** Dates are counted in the 1904 system (old Mac Excel). */
  date1904: boolean;
}

/** Names the columns to read once the header row is known (see CsvParser). */
export type ColumnSelector = (header: readonly string[], facts: WorkbookFacts) => Uint8Array;

export async function* xlsxRows(source: ByteSource, limits: XlsxLimits = DEFAULT_XLSX_LIMITS, selectColumns: ColumnSelector | null = null): AsyncGenerator<Row[]> {
  const damaged = () => new ImportError('xlsx-damaged', { file: source.name });
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromRandomAccessReaderPromise(new SourceReader(source), source.size, { lazyEntries: true, autoClose: false });
  } catch {
    throw damaged();
  }
  try {
    yield* workbookRows(zip, source, limits, damaged, selectColumns);
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw damaged();
  } finally {
    zip.close();
  }
}

/**
 * Rows of the first sheet. Excel keeps cell text in one shared table, buyer names and addresses
 * included; so that those never enter memory, the sheet is read in passes: the header row, then
 * the table entries the header needs, then which entries the selected columns use, then only
 * those entries, then the rows, which hold only the selected columns after the header.
 */
async function* workbookRows(zip: yauzl.ZipFile, source: ByteSource, limits: XlsxLimits, damaged: () => ImportError, selectColumns: ColumnSelector | null): AsyncGenerator<Row[]> {
  const entries = new Map<string, yauzl.Entry>();
  for await (const entry of zip.eachEntry()) entries.set(entry.fileName, entry);
  if (!entries.has('xl/workbook.xml')) throw new ImportError('not-a-table', { file: source.name });
  const budget = { left: limits.maxInflatedBytes };
  const limitMb = Math.round(limits.maxInflatedBytes / 1048576);
  const read: PartReader = (name) => {
    const entry = entries.get(name);
    if (!entry) return null;
    // The directory's declared size is checked first; inflate() also counts what really comes out.
    if (entry.uncompressedSize > budget.left) throw new ImportError('xlsx-too-large', { file: source.name, limitMb });
    return inflate(zip, entry, budget, { file: source.name, limitMb });
  };
  const { path: sheetPath, date1904 } = await firstSheet(read);
  const sheet = () => {
    const part = read(sheetPath);
    if (!part) throw damaged();
    return part;
  };
  const strings = (keep: ReadonlySet<number>) => sharedStrings(read('xl/sharedStrings.xml'), keep);

  const headerCells: RawCell[] = [];
  await scanSheet(sheet(), (cell) => { headerCells.push(cell); }, (row, badReference) => {
    // A header cell with no known column leaves a column unnamed, or named wrongly: nothing below could be trusted.
    if (badReference !== null) throw new ImportError('xlsx-bad-reference', { file: source.name, line: row, ref: badReference });
    return 'stop';
  });
  const headerStrings = await strings(new Set(headerCells.filter((c) => c.type === 's').map((c) => Number(c.raw))));
  const header: string[] = [];
  for (const cell of headerCells) setCell(header, cell.column, cellText(cell, headerStrings));
  const mask = selectColumns?.(header, { date1904 }) ?? null;

  const used = new Set<number>(headerStrings.keys());
  let past = false;
  await scanSheet(sheet(), (cell) => { if (past && cell.type === 's' && (mask === null || (mask[cell.column] ?? SKIP) !== SKIP)) used.add(Number(cell.raw)); }, () => { past = true; });
  yield* sheetRows(sheet(), await strings(used), mask);
}

/** Inflated text of one zip part, counted against the budget as it streams. */
async function* inflate(
  zip: yauzl.ZipFile, entry: yauzl.Entry, budget: { left: number }, params: { file: string; limitMb: number },
): AsyncGenerator<string> {
  const stream = await zip.openReadStreamPromise(entry);
  const counted = stream.pipe(new Transform({
    transform(chunk: Buffer, _enc, done) {
      budget.left -= chunk.length;
      if (budget.left < 0) done(new ImportError('xlsx-too-large', params));
      else done(null, chunk);
    },
  }));
  stream.on('error', (error) => counted.destroy(error));
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of counted) yield decoder.decode(chunk as Buffer, { stream: true });
  yield decoder.decode();
}

type PartReader = (name: string) => AsyncGenerator<string> | null;

/** The workbook's first sheet, as its relationships name it (not always sheet1.xml), and its date system. */
async function firstSheet(read: PartReader): Promise<{ path: string; date1904: boolean }> {
  let relId: string | null = null;
  let date1904 = false;
  await eachElement(read('xl/workbook.xml'), (name, attrs) => {
    if (relId === null && local(name) === 'sheet') relId = attrs['r:id'] ?? attrs['id'] ?? null;
    if (local(name) === 'workbookPr') date1904 = attrs['date1904'] === '1' || attrs['date1904'] === 'true';
  });
  let target: string | null = null;
  await eachElement(read('xl/_rels/workbook.xml.rels'), (name, attrs) => {
    if (local(name) === 'Relationship' && attrs['Id'] === relId) target = attrs['Target'] ?? null;
  });
  if (!target) return { path: 'xl/worksheets/sheet1.xml', date1904 };
  const path: string = target;
  return { path: path.startsWith('/') ? path.slice(1) : `xl/${path}`, date1904 };
}

/** The shared-table entries numbered in `keep`; the others are parsed past, never kept. */
async function sharedStrings(part: AsyncGenerator<string> | null, keep: ReadonlySet<number>): Promise<Map<number, string>> {
  const strings = new Map<number, string>();
  if (!part) return strings;
  let index = -1;
  let current: string[] | null = null;
  let inText = false;
  // Phonetic runs (<rPh>) hold reading hints, not cell text.
  let inPhonetic = false;
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    const n = local(tag.name);
    if (n === 'si') { index++; current = keep.has(index) ? [] : null; }
    else if (n === 't') inText = true;
    else if (n === 'rPh') inPhonetic = true;
  });
  parser.on('text', (text) => { if (inText && !inPhonetic && current) current.push(text); });
  parser.on('closetag', (tag) => {
    const n = local(tag.name);
    if (n === 't') inText = false;
    else if (n === 'rPh') inPhonetic = false;
    else if (n === 'si' && current) { strings.set(index, current.join('')); current = null; }
  });
  for await (const chunk of part) parser.write(chunk);
  parser.close();
  return strings;
}

interface RawCell { row: number; column: number; type: string; raw: string }

/** Excel's last column (XFD) and row: no sheet has a cell beyond them. */
const MAX_COLUMNS = 16384;
const MAX_ROWS = 1048576;

/**
 * A parser that hands a sheet's cells to `onCell` and each non-empty row's end to `onRowEnd`,
 * with the row's first reference no sheet can have (shortened), else null; once `onRowEnd`
 * answers 'stop', it reports nothing more (see `stopped`). A cell whose column is not known
 * is not handed on: it marks its row.
 */
function sheetParser(onCell: (cell: RawCell) => void, onRowEnd: (row: number, badReference: string | null) => 'stop' | void): { parser: SaxesParser; stopped: () => boolean } {
  const parser = new SaxesParser();
  let row = 0;
  let column = 0;
  let count = 0;
  let type = 'n';
  let value: string[] = [];
  let capture = false;
  let stopped = false;
  let badReference: string | null = null;
  /** The impossible reference after which cells without one have no known column either. */
  let lostAt: string | null = null;
  parser.on('opentag', (tag) => {
    const n = local(tag.name);
    if (n === 'row') {
      const ref = attr(tag.attributes, 'r');
      const r = Number(ref);
      badReference = null;
      lostAt = null;
      if (Number.isInteger(r) && r > 0 && r <= MAX_ROWS) {
        row = r;
      } else {
        // A row number missing, unreadable or past the last row: named by where it stands, and held against the row only when past.
        row++;
        if (r > MAX_ROWS && ref !== undefined) badReference = shownValue(ref);
      }
      count = 0;
      column = -1;
    } else if (n === 'c') {
      const ref = attr(tag.attributes, 'r');
      if (ref) {
        column = columnIndex(ref);
        lostAt = column < 0 ? ref : null;
      } else {
        column = lostAt === null ? column + 1 : -1;
      }
      type = attr(tag.attributes, 't') ?? 'n';
      value = [];
    } else if (n === 'v' || n === 't') {
      capture = true;
    }
  });
  parser.on('text', (text) => { if (capture) value.push(text); });
  parser.on('closetag', (tag) => {
    const n = local(tag.name);
    if (n === 'v' || n === 't') capture = false;
    else if (n === 'c') {
      const raw = value.join('');
      if (raw !== '' && !stopped) {
        // An empty cell at such a reference loses nothing: only one with a value marks the row.
        if (column >= 0) onCell({ row, column, type, raw });
        else badReference ??= shownValue(lostAt ?? '');
        count++;
      }
    } else if (n === 'row' && count > 0 && !stopped) {
      if (onRowEnd(row, badReference) === 'stop') stopped = true;
    }
  });
  return { parser, stopped: () => stopped };
}

/** Reads a whole sheet (or up to a 'stop') through `sheetParser`, keeping nothing itself. */
async function scanSheet(part: AsyncGenerator<string>, onCell: (cell: RawCell) => void, onRowEnd: (row: number, badReference: string | null) => 'stop' | void): Promise<void> {
  const { parser, stopped } = sheetParser(onCell, onRowEnd);
  for await (const chunk of part) {
    parser.write(chunk);
    if (stopped()) return;
  }
  parser.close();
}

function cellText(cell: RawCell, shared: ReadonlyMap<number, string>): string {
  if (cell.type === 's') return shared.get(Number(cell.raw)) ?? '';
  if (cell.type === 'b') return cell.raw === '1' ? 'TRUE' : 'FALSE';
  return cell.raw;
}

function setCell(cells: string[], column: number, text: string): void {
  while (cells.length < column) cells.push('');
  cells[column] = text;
}

/** The sheet's rows, a chunk's worth at a time: the header whole, later rows holding only the masked columns, in order. */
async function* sheetRows(part: AsyncGenerator<string>, shared: ReadonlyMap<number, string>, mask: Uint8Array | null): AsyncGenerator<Row[]> {
  const ready: Row[] = [];
  // Each masked column's place among a row's kept cells: a kept column as far out as XFD costs a row no more than one near A.
  const slots = mask === null ? null : new Int32Array(mask.length).fill(-1);
  let kept = 0;
  if (mask !== null && slots !== null) for (let i = 0; i < mask.length; i++) if (mask[i] !== SKIP) slots[i] = kept++;
  const blankRow = (): string[] => {
    const out: string[] = [];
    for (let i = 0; i < kept; i++) out.push('');
    return out;
  };
  let cells: string[] = [];
  let header = true;
  const { parser } = sheetParser((cell) => {
    if (header || slots === null) setCell(cells, cell.column, cellText(cell, shared));
    else {
      const slot = slots[cell.column] ?? -1;
      if (slot >= 0) cells[slot] = cellText(cell, shared);
    }
  }, (row, badReference) => {
    if (badReference !== null) ready.push({ ...wholeRow(row, []), badReference });
    else if (cells.some((c) => c.trim() !== '')) ready.push(wholeRow(row, cells));
    header = false;
    cells = slots === null ? [] : blankRow();
  });
  for await (const chunk of part) {
    parser.write(chunk);
    if (ready.length > 0) yield ready.splice(0);
  }
  parser.close();
  if (ready.length > 0) yield ready.splice(0);
}

/** `AB12` → 27 (zero-based column of the cell reference); -1 for a reference no sheet has (`ZZZZZZZ1`, `XFE1`, `A0`, `a1`). */
function columnIndex(ref: string): number {
  const length = ref.length;
  let n = 0;
  let i = 0;
  // Three letters reach XFD: a fourth is beyond it, and a long run would grow the column without end.
  for (; i < length && i < 3; i++) {
    const code = ref.charCodeAt(i);
    if (code < 65 || code > 90) break;
    n = n * 26 + (code - 64);
  }
  if (i === 0 || i === length || n > MAX_COLUMNS) return -1;
  let row = 0;
  for (; i < length; i++) {
    const d = ref.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    row = row * 10 + d;
  }
  return row > 0 && row <= MAX_ROWS ? n - 1 : -1;
}

function local(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

function attr(attributes: Record<string, unknown>, name: string): string | undefined {
  const v = attributes[name];
  return typeof v === 'string' ? v : undefined;
}

async function eachElement(part: AsyncGenerator<string> | null, visit: (name: string, attrs: Record<string, string>) => void): Promise<void> {
  if (!part) return;
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => visit(tag.name, tag.attributes as Record<string, string>));
  for await (const chunk of part) parser.write(chunk);
  parser.close();
}
