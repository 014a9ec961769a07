import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OUT_OF_RANGE, parseMoney, readMoney } from '../../src/core/ingest/values.js';
import { UNKNOWN_CURRENCY } from '../../src/core/metrics/tally.js';
import { translator } from '../../src/i18n.js';
import { Store } from '../../src/store/store.js';
import { importUpload, type UploadDeps } from '../../src/use-cases/import-upload.js';
import { importFile } from '../../src/use-cases/read-export.js';
import { Turns } from '../../src/use-cases/turns.js';
import { buildXlsx } from '../fixtures/xlsx.js';
import { TEST_DATABASES } from '../support/databases.js';
import { importFailure, NOW, report } from '../support/report.js';
import { testDir } from '../support/temp-dirs.js';

const HEAD = ['Order ID', 'Order Status', 'Cancelation/Return Type', 'Created Time', 'Paid Time', 'Cancel By', 'Cancel Reason', 'Order Amount'];
const FOUR_HUNDRED_DIGITS = '9'.repeat(400);
const TWENTY_DIGITS = '12345678901234567890';
const TOO_LARGE = (file: string, line: number, value: string) => `${file} line ${line}: Order Amount "${value}" is too large to be a real order's amount`;

/** One order of 10.50 on line `n + 1`; every third one cancelled by the buyer. */
function order(n: number, amount = '10.50', cancelled = n % 3 === 0): string[] {
  return [String(100 + n), cancelled ? 'Cancelled' : 'Completed', cancelled ? 'Cancel' : '', '01/11/2026 10:00:00', '01/11/2026 10:01:00',
    cancelled ? 'Buyer' : '', cancelled ? 'No longer needed' : '', amount];
}

/** 60 orders; the cancelled ones on lines 11 and 21 have a 400-digit and a 20-digit amount. */
const ORDERS = Array.from({ length: 60 }, (_, i) => {
  const n = i + 1;
  return n === 10 ? order(n, FOUR_HUNDRED_DIGITS, true) : n === 20 ? order(n, TWENTY_DIGITS, true) : order(n);
});
/** What the 58 other orders come to: 20 of them (every third) cancelled, at 10.50 each. */
const KEPT = { orders: 58, cancelled: 20, lost: 210 };

const csv = (rows: readonly (readonly string[])[]) => [HEAD, ...rows].map((r) => r.join(',')).join('\n');

