import { REPORT_COLUMNS, type OrderLine, type ReportColumn } from '../order.js';
import { BIT, flagsOf, hasFlag, type OrderState } from './order-state.js';

/**
 * Spill records: fields joined by the ASCII unit separator, a character no export cell holds
 * (text fields are cleaned of it and of line breaks). Cheaper to write and to split than JSON.
 */
const SEP = '\x1f';
/** Between the column number and the value of an unknown value, and between unknown values; also between order lines, and between a line's fields. */
const PAIR = '\x1e';
const ITEM = '\x1d';
const UNSAFE = new RegExp(`[${ITEM}${PAIR}${SEP}\\n\\r]`, 'g');
const clean = (text: string) => text.replace(UNSAFE, ' ');

/** Empty text and null are told apart: a leading 1 marks a present value. */
const optional = (text: string | null) => (text === null ? '' : `1${clean(text)}`);
const unoptional = (field: string | undefined) => (field ? field.slice(1) : null);

function encodeItems(items: readonly OrderLine[]): string {
  return items.map((l) => [optional(l.skuId), optional(l.sellerSku), optional(l.product), optional(l.variation), l.quantity, l.cancelled ? 1 : 0].join(ITEM)).join(PAIR);
}

function decodeItems(field: string): OrderLine[] {
  if (field === '') return [];
  return field.split(PAIR).map((line) => {
    const f = line.split(ITEM);
    return { skuId: unoptional(f[0]), sellerSku: unoptional(f[1]), product: unoptional(f[2]), variation: unoptional(f[3]), quantity: Number(f[4]), cancelled: f[5] === '1' };
  });
}

export function encodeState(s: OrderState): string {
  const c = s.created;
  const unknown = s.unknown ? Object.entries(s.unknown).map(([col, v]) => `${REPORT_COLUMNS.indexOf(col as ReportColumn)}${PAIR}${clean(v)}`).join(ITEM) : '';
  return [
    s.id, s.attempt, s.line, c?.year ?? 0, c?.first ?? 0, c?.second ?? 0, c?.seconds ?? 0, flagsOf(s), s.lines, s.cancelLines,
    clean(s.cancelBy), clean(s.reason), s.amount?.cents ?? '', s.amount?.currency ?? '', unknown, encodeItems(s.items),
  ].join(SEP);
}

export function decodeState(record: string): OrderState {
  const f = record.split(SEP);
  const n = (i: number) => Number(f[i]);
  const flags = n(7);
  const has = (flag: number) => hasFlag(flags, flag);
  const cents = f[12] ?? '';
  const unknownText = f[14] ?? '';
  const unknown = unknownText === '' ? null : Object.fromEntries(unknownText.split(ITEM).map((item) => {
    const [col = '', value = ''] = item.split(PAIR);
    return [REPORT_COLUMNS[Number(col)] ?? 'Order Status', value];
  })) as Partial<Record<ReportColumn, string>>;
  return {
    id: f[0] ?? '', attempt: n(1), line: n(2),
    created: has(BIT.dated) ? { year: n(3), first: n(4), second: n(5), seconds: n(6), isoOrder: has(BIT.isoOrder), meridiem: has(BIT.meridiem) } : null,
    paid: has(BIT.paid), statusCancelled: has(BIT.statusCancelled), statusUnpaid: has(BIT.statusUnpaid), statusPlaced: has(BIT.statusPlaced),
    cod: has(BIT.cod), lines: n(8), cancelLines: n(9),
    cancelBy: f[10] ?? '', reason: f[11] ?? '', fromCancelLine: has(BIT.fromCancelLine), fbt: has(BIT.fbt), sample: has(BIT.sample),
    amount: cents === '' ? null : { cents: Number(cents), currency: f[13] || null }, unknown,
    items: decodeItems(f[15] ?? ''),
  };
}
