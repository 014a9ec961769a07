import { describe, expect, it } from 'vitest';
import { emptyTally, countOrder } from '../../src/core/metrics/tally.js';
import { tallyFromJson, tallyToJson } from '../../src/core/metrics/tally-json.js';
import type { Order } from '../../src/core/order.js';
import { reportLines } from '../../src/core/render/text.js';
import { translator } from '../../src/i18n.js';
import { codExport } from '../fixtures/cod-export.js';
import { report } from '../support/report.js';

describe('cash on delivery cancelled for a reason (issue 28)', () => {
  it('"Payment overdue" is read as unpaid: the two orders were never placed (17.6%, not 26.3%)', async () => {
    const r = await report({ name: 'OrderSKUList-ID.csv', data: codExport('Payment overdue') });
    expect(r).toMatchObject({ orders: 17, cancelled: 3, unpaidExpired: 2, uncertainCod: { orders: 0, reasons: {} }, unrecognised: {} });
    expect(r.cancelRate).toBeCloseTo(3 / 17, 10);
    expect(reportLines(r, translator('en'), { html: false })).toContain('Cancelled: 3 · cancel rate 17.65%');
  });

  it('a reason nobody knows leaves the COD orders out of both rates, counted and listed on their own line', async () => {
    const r = await report({ name: 'OrderSKUList-VN.csv', data: codExport('Auto-closed by platform') });
    expect(r).toMatchObject({
      orders: 17, cancelled: 3, unpaidExpired: 0,
      sellerFault: { orders: 17, cancelled: 1 },
      uncertainCod: { orders: 2, reasons: { 'Auto-closed by platform': 2 } },
      unrecognised: { reasons: { 'Auto-closed by platform': 2 } },
    });
    expect(r.cancelRate).toBeCloseTo(3 / 17, 10);
    const en = reportLines(r, translator('en'), { html: false });
    expect(en).toContain("2 COD orders cancelled for a reason the bot does not know: 'Auto-closed by platform' ×2; not counted");
    expect(en).toContain("❓ Reasons the bot does not know: 'Auto-closed by platform' ×2. Paid orders cancelled for them count under Other.");
    const zh = reportLines(r, translator('zh'), { html: false });
    expect(zh).toContain('2 个货到付款订单因机器人不认识的原因取消：“Auto-closed by platform” ×2；不计入任何比率');
    // HTML replies escape the seller's text.
    const html = reportLines({ ...r, uncertainCod: { orders: 1, reasons: { '<b>x</b>': 1 } } }, translator('en'), { html: true });
    expect(html.join('\n')).toContain("'&lt;b&gt;x&lt;/b&gt;' ×1");
  });

  it('a paid order cancelled for an unknown reason still counts, under Other, and its reason is listed', async () => {
    const data = codExport('Payment overdue').replace('Seller,Out of stock', 'Seller,Auto-closed by platform');
    const r = await report({ name: 'x.csv', data });
    expect(r).toMatchObject({ orders: 17, cancelled: 3, unpaidExpired: 2, uncertainCod: { orders: 0 }, unrecognised: { reasons: { 'Auto-closed by platform': 1 } } });
    expect(r.reasons?.find((x) => x.category === 'other')).toMatchObject({ cancelled: 1, examples: ['Auto-closed by platform'] });
  });

  it('a COD order cancelled with the buyer\'s own "Other" is placed: the buyer chose that reason', async () => {
    const r = await report({ name: 'x.csv', data: codExport('Other') });
    expect(r).toMatchObject({ orders: 19, cancelled: 5, uncertainCod: { orders: 0 }, unrecognised: {} });
  });
});

describe('the tally of uncertain COD orders', () => {
  const cod: Order = {
    id: '1', createdAt: '2026-12-01T10:00:00', paid: true, cod: true, cancelled: true, partiallyCancelled: false, initiator: 'system',
    reason: 'Auto-closed by platform', category: 'other', fulfilledByTikTok: false, sample: false, amountCents: 100, currency: 'VND', gaps: [], unrecognised: {},
  };

  it('survives the rollup text and adds up', () => {
    const t = emptyTally();
    countOrder(t, cod);
    countOrder(t, { ...cod, id: '2' });
    const back = tallyFromJson(tallyToJson(t));
    expect(back).toMatchObject({ orders: 0, cancelled: 0, unpaidExpired: 0, uncertainCod: 2 });
    expect([...back.uncertainCodReasons]).toEqual([['Auto-closed by platform', 2]]);
    expect([...(back.unrecognised.get('Cancel Reason') ?? [])]).toEqual([['Auto-closed by platform', 2]]);
  });

  it('reads a rollup written before the field existed as none', () => {
    const t = emptyTally();
    countOrder(t, { ...cod, reason: 'Out of stock', category: 'out_of_stock' });
    const old = JSON.parse(tallyToJson(t)) as Record<string, unknown>;
    delete old.uncertainCod;
    delete old.uncertainCodReasons;
    const back = tallyFromJson(JSON.stringify(old));
    expect(back).toMatchObject({ orders: 1, cancelled: 1, uncertainCod: 0 });
    expect(back.uncertainCodReasons).toEqual(new Map());
  });
});
