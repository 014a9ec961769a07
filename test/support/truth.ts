import type { TrueOrder } from '../fixtures/generate.js';

/**
 * The headline figures of generated orders, counted from what the generator decided (not from
 * any file): the oracle the import is checked against.
 */
export function truthFigures(orders: readonly TrueOrder[], from = '0000-00-00', to = '9999-99-99') {
  const inWindow = orders.filter((o) => o.day >= from && o.day <= to);
  const paid = inWindow.filter((o) => o.paid);
  return {
    orders: paid.length,
    cancelled: paid.filter((o) => o.cancelled).length,
    sellerFault: {
      orders: paid.filter((o) => !o.fbt).length,
      cancelled: paid.filter((o) => o.sellerFault).length,
    },
    partiallyCancelled: paid.filter((o) => o.partial).length,
    unpaidExpired: inWindow.filter((o) => !o.paid && o.category === 'unpaid').length,
  };
}
