import { describe, expect, it } from 'vitest';
import { CATEGORIES, isSellerFault, type Category } from '../../src/core/reasons/categories.js';
import { classifyReason, normalizeText } from '../../src/core/reasons/classify.js';
import { REASON_TABLE } from '../../src/core/reasons/table.js';

/** Every reason the metric contract lists, category by category. */
const CONTRACT: Record<Exclude<Category, 'other'>, string[]> = {
  out_of_stock: ['Out of stock', '缺货', '库存不足', 'Hết hàng', 'Stok Habis'],
  pricing_error: ['Pricing error', 'Wrong price', '价格错误', '定价错误', 'Salah Harga'],
  price_or_promotion: ['Better price available', 'Discount not as expected', 'Forgot to apply coupons', 'High shipping fee',
    'Need to input/change coupon code', '有更优惠的价格', '优惠未达预期', '忘记使用优惠券', '运费太高'],
  late_fulfilment: ['Automatically cancelled due to collection time out', 'Automatically cancelled due to untraceable tracking number',
    "Item wasn't shipped on time", "Don't want to wait", 'Late shipment', '揽收超时自动取消', '物流单号无法追踪自动取消', '商品未按时发货', '不想等了', '发货延迟'],
  delivery_failure: ['Package delivery failed', 'Package lost', 'Package damaged', 'Package rejected', 'Late delivery',
    'not delivered within 30 days of estimated delivery', 'Unable to deliver to buyer address', 'Package scrapped', 'Inbound failed',
    '包裹配送失败', '包裹丢失', '包裹损坏', '包裹被拒收', '无法配送至买家地址'],
  description_mismatch: ['Wrong item variation (colour, size, etc.)', 'Need to change color or size', '商品规格选错', '需要更换颜色或尺码'],
  changed_mind: ['No longer needed', 'Bought by mistake', 'Order created by mistake', 'Buyer requested cancellation', '不再需要', '误购', '重复下单', '买家要求取消'],
  order_details: ['Incorrect shipping address', 'Wrong delivery information', 'Need to change shipping address', 'Need to change payment method',
    'Desired payment method not available', '收货地址错误', '需要更换支付方式', '无所需支付方式'],
  risk_control: ['Failed to pass risk review', 'Potential fraud', 'Risk control block', 'Order cancelled by system', '未通过风控审核', '疑似欺诈', '系统取消订单'],
  unpaid: ['Buyer payment overdue', "Buyer hasn't paid", 'Buyer did not pay on time', '买家超时未付款', '买家未付款'],
};

describe('reason classification', () => {
  for (const [category, reasons] of Object.entries(CONTRACT)) {
    it(`knows every ${category} reason of the contract`, () => {
      for (const reason of reasons) expect([reason, classifyReason(reason)]).toEqual([reason, category]);
    });
  }

  it('ignores case, spacing, width and punctuation', () => {
    for (const variant of ['OUT OF STOCK', ' out-of-stock. ', 'Out_of_Stock!', 'Ｏｕｔ ｏｆ ｓｔｏｃｋ', '缺 货。']) expect(classifyReason(variant)).toBe('out_of_stock');
    expect(classifyReason('Automatically canceled due to collection time-out')).toBe('late_fulfilment');
  });

  it('reads Partner API reason keys', () => {
    expect(classifyReason('seller_cancel_reason_out_of_stock')).toBe('out_of_stock');
    expect(classifyReason('ecom_order_to_ship_canceled_reason_change_payment_method')).toBe('order_details');
  });

  it('sends unknown and missing text to other', () => {
    expect(classifyReason('My cat sat on the keyboard')).toBe('other');
    expect(classifyReason('')).toBe('other');
    expect(classifyReason(null)).toBe('other');
  });

  it('is a table in which no phrase belongs to two categories', () => {
    const seen = new Map<string, Category>();
    for (const { category, phrases } of REASON_TABLE) {
      expect(CATEGORIES).toContain(category);
      for (const p of phrases) {
        const key = normalizeText(p);
        expect([p, seen.get(key) ?? category]).toEqual([p, category]);
        seen.set(key, category);
      }
    }
  });
});

describe('seller fault', () => {
  it('follows the contract: seller for its own reasons, system for late fulfilment, never buyer or TikTok', () => {
    const sellerExcused: Category[] = ['changed_mind', 'order_details', 'price_or_promotion', 'description_mismatch'];
    for (const c of CATEGORIES) {
      expect([c, isSellerFault('seller', c)]).toEqual([c, !sellerExcused.includes(c) && c !== 'unpaid']);
      expect([c, isSellerFault('system', c)]).toEqual([c, c === 'late_fulfilment']);
      expect(isSellerFault('buyer', c)).toBe(false);
      expect(isSellerFault('platform', c)).toBe(false);
      expect(isSellerFault('unknown', c)).toBe(false);
    }
  });
});
