import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IMPORT_ERROR_CODES, SKIP_CODES } from '../../src/core/ingest/errors.js';
import { CATEGORIES, INITIATORS } from '../../src/core/reasons/categories.js';
import { strategyItems } from '../../src/core/render/strategies.js';
import { splitMessages } from '../../src/core/render/markup.js';
import { renderReport } from '../../src/core/render/text.js';
import { LOCALES } from '../../src/core/render/translator.js';
import { localesDir, translator } from '../../src/i18n.js';
import { HAND_CSV } from '../fixtures/hand.js';
import { report } from '../support/report.js';

const keysOf = (locale: string) =>
  readFileSync(join(localesDir(), `${locale}.ftl`), 'utf8').split('\n').map((l) => /^([a-zA-Z][\w-]*)\s*=/.exec(l)?.[1]).filter(Boolean).sort();

describe('locales', () => {
  it('English and Chinese have the same keys', () => {
    expect(keysOf('zh')).toEqual(keysOf('en'));
  });

  it('have every message the code asks for', () => {
    const needed = [
      ...CATEGORIES.map((c) => `category-${c}`), ...INITIATORS.map((i) => `initiator-${i}`),
      ...IMPORT_ERROR_CODES.map((c) => `import-error-${c}`), ...SKIP_CODES.map((c) => `skipped-${c}`),
    ];
    for (const locale of LOCALES) for (const key of needed) expect([locale, translator(locale).has(key)]).toEqual([locale, true]);
  });

  it('give every category two to four strategies in every language', () => {
    for (const locale of LOCALES) {
      for (const c of CATEGORIES) {
        const n = strategyItems(translator(locale), c).length;
        expect([locale, c, n >= 2 && n <= 4]).toEqual([locale, c, true]);
      }
    }
  });
});

describe('text report', () => {
  const handReport = () => report({ name: 'orders.csv', data: HAND_CSV }, { window: { kind: 'range', from: '2026-11-01', to: '2026-11-07' } });

  it('reads in English', async () => {
    const text = renderReport(await handReport(), translator('en'), { html: false }).join('\n');
    expect(text).toContain('Paid orders: 10');
    expect(text).toContain('Cancelled: 8 · cancel rate 80.00%');
    expect(text).toContain('Seller-fault cancellations: 3 of 9 · SFCR 33.33% (target ≤ 2.50%)');
    expect(text).toContain('Cancelled by: buyer 2 · seller 4 · system 1 · TikTok 1');
    expect(text).toContain('• Out of stock: 2 (25.00%), seller-fault 1');
    expect(text).toContain('as written: Gift for cousin');
    expect(text).toContain('1 unpaid order expired (not counted)');
    expect(text).toContain('Lost to cancellations: 105.50 USD');
    expect(text).toContain('orders.csv line 18: Created Time "not a date" is not a date');
    expect(text).not.toMatch(/\{\s*\$|report-|category-|strategy-/);
  });

  it('reads in Chinese', async () => {
    const r = await report({ name: 'orders.csv', data: HAND_CSV }, { window: { kind: 'range', from: '2026-11-01', to: '2026-11-07' }, locale: 'zh' });
    const text = renderReport(r, translator('zh'), { html: false }).join('\n');
    expect(text).toContain('已付款订单：10');
    expect(text).toContain('卖家责任取消：3 / 9 · SFCR 33.33%（目标 ≤ 2.50%）');
    expect(text).toContain('• 缺货：2（25.00%），卖家责任 1');
    expect(text).toContain('改进建议');
    expect(r.strategies[0]?.items[0]).toMatch(/库存/);
    expect(text).not.toMatch(/\{\s*\$|report-|category-|strategy-/);
  });

  it('escapes data in HTML and keeps each message within Telegram’s limit', async () => {
    const r = await handReport();
    const other = r.reasons?.find((x) => x.category === 'other');
    if (other) other.examples = ['<script>alert("x")</script> & co'];
    const messages = renderReport(r, translator('en'), { html: true, maxLength: 300 });
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(m.length).toBeLessThanOrEqual(300);
    const html = messages.join('\n');
    expect(html).toContain('&lt;script&gt;alert("x")&lt;/script&gt; &amp; co');
    expect(html).not.toContain('<script>');
    expect(html).toContain('<b>Cancellation report</b>');
  });

  it('says so when there are no paid orders, instead of 0%', async () => {
    const r = await report({ name: 'orders.csv', data: HAND_CSV }, { window: { kind: 'range', from: '2026-12-01', to: '2026-12-02' } });
    const text = renderReport(r, translator('en'), { html: false }).join('\n');
    expect(text).toContain('No paid orders in this window.');
    expect(text).not.toContain('0.00%');
  });

  it('splits between lines only', () => {
    expect(splitMessages(['aaaa', 'bbbb', 'cc'], 9)).toEqual(['aaaa\nbbbb', 'cc']);
  });
});
