import { cellsOnDemand, READ, SKIP, wholeRow, type Row, type RowRest } from './rows.js';

const QUOTE = 34;
const CR = 13;

/** Separators Excel and sellers' tools write between fields; the header line decides which one a file uses. */
export const SEPARATORS = [',', ';', '\t', '|'] as const;
export type Separator = (typeof SEPARATORS)[number];

/** A quoted field may hold line breaks, but no export cell comes near this many characters. */
export const MAX_ROW_CHARS = 1024 * 1024;

export class UnterminatedQuote extends Error {
  constructor(readonly line: number) {
    super(`quote opened on line ${line} is never closed`);
  }
}

/** A row longer than MAX_ROW_CHARS whose quotes do close: one field is simply too large to be an export cell. */
export class FieldTooLarge extends Error {
  constructor(readonly line: number) {
    super(`a field on line ${line} is longer than ${MAX_ROW_CHARS} characters`);
  }
}

/**
 * CSV text → rows, fed chunk by chunk (RFC 4180: quoted fields may hold commas, doubled
 * quotes and line breaks; CRLF, LF or CR-only line ends). Written for this job rather than
 * taken from csv-parse or papaparse: both spend most of a report's time
 * building strings for the 45 columns we never read. Here only the columns named in `keep`
 * are cut out of the text, and a row holds just those, in column order; the rest, buyer data
 * among them, never become strings. A row without a quote in it (most rows of an export) is
 * cut on a plainer path that stops at the last column read, and a cell written as the one above
 * it is that same string: the status, fulfilment or time of an order's second line costs no
 * new string, and the caches downstream compare it with their held text without reading its
 * characters. Line numbers count the breaks
 * inside quoted fields, so "line N" is the line a seller sees in an editor.
 */
export class CsvParser {
  /** Column mask (SKIP, READ, ON_DEMAND: see rows.ts). Null reads every cell (the header row). */
  private keep: Uint8Array | null = null;
  private headerSeen = false;
  private pending = '';
  private line = 1;
  private crOnly: boolean | null = null;
  private out: Row[] = [];
  private readonly separator: number;
  private readonly separatorChar: string;
  /** Once a row outgrows MAX_ROW_CHARS: whether the text read since is inside quotes (quote count parity). */
  private overflowQuoted: boolean | null = null;
  /** The last column read on every row: in a row without quotes, nothing after it is looked at unless asked (Row.rest). */
  private lastRead = -1;
  /** What cuts a plain row's on-demand cells, when `keep` has any after `lastRead`. */
  private rest: OnDemandCells | null = null;
  /** The cells of the row before: a cell written as it was above it is that same string, not a new one. */
  private above: string[] = [];

  /**
   * `selectColumns` sees the header row (always read whole) and names the columns to read
   * from every later row; it runs before any later row is parsed.
   */
  constructor(private readonly selectColumns: ((header: readonly string[]) => Uint8Array) | null = null, separator: Separator = ',', firstLine = 1) {
    this.line = firstLine;
    this.separator = separator.charCodeAt(0);
    this.separatorChar = separator;
  }

  /**
   * A parser for text that starts at a row of a file whose header was read elsewhere (the
   * second half of a file read on two threads): every row is data, cut by `keep`, with LF or
   * CRLF line ends, numbered from line 1 of this text.
   */
  static afterHeader(keep: Uint8Array, separator: Separator): CsvParser {
    const parser = new CsvParser(null, separator);
    parser.use(keep);
    parser.headerSeen = true;
    parser.crOnly = false;
    return parser;
  }

  /**
   * Whether the text pushed so far ended at the end of a row (no field left open), in a file
   * whose lines end in LF or CRLF: the point where another parser could have started afresh.
   */
  get atRowEnd(): boolean {
    return this.pending === '' && this.overflowQuoted === null && this.crOnly === false;
  }

  /** The line number the next row starts on. */
  get nextLine(): number {
    return this.line;
  }

  /** Rows completed by this chunk; an unfinished last row waits for the next one. */
  push(text: string): Row[] {
    if (this.overflowQuoted !== null) return this.skipOverflow(text);
    const rest = this.finishCutRow(text);
    const buf = this.normalize(this.pending + rest);
    const used = this.parse(buf, false);
    this.pending = used < buf.length ? buf.slice(used) : '';
    if (this.pending.length > MAX_ROW_CHARS) {
      // Either a quote never closes or one field is huge: read on (keeping nothing) to tell which.
      this.overflowQuoted = false;
      const held = this.pending;
      this.pending = '';
      return this.skipOverflow(held);
    }
    return this.out.splice(0);
  }

  /**
   * The row a chunk's start cut off, finished on its own where it ends at the chunk's first line
   * break; returns the rest of the chunk. Joined to the whole chunk instead, V8 would copy
   * every chunk once more to read it.
   */
  private finishCutRow(text: string): string {
    if (this.pending === '' || this.crOnly !== false) return text;
    const lineEnd = text.indexOf('\n');
    if (lineEnd === -1) return text;
    const head = this.pending + text.slice(0, lineEnd + 1);
    const used = this.parse(head, false);
    // A quoted field that holds the break goes on past it: the row is read with the chunk, as before.
    if (used < head.length) return text;
    this.pending = '';
    return text.slice(lineEnd + 1);
  }

