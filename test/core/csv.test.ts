import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { CsvParser, FieldTooLarge, MAX_ROW_CHARS, SEPARATORS, UnterminatedQuote, type Separator } from '../../src/core/ingest/csv.js';
import { delimited } from '../fixtures/real-world.js';
import { csvLine } from '../fixtures/generate.js';
import { cellsOnDemand, ON_DEMAND, READ, SKIP } from '../../src/core/ingest/rows.js';

function rowsOf(text: string, chunk: number, select: ((h: readonly string[]) => Uint8Array) | null = null, separator: Separator = ',') {
  const parser = new CsvParser(select, separator);
  const rows = [];
  for (let i = 0; i < text.length; i += chunk) rows.push(...parser.push(text.slice(i, i + chunk)));
  rows.push(...parser.end());
  return rows;
}

/** Every kept cell, the on-demand ones too, as a reader that asks for them sees the row. */
function parseAll(...args: Parameters<typeof rowsOf>) {
  return rowsOf(...args).map((row) => ({ line: row.line, cells: [...cellsOnDemand(row)] }));
}

describe('CSV reader', () => {
  it('reads quoted commas, doubled quotes and line breaks, with the lines a seller sees', () => {
    const text = 'a,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\nlines",z\n3,,\n';
    expect(parseAll(text, 1000)).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['1', 'x, y', 'say "hi"'] },
      { line: 3, cells: ['2', 'two\nlines', 'z'] },
      { line: 5, cells: ['3', '', ''] },
    ]);
  });

  it('reads CR-only line ends (old Mac Excel) and a last line without a line end', () => {
    expect(parseAll('a,b\r1,2\r3,4', 3)).toEqual([
      { line: 1, cells: ['a', 'b'] }, { line: 2, cells: ['1', '2'] }, { line: 3, cells: ['3', '4'] },
    ]);
  });

  it('skips blank lines but counts them', () => {
    expect(parseAll('a\n\n\nb\n', 2)).toEqual([{ line: 1, cells: ['a'] }, { line: 4, cells: ['b'] }]);
  });

  it('keeps text after a closing quote rather than dropping it', () => {
    expect(parseAll('"a" b,c\n', 100)).toEqual([{ line: 1, cells: ['a b', 'c'] }]);
  });

  it('cuts out only the selected columns after the header', () => {
    const rows = parseAll('h1,h2,h3\n1,secret,3\n4,"also, secret",6\n', 5, (h) => Uint8Array.from(h, (name) => (name === 'h2' ? 0 : 1)));
    expect(rows).toEqual([
      { line: 1, cells: ['h1', 'h2', 'h3'] },
      { line: 2, cells: ['1', '3'] },
      { line: 3, cells: ['4', '6'] },
    ]);
  });

  const cell = fc.oneof(
    fc.string({ maxLength: 6 }),
    fc.constantFrom('', ',', '"', '""', '\n', '\r\n', ' x ', '已取消', 'a,b', 'line\nbreak'),
  );
  const table = fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 12 });

  it('agrees with papaparse for every separator Excel writes', () => {
    fc.assert(fc.property(table, fc.integer({ min: 1, max: 40 }), fc.constantFrom(...SEPARATORS), (rows, chunk, separator) => {
      const text = delimited(rows, separator, '\n');
      const ours = parseAll(text, chunk, null, separator).map((r) => r.cells);
      const theirs = (Papa.parse<string[]>(text, { delimiter: separator, newline: '\n' }).data).filter((r) => !(r.length === 1 && r[0] === ''));
      expect(ours).toEqual(theirs);
    }), { numRuns: 300 });
  });

  it('cuts the kept cells of any table, on the lines a seller sees, when only some columns are read', () => {
    // Mostly plain cells, as in an export, so that most rows have no quote and take the plain path.
    const plainCell = fc.oneof({ weight: 4, arbitrary: fc.stringMatching(/^[a-z0-9 .:/-]{0,5}$/) }, { weight: 1, arbitrary: cell });
    const ragged = fc.array(fc.array(plainCell, { minLength: 1, maxLength: 7 }), { minLength: 2, maxLength: 14 });
    const use = fc.constantFrom(SKIP, READ, ON_DEMAND);
    fc.assert(fc.property(ragged, fc.array(use, { minLength: 1, maxLength: 7 }), fc.integer({ min: 1, max: 40 }), fc.constantFrom('\n', '\r\n', '\r'), fc.constantFrom(...SEPARATORS),
      (table, wanted, chunk, eol, separator) => {
        // A lone CR in a cell would make an LF file look CR-only; in a CR-only file no cell holds a line break (Excel writes none).
        const rows = table.map((r) => r.map((c) => (eol === '\r' ? c.replace(/[\r\n]/g, ' ') : c.replace(/\r(?!\n)/g, ' '))));
        let mask = new Uint8Array(0);
        const text = rows.map((r) => delimited([r], separator, eol)).join('');
        const select = (header: readonly string[]) => (mask = Uint8Array.from(header, (_, i) => wanted[i] ?? SKIP));
        const ours = parseAll(text, chunk, select, separator);
        // Not asked, a row holds its first kept cells: those asked for come after them, nothing before.
        const unasked = rowsOf(text, chunk, select, separator);
        expect(unasked.map((row) => row.line)).toEqual(ours.map((row) => row.line));
        unasked.forEach((row, i) => {
          const asked = ours[i]?.cells ?? [];
          expect(asked.slice(0, row.cells.length)).toEqual(row.cells);
          if (row.rest === null) expect(row.cells).toEqual(asked);
        });
        // Expected by hand: a row starts on the line after the breaks before it; a row with nothing in it is none.
        const filled = (cells: readonly string[]) => cells.length > 1 || (cells.length === 1 && cells[0] !== '');
        const expected: Array<{ line: number; cells: string[] }> = [];
        let line = 1;
        for (const row of rows) {
          const cells = expected.length === 0 ? row : row.filter((_, i) => (mask[i] ?? SKIP) !== SKIP);
          if (filled(cells)) expected.push({ line, cells });
          line += 1 + row.join('').split('\n').length - 1;
        }
        expect(ours).toEqual(expected);
      }), { numRuns: 500 });
  });

  it('leaves the on-demand cells after the last column read uncut until the row\'s reader asks', () => {
    const parser = new CsvParser((h) => Uint8Array.from(h, (name) => (name === 'pay' ? ON_DEMAND : name === 'address' ? SKIP : READ)));
    const [header, plain, crlf, quoted, short] = [...parser.push('id,paid,address,pay\n1,yes,Main St,COD\r\n2,,Side St,card\r\n3,"",x,"cash"\n4\n'), ...parser.end()];
    expect(header?.cells).toEqual(['id', 'paid', 'address', 'pay']);
    // A row without quotes is read up to `paid`; the rest of its line only when asked.
    expect(plain?.cells).toEqual(['1', 'yes']);
    expect(plain && cellsOnDemand(plain)).toEqual(['1', 'yes', 'COD']);
    expect(plain?.rest).toBeNull();
    expect(crlf && cellsOnDemand(crlf)).toEqual(['2', '', 'card']);
    // A row with a quote is cut whole; a row that ends early has nothing left to cut.
    expect(quoted).toMatchObject({ cells: ['3', '', 'cash'], rest: null });
    expect(short).toMatchObject({ line: 5, cells: ['4'], rest: null });
  });

  it('tells a field over the size cap from a quote that never closes', () => {
    const huge = `a,b\n1,"${'x'.repeat(2 * MAX_ROW_CHARS)}"\n2,3\n`;
    expect(() => parseAll(huge, 64 * 1024)).toThrow(FieldTooLarge);
    const open = `a,b\n1,"${'x'.repeat(2 * MAX_ROW_CHARS)}\n2,3\n`;
    expect(() => parseAll(open, 64 * 1024)).toThrow(UnterminatedQuote);
  });

  it('agrees with papaparse on any table, however the text is cut into chunks', () => {
    fc.assert(fc.property(table, fc.integer({ min: 1, max: 40 }), fc.boolean(), (rows, chunk, crlf) => {
      const text = rows.map((r) => csvLine(r, crlf ? '\r\n' : '\n')).join('');
      const ours = parseAll(text, chunk).map((r) => r.cells);
      const theirs = (Papa.parse<string[]>(text, { delimiter: ',', newline: crlf ? '\r\n' : '\n' }).data).filter((r) => !(r.length === 1 && r[0] === ''));
      expect(ours).toEqual(theirs);
    }), { numRuns: 300 });
  });
});
