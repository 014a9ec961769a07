import type { ReportColumn } from '../order.js';
import type { Report } from '../metrics/report.js';
import type { Translator } from './translator.js';

/** Locale key part for each column the report may name. */
const SLUG: Record<ReportColumn, string> = {
  'Order Status': 'order-status', 'Order Substatus': 'order-substatus', 'Cancelation/Return Type': 'cancel-type',
  'Created Time': 'created-time', 'Paid Time': 'paid-time', 'Payment Method': 'payment-method',
  'Cancel By': 'cancel-by', 'Cancel Reason': 'cancel-reason', 'Fulfillment Type': 'fulfillment-type',
  'Order Amount': 'order-amount',
};

/** Columns whose unknown values may hide seller-fault cancellations (or leave them out of the count). */
const SELLER_FAULT_COLUMNS: readonly ReportColumn[] = ['Order Status', 'Order Substatus', 'Cancelation/Return Type', 'Cancel By', 'Fulfillment Type'];

/**
 * True when the window holds values no table knows in a column the seller-fault rate is read
 * from: the rate is then a floor ("at least X%"), never a green light.
 */
export function sellerFaultUncertain(report: Pick<Report, 'unrecognised'>): boolean {
  const unrecognised: Partial<Record<string, Record<string, number>>> = report.unrecognised;
  return SELLER_FAULT_COLUMNS.some((column) => Object.keys(unrecognised[column] ?? {}).length > 0);
}

/** How many unknown values of a column are shown; the rest are counted in "and N more". */
const SHOWN_VALUES = 5;

/**
 * What the data could not say, in the reader's words: one line per missing column (the two
 * columns that make SFCR possible share one) and one warning per column with values no table
 * knows, each naming what the gap does to the figures. Used by the report and the daily summary;
 * `escape` is applied to the values, which come from the data.
 */
export function gapLines(tr: Translator, report: Pick<Report, 'missing' | 'unrecognised'>, escape: (text: string) => string = (t) => t): string[] {
  const lines: string[] = [];
  const missing = new Set(report.missing);
  const why = report.missing.filter((c) => c === 'Cancel By' || c === 'Cancel Reason');
  if (missing.has('Created Time') && missing.has('Paid Time')) lines.push(tr.t('report-missing-times'));
  for (const column of report.missing) {
    if (column === 'Cancel By' || column === 'Cancel Reason') continue;
    if ((column === 'Created Time' || column === 'Paid Time') && missing.has('Created Time') && missing.has('Paid Time')) continue;
    lines.push(tr.t(`report-missing-${SLUG[column]}`));
  }
  // Without Paid Time and Cancel Reason, expired unpaid orders look like cancellations: no cancel rate either (see lacksUnpaidSign).
  const noCancelRate = missing.has('Paid Time') && missing.has('Cancel Reason');
  if (why.length > 0) lines.push(tr.t(noCancelRate ? 'report-missing-why-no-cancel-rate' : 'report-missing-why', { columns: why.join(tr.t('list-separator')), count: why.length }));
  for (const [column, values] of Object.entries(report.unrecognised) as [ReportColumn | 'reasons', Record<string, number>][]) {
    // Unknown reasons are listed under the reasons, where a person reads them (see unknownReasonLines).
    if (column === 'reasons') continue;
    lines.push(tr.t('report-unrecognised', { column, values: quotedValues(tr, values, escape, 'report-unrecognised-value'), effect: tr.t(`report-unrecognised-effect-${SLUG[column]}`) }));
  }
  return lines;
}

/** Unknown texts as a list (`'Payment overdue' ×2 · …`), each worded by `key`, the first few only, the rest counted. */
function quotedValues(tr: Translator, values: Record<string, number>, escape: (text: string) => string, key = 'report-unknown-reason-value'): string {
  const entries = Object.entries(values);
  const shown = entries.slice(0, SHOWN_VALUES).map(([value, count]) => tr.t(key, { value: escape(value), count }));
  if (entries.length > SHOWN_VALUES) shown.push(tr.t('report-unrecognised-more', { count: entries.length - SHOWN_VALUES }));
  return shown.join(tr.t('list-separator'));
}

/**
 * The reasons no source knows, with their counts: shown under the reasons so that no guess
 * decides a figure in silence, and so a person can teach them. Empty when every reason is known.
 */
export function unknownReasonLines(tr: Translator, report: Pick<Report, 'unrecognised'>, escape: (text: string) => string = (t) => t): string[] {
  const reasons = report.unrecognised.reasons ?? {};
  const count = Object.values(reasons).reduce((sum, n) => sum + n, 0);
  return count > 0 ? [tr.t('report-unknown-reasons', { count, values: quotedValues(tr, reasons, escape) })] : [];
}

/** The line of cancelled COD orders that no known reason places: counted in neither rate. */
export function uncertainCodLines(tr: Translator, report: Pick<Report, 'uncertainCod'>, escape: (text: string) => string = (t) => t): string[] {
  const { orders, reasons } = report.uncertainCod;
  return orders > 0 ? [tr.t('report-uncertain-cod', { count: orders, values: quotedValues(tr, reasons, escape) })] : [];
}
