import { localDateTime } from '../core/metrics/days.js';
import type { Order, OrderLine, ReportColumn } from '../core/order.js';
import { classifyReason } from '../core/reasons/classify.js';
import { initiatorOf, parseMoney, paymentKind } from '../core/ingest/values.js';
import type { ApiOrder } from './client.js';

/** The Partner API's order statuses (202309 order search), the unpaid one apart. */
const PLACED_STATUSES = new Set(['ON_HOLD', 'AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING', 'AWAITING_COLLECTION', 'IN_TRANSIT', 'DELIVERED', 'COMPLETED']);
const KNOWN_STATUSES = new Set([...PLACED_STATUSES, 'UNPAID', 'CANCELLED']);
const FULFILMENT_TYPES = new Set(['FULFILLMENT_BY_SELLER', 'FULFILLMENT_BY_TIKTOK']);

/**
 * A Partner API order as the metric contract counts it, the same way an export row is: whole
 * cancellation from the status (an order is CANCELLED only when all its items are), partial
 * from the line items, who and why from the order or else its first cancelled line, reasons
 * through the same reason table, creation time in the shop's zone. Cash on delivery (`is_cod`,
 * or a COD payment method name) counts as placed without a paid time once it left UNPAID; a
 * status, initiator or fulfilment type the API documents no meaning for is surfaced, not guessed.
 */
export function orderFromApi(o: ApiOrder, timeZone: string): Order {
  const cancelledLines = o.line_items.filter(isCancelledLine);
  const cancelled = o.status === 'CANCELLED';
  const partiallyCancelled = !cancelled && cancelledLines.length > 0;
  const firstLine = cancelledLines[0];
  const reason = o.cancel_reason || firstLine?.cancel_reason || null;
  const money = o.payment?.total_amount ? parseMoney(o.payment.total_amount) : null;
  const unrecognised: Partial<Record<ReportColumn, string>> = {};
  if (!KNOWN_STATUSES.has(o.status)) unrecognised['Order Status'] = o.status;
  const who = o.cancellation_initiator || firstLine?.cancel_user || '';
  const initiator = initiatorOf(who);
  if (initiator === undefined) unrecognised['Cancel By'] = who;
  if (o.fulfillment_type && !FULFILMENT_TYPES.has(o.fulfillment_type)) unrecognised['Fulfillment Type'] = o.fulfillment_type;
  const method = o.payment_method_name || o.payment?.payment_method_name || '';
  const cod = o.is_cod === true || paymentKind(method) === 'cod';
  const paid = Boolean(o.paid_time) && o.status !== 'UNPAID';
  const codPlaced = !paid && cod && (PLACED_STATUSES.has(o.status) || cancelled);
  if (!paid && !cod && method && paymentKind(method) === undefined) unrecognised['Payment Method'] = method;
  const category = cancelled || partiallyCancelled ? classifyReason(reason) : null;
  return {
    id: o.id,
    createdAt: localDateTime(o.create_time * 1000, timeZone),
    paid: paid || codPlaced,
    cod: codPlaced,
    cancelled,
    partiallyCancelled,
    initiator: initiator ?? 'unknown',
    reason,
    category,
    fulfilledByTikTok: o.fulfillment_type === 'FULFILLMENT_BY_TIKTOK',
    sample: o.is_sample_order === true,
    amountCents: money?.cents ?? null,
    currency: o.payment?.currency || money?.currency || null,
    gaps: [],
    unrecognised,
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
