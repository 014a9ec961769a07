import { describe, expect, it } from 'vitest';
import { exportCsv } from '../fixtures/generate.js';
import { buildXlsx, zip } from '../fixtures/xlsx.js';
import { importFailure, report } from '../support/report.js';

const HEAD = 'Order ID,Order Status,Cancelation/Return Type,Created Time,Paid Time,Cancel By,Cancel Reason';
const row = (id: number, created = '01/11/2026 10:00:00') => `${id},Completed,,${created},01/11/2026 10:01:00,,`;

describe('bad input gets its own clear message, and nothing is imported', () => {
  it('an empty file', async () => {
    const f = await importFailure({ name: 'empty.csv', data: '' });
    expect(f.text).toBe('empty.csv is empty.');
  });

  it('a file of blank lines only', async () => {
    const f = await importFailure({ name: 'blank.csv', data: '\n\r\n\n' });
    expect(f.code).toBe('empty');
  });

  it('a header with no orders', async () => {
    const f = await importFailure({ name: 'head.csv', data: `${HEAD}\n` });
    expect(f.text).toBe('head.csv has a header but no orders.');
  });

  it('a picture or a PDF', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect((await importFailure({ name: 'shot.png', data: png })).text).toBe('shot.png is not a CSV or XLSX order export. Export "All orders" from Seller Center as CSV or XLSX.');
    expect((await importFailure({ name: 'a.pdf', data: '%PDF-1.7\n' })).code).toBe('not-a-table');
  });

  it('an old .xls workbook', async () => {
    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    expect((await importFailure({ name: 'orders.xls', data: xls })).text).toBe('orders.xls is an old Excel .xls file. Save it as .xlsx or .csv and send it again.');
  });

  it('a truncated XLSX (an upload cut off)', async () => {
    const full = await buildXlsx([HEAD.split(','), row(1).split(',')]);
    const f = await importFailure({ name: 'orders.xlsx', data: full.subarray(0, Math.floor(full.length * 0.6)) });
    expect(f.text).toBe('orders.xlsx is damaged or incomplete (the upload may have been cut off). Export it again.');
  });

  it('a zip that is not a workbook', async () => {
    const f = await importFailure({ name: 'photos.zip', data: await zip({ 'a.txt': 'hello' }) });
    expect(f.code).toBe('not-a-table');
  });

  it('an XLSX that inflates beyond the cap (decompression bomb)', async () => {
    const sheet = `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${'<row/>'.repeat(400_000)}</sheetData></worksheet>`;
    const bomb = await buildXlsx([], { parts: { 'xl/worksheets/sheet1.xml': sheet } });
    expect(bomb.length).toBeLessThan(100_000);
    const f = await importFailure({ name: 'bomb.xlsx', data: bomb }, { reading: { xlsx: { maxInflatedBytes: 1024 * 1024 } } });
    expect(f.text).toBe('bomb.xlsx expands to more than 1 MB when unpacked, so it was not read. Export a shorter period.');
  });

  it.each([
    ['Shopee', 'Order ID,Order Status,Return / Refund Status,Tracking Number*,Order Creation Date,Username (Buyer)'],
    ['Shopify', 'Name,Email,Financial Status,Fulfillment Status,Lineitem name,Lineitem quantity'],
    ['Amazon', 'amazon-order-id,merchant-order-id,purchase-date,order-status,sales-channel'],
    ['Lazada', 'orderItemId,orderNumber,createTime,sellerSku,lazadaSku,status'],
  ])('a %s export is named as such', async (platform, header) => {
    const f = await importFailure({ name: 'orders.csv', data: `${header}\n1,2,3,4,5,6\n` });
    expect(f.text).toBe(`orders.csv looks like a ${platform} export. Supported: TikTok Shop.`);
  });

  it('missing required columns are named (only an Order ID and a status are required)', async () => {
    const f = await importFailure({ name: 'cut.csv', data: 'Order Status,Created Time\nCompleted,01/11/2026 10:00:00\n' });
    expect(f.text).toBe('cut.csv is missing the column Order ID.');
    const one = await importFailure({ name: 'cut.csv', data: 'Order ID,Created Time,Paid Time,Cancel By\n1,01/11/2026 10:00:00,,\n' });
    expect(one.text).toBe('cut.csv is missing the column Order Status (or Cancelation/Return Type).');
  });

  it('a table that is not an order export at all', async () => {
    const f = await importFailure({ name: 'notes.csv', data: 'a,b,c\n1,2,3\n' });
    expect(f.text).toContain('notes.csv has no TikTok Shop header row');
  });

  it('a few bad rows are skipped and counted with their lines', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => row(i + 1));
    rows[9] = ',Completed,,01/11/2026 10:00:00,01/11/2026 10:01:00,,';
    rows[19] = row(20, '31/31/2026 10:00:00');
    const r = await report({ name: 'orders.csv', data: [HEAD, ...rows].join('\n') });
    expect(r.orders).toBe(58);
    expect(r.skipped).toEqual({
      rows: 2,
      samples: [
        { line: 11, reason: 'orders.csv line 11: no Order ID' },
        { line: 21, reason: 'orders.csv line 21: Created Time "31/31/2026 10:00:00" is not a date' },
      ],
    });
  });

  it('too many bad rows fail the whole file, listing the first problems', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => row(i + 1, i % 3 === 0 ? 'soon' : '01/11/2026 10:00:00'));
    const f = await importFailure({ name: 'orders.csv', data: [HEAD, ...rows].join('\n') });
    expect(f.text.split('\n')).toEqual([
      'orders.csv: 7 of 20 rows could not be read, too many to trust the figures. Nothing was imported. First problems:',
      '  orders.csv line 2: Created Time "soon" is not a date',
      '  orders.csv line 5: Created Time "soon" is not a date',
      '  orders.csv line 8: Created Time "soon" is not a date',
    ]);
  });

  it('a file mixing day-first and month-first dates', async () => {
    const f = await importFailure({ name: 'orders.csv', data: [HEAD, row(1, '25/10/2026 10:00:00'), row(2, '10/25/2026 10:00:00')].join('\n') });
    expect(f.text).toBe('orders.csv mixes day-first and month-first dates (lines 2 and 3). Export the file again without editing it.');
  });

  it('a quote that is never closed', async () => {
    const huge = `${HEAD}\n1,"Completed,,01/11/2026 10:00:00\n${'x'.repeat(2 * 1024 * 1024)}`;
    const f = await importFailure({ name: 'orders.csv', data: huge });
    expect(f.text).toContain('a quote opened on line 2 is never closed');
  });

  it('a failed file among several fails the whole import', async () => {
    const good = exportCsv({ orders: 5 }).text;
    const f = await importFailure([{ name: 'good.csv', data: good }, { name: 'bad.csv', data: '' }]);
    expect(f.text).toBe('bad.csv is empty.');
  });

  it('the description row of a real export is not counted as a bad row', async () => {
    const r = await report({ name: 'orders.csv', data: exportCsv({ orders: 5, descriptionRow: true }).text });
    expect(r.skipped.rows).toBe(0);
  });
});
