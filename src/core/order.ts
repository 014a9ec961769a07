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
}

export const dayOf = (order: Pick<Order, 'createdAt'>): string => order.createdAt.slice(0, 10);
