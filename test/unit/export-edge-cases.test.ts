import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/core/ingest/errors.js';
import { renderReport, describeImportError } from '../../src/core/render/text.js';
import { importFile } from '../../src/use-cases/read-export.js';
import { translator } from '../../src/i18n.js';
import { importFailure, report } from '../support/report.js';

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
    const dir = mkdtempSync(join(tmpdir(), 'cw-us-'));
    try {
      writeFileSync(join(dir, 'f.csv'), data);
      const outcome = await importFile(join(dir, 'f.csv'), 'us.csv', 'America/Los_Angeles');
      expect(outcome).toMatchObject({ ok: true, summary: { firstDay: '2026-03-05', lastDay: '2026-03-05', assumedDayOrder: { order: 'mdy', files: ['us.csv'] } } });
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
