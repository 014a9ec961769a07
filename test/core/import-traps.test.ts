import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { exportCsv, STANDARD_HEADERS, type GenOptions } from '../fixtures/generate.js';
import { buildXlsx } from '../fixtures/xlsx.js';
import { memorySpill } from '../../src/core/ingest/spill.js';
import { report } from '../support/report.js';
import { truthFigures } from '../support/truth.js';

const base: GenOptions = { orders: 600, seed: 11, multiLine: 0.4 };

function parseCsvText(text: string): string[][] {
  // Test-side reader for turning a generated CSV into rows for the XLSX builder.
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n') { row.push(cell.replace(/\r$/, '')); rows.push(row); row = []; cell = ''; }
    else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

describe('generated exports match the truth the generator kept', () => {
  const cases: Array<[string, GenOptions & { crlf?: boolean; shuffle?: boolean }]> = [
    ['day-first dates, English values', { ...base, dateStyle: 'dmy' }],
    ['US-style month-first dates with AM/PM', { ...base, dateStyle: 'mdy', seed: 12 }],
    ['Chinese status, Cancel By and reasons', { ...base, lang: 'zh', seed: 13 }],
    ['CRLF, no description row', { ...base, crlf: true, descriptionRow: false, seed: 14 }],
    ['quoted commas, quotes and line breaks in buyer text', { ...base, messyText: true, seed: 15 }],
    ['lines of one order scattered through the file', { ...base, shuffle: true, seed: 16 }],
    ['BRL amounts with decimal commas', { ...base, decimalComma: true, seed: 17 }],
  ];
  for (const [name, options] of cases) {
    it(name, async () => {
      const { text, truth } = exportCsv(options);
      const r = await report({ name: 'export.csv', data: `\ufeff${text}` });
      expect(r).toMatchObject(truthFigures(truth));
      expect(r.skipped.rows).toBe(0);
    });
  }

  it('decodes GB18030 files saved by Excel on Chinese Windows', async () => {
    const { text, truth } = exportCsv({ ...base, lang: 'zh', seed: 21 });
    const r = await report({ name: 'export.csv', data: iconv.encode(text, 'gb18030') }, { locale: 'zh' });
    expect(r).toMatchObject(truthFigures(truth));
    expect(r.reasons?.find((x) => x.category === 'other')?.examples).toEqual(['送给表弟的礼物不合适']);
  });

  it('decodes GB18030 even when the first 64 KB are plain ASCII', async () => {
    const ascii = exportCsv({ ...base, orders: 900, seed: 22 });
    expect(ascii.text.length).toBeGreaterThan(64 * 1024);
    const chinese = exportCsv({ ...base, lang: 'zh', orders: 50, seed: 23, firstId: 10_000, descriptionRow: false });
    const bytes = iconv.encode(ascii.text + chinese.text.slice(chinese.text.indexOf('\n') + 1), 'gb18030');
    const r = await report({ name: 'export.csv', data: bytes });
    expect(r).toMatchObject(truthFigures([...ascii.truth, ...chinese.truth]));
    expect(r.reasons?.find((x) => x.category === 'other')?.examples).toContain('送给表弟的礼物不合适');
  });

  it('reads the same figures from XLSX, with shared or inline strings', async () => {
    const { text, truth } = exportCsv({ ...base, seed: 31, messyText: true });
    const rows = parseCsvText(text);
    expect(rows[0]).toEqual([...STANDARD_HEADERS]);
    for (const strings of ['shared', 'inline'] as const) {
      const r = await report({ name: 'export.xlsx', data: await buildXlsx(rows, { strings }) });
      expect(r).toMatchObject(truthFigures(truth));
    }
  });

  it('merges files, an order in two files counting once, from the later file', async () => {
    const head = 'Order ID,Order Status,Cancelation/Return Type,Created Time,Paid Time,Cancel By,Cancel Reason';
    const a = [head,
      '1,Completed,,01/11/2026 10:00:00,01/11/2026 10:01:00,,',
      '2,Shipped,Cancel,01/11/2026 11:00:00,01/11/2026 11:01:00,Seller,Out of stock',
      '2,Shipped,,01/11/2026 11:00:00,01/11/2026 11:01:00,,',
      '3,Completed,,02/11/2026 10:00:00,02/11/2026 10:01:00,,'].join('\n');
    // Exported a day later: order 2 is now cancelled as a whole, order 4 is new.
    const b = [head,
      '2,Cancelled,Cancel,01/11/2026 11:00:00,01/11/2026 11:01:00,Seller,Out of stock',
      '4,Completed,,03/11/2026 10:00:00,03/11/2026 10:01:00,,'].join('\n');
    const merged = await report([{ name: 'a.csv', data: a }, { name: 'b.csv', data: b }]);
    expect(merged).toMatchObject({ orders: 4, cancelled: 1, partiallyCancelled: 0, sellerFault: { orders: 4, cancelled: 1 } });
    // In the other order, the older file wins: order 2 is partially cancelled again.
    const reversed = await report([{ name: 'b.csv', data: b }, { name: 'a.csv', data: a }]);
    expect(reversed).toMatchObject({ orders: 4, cancelled: 0, partiallyCancelled: 1 });
  });

  it('gives the same report when orders are parked on the spill (memory cap of a few orders)', async () => {
    const { text } = exportCsv({ ...base, shuffle: true, seed: 51 });
    const inMemory = await report({ name: 'e.csv', data: text });
    const spilled = await report({ name: 'e.csv', data: text }, { importOptions: { holding: { spill: async () => memorySpill(), memoryBudgetBytes: 7 * 400 } } });
    expect(spilled).toEqual(inMemory);
  });
});

describe('XLSX reading', () => {
  it('never turns the unselected columns (buyer data) into row cells', async () => {
    const { xlsxRows } = await import('../../src/core/ingest/xlsx.js');
    const { bufferSource } = await import('../../src/core/ingest/source.js');
    const book = await buildXlsx([['Order ID', 'Recipient', 'Order Status'], ['1', 'Jane Doe', 'Completed'], ['2', 'Bob Roe', 'Cancelled']]);
    const rows = [];
    for await (const batch of xlsxRows(bufferSource('a.xlsx', book), undefined, (h) => Uint8Array.from(h, (name) => (name === 'Recipient' ? 0 : 1)))) rows.push(...batch);
    expect(rows).toEqual([
      { line: 1, cells: ['Order ID', 'Recipient', 'Order Status'], rest: null, text: '', from: -1 },
      { line: 2, cells: ['1', 'Completed'], rest: null, text: '', from: -1 },
      { line: 3, cells: ['2', 'Cancelled'], rest: null, text: '', from: -1 },
    ]);
  });
});
