import { describe, expect, it } from 'vitest';
import { reportLines } from '../../src/core/render/text.js';
import { translator } from '../../src/i18n.js';
import { delimited } from '../fixtures/real-world.js';
import { report } from '../support/report.js';

const HEADER = ['Order ID', 'Order Status', 'Cancelation/Return Type', 'SKU ID', 'Order Amount', 'Created Time', 'Paid Time', 'Cancel By', 'Cancel Reason', 'Fulfillment Type', 'Payment Method'];
const created = (n: number) => `0${1 + (n % 7)}/12/2026 10:00:00`;
const paidAt = (n: number) => `0${1 + (n % 7)}/12/2026 10:05:00`;

/**
 * A Brazilian shop's export in Portuguese, as a seller's tool rewrites Seller Center's words:
 * statuses, types and `Cancel By` the tables hold only in part. Counted by hand:
 * - placed (paid): 1, 2, 3, 4, 5, 6, 7, 9, 10 → 9 orders (8 is unpaid: "Aguardando o pagamento", no paid time);
 * - cancelled as a whole: 5 (buyer, changed mind), 6 (seller, out of stock), 7 (out of stock,
 *   cancelled by "Intermediário", which names nobody we know) → 3;
 * - partially cancelled: 9 (one of its two lines "Cancelamento do pedido") → 1;
 * - seller fault: 6 only (7's canceller is unknown: listed, never taken for the seller) → 1 of 9;
 * - 10 is a return ("Devolução"), not a cancellation.
 */
function portuguese(): string {
  const row = (n: number, status: string, type: string, by: string, reason: string, paid = true, sku = 'SKU-A') =>
    [`57700000000000${String(n).padStart(4, '0')}`, status, type, sku, 'BRL 35,91', created(n), paid ? paidAt(n) : '', by, reason, 'Enviado pelo vendedor', 'Cartão de crédito'];
  return delimited([
    HEADER,
    row(1, 'Concluído', '', '', ''),
    row(2, 'Pedido concluído', '', '', ''),
    row(3, 'Entregue ao comprador', '', '', ''),
    row(4, 'Aguardando envio', '', '', ''),
    row(5, 'Cancelado pelo comprador', 'Cancelamento do pedido', 'Cancelado pelo comprador', 'Mudei de ideia'),
    row(6, 'Cancelado', 'Cancelamento', 'Loja', 'Sem estoque'),
    row(7, 'Pedido cancelado', 'Cancelamento', 'Intermediário', 'Sem estoque'),
    row(8, 'Aguardando o pagamento', '', '', '', false),
    row(9, 'Pedido enviado', 'Cancelamento do pedido', 'Cancelado pelo comprador', 'Mudei de ideia', true, 'SKU-A'),
    row(9, 'Pedido enviado', '', '', '', true, 'SKU-B'),
    row(10, 'Entregue', 'Devolução', '', ''),
  ]);
}

/**
 * A Vietnamese shop's export, cash on delivery for most orders, in Vietnamese words the tables
 * hold only in part. Counted by hand:
 * - placed: 1, 2 (paid), 3 (COD, "Giao hàng thành công"), 4 (COD, "Chờ đóng gói"), 5, 6, 8 (paid),
 *   10 (paid; its status "Yêu cầu hủy đơn (Chờ phản hồi)" is a cancellation asked for, not
 *   granted: unknown, listed, and the order is not cancelled) → 8 orders;
 * - not placed: 7 (cancelled by the system for non-payment, no paid time: an expired unpaid
 *   order), 9 ("Chưa thanh toán", no paid time);
 * - cancelled: 5 (buyer, changed mind), 6 (seller, out of stock), 8 (out of stock, cancelled by
 *   "Bên thứ ba", a third party nobody knows) → 3;
 * - seller fault: 6 only → 1 of 8.
 */
