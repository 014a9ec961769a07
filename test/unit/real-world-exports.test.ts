import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/core/ingest/errors.js';
import type { WindowSpec } from '../../src/core/metrics/window.js';
import { describeImportError, renderReport } from '../../src/core/render/text.js';
import { importErrorOf, importFile } from '../../src/use-cases/read-export.js';
import { translator } from '../../src/i18n.js';
import { COLUMNS, delimited, EXPECTED, EXPECTED_REASONS, LANGUAGES, marketRows, type Column, type Language } from '../fixtures/real-world.js';
import { buildXlsx } from '../fixtures/xlsx.js';
import { exportCsv } from '../fixtures/generate.js';
import { importFailure, report, type FileInput } from '../support/report.js';
import { testDir } from '../support/temp-dirs.js';

const csv = (lang: Language = 'en', without: readonly Column[] = [], separator = ',') => delimited(marketRows(lang, without), separator);
const utf8 = (text: string) => `\ufeff${text}`;

/** The error a report throws, worded in English and in Chinese. */
async function refusal(files: FileInput | FileInput[], window?: WindowSpec): Promise<{ en: string; zh: string }> {
  try {
    await report(files, { window });
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    return { en: describeImportError(translator('en'), error, true), zh: describeImportError(translator('zh'), error, true) };
  }
  throw new Error('the file was not refused');
}

const reportLines = (r: Awaited<ReturnType<typeof report>>, locale: 'en' | 'zh') => renderReport(r, translator(locale), { html: false }).join('\n').split('\n');

describe('every market language reads to the same figures', () => {
  for (const lang of LANGUAGES) {
    it(lang, async () => {
      const r = await report({ name: `orders-${lang}.csv`, data: utf8(csv(lang)) });
      expect(r).toMatchObject(EXPECTED);
      expect(r.reasons?.map(({ category, cancelled, sellerFault }) => ({ category, cancelled, sellerFault }))).toEqual(EXPECTED_REASONS);
    });
  }

  it('a Spanish Cancel By is a seller, so the SFCR is not a false green', async () => {
    const r = await report({ name: 'mx.csv', data: csv('es') });
    expect(r.byInitiator?.seller).toBe(2);
    expect(r.sellerFault?.cancelled).toBe(2);
  });
});

