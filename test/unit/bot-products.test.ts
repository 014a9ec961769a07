import { Resvg } from '@resvg/resvg-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PRODUCT_FONTS, productBars, productChartLabels } from '../../src/chart/product-chart.js';
import { productLines } from '../../src/core/metrics/products.js';
import { translator } from '../../src/i18n.js';
import { PRODUCTS_CSV, PRODUCTS_EXPECTED } from '../fixtures/hand-products.js';
import { botHarness, texts, type Call } from '../support/bot-harness.js';
import { renderProducts } from '../support/charts.js';
import { TEST_DATABASES } from '../support/databases.js';

const GROUP = -100321;
const alice = { id: 1, language_code: 'en' };
const wang = { id: 2, language_code: 'zh-hans' };
const WINDOW = '2026-11-01..2026-11-07';

type Harness = Awaited<ReturnType<typeof botHarness>>;
const only = (calls: Call[]) => texts(calls).join('\n');
const photos = (calls: Call[]) => calls.filter((c) => c.method === 'sendPhoto');

/** An export of `count` products with long names in many scripts, each cancelled by the seller once in 3 orders. */
function crowdedExport(count: number): string {
  const names = ['無線藍牙耳機 降噪 長續航 運動 防水 '.repeat(12), 'เสื้อยืดผ้าฝ้าย คอกลม แขนสั้น ผู้หญิง '.repeat(9), `Áo thun nữ 😍🔥👗✨ ${'form rộng <b>&amp; "cute" '.repeat(14)}`, '🧴🧴🧴🧴🧴🧴🧴🧴🧴🧴🧴🧴🧴🧴🧴🧴🧴🧴🧴🧴'.repeat(8)];
  const header = 'Order ID,Order Status,Cancelation/Return Type,SKU ID,Seller SKU,Product Name,Variation,Quantity,Created Time,Paid Time,Cancel By,Cancel Reason';
  const rows: string[] = [];
  for (let p = 0; p < count; p++) {
    for (let i = 0; i < 3; i++) {
      const cancelled = i === 0;
      const name = `${names[p % names.length] ?? ''}#${p}`;
      rows.push([`${900000 + p * 10 + i}`, cancelled ? 'Cancelled' : 'Completed', cancelled ? 'Cancel' : '', `${1731000000000000000n + BigInt(p)}`, `SKU-${p}-${'X'.repeat(300)}`,
        `"${name.replace(/"/g, '""')}"`, `"${'Màu đỏ / 红色 / สีแดง 🟥 '.repeat(10)}"`, '1', `05/11/2026 1${i}:00:00`, `05/11/2026 1${i}:05:00`,
        cancelled ? 'Seller' : '', cancelled ? 'Out of stock' : ''].join(','));
    }
  }
  return `${[header, ...rows].join('\r\n')}\r\n`;
}