  private skipOverflow(text: string): Row[] {
    for (let q = text.indexOf('"'); q !== -1; q = text.indexOf('"', q + 1)) this.overflowQuoted = !this.overflowQuoted;
    // Quotes balanced again (a doubled quote toggles twice): the field closed, it was just too large.
    if (!this.overflowQuoted) throw new FieldTooLarge(this.line);
    return [];
  }

  /** The last rows, at the end of the text. */
  end(): Row[] {
    if (this.overflowQuoted !== null) throw new UnterminatedQuote(this.line);
    this.crOnly ??= this.pending.includes('\r');
    this.parse(this.normalize(this.pending), true);
    this.pending = '';
    return this.out.splice(0);
  }

  /**
   * Old Mac "CSV (Macintosh)" ends lines with CR alone. The first line end settles it for the
   * file; until one is seen (or while a chunk ends on a CR), nothing is decided.
   */
  private normalize(buf: string): string {
    if (this.crOnly === null) {
      const cr = buf.indexOf('\r');
      const lf = buf.indexOf('\n');
      if (lf !== -1 && (cr === -1 || lf < cr)) this.crOnly = false;
      else if (cr !== -1 && cr + 1 < buf.length) this.crOnly = buf.charCodeAt(cr + 1) !== 10;
    }
    return this.crOnly ? buf.replace(/\r/g, '\n') : buf;
  }

  /** Parses whole rows from `buf`; returns how far it got (the start of an unfinished row). */
  private parse(buf: string, final: boolean): number {
    const len = buf.length;
    let keepMask = this.keep;
    let pos = 0;
    // The first quote at or after `pos` (len: none): rows before it are read the plain way.
    let nextQuote = -1;
    while (pos < len) {
      const rowStart = pos;
      // The row's end as far as unquoted text goes; a quoted field may move it further on.
      let lineEnd = buf.indexOf('\n', pos);
      if (lineEnd === -1) {
        if (!final) return rowStart;
        lineEnd = len;
      }
      if (nextQuote < pos) {
        nextQuote = buf.indexOf('"', pos);
        if (nextQuote === -1) nextQuote = len;
      }
      if (keepMask !== null && nextQuote >= lineEnd) {
        pos = this.plainRow(buf, pos, lineEnd, keepMask);
        continue;
      }
      let breaks = 0;
      const cells: string[] = [];
      let col = 0;
      for (;;) {
        const keep = keepMask === null || (keepMask[col] ?? SKIP) !== SKIP;
        let value = '';
        let end: number;
        if (buf.charCodeAt(pos) === QUOTE) {
          const start = pos + 1;
          let from = start;
          let escaped = false;
          let close = -1;
          for (;;) {
            const q = buf.indexOf('"', from);
            if (q === -1 || (q + 1 === len && !final)) break;
            if (buf.charCodeAt(q + 1) === QUOTE) { escaped = true; from = q + 2; continue; }
            close = q;
            break;
          }
          if (close === -1) {
            if (!final) return rowStart;
            close = len; // Unclosed at the very end of the file: the rest is the field.
          }
          if (close > lineEnd) {
            for (let i = lineEnd; i !== -1 && i < close; i = buf.indexOf('\n', i + 1)) breaks++;
            lineEnd = buf.indexOf('\n', close);
            if (lineEnd === -1) {
              if (!final) return rowStart;
              lineEnd = len;
            }
          }
          if (keep) value = escaped ? buf.slice(start, close).replace(/""/g, '"') : buf.slice(start, close);
          // Text after the closing quote (`"a" b`) is kept, not dropped: a lenient reading of a sloppy file.
          end = fieldEnd(buf, close + 1, lineEnd, this.separatorChar);
          if (keep && end > close + 1) value += buf.slice(close + 1, end);
        } else {
          end = fieldEnd(buf, pos, lineEnd, this.separatorChar);
          if (keep) value = buf.slice(pos, end);
        }
        if (keep) cells.push(value);
        col++;
        if (end < lineEnd && buf.charCodeAt(end) === this.separator) {
          pos = end + 1;
          continue;
        }
        pos = lineEnd + 1;
        break;
      }
      if (this.take(wholeRow(0, cells), breaks) && !this.headerSeen) {
        this.headerSeen = true;
        this.use(this.selectColumns?.(cells) ?? null);
        keepMask = this.keep;
        // The header's cells are every column's, not the kept ones a data row is compared with.
        this.above = [];
      }
    }
    return pos;
  }

  /** Cuts later rows by `keep` (null: every cell). */
  private use(keep: Uint8Array | null): void {
    this.keep = keep;
    this.lastRead = keep?.lastIndexOf(READ) ?? -1;
    this.rest = keep ? OnDemandCells.after(this.lastRead, keep, this.separatorChar) : null;
  }

