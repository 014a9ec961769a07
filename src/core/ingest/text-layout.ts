import { isAscii } from 'node:buffer';
import { isKnownReason } from '../reasons/classify.js';
import { bomCharset, countReplacements, decodeSample, isUtf8, LEGACY_CHARSETS, unmarkedUtf16, type Charset } from './charset.js';
import { CsvParser, SEPARATORS, type Separator } from './csv.js';
import { findColumns, type ColumnKey } from './header.js';
import type { Row } from './rows.js';
import { fulfilledByTikTok, INITIATOR, LINE_KIND, paymentKind, STATUS } from './values.js';

/** How a text export is written: its charset, its field separator, and whether Excel put a `sep=` line first. */
export interface TextLayout {
  charset: Charset;
  separator: Separator;
  sepLine: boolean;
}

/** Rows of the opening bytes looked at when telling charsets apart by the values they read. */
const SAMPLE_ROWS = 300;

// The tables alone, as for reasons: the cues would read misdecoded text too, and fill the readers' caches with it.
const byTable = (reader: { tableValue(text: string): unknown }, empty: unknown) => (text: string) => (text ? reader.tableValue(text) : empty);
const VALUE_READERS: ReadonlyArray<readonly [ColumnKey, (text: string) => unknown]> = [
  ['status', byTable(STATUS, null)], ['substatus', byTable(STATUS, null)], ['cancelType', byTable(LINE_KIND, 'none')], ['cancelBy', byTable(INITIATOR, 'unknown')],
  ['fulfillment', fulfilledByTikTok], ['paymentMethod', paymentKind], ['cancelReason', (t) => (isKnownReason(t) ? true : undefined)],
];

/**
 * A text file's layout from its opening bytes. A byte-order mark decides the charset; else
 * valid UTF-8 is UTF-8; else each legacy charset is tried and the one whose header maps to the
 * most known columns wins, then the one whose status, `Cancel By`, type and reason cells the
 * tables know best (the values are in the seller's language), then the one with fewest
 * unreadable bytes. The header line decides the separator the same way.
 */
export function chooseLayout(sample: Uint8Array): TextLayout & { fallbacks: Charset[] } {
  const fixed = bomCharset(sample) ?? unmarkedUtf16(sample) ?? (isAscii(sample) || isUtf8(sample) ? 'utf-8' : null);
  if (fixed) return { charset: fixed, ...separatorOf(linesOf(decodeSample(sample, fixed)), false).layout, fallbacks: [] };
  const ranked: Array<{ layout: TextLayout; score: readonly number[] }> = [];
  for (const charset of LEGACY_CHARSETS) {
    const text = linesOf(decodeSample(sample, charset));
    const { layout, header, rows } = separatorOf(text, true);
    const score = [header, recognisedValues(rows), -misreadLatin(text, charset), -countReplacements(text)];
    ranked.push({ layout: { charset, ...layout }, score });
  }
  // Best first; a tie keeps LEGACY_CHARSETS' order (the sort is stable).
  ranked.sort((a, b) => (isBetter(a.score, b.score) ? -1 : isBetter(b.score, a.score) ? 1 : 0));
  const [best, ...rest] = ranked;
  // The rest, best first, for a file whose later bytes the chosen charset cannot read.
  return best ? { ...best.layout, fallbacks: rest.map((r) => r.layout.charset) } : { charset: 'utf-8', separator: ',', sepLine: false, fallbacks: [] };
}

/**
 * The legacy charset of a file that looked like UTF-8 for its first `sample` bytes (so plain
 * ASCII, header included) but not at `bytes` further on: the one under which the rows there
 * hold the most values the tables know, then the fewest unreadable bytes.
 */
