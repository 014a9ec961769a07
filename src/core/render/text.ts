import type { Report } from '../metrics/report.js';
import { gapLines, sellerFaultUncertain, uncertainCodLines, unknownReasonLines } from './gaps.js';
import type { DayOrder } from '../ingest/dates.js';
import type { ImportError, SkippedRow } from '../ingest/errors.js';
import { UNKNOWN_CURRENCY } from '../metrics/tally.js';
import { INITIATORS } from '../reasons/categories.js';
import { markupOf, percent, splitMessages, TELEGRAM_MAX_MESSAGE, type MarkupChoice } from './markup.js';
import { topProductLines } from './products.js';
import type { Translator } from './translator.js';

export interface RenderOptions extends MarkupChoice {
  /** Seller-fault line the shop is held to, as a fraction. */
  threshold?: number;
  /** Longest message; Telegram's limit is 4096 characters. */
  maxLength?: number;
  /** Whether a report with product lines lists its top products (a full product list may follow instead). */
  topProducts?: boolean;
}

export const DEFAULT_THRESHOLD = 0.025;

/** A seller-fault line as people type it (`2.5`, `2,5`, `2.5%`) → a fraction; null outside 0.1–50%. */
export function parseThreshold(text: string): number | null {
  const number = Number(text.replace('%', '').replace(',', '.'));
  return Number.isFinite(number) && number >= 0.1 && number <= 50 ? number / 100 : null;
}

/** Which day order was assumed for files whose dates read either way, and from which time zone. */
export function dayOrderLine(tr: Translator, assumed: { order: DayOrder; files: readonly string[] }, timeZone: string, escape: (text: string) => string = (t) => t): string {
  return tr.t('report-day-order-assumed', { files: escape(assumed.files.join(tr.t('list-separator'))), order: assumed.order, timeZone: escape(timeZone) });
}

/** A skipped row in the reader's words: `orders.csv line 17: …`. */
export function describeSkipped(tr: Translator, row: SkippedRow): string {
  return tr.t(`skipped-${row.code}`, { file: row.file, line: row.line, value: row.value ?? '' });
}

/**
 * An import error in the reader's words, with the first bad rows where there are any: one per
 * line for chats, or all on one line (`oneLine`) for a terminal's error stream.
 */
export function describeImportError(tr: Translator, error: ImportError, oneLine = false): string {
  const samples = error.samples.map((row) => describeSkipped(tr, row));
  const message = tr.t(`import-error-${error.code}`, error.params);
  if (samples.length === 0) return message;
  return oneLine ? `${message} ${samples.join('; ')}` : [message, ...samples.map((s) => `  ${s}`)].join('\n');
}

/**
 * The report as messages, each at most `maxLength` characters, split between lines. Every
 * value that comes from data is escaped in HTML mode; wording comes from the locale files.
 */
export function renderReport(report: Report, tr: Translator, options: RenderOptions): string[] {
  return splitMessages(reportLines(report, tr, options), options.maxLength ?? TELEGRAM_MAX_MESSAGE);
}

/** The report's lines, the title first, marked up as `options` ask. */
export function reportLines(report: Report, tr: Translator, options: Omit<RenderOptions, 'maxLength'>): string[] {
  const parts = reportParts(report, tr, options);
  return [
    ...parts.head,
    ...(parts.reasons.length > 0 ? ['', parts.reasonsTitle, ...parts.reasons.flat()] : []),
    // Unknown reasons are listed even when no reason line is (they may all be uncertain COD orders).
    ...(parts.unknown.length > 0 ? [...(parts.reasons.length > 0 ? [] : ['']), ...parts.unknown] : []),
    ...(parts.products.length > 0 ? ['', ...parts.products] : []),
    ...parts.rest,
  ];
}

/** A report cut where a short first answer may cut it (see `reportScreens`). */
interface ReportParts {
  /** Title, window, figures, the line they are held to, what the data could not say, the previous period. */
  head: string[];
  reasonsTitle: string;
  /** One entry per reason, most cancellations first: its line and the texts as written. */
  reasons: string[][];
  /** Reason texts no table knows. */
  unknown: string[];
  /** The top products' heading and lines. */
  products: string[];
  /** Strategies, skipped rows and the footnote, each block after a blank line. */
  rest: string[];
}

