import type { Report } from '../metrics/report.js';
import type { DailySummary } from '../metrics/summary.js';
import type { Category } from '../reasons/categories.js';
import { MARKDOWN_MARKUP, percent } from './markup.js';
import { productListLines, type ProductsView } from './products.js';
import { dailySummaryLines, type SummaryContext } from './summary.js';
import { alertLevel, reportLines, type AlertLevel } from './text.js';
import type { Translator } from './translator.js';

/**
 * What a group robot's message says, before a service gives it its shape (src/robots/formats.ts):
 * a title, an alert state, key figures and markdown lines, built from the same summary or report
 * lines the Telegram chat gets. No vendor's format, limit or service list is known here.
 */

/** What a robot message says, before it takes a service's shape. */
export interface RobotContent {
  /** Plain text: the card header, the markdown heading. */
  title: string;
  /** How loud the message is (a service shows it as a colour); 'no-data' when there is no seller-fault rate to judge (never a confident green). */
  alert: AlertLevel | 'no-data';
  /** Key figures, for the card's field grid. */
  fields: Array<{ label: string; value: string }>;
  /** Markdown lines, values escaped. */
  body: string[];
  /** Closes a body that had to be cut: where the whole text is. */
  cutHint: string;
}

const fieldsOf = (tr: Translator, f: { orders: number; cancelled: number; cancelRate: number | null; sellerFaultRate: number | null }) => [
  { label: tr.t('robot-field-orders'), value: String(f.orders) },
  { label: tr.t('robot-field-cancelled'), value: String(f.cancelled) },
  { label: tr.t('robot-field-cancel-rate'), value: percent(tr, f.cancelRate) },
  { label: tr.t('robot-field-sfcr'), value: percent(tr, f.sellerFaultRate) },
];

/** A chat's morning summary for its robots: the same lines as the Telegram message. */
export function robotContentOfDay(s: DailySummary, tr: Translator, ctx: SummaryContext, strategies: (category: Category) => string[]): RobotContent {
  const { title, body } = dailySummaryLines(s, tr, ctx, strategies, MARKDOWN_MARKUP);
  return {
    title,
    alert: s.total.sellerFaultRate === null ? 'no-data' : alertLevel(s.total.sellerFaultRate, ctx.threshold),
    fields: s.total.orders === 0 ? [] : fieldsOf(tr, s.total),
    body,
    cutHint: tr.t('robot-cut-rate'),
  };
}

/** A chat without data: the one-line reminder of how to upload. */
export function robotContentOfNoData(tr: Translator, day: string): RobotContent {
  return { title: tr.t('summary-title', { day }), alert: 'no-data', fields: [], body: [MARKDOWN_MARKUP.escape(tr.t('summary-no-data'))], cutHint: tr.t('robot-cut-rate') };
}

/**
 * A report over a window (the command line's `push`): the same lines as `cancelwatch report`,
 * its product list too where one is given (`--by product`).
 */
export function robotContentOfReport(report: Report, tr: Translator, threshold: number, products: ProductsView | null = null): RobotContent {
  const [, ...body] = reportLines(report, tr, { html: false, markup: MARKDOWN_MARKUP, threshold, topProducts: products === null });
  if (products) body.push('', ...productListLines(products, tr, { html: false, markup: MARKDOWN_MARKUP }));
  const { from, to } = report.window;
  const sellerFaultRate = report.sellerFault?.rate ?? null;
  return {
    // A file without order times has no window: the body's window line says so.
    title: from !== null && to !== null ? `${tr.t('report-title')} ${from} – ${to}` : tr.t('report-title'),
    alert: sellerFaultRate === null ? 'no-data' : alertLevel(sellerFaultRate, threshold),
    fields: report.orders === 0 ? [] : fieldsOf(tr, { ...report, sellerFaultRate }),
    body,
    cutHint: tr.t('robot-cut-report'),
  };
}

/** Marks content as a test: the first line says so (the services' keyword checks see it too). */
export function asTest(content: RobotContent, tr: Translator): RobotContent {
  return { ...content, body: [MARKDOWN_MARKUP.escape(tr.t('robot-test-note')), '', ...content.body] };
}
