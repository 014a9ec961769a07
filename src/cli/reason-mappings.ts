import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { CATEGORIES, isCategory, type Category } from '../core/reasons/categories.js';
import { readReason } from '../core/reasons/classify.js';

/**
 * `--reasons mappings.csv`: the reason texts a seller maps to categories, as a chat teaches the
 * bot with `/reason "text" category`. One `text,category` row per line (a text holding a comma
 * or a quote is quoted, CSV-style); a first row whose second value reads `category` is a header;
 * blank lines are skipped. A row that cannot be read is refused, never guessed at: the report
 * is not made, and the message names the file, the line and the value.
 */

export type ReasonMappings =
  | { ok: true; taught: ReadonlyMap<string, Category> }
  | { ok: false; problem: { key: string; args: Record<string, string | number> } };


export async function readReasonMappings(path: string): Promise<ReasonMappings> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { ok: false, problem: { key: 'cli-error-reasons-unreadable', args: { file: path } } };
  }
  return parseReasonMappings(text, basename(path));
}

/** The mappings of a file's text, keyed as the classifier keys a taught text (`readReason(text).key`). */
export function parseReasonMappings(text: string, file: string): ReasonMappings {
  const rows = csvRows(text.replace(/^\uFEFF/, ''));
  const problem = (key: string, line: number, args: Record<string, string | number> = {}): ReasonMappings =>
    ({ ok: false, problem: { key, args: { file, line, ...args } } });
  const taught = new Map<string, { category: Category; line: number }>();
  let first = true;
  for (const row of rows) {
    if (row.unclosed) return problem('cli-error-reasons-unclosed-quote', row.line);
    if (row.values.every((v) => v.trim() === '')) continue;
    const header = first && row.values.length === 2 && row.values[1]?.trim().toLowerCase() === 'category';
    first = false;
    if (header) continue;
    if (row.values.length !== 2) return problem('cli-error-reasons-bad-row', row.line, { value: row.raw });
    const [reason = '', written = ''] = row.values.map((v) => v.trim());
    const category = written.toLowerCase();
    if (!isCategory(category)) return problem('cli-error-reasons-bad-category', row.line, { value: written, categories: CATEGORIES.join(', ') });
    const { key } = readReason(reason);
    if (key === '') return problem('cli-error-reasons-no-text', row.line, { value: reason });
    const earlier = taught.get(key);
    if (earlier && earlier.category !== category) {
      return problem('cli-error-reasons-conflict', row.line, { value: reason, category: earlier.category, first: earlier.line });
    }
    if (!earlier) taught.set(key, { category, line: row.line });
  }
  return { ok: true, taught: new Map([...taught].map(([key, { category }]) => [key, category])) };
}

interface CsvRow {
  /** The line the row starts on, from 1. */
  line: number;
  values: string[];
  /** The row as written, for a message. */
  raw: string;
  /** A quote opened in this row is never closed. */
  unclosed: boolean;
}

/** Comma-separated rows, RFC 4180: a quoted value may hold commas, doubled quotes and line breaks. */
function csvRows(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = i;
    const startLine = line;
    const values: string[] = [];
    let value = '';
    let quoted = false;
    let unclosed = false;
    for (;;) {
      if (i >= text.length) {
        unclosed = quoted;
        values.push(value);
        break;
      }
      const c = text[i]!;
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { value += '"'; i += 2; continue; }
        if (c === '"') { quoted = false; i++; continue; }
        if (c === '\n') line++;
        value += c;
        i++;
        continue;
      }
      if (c === '"' && value.trim() === '') { quoted = true; value = ''; i++; continue; }
      if (c === ',') { values.push(value); value = ''; i++; continue; }
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (c === '\n' || c === '\r') {
        values.push(value);
        i++;
        line++;
        break;
      }
      value += c;
      i++;
    }
    rows.push({ line: startLine, values, raw: text.slice(start, i).replace(/\r?\n$|\r$/, ''), unclosed });
    if (unclosed) break;
  }
  return rows;
}