describe('Excel re-saves: separators and charsets', () => {
  const cases: Array<[string, () => string | Uint8Array]> = [
    ['semicolons (European Excel)', () => csv('de', [], ';')],
    ['semicolons with Excel’s sep= line', () => `sep=;\r\n${csv('fr', [], ';')}`],
    ['tabs', () => csv('en', [], '\t')],
    ['pipes', () => csv('pt', [], '|')],
    ['"Unicode text": UTF-16 LE with BOM and tabs', () => Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(csv('th', [], '\t'), 'utf-16le')])],
    ['UTF-16 BE with BOM', () => Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(csv('vi', [], '\t'), 'utf-16be')])],
    ['UTF-16 LE without BOM', () => iconv.encode(csv('en', [], '\t'), 'utf-16le')],
    ['Shift_JIS (Japanese Excel)', () => iconv.encode(csv('ja'), 'shift_jis')],
    ['Windows-1252 with semicolons (Spanish Excel)', () => iconv.encode(csv('es', [], ';'), 'windows-1252')],
    ['Windows-1252 (French Excel)', () => iconv.encode(csv('fr', [], ';'), 'windows-1252')],
    ['GB18030 (Chinese Excel)', () => iconv.encode(csv('zh'), 'gb18030')],
    ['GB18030 holding Thai text', () => iconv.encode(csv('th'), 'gb18030')],
  ];
  for (const [name, data] of cases) {
    it(name, async () => {
      const r = await report({ name: 'orders.csv', data: data() });
      expect(r).toMatchObject(EXPECTED);
    });
  }

  it('Windows-1252 whose first 64 KB are plain ASCII: read again in the charset the later rows need', async () => {
    // 1,000 English copies of the orders under other ids, then the Spanish ones: UTF-8 holds until the accents.
    const filler = delimited(Array.from({ length: 1000 }, (_, k) => marketRows('en').slice(1).map((row) => [`9${k}${row[0]}`, ...row.slice(1)])).flat(), ';');
    const spanish = csv('es', [], ';');
    const cut = spanish.indexOf('\r\n') + 2;
    const text = spanish.slice(0, cut) + filler + spanish.slice(cut);
    expect(filler.length).toBeGreaterThan(64 * 1024);
    const r = await report({ name: 'orders.csv', data: iconv.encode(text, 'windows-1252') });
    expect(r).toEqual(await report({ name: 'orders.csv', data: text }));
    expect(r.reasons?.find((x) => x.category === 'late_fulfilment')?.examples).toContain('Envío tardío');
  });

  describe('a Windows-1252 file whose opening bytes read as well in GB18030', () => {
    const recipient = COLUMNS.indexOf('Recipient');
    /** English rows (buyer names in the Recipient column), 1,000 copies past the first 64 KB, the originals last with `José,`. */
    const file = (early: string) => {
      const [header = [], ...lines] = marketRows('en');
      const filler = Array.from({ length: 1000 }, (_, k) => lines.map((row) => [`9${k}${row[0]}`, ...row.slice(1)])).flat();
      const named = (row: string[], name: string) => row.map((c, i) => (i === recipient ? name : c));
      return delimited([header, ...filler.map((row, i) => (i === 0 ? named(row, early) : row)), ...lines.map((row) => named(row, 'José'))]);
    };

    it('a buyer name GB18030 splits with an ideograph (Andrés) decides for Windows-1252', async () => {
      const text = file('Andrés');
      const r = await report({ name: 'orders.csv', data: iconv.encode(text, 'windows-1252') });
      expect(r).toEqual(await report({ name: 'orders.csv', data: text }));
    });

    it('nothing decides (Éclair): the charsets that meet an unreadable byte later are given up for the next', async () => {
      const text = file('Éclair');
      const r = await report({ name: 'orders.csv', data: iconv.encode(text, 'windows-1252') });
      expect(r).toEqual(await report({ name: 'orders.csv', data: text }));
    });
  });

  it('UTF-8 cut off in its last character is refused, not read as GB18030', async () => {
    const bytes = Buffer.from(csv('zh'), 'utf8');
    const cut = Buffer.concat([bytes, Buffer.from('数', 'utf8').subarray(0, 2)]);
    const f = await importFailure({ name: 'cut.csv', data: cut });
    expect(f.code).toBe('encoding');
  });

  it('a NUL character in a cell past the opening bytes is refused as unreadable text, read whole or streamed, in every charset', async () => {
    // In the opening bytes it already makes the file binary (not a table); this one is in the last order's product name.
    const generated = exportCsv({ orders: 2_000, seed: 3 }).text;
    const last = generated.lastIndexOf('Ceramic mug');
    const text = `${generated.slice(0, last)}Ceramic\u0000mug${generated.slice(last + 'Ceramic mug'.length)}`;
    expect(text.indexOf('\u0000')).toBeGreaterThan(64 * 1024);
    for (const data of [Buffer.from(text, 'utf8'), iconv.encode(text, 'windows-1252'), Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')])]) {
      for (const optimistic of [false, true]) {
        const f = await importFailure({ name: 'nul.csv', data }, { handing: { optimistic } });
        expect(f.code).toBe('encoding');
        expect(f.text).toContain('nul.csv');
      }
    }
  });

  it('a Windows-1252 file that is plain ASCII but for its very last bytes is read in Windows-1252', async () => {
    const lines = marketRows('en');
    const rows = lines.map((row, i) => [...row, i === 0 ? 'Note' : i === lines.length - 1 ? 'José' : '']);
    const text = delimited(rows).replace(/\r\n$/, '');
    const r = await report({ name: 'orders.csv', data: iconv.encode(text, 'windows-1252') });
    expect(r).toEqual(await report({ name: 'orders.csv', data: text }));
  });
});

