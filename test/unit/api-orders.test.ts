import { describe, expect, it } from 'vitest';
import type { ApiOrder } from '../../src/tiktok/client.js';
import { orderFromApi } from '../../src/tiktok/map-order.js';

const base: ApiOrder = {
  id: '576461413038785752', status: 'DELIVERED', create_time: Date.UTC(2026, 10, 1, 2) / 1000, update_time: Date.UTC(2026, 10, 2) / 1000,
  fulfillment_type: 'FULFILLMENT_BY_SELLER', line_items: [],
};

describe('Partner API orders count by the same rules as export rows', () => {
  it('cash on delivery without a paid time is placed once it left UNPAID', () => {
    expect(orderFromApi({ ...base, is_cod: true }, 'UTC')).toMatchObject({ paid: true, cod: true });
    expect(orderFromApi({ ...base, payment_method_name: 'Bayar di Tempat' }, 'UTC')).toMatchObject({ paid: true, cod: true });
    expect(orderFromApi({ ...base, status: 'CANCELLED', is_cod: true, cancellation_initiator: 'BUYER', cancel_reason: 'No longer needed' }, 'UTC'))
      .toMatchObject({ paid: true, cod: true, cancelled: true, initiator: 'buyer' });
    expect(orderFromApi({ ...base, status: 'UNPAID', is_cod: true }, 'UTC')).toMatchObject({ paid: false, cod: false });
    expect(orderFromApi({ ...base, paid_time: base.create_time + 60, is_cod: true }, 'UTC')).toMatchObject({ paid: true, cod: false });
  });

  it('a prepaid order without a paid time is not an order yet', () => {
    expect(orderFromApi({ ...base, payment_method_name: 'Credit card' }, 'UTC')).toMatchObject({ paid: false, unrecognised: {} });
  });

  it('surfaces a status, initiator, fulfilment type or payment method the API documents no meaning for', () => {
    const o = orderFromApi({
      ...base, status: 'AWAITING_PICKUP_BY_ALIENS', cancellation_initiator: 'LOGISTICS_PROVIDER', fulfillment_type: 'FULFILLMENT_BY_WAREHOUSE', payment_method_name: 'Barter',
    }, 'UTC');
    expect(o.unrecognised).toEqual({ 'Order Status': 'AWAITING_PICKUP_BY_ALIENS', 'Cancel By': 'LOGISTICS_PROVIDER', 'Fulfillment Type': 'FULFILLMENT_BY_WAREHOUSE', 'Payment Method': 'Barter' });
    expect(o.initiator).toBe('unknown');
    expect(o.gaps).toEqual([]);
  });
});
