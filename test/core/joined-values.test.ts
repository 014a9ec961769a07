import { describe, expect, it } from 'vitest';
import { STATUS } from '../../src/core/ingest/values.js';
import { classifyReason, readReason } from '../../src/core/reasons/classify.js';

/**
 * Cells that join two values ("A / B"): the words of the two together must never make a third
 * reading. Found by the property tests of the corpus; kept here as fixed cases.
 */
describe('two values joined in one cell', () => {
  it('never read as a third reason', () => {
    for (const text of ['Seller requested to cancel order / Buyer cancelled', 'ecom_order_unpaid_canceled_reason_other; Other']) {
      expect(readReason(text)).toMatchObject({ category: 'other', known: false });
    }
    // A part that reads as the whole does still carries it.
    expect(classifyReason('Out of stock / sorry')).toBe('out_of_stock');
  });

  it('never read as a third order status', () => {
    expect(STATUS.read('ที่ต้องจัดส่ง / สำเร็จแล้ว').value).toBeUndefined();
  });
});
