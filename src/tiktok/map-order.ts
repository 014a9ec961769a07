import { localDateTime } from '../core/metrics/days.js';
import type { Order, OrderLine } from '../core/order.js';
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
  const cancelledLines = o.line_items.filter(isCancelledLine);
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
    ...(o.line_items.length > 0 ? { lines: o.line_items.map(lineFromApi) } : {}),
  };
}

type ApiLine = ApiOrder['line_items'][number];

const isCancelledLine = (l: ApiLine) => Boolean(l.cancel_user || l.cancel_reason) || l.display_status === 'CANCELLED';

/** A line item is one unit (the API has no quantity): lines of one SKU are one product to the figures. */
function lineFromApi(l: ApiLine): OrderLine {
  return {
    skuId: l.sku_id || null, sellerSku: l.seller_sku || null, product: l.product_name || null, variation: l.sku_name || null,
    quantity: 1, cancelled: isCancelledLine(l),
  };
}
