import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Api } from 'grammy';
import { describe, expect, it } from 'vitest';
import { downloadFile } from '../../src/bot/download.js';
import { ImportError } from '../../src/core/ingest/errors.js';
import { bufferSource } from '../../src/core/ingest/source.js';
import { paymentKind } from '../../src/core/ingest/values.js';
import type { Order } from '../../src/core/order.js';
import { renderDailySummary } from '../../src/core/render/summary.js';
import { renderReport, describeImportError } from '../../src/core/render/text.js';
import { importFile } from '../../src/use-cases/read-export.js';
import { translator } from '../../src/i18n.js';
import { summaryOfOrders } from '../support/orders.js';
import { importFailure, NOW, ordersOf, report } from '../support/report.js';
import { testDir } from '../support/temp-dirs.js';

type R = Awaited<ReturnType<typeof report>>;
const lines = (r: R, locale: 'en' | 'zh') => renderReport(r, translator(locale), { html: false }).join('\n').split('\n');
const text = (rows: string[][]) => rows.map((r) => r.join(',')).join('\r\n') + '\r\n';

describe('a single-day US file whose dates read both ways', () => {
  // Excel's US re-save: month first, 24-hour clock, no seconds, no AM/PM. March 5th, 2026.
  const data = text([
    ['Order ID', 'Order Status', 'Order Amount', 'Created Time', 'Paid Time', 'Cancel By', 'Cancel Reason'],
    ['576461413038790001', 'Completed', '10.00', '3/5/2026 17:00', '3/5/2026 17:01', '', ''],
    ['576461413038790002', 'Cancelled', '12.00', '3/5/2026 18:00', '3/5/2026 18:01', 'Seller', 'Out of stock'],
  ]);

  it('is read month first in an American shop zone, and the report says so', async () => {
    const r = await report({ name: 'us.csv', data }, { timeZone: 'America/New_York' });
    expect(r).toMatchObject({ window: { from: '2026-03-05', to: '2026-03-05' }, orders: 2, cancelled: 1, assumedDayOrder: { order: 'mdy', files: ['us.csv'] } });
    expect(lines(r, 'en')).toContain('⚠️ us.csv: every date reads both ways (day and month both 12 or less), so they were read month first (M/D/YYYY) as the shop\'s time zone America/New_York writes them. If that is wrong, set the shop\'s time zone or send a file covering more days.');
    expect(lines(r, 'zh')).toContain('⚠️ us.csv：所有日期的日和月都不超过 12，两种读法都成立，已按店铺时区 America/New_York 的写法读作月在前（M/D/YYYY）。如有误，请设置店铺时区，或发送覆盖更多天的文件。');
  });

  it('is read day first in a South-East Asian zone, said just as plainly', async () => {
    const r = await report({ name: 'us.csv', data }, { timeZone: 'Asia/Jakarta' });
    expect(r).toMatchObject({ window: { from: '2026-05-03', to: '2026-05-03' }, assumedDayOrder: { order: 'dmy', files: ['us.csv'] } });
    expect(lines(r, 'en').some((l) => l.includes('read day first (D/M/YYYY)'))).toBe(true);
  });

  it('says nothing when the dates decide', async () => {
    const r = await report({ name: 'us.csv', data: data.replace(/3\/5\/2026 18/g, '3/15/2026 18') }, { timeZone: 'Asia/Jakarta' });
    expect(r.assumedDayOrder).toBeUndefined();
    expect(r.window).toMatchObject({ from: '2026-03-05', to: '2026-03-15' });
  });

  it('is refused when no zone decides, in both languages', async () => {
    const f = await importFailure({ name: 'us.csv', data });
    expect(f.code).toBe('ambiguous-dates');
    const error = new ImportError('ambiguous-dates', f.params);
    expect(describeImportError(translator('en'), error)).toBe('us.csv: every date reads both ways (day and month both 12 or less) and no shop time zone says which comes first, so nothing was counted. Set the time zone (for example --tz America/New_York) or send a file covering more days.');
    expect(describeImportError(translator('zh'), error)).toBe('us.csv：所有日期的日和月都不超过 12，两种读法都成立，又没有店铺时区说明哪个在前，未统计任何数据。请设置时区（例如 --tz America/New_York），或发送覆盖更多天的文件。');
  });

  it('an upload is read in the chat’s zone and the reply can say which order was assumed', async () => {
    const dir = testDir('cw-us-');
    try {
      writeFileSync(join(dir, 'f.csv'), data);
      const opened = await importFile(join(dir, 'f.csv'), 'us.csv', { timeZone: 'America/Los_Angeles' });
      expect(opened.ok).toBe(true);
      if (!opened.ok) return;
      const orders: Order[] = [];
      const summary = await opened.drain(async (batch) => { orders.push(...batch); });
      expect(orders.map((o) => [o.id, o.createdAt]).sort()).toEqual([['576461413038790001', '2026-03-05T17:00:00'], ['576461413038790002', '2026-03-05T18:00:00']]);
      expect(summary).toMatchObject({ firstDay: '2026-03-05', lastDay: '2026-03-05', assumedDayOrder: { order: 'mdy', files: ['us.csv'] } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cash on delivery without a status', () => {
  const head = ['Order ID', 'Cancelation/Return Type', 'Created Time', 'Paid Time', 'Payment Method', 'Cancel By', 'Cancel Reason'];
  // Four COD orders without a paid time (one cancelled by the buyer), one card order paid.
  const body = [
    ['576461413038791001', '', '13/11/2026 10:00:00', '', 'Cash on delivery', '', ''],
    ['576461413038791002', '', '13/11/2026 11:00:00', '', 'Cash on delivery', '', ''],
    ['576461413038791003', '', '13/11/2026 12:00:00', '', 'Cash on delivery', '', ''],
    ['576461413038791004', 'Cancel', '13/11/2026 13:00:00', '', 'Cash on delivery', 'Buyer', 'Changed my mind'],
    ['576461413038791005', '', '13/11/2026 14:00:00', '13/11/2026 14:01:00', 'Credit card', '', ''],
  ];

  it('counts in-progress COD orders as placed when there is no Order Status column: 1 of 5, not 1 of 2', async () => {
    const r = await report({ name: 'cod.csv', data: text([head, ...body]) });
    expect(r).toMatchObject({ orders: 5, cancelled: 1, cancelRate: 1 / 5 });
  });

  it('and when the Order Status cells are blank', async () => {
    const withStatus = [['Order Status', ...head], ...body.map((row) => ['', ...row])];
    const r = await report({ name: 'cod.csv', data: text(withStatus) });
    expect(r).toMatchObject({ orders: 5, cancelled: 1, cancelRate: 1 / 5 });
  });

  it('still leaves out COD orders cancelled for not being paid', async () => {
    const unpaid = body.map((row) => (row[0] === '576461413038791004' ? [...row.slice(0, 6), 'Payment timeout'] : row));
    const r = await report({ name: 'cod.csv', data: text([head, ...unpaid]) });
    expect(r).toMatchObject({ orders: 4, cancelled: 0, cancelRate: 0, unpaidExpired: 1 });
  });
});

describe('Payment Method where Seller Center writes it, past the buyer\'s address', () => {
  // Only a line without a paid time has its payment method read: the rest of such a line is cut when asked.
  const head = ['Order ID', 'Order Status', 'Cancelation/Return Type', 'Created Time', 'Paid Time', 'Cancel By', 'Cancel Reason', 'Fulfillment Type', 'Recipient', 'Detail Address', 'Payment Method', 'Seller Note'];
  const rows = [
    // COD in progress, a plain line.
    ['576461413038793001', 'Awaiting Shipment', '', '13/11/2026 10:00:00', '', '', '', 'Fulfillment by seller', 'Ana', 'Rua 1', 'Cash on delivery', ''],
    // COD in progress, a line with quotes (an address with a comma): cut whole.
    ['576461413038793002', 'Awaiting Shipment', '', '13/11/2026 11:00:00', '', '', '', 'Fulfillment by seller', 'Bo', '"Rua 2, casa"', 'COD', ''],
    // Paid: its payment method no table knows is never read, so never reported.
    ['576461413038793003', 'Completed', '', '13/11/2026 12:00:00', '13/11/2026 12:01:00', '', '', 'Fulfillment by seller', 'Cy', 'Rua 3', 'Foo Wallet', ''],
    // No paid time and a payment method no table knows: read, and reported.
    ['576461413038793004', 'Awaiting Shipment', '', '13/11/2026 13:00:00', '', '', '', 'Fulfillment by seller', 'Di', 'Rua 4', 'Bar Pay', ''],
    // A paid time that is no date ('-'): the payment method is read, and says COD.
    ['576461413038793005', 'Cancelled', 'Cancel', '13/11/2026 14:00:00', '-', 'Seller', 'Out of stock', 'Fulfillment by seller', 'Ed', 'Rua 5', 'Cash on delivery', ''],
    // Two lines: the first paid, the second with neither a paid time nor a note after the payment method.
    ['576461413038793006', 'Completed', '', '13/11/2026 15:00:00', '13/11/2026 15:01:00', '', '', 'Fulfillment by seller', 'Fa', 'Rua 6', 'Bar Pay', ''],
    ['576461413038793006', 'Completed', '', '13/11/2026 15:00:00', '', '', '', 'Fulfillment by seller', 'Fa', 'Rua 6', 'Bar Pay'],
  ];

  it('counts COD lines and reports unknown payment methods only where they bear on an order', async () => {
    const r = await report({ name: 'cod-wide.csv', data: text([head, ...rows]) });
    // 0004 (no paid time, not COD) stays out; 0001, 0002 and 0005 count as COD, 0003 and 0006 as paid.
    expect(r).toMatchObject({ orders: 5, cancelled: 1, sellerFault: { orders: 5, cancelled: 1 }, unrecognised: { 'Payment Method': { 'Bar Pay': 1 } } });
    expect(r.unrecognised['Paid Time']).toEqual({ '-': 1 });
  });
});

describe('no Paid Time and no Cancel Reason', () => {
  // Two completed, one cancelled by the buyer, two cancelled by the system (unpaid expiries, but nothing says so).
  const data = text([
    ['Order ID', 'Order Status', 'Created Time', 'Cancel By'],
    ['576461413038792001', 'Completed', '13/11/2026 10:00:00', ''],
    ['576461413038792002', 'Completed', '13/11/2026 11:00:00', ''],
    ['576461413038792003', 'Cancelled', '13/11/2026 12:00:00', 'Buyer'],
    ['576461413038792004', 'Cancelled', '13/11/2026 13:00:00', 'System'],
    ['576461413038792005', 'Cancelled', '13/11/2026 14:00:00', 'System'],
  ]);

  it('gives no cancel rate (not 60%), and says why in both languages', async () => {
    const r = await report({ name: 'cut.csv', data });
    expect(r).toMatchObject({ cancelRate: null, sellerFault: null, missing: ['Cancelation/Return Type', 'Paid Time', 'Cancel Reason', 'Fulfillment Type', 'Order Amount'] });
    const en = lines(r, 'en');
    expect(en).toContain('Cancelled: 3 · cancel rate no rate');
    expect(en).toContain('⚠️ This export has no Cancel Reason column: seller-fault rate, who cancelled and reasons are not available. With no Paid Time either, orders that expired unpaid cannot be told from cancellations, so there is no cancel rate.');
    expect(lines(r, 'zh')).toContain('⚠️ 此导出文件没有 Cancel Reason 列：无法计算卖家责任取消率、取消方和取消原因。由于也没有 Paid Time（付款时间），超时未付款的订单无法与取消订单区分，因此不计算取消率。');
  });

  it('with a Paid Time the rate is given', async () => {
    const withPaid = text([
      ['Order ID', 'Order Status', 'Created Time', 'Paid Time', 'Cancel By'],
      ['576461413038792001', 'Completed', '13/11/2026 10:00:00', '13/11/2026 10:01:00', ''],
      ['576461413038792003', 'Cancelled', '13/11/2026 12:00:00', '13/11/2026 12:01:00', 'Buyer'],
      ['576461413038792004', 'Cancelled', '13/11/2026 13:00:00', '', 'System'],
    ]);
    expect(await report({ name: 'cut.csv', data: withPaid })).toMatchObject({ orders: 2, cancelled: 1, cancelRate: 1 / 2 });
  });
});

describe('an SFCR read past values nobody taught us is a floor, never a green light', () => {
  const head = ['Order ID', 'Order Status', 'Created Time', 'Paid Time', 'Cancel By', 'Cancel Reason', 'Fulfillment Type'];
  const completed = Array.from({ length: 9 }, (_, i) => [`57646141303879300${i}`, 'Completed', '13/11/2026 10:00:00', '13/11/2026 10:01:00', '', '', 'Fulfillment by seller']);
  const cancelledBy = (who: string) => ['576461413038793099', 'Cancelled', '13/11/2026 12:00:00', '13/11/2026 12:01:00', who, 'Out of stock', 'Fulfillment by seller'];

  it('an unknown Cancel By: no ✅, "at least 0.00%", in both languages', async () => {
    const r = await report({ name: 'nl.csv', data: text([head, ...completed, cancelledBy('Verkoper')]) });
    expect(r).toMatchObject({ sellerFault: { orders: 10, cancelled: 0, rate: 0 }, unrecognised: { 'Cancel By': { Verkoper: 1 } } });
    const en = lines(r, 'en');
    expect(en.some((l) => l.includes('✅'))).toBe(false);
    expect(en).toContain('⚠️ SFCR is at least 0.00%: values above that the bot does not know may hide seller-fault cancellations, so it is not confirmed within the 2.50% line.');
    const zh = lines(r, 'zh');
    expect(zh.some((l) => l.includes('✅'))).toBe(false);
    expect(zh).toContain('⚠️ SFCR 至少为 0.00%：上面有机器人不认识的取值，可能隐藏了卖家责任取消，因此无法确认在 2.50% 警戒线以内。');
  });

  it('the daily summary says "at least" too, in both languages', async () => {
    const orders = await ordersOf([bufferSource('nl.csv', text([head, ...completed, cancelledBy('Verkoper')]))]);
    const summary = summaryOfOrders('2026-11-13', new Map([['shop', [...orders.values()]]]), NOW);
    const context = { threshold: 0.025, newestOrder: null, lastUploadAt: null, uploadOnly: false, now: NOW };
    expect(renderDailySummary(summary, translator('en'), context, () => []).split('\n')).toContain('⚠️ SFCR is at least 0.00%: values above that the bot does not know may hide seller-fault cancellations, so it is not confirmed within the 2.50% line.');
    expect(renderDailySummary(summary, translator('zh'), context, () => []).split('\n')).toContain('⚠️ SFCR 至少为 0.00%：上面有机器人不认识的取值，可能隐藏了卖家责任取消，因此无法确认在 2.50% 警戒线以内。');
  });

  it('an unknown status or fulfilment value does the same; known values keep the ✅', async () => {
    const status = text([head, ...completed, ['576461413038793098', 'Afgerond', '13/11/2026 12:00:00', '13/11/2026 12:01:00', '', '', 'Fulfillment by seller']]);
    expect(lines(await report({ name: 'nl.csv', data: status }), 'en').some((l) => l.startsWith('⚠️ SFCR is at least 0.00%'))).toBe(true);
    const fulfilment = text([head, ...completed.map((row, i) => (i === 0 ? [...row.slice(0, 6), 'Drop shipping'] : row))]);
    expect(lines(await report({ name: 'nl.csv', data: fulfilment }), 'en').some((l) => l.startsWith('⚠️ SFCR is at least 0.00%'))).toBe(true);
    const known = await report({ name: 'en.csv', data: text([head, ...completed, cancelledBy('Buyer')]) });
    expect(lines(known, 'en')).toContain('✅ Within the 2.50% line.');
  });
});

describe('amounts in currencies written with thousands dots', () => {
  const head = ['Order ID', 'Order Status', 'Order Amount', 'Created Time', 'Paid Time', 'Cancel By', 'Cancel Reason'];
  const row = (id: string, amount: string) => [id, 'Cancelled', amount, '13/11/2026 12:00:00', '13/11/2026 12:01:00', 'Buyer', 'Changed my mind'];

  it('Rp 150.000 is 150,000 rupiah, ₫150.000 is 150,000 dong, and an amount nobody can read is shown, not dropped', async () => {
    const r = await report({ name: 'id.csv', data: text([head, row('576461413038794001', 'Rp 150.000'), row('576461413038794002', 'Rp 1.234.567'), row('576461413038794003', '₫150.000'), row('576461413038794004', 'Rp 12.5.0')]) });
    expect(r.lostAmount).toEqual([{ currency: 'IDR', amount: 1384567 }, { currency: 'VND', amount: 150000 }]);
    expect(r.unrecognised).toEqual({ 'Order Amount': { 'Rp 12.5.0': 1 } });
    expect(lines(r, 'en')).toContain('⚠️ Unrecognised Order Amount values: Rp 12.5.0 ×1; these amounts are not in the amount lost.');
    expect(lines(r, 'zh')).toContain('⚠️ 无法识别的 Order Amount 取值：Rp 12.5.0 ×1；这些金额未计入损失金额。');
  });

  it('a file without Order Amount says the amount lost is not known', async () => {
    const r = await report({ name: 'cut.csv', data: text([head.filter((c) => c !== 'Order Amount'), row('576461413038794001', 'x').filter((c) => c !== 'x')]) });
    expect(r.missing).toContain('Order Amount');
    expect(r.lostAmount).toEqual([]);
    expect(lines(r, 'en')).toContain('⚠️ No Order Amount column: the amount lost to cancellations is not known.');
    expect(lines(r, 'zh')).toContain('⚠️ 没有 Order Amount（订单金额）列：无法得知取消损失的金额。');
  });
});

describe('a file without its required columns is told so in the reader’s language', () => {
  it('no English inside the Chinese message', async () => {
    const noStatus = await importFailure({ name: 'cut.csv', data: text([['Order ID', 'Created Time'], ['576461413038795001', '13/11/2026 10:00:00']]) });
    const noId = await importFailure({ name: 'cut.csv', data: text([['Order Status', 'Created Time'], ['Completed', '13/11/2026 10:00:00']]) });
    const zh = (f: typeof noStatus) => describeImportError(translator('zh'), new ImportError('missing-columns', f.params));
    expect(noStatus.text).toBe('cut.csv is missing the column Order Status (or Cancelation/Return Type).');
    expect(zh(noStatus)).toBe('cut.csv 缺少列：Order Status（或 Cancelation/Return Type）。');
    expect(noId.text).toBe('cut.csv is missing the column Order ID.');
    expect(zh(noId)).toBe('cut.csv 缺少列：Order ID。');
  });
});

describe('smaller things a real export does', () => {
  it('a Paid Time of "-" or "N/A" is no payment, and is shown', async () => {
    const r = await report({ name: 'dash.csv', data: text([
      ['Order ID', 'Order Status', 'Created Time', 'Paid Time', 'Cancel By', 'Cancel Reason'],
      ['576461413038796001', 'Completed', '13/11/2026 10:00:00', '13/11/2026 10:01:00', '', ''],
      ['576461413038796002', 'Cancelled', '13/11/2026 11:00:00', '-', 'System', 'Payment timeout'],
      ['576461413038796003', 'Cancelled', '13/11/2026 12:00:00', 'N/A', 'System', 'Payment timeout'],
    ]) });
    expect(r).toMatchObject({ orders: 1, cancelled: 0, cancelRate: 0, unpaidExpired: 2, unrecognised: { 'Paid Time': { '-': 1, 'N/A': 1 } } });
    expect(lines(r, 'en')).toContain('⚠️ Unrecognised Paid Time values: - ×1 · N/A ×1; these orders count as not paid (cash-on-delivery orders may still count).');
    expect(lines(r, 'zh')).toContain('⚠️ 无法识别的 Paid Time 取值：- ×1 · N/A ×1；这些订单按未付款处理（货到付款订单仍可能计入）。');
  });

  it('no SFCR, no footnote about it', async () => {
    const r = await report({ name: 'cut.csv', data: text([['Order ID', 'Order Status', 'Created Time', 'Paid Time'], ['576461413038798001', 'Completed', '13/11/2026 10:00:00', '13/11/2026 10:01:00']]) });
    expect(r.sellerFault).toBeNull();
    expect(lines(r, 'en').some((l) => l.startsWith('Seller-fault rate estimated'))).toBe(false);
    expect(lines(r, 'zh').some((l) => l.startsWith('卖家责任取消率按'))).toBe(false);
  });

  it('"Non-COD" is not cash on delivery', () => {
    expect(paymentKind('Non-COD')).not.toBe('cod');
    expect(paymentKind('non COD')).not.toBe('cod');
    expect(paymentKind('COD')).toBe('cod');
    expect(paymentKind('Thanh toán khi nhận hàng (COD)')).toBe('cod');
  });
});

describe('a download that fails', () => {
  it('leaves no part of the file (buyer data) on disk', async () => {
    const server = createServer((_req, res) => { res.writeHead(200); res.end(Buffer.alloc(64 * 1024, 65)); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const dir = testDir('cw-dl-');
    try {
      const { port } = server.address() as AddressInfo;
      const api = { getFile: async () => ({ file_id: 'f', file_unique_id: 'u', file_path: 'documents/orders.csv' }) } as unknown as Api;
      await expect(downloadFile(api, { apiRoot: `http://127.0.0.1:${port}`, token: 'T' }, 'f', dir, 1024)).rejects.toThrow();
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