describe('XLSX date cells', () => {
  /** Excel's serial for a `DD/MM/YYYY HH:MM:SS` text, in the 1900 or 1904 date system. */
  const serial = (text: string, system: 1900 | 1904) => {
    const [d, m, y, hh, mm, ss] = text.split(/[/ :]/).map(Number);
    const days = (Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1, hh ?? 0, mm ?? 0, ss ?? 0) - Date.UTC(1899, 11, 30)) / 86_400_000;
    return String(system === 1904 ? days - 1462 : days);
  };
  for (const system of [1900, 1904] as const) {
    it(`numeric dates in the ${system} date system`, async () => {
      const rows = marketRows('en');
      const dates = [COLUMNS.indexOf('Created Time'), COLUMNS.indexOf('Paid Time')];
      const numeric = rows.map((row, i) => (i === 0 ? row : row.map((cell, c) => (dates.includes(c) && cell ? serial(cell, system) : cell))));
      const workbookPr = system === 1904 ? '<workbookPr date1904="1"/>' : '';
      const book = await buildXlsx(numeric, { parts: {
        'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">${workbookPr}<sheets><sheet name="OrderSKUList" sheetId="1" r:id="rId7"/></sheets></workbook>`,
      } });
      expect(numeric[1]?.[dates[0] ?? 0]).toMatch(/^\d{5}\.\d+$/);
      expect(await report({ name: 'orders.xlsx', data: book })).toMatchObject(EXPECTED);
    });
  }

  it('dates Excel rewrote in CSV: no seconds, 24-hour, year first with slashes, dotted', async () => {
    const styles: Array<(d: string, m: string, y: string, t: string) => string> = [
      (d, m, y, t) => `${d}/${m}/${y} ${t.slice(0, 5)}`,
      (d, m, y, t) => `${y}/${Number(m)}/${Number(d)} ${t.slice(0, 5)}`,
      (d, m, y, t) => `${d}.${m}.${y} ${t.slice(0, 5)}`,
    ];
    for (const style of styles) {
      const rows = marketRows('en').map((row, i) => (i === 0 ? row : row.map((cell) => cell.replace(/^(\d\d)\/(\d\d)\/(\d{4}) (.*)$/, (_, d: string, m: string, y: string, t: string) => style(d, m, y, t)))));
      expect(await report({ name: 'orders.csv', data: delimited(rows) })).toMatchObject(EXPECTED);
    }
  });
});

