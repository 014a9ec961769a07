import type { Order, OrderLine, ReportColumn } from '../core/order.js';
import type { Category, Initiator } from '../core/reasons/categories.js';
import { lineTuple, type LineTuple } from '../store/order-rows.js';

/**
 * Orders as they cross from an import worker to the main thread: JSON text of one array per
 * order, its fields by position, booleans as 0/1, and empty gaps, unknown values and absent lines
 * as 0. Against JSON of the order objects (every key written out per order and per line), a
 * 100k-order export's batches are 17 MB instead of 45 MB and are parsed back in about half the
 * time, on the main thread, where the import's transaction runs.
 */
type WireOrder = [
  id: string, createdAt: string | null, paid: 0 | 1, cod: 0 | 1, cancelled: 0 | 1, partiallyCancelled: 0 | 1,
  initiator: Initiator, reason: string | null, category: Category | null, fulfilledByTikTok: 0 | 1, sample: 0 | 1,
  amountCents: number | null, currency: string | null, gaps: readonly ReportColumn[] | 0,
  unrecognised: Partial<Record<ReportColumn, string>> | 0, lines: LineTuple[] | 0,
];

const bit = (b: boolean): 0 | 1 => (b ? 1 : 0);
const NO_GAPS: readonly ReportColumn[] = Object.freeze([]);
const NOTHING_UNRECOGNISED: Partial<Record<ReportColumn, string>> = Object.freeze({});

function toWire(o: Order): WireOrder {
  return [
    o.id, o.createdAt, bit(o.paid), bit(o.cod), bit(o.cancelled), bit(o.partiallyCancelled), o.initiator, o.reason, o.category,
    bit(o.fulfilledByTikTok), bit(o.sample), o.amountCents, o.currency, o.gaps.length > 0 ? o.gaps : 0,
    Object.keys(o.unrecognised).length > 0 ? o.unrecognised : 0,
    o.lines ? o.lines.map(lineTuple) : 0,
  ];
}

const lineFromWire = (l: LineTuple): OrderLine => ({ skuId: l[0], sellerSku: l[1], product: l[2], variation: l[3], quantity: l[4], cancelled: l[5] === 1 });

function fromWire(w: WireOrder): Order {
  const order: Order = {
    id: w[0], createdAt: w[1], paid: w[2] === 1, cod: w[3] === 1, cancelled: w[4] === 1, partiallyCancelled: w[5] === 1,
    initiator: w[6], reason: w[7], category: w[8], fulfilledByTikTok: w[9] === 1, sample: w[10] === 1,
    amountCents: w[11], currency: w[12], gaps: w[13] === 0 ? NO_GAPS : w[13], unrecognised: w[14] === 0 ? NOTHING_UNRECOGNISED : w[14],
  };
  if (w[15] !== 0) order.lines = w[15].map(lineFromWire);
  return order;
}

export const ordersToWire = (orders: readonly Order[]): string => JSON.stringify(orders.map(toWire));

/** Only for text `ordersToWire` wrote (the import worker's own batches): it is not checked. */
export const ordersFromWire = (text: string): Order[] => (JSON.parse(text) as WireOrder[]).map(fromWire);