function vietnamese(): string {
  const row = (n: number, status: string, type: string, by: string, reason: string, paid: boolean, method: string) =>
    [`58000000000000${String(n).padStart(4, '0')}`, status, type, 'SKU-V', '150.000₫', created(n), paid ? paidAt(n) : '', by, reason, 'Người bán tự vận chuyển', method];
  const cod = 'Thanh toán khi nhận hàng';
  return delimited([
    HEADER,
    row(1, 'Hoàn thành', '', '', '', true, 'Thẻ tín dụng'),
    row(2, 'Đơn hàng hoàn tất', '', '', '', true, 'Thẻ tín dụng'),
    row(3, 'Giao hàng thành công', '', '', '', false, cod),
    row(4, 'Chờ đóng gói', '', '', '', false, cod),
    row(5, 'Đã hủy đơn', 'Hủy đơn hàng', 'Người mua hủy', 'Đổi ý', true, 'Thẻ tín dụng'),
    row(6, 'Đã hủy', 'Hủy', 'Nhà bán hàng', 'Hết hàng', true, 'Thẻ tín dụng'),
    row(7, 'Đã hủy', 'Hủy', 'Hệ thống tự động', 'Người mua chưa thanh toán', false, 'Chuyển khoản ngân hàng'),
    row(8, 'Đơn hàng bị huỷ', 'Hủy', 'Bên thứ ba', 'Hết hàng', true, 'Thẻ tín dụng'),
    row(9, 'Chưa thanh toán', '', '', '', false, 'Chuyển khoản ngân hàng'),
    row(10, 'Yêu cầu hủy đơn (Chờ phản hồi)', '', '', '', true, 'Thẻ tín dụng'),
  ]);
}

describe('an export in each market\'s own words (issue 28, point 4)', () => {
  it('Portuguese: statuses, types and Cancel By read by meaning; the report equals the hand count', async () => {
    const r = await report({ name: 'OrderSKUList-BR.csv', data: portuguese() }, { timeZone: 'America/Sao_Paulo' });
    expect(r).toMatchObject({
      orders: 9, cancelled: 3, partiallyCancelled: 1, unpaidExpired: 0,
      sellerFault: { orders: 9, cancelled: 1 },
      byInitiator: { buyer: 1, seller: 1, system: 0, platform: 0, unknown: 1 },
      missing: [],
      // The Cancel By nobody knows is listed, and nothing else is.
      unrecognised: { 'Cancel By': { Intermediário: 1 } },
    });
    expect(r.cancelRate).toBeCloseTo(3 / 9, 12);
    expect(r.sellerFault?.rate).toBeCloseTo(1 / 9, 12);
    expect(r.reasons?.map((x) => [x.category, x.cancelled, x.sellerFault])).toEqual([['out_of_stock', 2, 1], ['changed_mind', 1, 0]]);
    expect(reportLines(r, translator('en'), { html: false })).toContain('⚠️ Unrecognised Cancel By values: Intermediário ×1; SFCR may be understated.');
  });

  it('Vietnamese: a cancellation asked for is not one, an unknown Cancel By is listed, never defaulted', async () => {
    const r = await report({ name: 'OrderSKUList-VN.csv', data: vietnamese() }, { timeZone: 'Asia/Ho_Chi_Minh' });
    expect(r).toMatchObject({
      orders: 8, cancelled: 3, partiallyCancelled: 0, unpaidExpired: 1,
      sellerFault: { orders: 8, cancelled: 1 },
      byInitiator: { buyer: 1, seller: 1, system: 0, platform: 0, unknown: 1 },
      uncertainCod: { orders: 0 },
      unrecognised: { 'Cancel By': { 'Bên thứ ba': 1 }, 'Order Status': { 'Yêu cầu hủy đơn (Chờ phản hồi)': 1 } },
    });
    expect(Object.keys(r.unrecognised).sort()).toEqual(['Cancel By', 'Order Status']);
    expect(r.cancelRate).toBeCloseTo(3 / 8, 12);
    expect(r.sellerFault?.rate).toBeCloseTo(1 / 8, 12);
  });
});
