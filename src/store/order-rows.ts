import type { Insertable, Selectable } from 'kysely';
import { dayOf, type Order } from '../core/order.js';
import { CATEGORIES, INITIATORS, type Category, type Initiator } from '../core/reasons/categories.js';
import type { OrderTable } from './schema.js';

/** An order as a row of the `orders` table and back. */
export const orderToRow = (shopId: number, o: Order, at: string): Insertable<OrderTable> => ({
  shop_id: shopId, order_id: o.id, created_at: o.createdAt, day: dayOf(o),
  paid: o.paid ? 1 : 0, cancelled: o.cancelled ? 1 : 0, partially_cancelled: o.partiallyCancelled ? 1 : 0,
  initiator: o.initiator, reason: o.reason, category: o.category, fbt: o.fulfilledByTikTok ? 1 : 0, sample: o.sample ? 1 : 0,
  amount_cents: o.amountCents, currency: o.currency, updated_at: at,
});

const asInitiator = (v: string): Initiator => ((INITIATORS as readonly string[]).includes(v) ? (v as Initiator) : 'unknown');
const asCategory = (v: string | null): Category | null => (v !== null && (CATEGORIES as readonly string[]).includes(v) ? (v as Category) : null);

export const orderFromRow = (r: Selectable<OrderTable>): Order => ({
  id: r.order_id, createdAt: r.created_at, paid: r.paid === 1, cancelled: r.cancelled === 1, partiallyCancelled: r.partially_cancelled === 1,
  initiator: asInitiator(r.initiator), reason: r.reason, category: asCategory(r.category), fulfilledByTikTok: r.fbt === 1, sample: r.sample === 1,
  amountCents: r.amount_cents === null ? null : Number(r.amount_cents), currency: r.currency,
});