describe('exports without some columns', () => {
  it('no Cancel By and no Cancel Reason: the cancel rate, and why the rest is missing', async () => {
    const r = await report({ name: 'cut.csv', data: csv('en', ['Cancel By', 'Cancel Reason']) });
    expect(r).toMatchObject({
      orders: 9, cancelled: 5, cancelRate: 5 / 9, sellerFault: null, byInitiator: null, reasons: null, strategies: [],
      missing: ['Cancel By', 'Cancel Reason'], unrecognised: {},
    });
    expect(reportLines(r, 'en')).toContain('⚠️ This export has no Cancel By · Cancel Reason columns: seller-fault rate, who cancelled and reasons are not available; the cancel rate is.');
    expect(reportLines(r, 'zh')).toContain('⚠️ 此导出文件没有 Cancel By · Cancel Reason 列：无法计算卖家责任取消率、取消方和取消原因；取消率照常计算。');
  });

  it('no Paid Time: every order placed except unpaid ones', async () => {
    const r = await report({ name: 'cut.csv', data: csv('en', ['Paid Time']) });
    // 0007 (status unpaid) and 0008 (reason unpaid) stay out; the rest, COD or not, count.
    expect(r).toMatchObject({ ...EXPECTED, missing: ['Paid Time'] });
    expect(reportLines(r, 'en')).toContain('⚠️ No Paid Time column: every order counts as placed except unpaid ones.');
    expect(reportLines(r, 'zh')).toContain('⚠️ 没有 Paid Time（付款时间）列：除未付款订单外，所有订单都计为已下单。');
  });

  it('no Created Time: the paid time dates the order; orders without one are listed, not held against the file', async () => {
    const r = await report({ name: 'cut.csv', data: csv('en', ['Created Time']) });
    // 0005–0008 have no paid time: 0001–0004, 0009–0011 remain.
    expect(r).toMatchObject({
      orders: 7, cancelled: 4, sellerFault: { orders: 5, cancelled: 2, rate: 2 / 5 }, unpaidExpired: 0, missing: ['Created Time'],
      skipped: { rows: 4 },
    });
    expect(r.skipped.samples[0]?.reason).toBe('cut.csv line 7: no Paid Time, and the file has no Created Time, so the order has no date');
    expect(reportLines(r, 'zh')).toContain('⚠️ 没有 Created Time（创建时间）列：订单按付款时间归日，没有付款时间的订单未计入（列为跳过的行）。');
  });

  it('no Payment Method: orders without a paid time cannot be told COD, and the report says so', async () => {
    const r = await report({ name: 'cut.csv', data: csv('en', ['Payment Method']) });
    // 0005 and 0006 (COD without paid time) are now unpaid; 0006 was cancelled, so it is not expired either (its reason is not unpaid).
    expect(r).toMatchObject({ orders: 7, cancelled: 4, missing: ['Payment Method'] });
    expect(reportLines(r, 'en')).toContain('⚠️ No Payment Method column: orders without a paid time count as unpaid, although some may be cash on delivery.');
  });

  it('only Order ID and Cancelation/Return Type', async () => {
    const r = await report({ name: 'cut.csv', data: csv('en', COLUMNS.filter((c) => c !== 'Order ID' && c !== 'Cancelation/Return Type')) });
    // No times, no paid time, no status, no reason: all 11 orders placed (0007's unpaid status and 0008's unpaid
    // reason are gone); cancelled = every line a cancel line: 0002, 0003, 0004, 0006, 0008, 0010. 0008 expired unpaid,
    // and with neither Paid Time nor Cancel Reason nothing tells it from a cancellation: 6/11 would be a confident
    // wrong number, so there is no cancel rate.
    expect(r).toMatchObject({ window: { from: null, to: null }, orders: 11, cancelled: 6, cancelRate: null, sellerFault: null, unpaidExpired: 0 });
    expect(r.missing).toEqual(['Order Status', 'Created Time', 'Paid Time', 'Cancel By', 'Cancel Reason', 'Fulfillment Type', 'Order Amount']);
  });
});

