import type { Category, Initiator } from './reasons/categories.js';

/**
 * Export columns the report names when an export lacks them or holds values no table knows,
 * by their standard Seller Center names (the headers are English in every market's export).
 */
export const REPORT_COLUMNS = [
  'Order Status', 'Order Substatus', 'Cancelation/Return Type', 'Created Time', 'Paid Time', 'Payment Method',
  'Cancel By', 'Cancel Reason', 'Fulfillment Type', 'Order Amount',
] as const;
export type ReportColumn = (typeof REPORT_COLUMNS)[number];

/**
 * One order as the metrics see it, whatever it came from (export file or Partner API).
 * It carries no buyer data: nothing here names, reaches or locates a person.
 */
export interface Order {
  id: string;
  /** Shop-local wall-clock creation time, `YYYY-MM-DDTHH:MM:SS`; null when the source has no order times at all. */
  createdAt: string | null;
  /** Counts as placed: paid, or cash on delivery past the unpaid state, or placed by the no-paid-time rule. */
  paid: boolean;
  /** Placed only because it is cash on delivery (no paid time). */
  cod: boolean;
  /** Cancelled as a whole. */
  cancelled: boolean;
  /** Some lines cancelled, others not. */
  partiallyCancelled: boolean;
  initiator: Initiator;
  /** The reason as the source wrote it, for `other` examples. */
  reason: string | null;
  category: Category | null;
  fulfilledByTikTok: boolean;
  sample: boolean;
  /** Order Amount in hundredths of the currency, counted once per order. */
  amountCents: number | null;
  /** ISO code; null where the source does not say. */
  currency: string | null;
  /** Columns the source lacked that bear on this order's figures. */
  gaps: readonly ReportColumn[];
  /** Values no table knows, by column, as the source wrote them. */
  unrecognised: Partial<Record<ReportColumn, string>>;
  /**
   * What was bought, one entry per order line (an export row, or an API line item). Absent
   * where the source carries no product columns: such an order counts for no product.
   */
  lines?: readonly OrderLine[];
}

/** One line of an order: a catalogue item and whether that line was cancelled. No buyer data. */
export interface OrderLine {
  /** TikTok's SKU ID; null where missing or destroyed by a spreadsheet (`1.73E+18`). */
  skuId: string | null;
  sellerSku: string | null;
  product: string | null;
  /** The variation (`Red, L`): the export's Variation, the API's `sku_name`. */
  variation: string | null;
  quantity: number;
  /** The line itself says it was cancelled (a cancel line of a partially cancelled order, too). */
  cancelled: boolean;
}

/** The order's local creation day, or null for an order without times. */
export const dayOf = (order: Pick<Order, 'createdAt'>): string | null => (order.createdAt === null ? null : dayOfTime(order.createdAt));

/** The day of a local order time (`YYYY-MM-DDTHH:MM:SS`): its first ten characters. */
export const dayOfTime = (time: string): string => time.slice(0, 10);