/** A workbook whose first sheet's `<sheetData>` is `sheetData`. */
const sheetXlsx = (sheetData: string) => buildXlsx([], {
  parts: { 'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetData}</sheetData></worksheet>` },
});

/** A row of inline-text cells from column A, except those `cells` gives as raw XML. */
function sheetRow(r: number, values: readonly string[], cells: Record<number, string> = {}, rowRef = String(r)): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<row r="${rowRef}">${values.map((v, c) => cells[c] ?? (v === '' ? '' : `<c r="${String.fromCharCode(65 + c)}${r}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`)).join('')}</row>`;
}

/** The rows as an XLSX whose amounts are number cells (`<v>` of digits), as a number typed into Excel is kept. */
const numberCellXlsx = (rows: readonly (readonly string[])[]) =>
  sheetXlsx([HEAD, ...rows].map((values, i) => sheetRow(i + 1, values, i === 0 ? {} : { 7: `<c r="H${i + 1}"><v>${values[7]}</v></c>` })).join(''));

describe('amounts beyond any real order', () => {
  it('are told apart from text that is no amount, on every reading path', () => {
    for (const text of [FOUR_HUNDRED_DIGITS, TWENTY_DIGITS, '-99999999999999999999', 'VND 1.000.000.000.000.000', '$1,000,000,000,000,000,000', `1${'0'.repeat(308)}.5`, '1000000000000']) {
      expect([text, readMoney(text)]).toEqual([text, OUT_OF_RANGE]);
    }
    // The largest plain amount the fast reader takes (twelve characters) is in range.
    expect(readMoney('999999999999')).toEqual({ cents: 99_999_999_999_900, currency: null });
    expect(readMoney('VND 999.999.999.999')).toEqual({ cents: 99_999_999_999_900, currency: 'VND' });
    expect(readMoney('free')).toBeNull();
    // The Partner API's reader has no row to skip: the order is kept without an amount.
    expect(parseMoney(FOUR_HUNDRED_DIGITS)).toBeNull();
    expect(parseMoney(TWENTY_DIGITS)).toBeNull();
  });

  it.each([
    ['CSV', 'orders.csv', () => Promise.resolve(csv(ORDERS))],
    ['XLSX of text cells', 'orders.xlsx', () => buildXlsx([HEAD, ...ORDERS])],
    ['XLSX of number cells', 'orders.xlsx', () => numberCellXlsx(ORDERS)],
  ] as const)('in a %s, their rows are skipped with their lines named and the others counted exactly', async (_, name, build) => {
    const r = await report({ name, data: await build() });
    expect(r.orders).toBe(KEPT.orders);
    expect(r.cancelled).toBe(KEPT.cancelled);
    expect(r.lostAmount).toEqual([{ currency: UNKNOWN_CURRENCY, amount: KEPT.lost }]);
    expect(r.unrecognised).toEqual({});
    expect(r.skipped.rows).toBe(2);
    expect(r.skipped.samples.map((s) => s.line)).toEqual([11, 21]);
    expect(r.skipped.samples[1]?.reason).toBe(TOO_LARGE(name, 21, TWENTY_DIGITS));
    // Four hundred digits are not written out in a chat message.
    expect(r.skipped.samples[0]?.reason).toBe(TOO_LARGE(name, 11, `${'9'.repeat(20)}…`));
    expect(JSON.stringify(r)).not.toMatch(/Infinity|NaN|e\+/);
  });

  it('too many of them fail the file like any other bad rows', async () => {
    const rows = ORDERS.map((r, i) => (i % 4 === 0 ? order(i + 1, TWENTY_DIGITS) : order(i + 1)));
    const f = await importFailure({ name: 'orders.csv', data: csv(rows) });
    expect(f.code).toBe('too-many-bad-rows');
    expect(f.text.split('\n')[1]).toBe(`  ${TOO_LARGE('orders.csv', 2, TWENTY_DIGITS)}`);
  });
});

for (const database of TEST_DATABASES) {
  describe(`an upload with amounts beyond any real order, on ${database.name}`, () => {
    const chat = { id: '-8', locale: 'en' as const, timeZone: 'Asia/Shanghai', threshold: 0.025 };
    let store: Store;
    let dir: string;
    beforeEach(async () => {
      store = await Store.open(await database.fresh());
      await store.chats.ensure(chat.id, chat);
      dir = testDir('cancelwatch-bounds-');
    });
    afterEach(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('is imported without them, and every stored amount is a real one', async () => {
      writeFileSync(join(dir, 'orders.csv'), csv(ORDERS), 'utf8');
      const deps: UploadDeps = {
        store, logger: pino({ level: 'silent' }), clock: () => NOW, importFile, turns: new Turns(1), limitMb: 20, tempDir: dir,
        fetchFile: (id) => Promise.resolve({ path: join(dir, id), temporary: false }),
      };
      const result = await importUpload(deps, { chat, shop: 'main', userId: '1', tr: translator('en'), file: { id: 'orders.csv', name: 'orders.csv', size: 10_000 } }, () => Promise.resolve());
      if (!result.ok) throw new Error(`not imported: ${result.reason}`);
      expect(result.summary.skipped.rows).toBe(2);
      const stored = await store.db.selectFrom('orders').select('amount_cents').execute();
      expect(stored.length).toBe(KEPT.orders);
      expect(stored.map((o) => Number(o.amount_cents))).toEqual(Array.from({ length: KEPT.orders }, () => 1050));
    });
  });
}

describe('impossible cell references in an XLSX', () => {
  /** The header and `count` orders on lines 2…, those `rows` gives written as it gives them. */
  const body = (rows: string[], count = 8) => [sheetRow(1, HEAD), ...Array.from({ length: count }, (_, i) => rows[i] ?? sheetRow(i + 2, order(i + 1)))].join('');
  const cell = (ref: string, value: string) => `<c r="${ref}" t="inlineStr"><is><t>${value}</t></is></c>`;
  const noCell = (file: string, line: number, ref: string) => ({ line, reason: `${file} line ${line}: the reference "${ref}" names no cell a sheet can have (the last one is XFD1048576)` });

  it('in the header, refuse the file at once, saying why', async () => {
    const sheet = `<row r="1">${cell('A1', 'Order ID')}${cell('ZZZZZZZ1', 'Order Status')}</row>${ORDERS.slice(0, 3).map((values, i) => sheetRow(i + 2, values)).join('')}`;
    const f = await importFailure({ name: 'orders.xlsx', data: await sheetXlsx(sheet) });
    expect(f.code).toBe('xlsx-bad-reference');
    expect(f.text).toBe('orders.xlsx is damaged: its header (row 1) has a cell at "ZZZZZZZ1", where no sheet can have one (the last cell is XFD1048576), so its columns cannot be told apart. Export it again.');
  });

  it('in a data row, skip that row with its line named', async () => {
    const values = ORDERS[3] ?? [];
    const rows: string[] = [];
    // Line 3: a column far beyond XFD; 5: just beyond it; 6: a row beyond 1048576; 7: not a reference's shape;
    // 8: a cell without a reference after an empty one at an impossible reference, so of no known column.
    rows[1] = `<row r="3">${cell('A3', '103')}${cell('ZZZZZZZ3', 'Completed')}</row>`;
    rows[3] = sheetRow(5, values, { 1: cell('XFE5', 'Completed') });
    rows[4] = sheetRow(6, values, { 1: cell('B99999999', 'Completed') });
    rows[5] = sheetRow(7, values, { 1: cell('b7', 'Completed') });
    rows[6] = `<row r="8">${cell('A8', '108')}<c r="${'Z'.repeat(40)}8"/><c t="inlineStr"><is><t>Completed</t></is></c></row>`;
    // Enough good rows that five bad ones are not too many to trust the file.
    const r = await report({ name: 'orders.xlsx', data: await sheetXlsx(body(rows, 100)) });
    expect(r.orders).toBe(95);
    expect(r.skipped.samples).toEqual([
      noCell('orders.xlsx', 3, 'ZZZZZZZ3'), noCell('orders.xlsx', 5, 'XFE5'), noCell('orders.xlsx', 6, 'B99999999'),
      noCell('orders.xlsx', 7, 'b7'), noCell('orders.xlsx', 8, `${'Z'.repeat(20)}…`),
    ]);
  });

  it('a row numbered beyond row 1048576 is skipped, named by where it stands', async () => {
    const rows = [sheetRow(2, ORDERS[0] ?? []), sheetRow(3, ORDERS[1] ?? [], {}, '99999999999')];
    const r = await report({ name: 'orders.xlsx', data: await sheetXlsx(body(rows)) });
    expect(r.orders).toBe(7);
    expect(r.skipped.samples).toEqual([noCell('orders.xlsx', 3, '99999999999')]);
  });

  it('an empty cell at an impossible reference holds nothing to lose: its row counts', async () => {
    const rows = [sheetRow(2, ORDERS[0] ?? []).replace('</row>', '<c r="ZZZZZZZ2"/></row>')];
    const r = await report({ name: 'orders.xlsx', data: await sheetXlsx(body(rows)) });
    expect(r.orders).toBe(8);
    expect(r.skipped.rows).toBe(0);
  });

  it('the last cell a sheet can have is read, in the header and in every row', async () => {
    // Order ID in column XFD: every row's id is the last cell a row can have.
    const header = `<row r="1">${HEAD.slice(1).map((h, c) => cell(`${String.fromCharCode(65 + c)}1`, h)).join('')}${cell('XFD1', 'Order ID')}</row>`;
    const rows = Array.from({ length: 2000 }, (_, i) => {
      const [id = '', ...rest] = order(i + 1);
      return sheetRow(i + 2, rest).replace('</row>', `${cell(`XFD${i + 2}`, id)}</row>`);
    });
    const last = `<row r="1048576">${cell('A1048576', 'Completed')}${cell('C1048576', '01/11/2026 10:00:00')}${cell('D1048576', '01/11/2026 10:01:00')}${cell('XFD1048576', '999999')}</row>`;
    const r = await report({ name: 'orders.xlsx', data: await sheetXlsx(header + rows.join('') + last) });
    expect(r.orders).toBe(2001);
    expect(r.cancelled).toBe(666);
    expect(r.skipped.rows).toBe(0);
  });
});
