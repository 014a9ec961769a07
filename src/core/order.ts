import type { Category, Initiator } from './reasons/categories.js';

/**
 * One order as the metrics see it, whatever it came from (export file or Partner API).
 * It carries no buyer data: nothing here names, reaches or locates a person.
 */
export interface Order {
  id: string;
  /** Shop-local wall-clock creation time, `YYYY-MM-DDTHH:MM:SS`. */
  createdAt: string;
  paid: boolean;
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

export const dayOf = (order: Pick<Order, 'createdAt'>): string => order.createdAt.slice(0, 10);