describe('an export without any order time', () => {
  const data = () => csv('en', ['Created Time', 'Paid Time']);

  it('is reported as a whole file', async () => {
    const r = await report({ name: 'no-times.csv', data: data() });
    expect(r).toMatchObject({ ...EXPECTED, window: { from: null, to: null, timeZone: 'Asia/Shanghai' }, missing: ['Created Time', 'Paid Time'], previous: null });
    const en = reportLines(r, 'en');
    expect(en).toContain('Window: the whole file (it has no order times)');
    expect(en).toContain('⚠️ This export has no order times (no Created Time or Paid Time column): whole file only. Orders without a paid time count as placed unless unpaid.');
    expect(reportLines(r, 'zh')).toContain('时间范围：整个文件（文件中没有订单时间）');
  });

  it('is refused for a window, and by the bot, with the reason', async () => {
    expect(await refusal({ name: 'no-times.csv', data: data() }, { kind: 'last', days: 7 })).toEqual({
      en: 'no-times.csv has no order times (no Created Time or Paid Time column), so it can only be reported as a whole: leave out --window, --from and --to.',
      zh: 'no-times.csv 没有订单时间（没有 Created Time 或 Paid Time 列），只能统计整个文件：请去掉 --window、--from 和 --to。',
    });
    const dir = testDir('cancelwatch-times-');
    try {
      writeFileSync(join(dir, 'f.csv'), data());
      // The file reads well; it is refused when its orders are handed over to be stored, before any is.
      const opened = await importFile(join(dir, 'f.csv'), 'no-times.csv');
      const stored: unknown[] = [];
      const error: unknown = opened.ok ? await opened.drain((orders) => { stored.push(...orders); return Promise.resolve(); }).then(() => null, (e: unknown) => e) : importErrorOf(opened.refusal);
      if (!(error instanceof ImportError)) throw new Error('the bot accepted a file without times');
      expect(stored).toEqual([]);
      expect(describeImportError(translator('en'), error)).toBe(
        'no-times.csv has no order times (no Created Time or Paid Time column). The bot keeps orders by day, so it cannot use this file: export "All orders" again with its time columns.');
      expect(describeImportError(translator('zh'), error)).toBe(
        'no-times.csv 没有订单时间（没有 Created Time 或 Paid Time 列）。机器人按天保存订单，无法使用此文件：请重新导出带时间列的“全部订单”。');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('order ids Excel destroyed are refused, never counted', () => {
  const withIds = (ids: (id: string) => string, separator = ',') => delimited(marketRows('en').map((row, i) => (i === 0 ? row : [ids(row[0] ?? ''), ...row.slice(1)])), separator);

  it('scientific notation', async () => {
    expect(await refusal({ name: 'excel.csv', data: withIds(() => '5.76E+17') })).toEqual({
      en: 'excel.csv: Order ID on line 2 is "5.76E+17": Excel turned the order IDs into rounded numbers, so orders cannot be told apart and nothing was counted. Send the file exactly as Seller Center exported it, or open it in Excel with the Order ID column set to Text.',
      zh: 'excel.csv：第 2 行的 Order ID 是“5.76E+17”：Excel 把订单号变成了四舍五入的数字，订单无法区分，未统计任何数据。请发送卖家中心导出的原始文件，或在 Excel 中打开时把 Order ID 列设为“文本”。',
    });
  });

  it('scientific notation with a decimal comma (European Excel, semicolons)', async () => {
    const r = await refusal({ name: 'excel.csv', data: withIds(() => '5,76461E+17', ';') });
    expect(r.en).toMatch(/^excel\.csv: Order ID on line 2 is "5,76461E\+17": Excel turned/);
  });

  it('Excel’s other number formats, and an apostrophe added after the damage', async () => {
    const thousands = await refusal({ name: 'excel.csv', data: withIds((id) => id.replace(/\B(?=(\d{3})+$)/g, ',')) });
    expect(thousands.en).toMatch(/^excel\.csv: Order ID on line 2 is "576,461,413,038,780,001": Excel turned/);
    expect(thousands.zh).toMatch(/^excel\.csv：第 2 行的 Order ID 是“576,461,413,038,780,001”：Excel 把订单号/);
    const decimal = await refusal({ name: 'excel.csv', data: withIds((id) => `${id}.0`) });
    expect(decimal.en).toMatch(/^excel\.csv: Order ID on line 2 is "576461413038780001\.0": Excel turned/);
    const quoted = await refusal({ name: 'excel.csv', data: withIds(() => "'5.76E+17") });
    expect(quoted.en).toMatch(/^excel\.csv: Order ID on line 2 is "'5\.76E\+17": Excel turned/);
  });

  it('numbers in an XLSX sheet', async () => {
    const rows = marketRows('en').map((row, i) => (i === 0 ? row : ['5.76461413038785E+17', ...row.slice(1)]));
    const r = await refusal({ name: 'excel.xlsx', data: await buildXlsx(rows) });
    expect(r.en).toMatch(/^excel\.xlsx: Order ID on line 2 is "5\.76461413038785E\+17": Excel turned/);
  });

  it('ids rounded to 15 digits and written out in full', async () => {
    // Excel keeps 15 significant digits: 576461413038781234 becomes 576461413038781000.
    expect(await refusal({ name: 'rounded.csv', data: withIds((id) => `${id.slice(0, 14)}${id.slice(-1)}000`) })).toEqual({
      en: 'rounded.csv: the order IDs end in zeros (for example 576461413038781000): Excel rounded them to 15 digits, so orders cannot be told apart and nothing was counted. Send the file exactly as Seller Center exported it, or open it in Excel with the Order ID column set to Text.',
      zh: 'rounded.csv：订单号末尾都是 0（例如 576461413038781000）：Excel 把它们舍入到了 15 位，订单无法区分，未统计任何数据。请发送卖家中心导出的原始文件，或在 Excel 中打开时把 Order ID 列设为“文本”。',
    });
  });

  it('ids sellers kept as text with an apostrophe or ="…" are read', async () => {
    expect(await report({ name: 'kept.csv', data: withIds((id) => `'${id}`) })).toMatchObject(EXPECTED);
    expect(await report({ name: 'kept.csv', data: withIds((id) => `="${id}"`) })).toMatchObject(EXPECTED);
  });
});

describe('values nobody taught us', () => {
  it('are counted per column and shown with what they do to the figures', async () => {
    const rows = marketRows('en').map((row, i) => {
      if (i === 0) return row;
      const cells = [...row];
      const by = COLUMNS.indexOf('Cancel By');
      const status = COLUMNS.indexOf('Order Status');
      const fulfilment = COLUMNS.indexOf('Fulfillment Type');
      if (cells[by] === 'Seller') cells[by] = 'Verkoper';
      if (cells[status] === 'Completed') cells[status] = 'Afgerond';
      if (i === 1) cells[fulfilment] = 'Drop shipping';
      return cells;
    });
    const r = await report({ name: 'nl.csv', data: delimited(rows) });
    // Verkoper (0002, 0010): who cancelled is unknown, so 0002 is no longer seller fault.
    expect(r).toMatchObject({
      orders: 9, cancelled: 5, byInitiator: { buyer: 2, seller: 0, system: 1, platform: 0, unknown: 2 },
      sellerFault: { orders: 7, cancelled: 1 },
      unrecognised: { 'Order Status': { Afgerond: 2 }, 'Cancel By': { Verkoper: 2 }, 'Fulfillment Type': { 'Drop shipping': 1 } },
    });
    expect(reportLines(r, 'en')).toEqual(expect.arrayContaining([
      '⚠️ Unrecognised Order Status values: Afgerond ×2; cancelled or unpaid orders may be miscounted.',
      '⚠️ Unrecognised Cancel By values: Verkoper ×2; SFCR may be understated.',
      '⚠️ Unrecognised Fulfillment Type values: Drop shipping ×1; orders fulfilled by TikTok may be counted in SFCR.',
    ]));
    expect(reportLines(r, 'zh')).toContain('⚠️ 无法识别的 Cancel By 取值：Verkoper ×2；SFCR 可能偏低。');
  });

  it('an unknown payment method matters only for orders without a paid time', async () => {
    const rows = marketRows('en').map((row, i) => (i === 0 ? row : row.map((cell) => (cell === 'Cash on delivery' || cell === 'Credit card' ? 'Contra entrega' : cell))));
    const r = await report({ name: 'pay.csv', data: delimited(rows) });
    // 0005 and 0006 are no longer known to be COD: left out, and said so; 0007 and 0008 had no paid time either.
    expect(r).toMatchObject({ orders: 7, unrecognised: { 'Payment Method': { 'Contra entrega': 4 } } });
    expect(reportLines(r, 'en')).toContain('⚠️ Unrecognised Payment Method values: Contra entrega ×4; cash-on-delivery orders without a paid time may be left out.');
  });
});

describe('a field over the reader’s cap', () => {
  it('is reported as too large, not as an unclosed quote', async () => {
    const rows = marketRows('en');
    const big = rows.map((row, i) => (i === 3 ? row.map((c, k) => (k === COLUMNS.indexOf('Recipient') ? 'x,'.repeat(4 * 1024 * 1024) : c)) : row));
    expect(await refusal({ name: 'big.csv', data: delimited(big) })).toEqual({
      en: 'big.csv: a field on line 4 is longer than 1,048,576 characters, far more than any export column holds, so the file was not read. Export it again without editing it.',
      zh: 'big.csv：第 4 行有一个字段超过 1,048,576 个字符，远超任何导出列的内容，文件未读取。请重新导出，不要编辑文件。',
    });
  });
});

describe('re-saving a fixture with another separator or encoding never changes the report', () => {
  const ENCODINGS = ['utf-8', 'utf-8-bom', 'utf-16le-bom', 'utf-16be-bom', 'utf-16le', 'gb18030', 'shift_jis', 'windows-1252'] as const;
  const encode = (text: string, encoding: (typeof ENCODINGS)[number]): Uint8Array | null => {
    switch (encoding) {
      case 'utf-8': return Buffer.from(text, 'utf8');
      case 'utf-8-bom': return Buffer.from(`\ufeff${text}`, 'utf8');
      case 'utf-16le-bom': return Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]);
      case 'utf-16be-bom': return Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]);
      case 'utf-16le': return iconv.encode(text, 'utf-16le');
      default: {
        const bytes = iconv.encode(text, encoding);
        // A charset that cannot hold the market's script is not a re-save Excel could make.
        return iconv.decode(bytes, encoding) === text ? bytes : null;
      }
    }
  };
  const subsets: ReadonlyArray<readonly Column[]> = [[], ['Cancel By', 'Cancel Reason'], ['Paid Time'], ['Created Time', 'Paid Time'], ['Created Time']];

  it('for every market, column subset, separator, charset and line end', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...LANGUAGES), fc.constantFrom(...subsets), fc.constantFrom(',', ';', '\t', '|'), fc.constantFrom(...ENCODINGS), fc.boolean(),
      async (lang, without, separator, encoding, crlf) => {
        const rows = marketRows(lang, without);
        const bytes = encode(delimited(rows, separator, crlf ? '\r\n' : '\n'), encoding);
        fc.pre(bytes !== null);
        const baseline = await report({ name: 'orders.csv', data: delimited(rows) });
        expect(await report({ name: 'orders.csv', data: bytes ?? '' })).toEqual(baseline);
      },
    ), { numRuns: 120 });
  });

  it('a single-day file Excel rewrote US-style (month first, 24-hour, no seconds) reads as its ISO dates in an American zone, and says it assumed so', async () => {
    const two = (n: number) => String(n).padStart(2, '0');
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...LANGUAGES), fc.constantFrom(...subsets), fc.constantFrom(',', ';', '\t'), fc.constantFrom(...ENCODINGS),
      fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }),
      async (lang, without, separator, encoding, month, day) => {
        const rewrite = (style: (time: string) => string) => marketRows(lang, without)
          .map((row, i) => (i === 0 ? row : row.map((cell) => (/^\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d$/.test(cell) ? style(cell.slice(11)) : cell))));
        const us = rewrite((time) => `${month}/${day}/2026 ${time.slice(0, 5)}`);
        const iso = rewrite((time) => `2026-${two(month)}-${two(day)} ${time}`);
        const bytes = encode(delimited(us, separator), encoding);
        fc.pre(bytes !== null);
        const zone = { timeZone: 'America/New_York' };
        const baseline = await report({ name: 'orders.csv', data: delimited(iso) }, zone);
        const dated = !(without.includes('Created Time') && without.includes('Paid Time'));
        const expected = dated ? { ...baseline, assumedDayOrder: { order: 'mdy', files: ['orders.csv'] } } : baseline;
        expect(await report({ name: 'orders.csv', data: bytes ?? '' }, zone)).toEqual(expected);
      },
    ), { numRuns: 60 });
  });
});
