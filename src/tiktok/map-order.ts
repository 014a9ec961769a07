import { localDateTime } from '../core/metrics/days.js';
import type { Order } from '../core/order.js';
import { classifyReason } from '../core/reasons/classify.js';
import { initiatorOf, parseMoney } from '../core/ingest/values.js';
import type { ApiOrder } from './client.js';

/**
 * A Partner API order as the metric contract counts it, the same way an export row is: whole
 * cancellation from the status (an order is CANCELLED only when all its items are), partial
 * from the line items, who and why from the order or else its first cancelled line, reasons
 * through the same reason table, creation time in the shop's zone.
 */
export function orderFromApi(o: ApiOrder, timeZone: string): Order {
  const cancelledLines = o.line_items.filter((l) => Boolean(l.cancel_user || l.cancel_reason));
  const cancelled = o.status === 'CANCELLED';
  const partiallyCancelled = !cancelled && cancelledLines.length > 0;
  const firstLine = cancelledLines[0];
  const reason = o.cancel_reason || firstLine?.cancel_reason || null;
  const money = o.payment?.total_amount ? parseMoney(o.payment.total_amount) : null;
  return {
    id: o.id,
    createdAt: localDateTime(o.create_time * 1000, timeZone),
    paid: Boolean(o.paid_time) && o.status !== 'UNPAID',
    cancelled,
    partiallyCancelled,
    initiator: initiatorOf(o.cancellation_initiator || firstLine?.cancel_user || ''),
    reason,
    category: cancelled || partiallyCancelled ? classifyReason(reason) : null,
    fulfilledByTikTok: o.fulfillment_type === 'FULFILLMENT_BY_TIKTOK',
    sample: o.is_sample_order === true,
    amountCents: money?.cents ?? null,
    currency: o.payment?.currency || money?.currency || null,
  };
}