export function legacyCharsetAfter(sample: Uint8Array, bytes: Uint8Array, separator: Separator, atEnd = false): Charset {
  const header = sampleRows(linesOf(decodeSample(sample, 'utf-8')).replace(/^\ufeff/, ''), separator, false);
  const firstBreak = bytes.indexOf(0x0a);
  const tail = firstBreak === -1 ? bytes : bytes.subarray(firstBreak + 1);
  let best: { charset: Charset; score: readonly number[] } | null = null;
  for (const charset of LEGACY_CHARSETS) {
    // The file's last bytes end its last line: a character cut short there counts against the charset.
    const decoded = decodeSample(tail, charset);
    const text = atEnd ? decoded : linesOf(decoded);
    const rows = sampleRows(text, separator);
    // The tail has no header of its own: its rows are read with the file's.
    const score = [recognisedValues({ ...header, data: [rows.header, ...rows.data] }), -countReplacements(text)];
    if (!best || isBetter(score, best.score)) best = { charset, score };
  }
  return best?.charset ?? LEGACY_CHARSETS[0];
}

/** One CJK, kana or hangul character with Latin letters on both sides: `Andr亍s` is `Andrés` read as GB18030. */
const LATIN_CJK_LATIN = /[A-Za-z][\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f][A-Za-z]/g;

/**
 * How often a double-byte charset's reading of the sample splits a Latin word with one
 * ideograph, as it does where a Windows-1252 accent meets the next letter. Real Chinese or
 * Japanese text puts such characters together, or next to digits and punctuation.
 */
function misreadLatin(text: string, charset: Charset): number {
  return charset === 'windows-1252' ? 0 : (text.match(LATIN_CJK_LATIN)?.length ?? 0);
}

const isBetter = (a: readonly number[], b: readonly number[]) => {
  for (let i = 0; i < a.length; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return false;
};

/** The sample up to its last whole line, so a row cut at the sample's end is not judged. */
function linesOf(text: string): string {
  const end = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
  return end > 0 ? text.slice(0, end + 1) : text;
}

/**
 * The separator under which the header maps the most known columns (ties: the one cutting it
 * into most cells); with `withData`, the sample's data rows as that separator cuts them.
 */
function separatorOf(text: string, withData: boolean): { layout: Omit<TextLayout, 'charset'>; header: number; rows: RowsWithColumns } {
  const body = text.replace(/^\ufeff/, '');
  const declared = /^sep=(.)\r?\n/i.exec(body);
  if (declared) {
    const separator = SEPARATORS.find((s) => s === declared[1]) ?? ',';
    const rows = sampleRows(body.slice(declared[0].length), separator, withData);
    return { layout: { separator, sepLine: true }, header: rows.count, rows };
  }
  // Each candidate cuts the header only: cutting every cell of the sample once per separator slows a small report's start.
  let best: { separator: Separator; rows: RowsWithColumns; width: number } | null = null;
  for (const separator of SEPARATORS) {
    const rows = sampleRows(body, separator, false);
    const width = rows.header.length;
    if (!best || rows.count > best.rows.count || (rows.count === best.rows.count && width > best.width)) best = { separator, rows, width };
  }
  const chosen = best ?? { separator: ',' as const, rows: { header: [], count: 0, found: {}, data: [] }, width: 0 };
  const rows = withData ? sampleRows(body, chosen.separator, true) : chosen.rows;
  return { layout: { separator: chosen.separator, sepLine: false }, header: chosen.rows.count, rows };
}

interface RowsWithColumns { header: string[]; count: number; found: Partial<Record<ColumnKey, number>>; data: string[][] }

/** The sample's header and (`withData`) its first data rows, every cell cut; without, no data cell is. */
function sampleRows(text: string, separator: Separator, withData = true): RowsWithColumns {
  const parser = new CsvParser(withData ? null : (header) => new Uint8Array(header.length), separator);
  let rows: Row[];
  try {
    rows = [...parser.push(text), ...parser.end()];
  } catch {
    rows = [];
  }
  const header = rows[0]?.cells ?? [];
  const { found, count } = findColumns(header);
  return { header, count, found, data: rows.slice(1, SAMPLE_ROWS + 1).map((r) => r.cells) };
}

/** How many cells of the sample's value columns the tables know. */
function recognisedValues(rows: RowsWithColumns): number {
  let known = 0;
  for (const [key, read] of VALUE_READERS) {
    const i = rows.found[key];
    if (i === undefined) continue;
    for (const cells of rows.data) {
      const cell = cells[i]?.trim() ?? '';
      if (cell !== '' && read(cell) !== undefined) known++;
    }
  }
  return known;
}