for (const database of TEST_DATABASES) {
  describe(`/products and /rate's top products on ${database.name}`, () => {
    let h: Harness;
    beforeEach(async () => {
      h = await botHarness({ databaseUrl: await database.fresh() });
      h.makeAdmin(GROUP, alice.id);
    });
    afterEach(() => h.close());

    it('in English: the hand-counted products as text and as a picture; /rate lists the top three', async () => {
      await h.text(GROUP, alice, '/start');
      await h.upload(GROUP, alice, 'OrderSKUList.csv', PRODUCTS_CSV, { caption: '/import' });
      const calls = await h.text(GROUP, alice, `/products ${WINDOW}`);
      const text = only(calls);
      expect(text).toContain('<b>Products by seller-fault cancellations</b>');
      expect(text).toContain('1. Kaos Polos 👕 Cotton, "Premium" · Red, L\n   seller fault 2 of 24 (8.33%) · cancelled 3 of 24 (12.50%) · mainly Out of stock');
      expect(text).toContain('2. 无线蓝牙耳机 Pro 降噪版 · 白色\n   seller fault 2 of 4 (no rate under 20 orders) · cancelled 2 of 4 (no rate under 20 orders) · mainly Late shipping or handover');
      expect(text).toContain('partly cancelled in 1');
      expect(photos(calls)).toHaveLength(1);
      expect(photos(calls)[0]?.payload['caption']).toBe('Top products by cancellations, 2026-11-01 – 2026-11-07');

      const rate = only(await h.text(GROUP, alice, `/rate ${WINDOW}`));
      expect(rate).toContain('<b>Top products by seller-fault cancellations</b>\n• Kaos Polos 👕 Cotton, "Premium" · Red, L: 2 of 24 cancelled for seller fault, mainly Out of stock\n• 无线蓝牙耳机 Pro 降噪版 · 白色: 2 of 4 cancelled for seller fault, mainly Late shipping or handover');
      // Only products with seller-fault cancels: the tee and the dress have none.
      expect(rate).not.toContain('เสื้อยืด');
      expect(rate).toContain('RED-L: 2 of 2 seller-fault cancels were out of stock. Set it sold out or raise its safety stock.');
    });

    it('in Chinese, for one shop, and with a window that has no product lines', async () => {
      await h.text(GROUP, wang, '/start');
      await h.upload(GROUP, alice, 'OrderSKUList.csv', PRODUCTS_CSV, { caption: '/import 印尼店' });
      const text = only(await h.text(GROUP, wang, `/products ${WINDOW} 印尼店`));
      expect(text).toContain('<b>按卖家责任取消排序的商品</b>');
      expect(text).toContain('1. Kaos Polos 👕 Cotton, "Premium" · Red, L\n   卖家责任 2/24（8.33%）· 取消 3/24（12.50%） · 主要原因：缺货');
      expect(text).toContain('卖家责任 2/4（不足 20 单不计比率）');
      const rate = only(await h.text(GROUP, wang, `/rate ${WINDOW}`));
      expect(rate).toContain('<b>卖家责任取消最多的商品</b>\n• Kaos Polos 👕 Cotton, "Premium" · Red, L：24 单中 2 单因卖家责任取消，主要原因：缺货');
      const empty = await h.text(GROUP, wang, '/products 2026-10-01..2026-10-07');
      expect(only(empty)).toContain('此期间没有带商品明细的已付款订单。');
      expect(photos(empty)).toHaveLength(0);
      expect(only(await h.text(GROUP, wang, '/products 7d 没有的店'))).toContain('没有的店”既不是时间范围');
    });

    it('orders without product columns: /products says what the export lacks', async () => {
      await h.text(GROUP, alice, '/start');
      const trimmed = PRODUCTS_CSV.replace('SKU ID,Seller SKU,Product Name,Variation', 'A,B,C,D');
      await h.upload(GROUP, alice, 'trimmed.csv', trimmed, { caption: '/import' });
      const calls = await h.text(GROUP, alice, `/products ${WINDOW}`);
      expect(only(calls)).toContain('These orders carry no product lines');
      expect(photos(calls)).toHaveLength(0);
      expect(only(await h.text(GROUP, alice, `/rate ${WINDOW}`))).not.toContain('Top products');
    });

    it('names of any script, emoji and 300+ characters keep every message and caption within Telegram’s limits', async () => {
      await h.text(GROUP, alice, '/start');
      await h.upload(GROUP, alice, 'crowded.csv', crowdedExport(40), { caption: '/import' });
      const calls = await h.text(GROUP, alice, `/products ${WINDOW}`);
      const messages = texts(calls);
      expect(messages.length).toBeGreaterThanOrEqual(1);
      for (const m of messages) expect(m.length).toBeLessThanOrEqual(4096);
      const all = messages.join('\n');
      expect(all).toContain('15. ');
      expect(all).not.toContain('16. ');
      expect(all).toContain('…and 25 more products');
      // Catalogue text is escaped: a name's <b> never becomes markup.
      expect(all).toContain('&lt;b&gt;');
      expect(all).not.toMatch(/X{40}/);
      for (const p of photos(calls)) expect(String(p.payload['caption']).length).toBeLessThanOrEqual(1024);
      for (const m of texts(await h.text(GROUP, alice, `/rate ${WINDOW}`))) expect(m.length).toBeLessThanOrEqual(4096);
    });
  });
}

describe('the product picture', () => {
  const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });
  /** Dark pixels a text leaves when drawn with these fonts only: zero means no font had its glyphs. */
  const ink = (text: string, fonts: string[]) => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="60"><text x="10" y="40" font-size="28" font-family="Noto Sans Hans">${text}</text></svg>`;
    const { pixels } = new Resvg(svg, { background: '#ffffff', font: { fontFiles: fonts, loadSystemFonts: false, defaultFontFamily: 'Noto Sans Hans' } }).render();
    let dark = 0;
    for (let i = 0; i < pixels.length; i += 4) if ((pixels[i] ?? 255) < 128) dark++;
    return dark;
  };

  it('has glyphs for Chinese, Thai and emoji names (Thai and emoji come from their own fonts)', () => {
    for (const text of ['无线蓝牙耳机', 'เสื้อยืดผ้าฝ้าย', '👕🌸🧴', 'Đầm maxi']) expect(ink(text, PRODUCT_FONTS)).toBeGreaterThan(100);
    // The CJK font alone draws them as its missing-glyph boxes: the other fonts draw something else.
    const [cjkOnly = ''] = PRODUCT_FONTS;
    expect(ink('เสื้อยืดผ้าฝ้าย', PRODUCT_FONTS)).not.toBe(ink('เสื้อยืดผ้าฝ้าย', [cjkOnly]));
    expect(ink('👕🌸🧴', PRODUCT_FONTS)).not.toBe(ink('👕🌸🧴', [cjkOnly]));
    expect(ink('\uE000\uE000\uE000', [cjkOnly])).toBe(ink('👕🌸🧴', [cjkOnly]));
  });

  it('keeps its width whatever the names, and grows one row per product up to fifteen', async () => {
    const tr = translator('en');
    const few = await renderProducts({ bars: productBars(PRODUCTS_EXPECTED, tr), labels: productChartLabels(tr) });
    const long = PRODUCTS_EXPECTED.map((p) => ({ ...p, product: `${p.product ?? ''} ${'ยาวมาก 很长 🌸 '.repeat(40)}` }));
    const longer = await renderProducts({ bars: productBars(long, tr), labels: productChartLabels(tr) });
    expect(pngSize(few)).toEqual(pngSize(longer));
    const many = Array.from({ length: 30 }, (_, i) => ({ ...PRODUCTS_EXPECTED[0]!, key: `k${i}` }));
    const fifteen = await renderProducts({ bars: productBars(many, translator('zh')), labels: productChartLabels(translator('zh')) });
    expect(pngSize(fifteen).width).toBe(pngSize(few).width);
    expect(pngSize(fifteen).height - pngSize(few).height).toBe(11 * 34);
    expect(productLines([]).length).toBe(0);
  });
});
