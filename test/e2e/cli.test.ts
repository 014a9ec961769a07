import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/core/reasons/categories.js';
import { codExport } from '../fixtures/cod-export.js';
import { exportCsv } from '../fixtures/generate.js';
import { HAND_CSV, HAND_EXPECTED } from '../fixtures/hand.js';
import { PRODUCTS_CSV, PRODUCTS_EXPECTED } from '../fixtures/hand-products.js';
import { delimited, marketRows } from '../fixtures/real-world.js';
import { buildXlsx } from '../fixtures/xlsx.js';
import { cli } from '../support/cli.js';
import { report } from '../support/report.js';
import { DEFAULT_MIN_PRODUCT_ORDERS } from '../../src/core/metrics/products.js';
import { DEFAULT_SPLIT } from '../../src/core/ingest/import.js';
import { testDir } from '../support/temp-dirs.js';

const CONTRACT_KEYS = ['window', 'orders', 'cancelled', 'cancelRate', 'sellerFault', 'partiallyCancelled', 'unpaidExpired', 'uncertainCod',
  'byInitiator', 'reasons', 'strategies', 'lostAmount', 'previous', 'skipped', 'missing', 'unrecognised'];

describe('cancelwatch report', () => {
  let dir: string;
  let hand: string;
  beforeAll(() => {
    dir = testDir('cancelwatch-cli-');
    hand = join(dir, 'OrderSKUList.csv');
    writeFileSync(hand, HAND_CSV);
  });

  it('prints exactly the JSON contract', async () => {
    const r = await cli(['report', hand, '--from', '2026-11-01', '--to', '2026-11-07', '--tz', 'Asia/Shanghai', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(CONTRACT_KEYS);
    const { strategyCategories: _s, skipped: _k, ...figures } = HAND_EXPECTED;
    expect(json).toMatchObject(figures);
    // The hand-made export has no Payment Method column: its two orders without a paid time might have been cash on delivery.
    expect(json).toMatchObject({ missing: ['Payment Method'], unrecognised: {} });
  });

  it('says in JSON which columns an export lacks and which values no table knows, with null for what it cannot support', async () => {
    const cut = join(dir, 'cut.csv');
    writeFileSync(cut, delimited(marketRows('es', ['Cancel Reason']).map((row) => row.map((c) => (c === 'Vendedor' ? 'Vendedora' : c === 'Comprador' ? 'Intermediario' : c)))));
    const r = await cli(['report', cut, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      window: { from: '2026-11-01', to: '2026-11-06' }, orders: 9, cancelled: 5, sellerFault: null, byInitiator: null, reasons: null,
      missing: ['Cancel Reason'], unrecognised: { 'Cancel By': { Intermediario: 2 } },
    });
  });

  it('refuses ids Excel destroyed with exit 1 and one line, never with figures', async () => {
    const excel = join(dir, 'excel.csv');
    writeFileSync(excel, delimited(marketRows('en').map((row, i) => (i === 0 ? row : ['5.76E+17', ...row.slice(1)]))));
    const r = await cli(['report', excel, '--lang', 'zh']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual(['excel.csv：第 2 行的 Order ID 是“5.76E+17”：Excel 把订单号变成了四舍五入的数字，订单无法区分，未统计任何数据。请发送卖家中心导出的原始文件，或在 Excel 中打开时把 Order ID 列设为“文本”。']);
  });

  it('--by product adds `products` to the JSON, with the hand-counted figures', async () => {
    const file = join(dir, 'products.csv');
    writeFileSync(file, PRODUCTS_CSV);
    const r = await cli(['report', file, '--window', '2026-11-01..2026-11-07', '--tz', 'Asia/Shanghai', '--by', 'product', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual([...CONTRACT_KEYS, 'products']);
    expect(json['products']).toEqual(PRODUCTS_EXPECTED);
    const plain = await cli(['report', file, '--window', '2026-11-01..2026-11-07', '--tz', 'Asia/Shanghai', '--json']);
    expect(Object.keys(JSON.parse(plain.stdout) as object)).toEqual(CONTRACT_KEYS);
  });

  it('--by product lists the products as text, long names cut, in both languages', async () => {
    const file = join(dir, 'products.csv');
    writeFileSync(file, PRODUCTS_CSV);
    const args = ['report', file, '--window', '2026-11-01..2026-11-07', '--tz', 'Asia/Shanghai', '--by', 'product'];
    const en = await cli([...args, '--lang', 'en']);
    expect(en.code).toBe(0);
    expect(en.stdout).toContain('Products by seller-fault cancellations');
    expect(en.stdout).toContain('1. Kaos Polos 👕 Cotton, "Premium" · Red, L');
    expect(en.stdout).toContain('seller fault 2 of 24 (8.33%) · cancelled 3 of 24 (12.50%) · mainly Out of stock');
    expect(en.stdout).toContain('seller fault 2 of 4 (no rate under 20 orders)');
    expect(en.stdout).toContain('partly cancelled in 1');
    expect(en.stdout).toContain('4. Đầm maxi hoa nhí dáng dài tay phồng cổ…');
    const zh = await cli([...args, '--lang', 'zh', '--min-orders', '2']);
    expect(zh.stdout).toContain('按卖家责任取消排序的商品');
    expect(zh.stdout).toContain('2. 无线蓝牙耳机 Pro 降噪版 · 白色');
    expect(zh.stdout).toContain('卖家责任 2/4（50.00%）');
  });

  it('accepts --window with the same meaning as --from/--to', async () => {
    const a = await cli(['report', hand, '--window', '2026-11-01..2026-11-07', '--tz', 'Asia/Shanghai', '--json']);
    const b = await cli(['report', hand, '--from', '2026-11-01', '--to', '2026-11-07', '--tz', 'Asia/Shanghai', '--json']);
    expect(a.stdout).toBe(b.stdout);
  });

  it('prints the text report in Chinese or English', async () => {
    const zh = await cli(['report', hand, '--lang', 'zh', '--window', '2026-11-01..2026-11-07']);
    expect(zh.code).toBe(0);
    expect(zh.stdout).toContain('取消率报告');
    expect(zh.stdout).toContain('卖家责任取消：3 / 9');
    const en = await cli(['report', hand, '--window', '2026-11-01..2026-11-07'], { LANG: 'en_US.UTF-8' });
    expect(en.stdout).toContain('Seller-fault cancellations: 3 of 9');
    const envZh = await cli(['report', hand], { LANG: 'zh_CN.UTF-8' });
    expect(envZh.stdout).toContain('取消率报告');
  });

  it('merges several files, CSV and XLSX', async () => {
    const a = exportCsv({ orders: 50, seed: 3 });
    const b = exportCsv({ orders: 50, seed: 4, firstId: 1000 });
    const rows = b.text.trimEnd().split('\n').map((l) => l.split(','));
    writeFileSync(join(dir, 'a.csv'), a.text);
    writeFileSync(join(dir, 'b.xlsx'), await buildXlsx(rows));
    const r = await cli(['report', join(dir, 'a.csv'), join(dir, 'b.xlsx'), '--json']);
    expect(r.code).toBe(0);
    const paid = [...a.truth, ...b.truth].filter((o) => o.paid).length;
    expect((JSON.parse(r.stdout) as { orders: number }).orders).toBe(paid);
  });

  it.each([
    [['report'], 'No order file given.'],
    [['rate', 'x.csv'], 'Unknown command "rate".'],
    [['report', 'x.csv', '--window', 'week'], '"week" is not a window. Use today, yesterday, 7d, 30d or YYYY-MM-DD..YYYY-MM-DD.'],
    [['report', 'x.csv', '--from', '2026-11-01'], '--from and --to go together, with --from not after --to, and not with --window.'],
    [['report', 'x.csv', '--from', '2026-11-31', '--to', '2026-12-01'], '--from "2026-11-31" is not a day (YYYY-MM-DD).'],
    [['report', 'x.csv', '--tz', 'Mars/Base'], '"Mars/Base" is not a time zone. Use an Area/City name such as Asia/Shanghai or America/Los_Angeles.'],
    [['report', 'x.csv', '--lang', 'fr'], '"fr" is not a language. Use zh or en.'],
    [['report', 'x.csv', '--by', 'shop'], '--by "shop" is not a breakdown. Use --by product.'],
    [['report', 'x.csv', '--by', 'product', '--min-orders', '0'], '--min-orders "0" is not a whole number of at least 1.'],
  ])('usage error %j exits 2 with one line', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${message}\n`);
  });

  it('an unknown option is a usage error', async () => {
    const r = await cli(['report', hand, '--colour']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('bad input exits 1 with a one-line reason', async () => {
    writeFileSync(join(dir, 'empty.csv'), '');
    expect(await cli(['report', join(dir, 'empty.csv')])).toEqual({ code: 1, stdout: '', stderr: 'empty.csv is empty.\n' });
    expect(await cli(['report', join(dir, 'nope.csv')])).toMatchObject({ code: 1, stderr: `${join(dir, 'nope.csv')}: no such file.\n` });
    const rows = ['Order ID,Order Status,Cancelation/Return Type,Created Time,Paid Time,Cancel By,Cancel Reason', ...Array.from({ length: 10 }, (_, i) => `${i + 1},Completed,,later,,,`)];
    writeFileSync(join(dir, 'bad.csv'), rows.join('\n'));
    const bad = await cli(['report', join(dir, 'bad.csv'), '--lang', 'zh']);
    expect(bad.code).toBe(1);
    expect(bad.stderr.split('\n')).toHaveLength(2);
    expect(bad.stderr).toContain('bad.csv：10 行中有 10 行无法读取');
  });

  /** The CLI run with a module hook: which modules it loaded, on any of its threads. */
  async function cliLoading(args: string[], name: string): Promise<{ r: Awaited<ReturnType<typeof cli>>; urls: string[] }> {
    const loaded = join(dir, name);
    const hooks = `import { appendFileSync } from 'node:fs'; export async function load(url, context, next) { appendFileSync(${JSON.stringify(loaded)}, url + '\\n'); return next(url, context); }`;
    // Modules required through createRequire pass no hook: they are read from the require cache at exit.
    const register = `import { register, createRequire } from 'node:module'; import { appendFileSync } from 'node:fs';
      register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});
      process.on('exit', () => appendFileSync(${JSON.stringify(loaded)}, Object.keys(createRequire(${JSON.stringify(loaded)}).cache).join('\\n')));`;
    const r = await cli(args, {}, ['--import', `data:text/javascript,${encodeURIComponent(register)}`]);
    return { r, urls: readFileSync(loaded, 'utf8').split('\n') };
  }

  it('a CSV report loads no module that only workbooks, other charsets, charts, logs or settings need', async () => {
    // Each such module once cost the report 30–140 ms of loading before a row was read.
    const { r, urls } = await cliLoading(['report', hand, '--from', '2026-11-01', '--to', '2026-11-07'], 'loaded-small.txt');
    expect(r.code).toBe(0);
    expect(urls.some((u) => u.endsWith('/core/ingest/import.js'))).toBe(true);
    for (const heavy of ['/zod/', '/pino/', '/iconv-lite/', '/saxes/', '/yauzl/', '/@resvg/', '/echarts/', '/xlsx.js', '/second-part-worker.js', '/robots/', '/net/', '/chart/']) {
      expect(urls.filter((u) => u.includes(heavy))).toEqual([]);
    }
  });

  it('--version prints the package version and --help the usage, loading neither the reader nor the robots', async () => {
    const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    const v = await cliLoading(['--version'], 'loaded-version.txt');
    expect(v.r).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    // Only the entry, its option table and the locale helpers: no messages, no reader.
    expect(v.urls.filter((u) => u.includes('/dist/src/')).map((u) => u.replace(/.*\/dist\/src\//, '')).sort())
      .toEqual(['cli/io.js', 'cli/main.js', 'core/reasons/categories.js', 'core/render/translator.js']);
    const h = await cliLoading(['--help'], 'loaded-help.txt');
    expect(h.r.code).toBe(0);
    expect(h.r.stdout).toContain('[--by product [--min-orders 20]] [--reasons mappings.csv]');
    expect(h.r.stdout).toContain('cancelwatch --version prints the version');
    for (const heavy of ['/core/ingest/', '/core/metrics/', '/robots/', '/use-cases/', '/files/']) expect(h.urls.filter((u) => u.includes(heavy))).toEqual([]);
  });

  it('reads a large export on two threads, with the figures of a one-thread read', async () => {
    const { text } = exportCsv({ orders: 170_000, seed: 11, multiLine: 0.4, shuffle: true, messyText: true });
    expect(text.length).toBeGreaterThan(DEFAULT_SPLIT.minBytes);
    const big = join(dir, 'big.csv');
    writeFileSync(big, text);
    const args = ['--from', '2026-10-01', '--to', '2026-10-31', '--tz', 'Asia/Shanghai', '--by', 'product', '--json'];
    const { r, urls } = await cliLoading(['report', big, ...args], 'loaded-big.txt');
    expect(r.code).toBe(0);
    expect(urls.filter((u) => u.endsWith('/files/second-part-worker.js'))).toHaveLength(1);
    const alone = await report({ name: 'big.csv', data: text }, { window: { kind: 'range', from: '2026-10-01', to: '2026-10-31' }, byProduct: { minOrders: DEFAULT_MIN_PRODUCT_ORDERS } });
    expect(alone.orders).toBeGreaterThan(1000);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(alone)));
  }, 120_000);

  it('prints help with --help, every line of it', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: cancelwatch report FILE…');
    // Lines opening with "[" once vanished from the usage (Fluent reads them as syntax).
    expect(r.stdout).toContain('[--from YYYY-MM-DD --to YYYY-MM-DD] [--tz Area/City] [--lang zh|en] [--json]');
  });
});

describe('cancelwatch report --reasons (issue 28)', () => {
  const UNKNOWN = 'Auto-closed by platform';
  let dir: string;
  let cod: string;
  beforeAll(() => {
    dir = testDir('cancelwatch-reasons-');
    cod = join(dir, 'OrderSKUList-VN.csv');
    writeFileSync(cod, codExport(UNKNOWN));
  });
  const mappings = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('maps the COD orders cancelled for an unknown reason to unpaid: out of both rates as never placed, no longer uncertain', async () => {
    const before = JSON.parse((await cli(['report', cod, '--json'])).stdout) as Record<string, unknown>;
    expect(before).toMatchObject({ orders: 17, cancelled: 3, unpaidExpired: 0, uncertainCod: { orders: 2, reasons: { [UNKNOWN]: 2 } }, unrecognised: { reasons: { [UNKNOWN]: 2 } } });
    // A header, a BOM, CRLF, case and punctuation as a spreadsheet may leave them; texts folded as the bot folds a taught one.
    const file = mappings('mappings.csv', '\uFEFFtext,category\r\n"auto closed by platform!",Unpaid\r\n"Sold out, sorry",out_of_stock\r\n\r\n');
    const r = await cli(['report', cod, '--reasons', file, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const after = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(after).toMatchObject({ orders: 17, cancelled: 3, unpaidExpired: 2, uncertainCod: { orders: 0, reasons: {} }, unrecognised: {}, sellerFault: { orders: 17, cancelled: 1 } });
    expect(after['cancelRate']).toBeCloseTo(3 / 17, 10);
    const text = await cli(['report', cod, '--reasons', file]);
    expect(text.stdout).toContain('Cancelled: 3 · cancel rate 17.65%');
    expect(text.stdout).not.toContain('COD orders cancelled for a reason the bot does not know');
  });

  it.each([
    ['bad-category.csv', 'en', 'text,category\nPayment overdue,unpaid\nAuto-closed by platform,unpayed\n',
      `bad-category.csv line 3: "unpayed" is not a reason category. Use one of: ${CATEGORIES.join(', ')}.`],
    ['bad-category.csv', 'zh', 'text,category\nPayment overdue,unpaid\nAuto-closed by platform,unpayed\n',
      `bad-category.csv：第 3 行的“unpayed”不是取消原因类别。可用：${CATEGORIES.join(', ')}。`],
    ['three-values.csv', 'en', 'Auto-closed, by platform,unpaid\n',
      'three-values.csv line 1: "Auto-closed, by platform,unpaid" is not a row of two values, the reason text and its category (quote a text that holds a comma).'],
    ['conflict.csv', 'en', 'Auto-closed by platform,unpaid\nAUTO-CLOSED BY PLATFORM,other\n',
      'conflict.csv line 2: "AUTO-CLOSED BY PLATFORM" is mapped to unpaid already, on line 1.'],
    ['unclosed.csv', 'en', 'Payment overdue,unpaid\n"Auto-closed by platform,unpaid\n', 'unclosed.csv line 2: a quote opened here is never closed.'],
  ])('refuses %s (%s) with exit 1 and one line naming the file, the line and the value, never with figures', async (name, lang, text, message) => {
    const r = await cli(['report', cod, '--reasons', mappings(name, text), '--lang', lang]);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `${message}\n` });
  });

  it('refuses a mappings file it cannot read', async () => {
    const missing = join(dir, 'nope.csv');
    expect(await cli(['report', cod, '--reasons', missing])).toEqual({ code: 1, stdout: '', stderr: `--reasons ${missing}: the file cannot be read.\n` });
  });
});

describe('progress on a terminal', () => {
  it('shows a redrawn percentage on stderr once reading takes a moment, and never with --json', async () => {
    const { main } = await import('../../src/cli/main.js');
    const dir = testDir('cancelwatch-progress-');
    const file = join(dir, 'big.csv');
    writeFileSync(file, exportCsv({ orders: 3000, seed: 5 }).text);
    const run = async (args: string[]) => {
      let clock = 0;
      const out = { stdout: '', stderr: '' };
      const code = await main(['report', file, ...args], {
        stdout: (t) => { out.stdout += t; }, stderr: (t) => { out.stderr += t; }, stderrIsTty: true,
        now: () => (clock += 250), env: { LANG: 'en_US.UTF-8' },
      });
      return { code, ...out };
    };
    const text = await run([]);
    expect(text.code).toBe(0);
    expect(text.stderr).toMatch(/^\rReading big\.csv: \d+%/);
    expect(text.stderr.endsWith('\r\x1b[K')).toBe(true);
    expect(text.stdout).toContain('Cancellation report');
    const json = await run(['--json']);
    expect(json.stderr).toBe('');

    // An order that comes back on the last line: the file is read again whole, and the percentage starts over.
    const lines = readFileSync(file, 'utf8').split('\n');
    const [moved] = lines.splice(2, 1);
    writeFileSync(file, [...lines.slice(0, -1), moved, ''].join('\n'));
    const again = await run([]);
    expect(again.code).toBe(0);
    const percents = [...again.stderr.matchAll(/(\d+)%/g)].map((m) => Number(m[1]));
    const top = percents.indexOf(Math.max(...percents));
    expect(Math.max(...percents)).toBeLessThanOrEqual(100);
    expect(Math.min(...percents.slice(top))).toBeLessThan(50);
  });
});