function reportParts(report: Report, tr: Translator, options: Omit<RenderOptions, 'maxLength'>): ReportParts {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const markup = markupOf(options);
  const v = (text: string | number) => (typeof text === 'string' ? markup.escape(text) : text);
  const line = (key: string, args: Record<string, string | number> = {}) =>
    tr.t(key, Object.fromEntries(Object.entries(args).map(([k, a]) => [k, v(a)])));
  const heading = (text: string) => markup.bold(text);
  const pct = (x: number | null) => percent(tr, x);
  const out: string[] = [];

  out.push(heading(line('report-title')));
  const { from, to, timeZone } = report.window;
  out.push(from !== null && to !== null ? line('report-window', { from, to, timeZone }) : line('report-window-whole-file'));
  if (report.orders === 0) {
    out.push(line('report-no-orders'));
  } else {
    out.push(line('report-orders', { orders: report.orders }));
    out.push(line('report-cancelled', { cancelled: report.cancelled, rate: pct(report.cancelRate) }));
    const sf = report.sellerFault;
    if (sf) {
      out.push(line('report-seller-fault', { cancelled: sf.cancelled, orders: sf.orders, rate: pct(sf.rate), threshold: pct(threshold) }));
      if (sf.rate !== null && sf.rate > threshold) out.push(line('report-seller-fault-above', { threshold: pct(threshold) }));
      else if (sf.rate !== null && sellerFaultUncertain(report)) out.push(line('seller-fault-at-least', { rate: pct(sf.rate), threshold: pct(threshold) }));
      else if (sf.rate !== null) out.push(line('report-seller-fault-within', { threshold: pct(threshold) }));
    }
    const byInitiator = report.byInitiator;
    if (report.cancelled > 0 && byInitiator) {
      const parts = INITIATORS.filter((i) => byInitiator[i] > 0).map((i) => line('report-initiator-part', { who: tr.t(`initiator-${i}`), count: byInitiator[i] }));
      out.push(line('report-by-initiator', { parts: parts.join(tr.t('list-separator')) }));
    }
  }
  if (report.assumedDayOrder) out.push(dayOrderLine(tr, report.assumedDayOrder, timeZone, (text) => String(v(text))));
  out.push(...gapLines(tr, report, (text) => String(v(text))));
  if (report.partiallyCancelled > 0) out.push(line('report-partially-cancelled', { count: report.partiallyCancelled }));
  if (report.unpaidExpired > 0) out.push(line('report-unpaid-expired', { count: report.unpaidExpired }));
  out.push(...uncertainCodLines(tr, report, (text) => String(v(text))));
  for (const lost of report.lostAmount) {
    out.push(line(lost.currency === UNKNOWN_CURRENCY ? 'report-lost-amount-no-currency' : 'report-lost-amount', { currency: lost.currency, amount: lost.amount }));
  }
  if (report.previous) {
    const p = report.previous;
    out.push(line('report-previous', { from: p.window.from ?? '', to: p.window.to ?? '', rate: pct(p.cancelRate), sellerFaultRate: pct(p.sellerFault?.rate ?? null) }));
  }

  const reasons = (report.reasons ?? []).map((r) => [
    line(r.sellerFault > 0 ? 'report-reason-seller-fault' : 'report-reason', {
      category: tr.t(`category-${r.category}`), count: r.cancelled, share: pct(r.share), sellerFault: r.sellerFault,
    }),
    ...(r.category === 'other' && r.examples.length > 0 ? [line('report-reason-examples', { examples: r.examples.join(' / ') })] : []),
  ]);
  const products = report.products && options.topProducts !== false ? topProductLines(report.products, tr, markup) : [];
  const rest: string[] = [];
  if (report.strategies.length > 0) {
    rest.push('', heading(line('report-strategies-title')));
    for (const s of report.strategies) {
      rest.push(line('report-strategy-category', { category: tr.t(`category-${s.category}`) }));
      for (const item of s.items) rest.push(line('report-strategy-item', { text: item }));
    }
  }
  if (report.skipped.rows > 0) {
    rest.push('', line('report-skipped', { count: report.skipped.rows }));
    for (const s of report.skipped.samples) rest.push(line('report-skipped-item', { text: s.reason }));
  }
  // The footnote explains the seller-fault rate: without one it has nothing to explain.
  if (report.sellerFault?.rate != null) rest.push('', line('report-footnote'));
  return { head: out, reasonsTitle: heading(line('report-reasons-title')), reasons, unknown: unknownReasonLines(tr, report, (text) => String(v(text))), products, rest };
}

/** Reasons a first answer shows; the rest are one tap away. */
const FIRST_SCREEN_REASONS = 3;

/**
 * The report in two screens, for platforms whose first answer must fit one phone screen: the
 * first holds the figures and what the data could not say (never left for later: a number
 * without its caveat would read as sure), the top three reasons and the top product; the rest
 * (every reason, the unknown texts, the products, the strategies) is one tap away, empty when
 * the first said it all. The title is apart, for a card's header or a message's heading.
 */
export function reportScreens(report: Report, tr: Translator, options: Omit<RenderOptions, 'maxLength'>): { title: string; first: string[]; rest: string[] } {
  const parts = reportParts(report, tr, options);
  const top = parts.reasons.slice(0, FIRST_SCREEN_REASONS).map((entry) => entry[0] ?? '');
  const [, ...head] = parts.head;
  const first = [
    ...head,
    ...(top.length > 0 ? ['', parts.reasonsTitle, ...top] : []),
    ...(parts.unknown.length > 0 ? [...(top.length > 0 ? [] : ['']), ...parts.unknown] : []),
    ...(parts.products.length > 1 ? ['', ...parts.products.slice(0, 2)] : []),
  ];
  const rest = [
    ...(parts.reasons.length > 0 ? [parts.reasonsTitle, ...parts.reasons.flat()] : []),
    ...parts.unknown,
    ...(parts.products.length > 0 ? ['', ...parts.products] : []),
    ...parts.rest,
  ];
  const { from, to } = report.window;
  return {
    title: from !== null && to !== null ? `${tr.t('report-title')} ${from} – ${to}` : tr.t('report-title'),
    first,
    rest: rest.some((line) => line.trim() !== '') ? rest : [],
  };
}

/** TikTok starts limiting a SEA shop's order volume at this seller-fault rate. */
export const VOLUME_LIMIT_RATE = 0.1;

/** How loud a seller-fault rate is: within the chat's line, above it, or at TikTok's volume limit. */
export type AlertLevel = 'none' | 'above' | 'limit';

export function alertLevel(sellerFaultRate: number | null, threshold: number): AlertLevel {
  if (sellerFaultRate === null) return 'none';
  if (sellerFaultRate >= VOLUME_LIMIT_RATE) return 'limit';
  return sellerFaultRate > threshold ? 'above' : 'none';
}