  /**
   * A data row with no quote in it (most rows of an export): its kept cells are cut out between
   * separators up to the last column read on every row, and nothing after it is looked at
   * unless the row's reader asks for its on-demand cells. Returns where the next row starts.
   */
  private plainRow(buf: string, start: number, lineEnd: number, keepMask: Uint8Array): number {
    const cells: string[] = [];
    const next = cutPlain(buf, start, textEndOf(buf, start, lineEnd), 0, this.lastRead, keepMask, this.separatorChar, cells, this.above);
    // Every column read on every row was read, and the line goes on to on-demand ones.
    const rest = next >= 0 ? this.rest : null;
    const row: Row = rest === null ? wholeRow(0, cells) : { line: 0, cells, rest, text: buf, from: next };
    // Whether a row of fewer cells has nothing in it (take) hangs on the rest: it is cut now.
    if (rest !== null && cells.length < 2) cellsOnDemand(row);
    this.take(row, 0);
    return lineEnd + 1;
  }

  /** A row, read (its line set here); false for a row with nothing in it, which is no row. */
  private take(row: Row, breaks: number): boolean {
    row.line = this.line;
    this.line += 1 + breaks;
    const { cells } = row;
    if (cells.length < 2 && (cells.length === 0 || cells[0] === '')) return false;
    this.out.push(row);
    this.above = cells;
    return true;
  }
}

/** Cuts the on-demand cells of a row without quotes from its text, when its reader asks (Row.rest). */
class OnDemandCells implements RowRest {
  private constructor(
    /** The first column after the last one read on every row. */
    private readonly column: number,
    private readonly lastKept: number,
    private readonly keep: Uint8Array,
    private readonly separator: string,
  ) {}

  /** What cuts the kept cells after column `lastRead`; null where there are none. */
  static after(lastRead: number, keep: Uint8Array, separator: string): OnDemandCells | null {
    const lastKept = keep.findLastIndex((value) => value !== SKIP);
    return lastKept > lastRead ? new OnDemandCells(lastRead + 1, lastKept, keep, separator) : null;
  }

  cutInto(row: Row): void {
    const { text, from } = row;
    // A row without quotes ends at its first line break.
    const lineEnd = text.indexOf('\n', from);
    const textEnd = textEndOf(text, from, lineEnd === -1 ? text.length : lineEnd);
    cutPlain(text, from, textEnd, this.column, this.lastKept, this.keep, this.separator, row.cells, null);
  }
}

/**
 * Cuts the kept cells of columns `column` to `last` of a row without quotes, from `pos` (where
 * column `column` starts) up to `textEnd`, onto `cells`. A cell written as the one `above` it
 * (at the same place among the kept cells) is that same string. Returns where column `last + 1`
 * starts, or -1 when the row ends first.
 */
function cutPlain(
  text: string, pos: number, textEnd: number, column: number, last: number,
  keep: Uint8Array, separator: string, cells: string[], above: readonly string[] | null,
): number {
  for (let col = column; col <= last; col++) {
    let end = text.indexOf(separator, pos);
    if (end === -1 || end >= textEnd) end = textEnd;
    if (keep[col] !== SKIP) {
      const same = above === null ? undefined : above[cells.length];
      cells.push(same !== undefined && sameText(text, pos, end, same) ? same : text.slice(pos, end));
    }
    if (end >= textEnd) return -1;
    pos = end + 1;
  }
  return pos;
}

/** Where the text of a line ending at `lineEnd` (its break, or the text's end) ends: before a CR. */
function textEndOf(text: string, from: number, lineEnd: number): number {
  return lineEnd > from && text.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd;
}

/**
 * Whether `buf` from `from` to `to` reads `text`. Compared from the end, where ids and times
 * differ from the row above's (`…0013`, `…01:58:41`): most cells that differ fail at once.
 */
function sameText(buf: string, from: number, to: number, text: string): boolean {
  if (text.length !== to - from) return false;
  for (let i = to - 1, j = text.length - 1; j >= 0; i--, j--) if (buf.charCodeAt(i) !== text.charCodeAt(j)) return false;
  return true;
}

/** Where an unquoted field starting at `from` ends: the next separator, or the line end (less its CR). */
function fieldEnd(buf: string, from: number, lineEnd: number, separator: string): number {
  const next = buf.indexOf(separator, from);
  if (next !== -1 && next < lineEnd) return next;
  return textEndOf(buf, from, lineEnd);
}

/** Rows of a CSV text stream, a chunk's worth at a time. */
export async function* csvRows(text: AsyncIterable<string>, parser = new CsvParser()): AsyncGenerator<Row[]> {
  for await (const chunk of text) {
    const rows = parser.push(chunk);
    if (rows.length > 0) yield rows;
  }
  const rows = parser.end();
  if (rows.length > 0) yield rows;
}
