import type { ProductLine } from '../metrics/products.js';
import type { DailySummary, DayFigures } from '../metrics/summary.js';
import { productName } from './products.js';
import type { Category } from '../reasons/categories.js';
import { gapLines, sellerFaultUncertain, uncertainCodLines, unknownReasonLines } from './gaps.js';
import { syncLagLines, type ShopLag } from './sync-lag.js';
import { HTML_MARKUP, percent, type Markup } from './markup.js';
import { alertLevel, VOLUME_LIMIT_RATE } from './text.js';
import type { Translator } from './translator.js';

export interface SummaryContext {
  threshold: number;
  /** Newest order's creation (shop-local) and last upload (UTC ISO), for the freshness line. */
  newestOrder: string | null;
  lastUploadAt: string | null;
  /** True when no shop of the chat is linked through the API: data comes only from uploads. */
  uploadOnly: boolean;
  /** Now, for the age of the last upload. */
  now: number;
  /** The day's product with the most seller-fault cancels, named when the rate is above the line. */
  topProduct?: ProductLine | null;
  /** Linked shops whose sync did not finish in time (or stopped): each gets a line saying how fresh it is. */
  syncLag?: readonly ShopLag[];
}

const DAY_MS = 86_400_000;

/**
 * The morning summary as chat HTML: yesterday's figures with an alert where the seller-fault
 * rate passes the chat's line (and a stronger one at 10%), the change against the week before,
 * the top reasons each with its first strategy, a line per shop, and how fresh the data is.
 */
export function renderDailySummary(s: DailySummary, tr: Translator, ctx: SummaryContext, strategies: (category: Category) => string[]): string {
  const { title, body } = dailySummaryLines(s, tr, ctx, strategies, HTML_MARKUP);
  return [HTML_MARKUP.bold(HTML_MARKUP.escape(title)), ...body].join('\n');
}

/** The summary's title (plain text) and its lines marked up with `markup`: one text for Telegram and the group robots. */
export function dailySummaryLines(s: DailySummary, tr: Translator, ctx: SummaryContext, strategies: (category: Category) => string[], markup: Markup): { title: string; body: string[] } {
  const pct = (v: number | null) => percent(tr, v);
  const esc = markup.escape;
  const lines: string[] = [];
  const headline = (f: DayFigures) => tr.t('summary-figures', {
    orders: f.orders, cancelled: f.cancelled, rate: pct(f.cancelRate), sellerFaultRate: pct(f.sellerFaultRate),
  });
  if (s.total.orders === 0) lines.push(esc(tr.t('summary-no-orders')));
  else lines.push(esc(headline(s.total)));
  for (const shop of s.shops) lines.push(esc(tr.t('summary-shop', { shop: shop.name, figures: headline(shop.figures) })));

  const sf = s.total.sellerFaultRate;
  const alert = alertLevel(sf, ctx.threshold);
  if (alert === 'limit') lines.push(esc(tr.t('summary-alert-volume-limit', { rate: pct(sf), limit: pct(VOLUME_LIMIT_RATE) })));
  else if (alert === 'above') lines.push(esc(tr.t('summary-alert', { rate: pct(sf), threshold: pct(ctx.threshold) })));
  else if (sf !== null && sellerFaultUncertain(s)) lines.push(esc(tr.t('seller-fault-at-least', { rate: pct(sf), threshold: pct(ctx.threshold) })));
  const top = ctx.topProduct;
  if (sf !== null && sf > ctx.threshold && top && top.sellerFault.cancelled > 0) {
    lines.push(esc(tr.t('summary-product', {
      name: productName(top, tr), count: top.sellerFault.cancelled, total: s.total.sellerFaultCancelled,
      reason: tr.t(`category-${top.mainReason ?? 'other'}`),
    })));
  }

  if (s.baseline && s.total.orders > 0) {
    lines.push(esc(tr.t('summary-change', {
      rate: pct(s.total.cancelRate), baseline: pct(s.baseline.cancelRate), change: points(s.total.cancelRate, s.baseline.cancelRate),
      sellerFaultRate: pct(sf), sellerFaultBaseline: pct(s.baseline.sellerFaultRate), sellerFaultChange: points(sf, s.baseline.sellerFaultRate),
    })));
  }
  if (s.reasons.length > 0) {
    lines.push(esc(tr.t('summary-reasons-title')));
    for (const r of s.reasons) {
      lines.push(esc(tr.t('summary-reason', { category: tr.t(`category-${r.category}`), count: r.cancelled, share: pct(r.share) })));
      const first = strategies(r.category)[0];
      if (first) lines.push(esc(tr.t('summary-strategy', { text: first })));
    }
  }
  lines.push(...unknownReasonLines(tr, s).map(esc));
  lines.push(...uncertainCodLines(tr, s).map(esc));
  lines.push(...gapLines(tr, s).map(esc));
  lines.push(esc(tr.t('summary-provisional')));
  if (ctx.newestOrder) lines.push(esc(tr.t('summary-freshness', { newest: ctx.newestOrder.replace('T', ' ').slice(0, 16) })));
  lines.push(...syncLagLines(tr, ctx.syncLag ?? [], ctx.now).map(esc));
  if (ctx.uploadOnly && ctx.lastUploadAt) {
    const days = Math.floor((ctx.now - Date.parse(ctx.lastUploadAt)) / DAY_MS);
    if (days >= 1) lines.push(esc(tr.t('summary-upload-nudge', { days })));
  }
  return { title: tr.t('summary-title', { day: s.day }), body: lines };
}

/** Change between two rates in percentage points, signed, or empty without both. */
function points(now: number | null, before: number | null): string {
  if (now === null || before === null) return '—';
  const diff = (now - before) * 100;
  return `${diff >= 0 ? '+' : '−'}${Math.abs(diff).toFixed(2)}`;
}
