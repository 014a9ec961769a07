import { z } from 'zod';
import { normalizeText } from '../reasons/classify.js';
import { ImportError } from './errors.js';

/**
 * The columns cancelwatch reads from a TikTok Shop export, with the names Seller Center has
 * used for each. Everything else in the file (buyer names, phones, addresses, messages) is
 * never looked at.
 */
const COLUMNS = {
  orderId: ['Order ID', 'Order Id', 'OrderID', '订单号', '订单ID', '订单编号'],
  status: ['Order Status', '订单状态'],
  substatus: ['Order Substatus', 'Order Sub Status', '订单子状态'],
  cancelType: ['Cancelation/Return Type', 'Cancellation/Return Type', 'Cancelation Return Type', '取消/退货类型', '取消退货类型'],
  amount: ['Order Amount', '订单金额'],
  created: ['Created Time', 'Order Created Time', 'Create Time', '创建时间', '下单时间', '订单创建时间'],
  paid: ['Paid Time', 'Payment Time', '付款时间', '支付时间'],
  cancelBy: ['Cancel By', 'Cancelled By', 'Canceled By', '取消方', '取消人'],
  cancelReason: ['Cancel Reason', 'Cancellation Reason', 'Cancelation Reason', '取消原因'],
  fulfillment: ['Fulfillment Type', 'Fulfilment Type', '履约类型', '配送方式类型'],
  sample: ['Is Sample Order', 'Sample Order', '样品订单'],
  // What each line bought: kept per order line for the per-product figures.
  skuId: ['SKU ID', 'SKU Id', 'SkuID', 'SKU编号', 'SKU ID号'],
  sellerSku: ['Seller SKU', 'Seller Sku', '卖家SKU', '商家SKU', '商家编码'],
  productName: ['Product Name', 'Product Title', '商品名称', '产品名称'],
  variation: ['Variation', 'SKU Name', 'Variant', '规格', '商品规格', '变体'],
  quantity: ['Quantity', 'SKU Quantity', '数量', '商品数量'],
} as const;

export type ColumnKey = keyof typeof COLUMNS;

/** The columns without which the figures would be wrong rather than merely thinner. */
const REQUIRED = ['orderId', 'status', 'created', 'paid', 'cancelBy', 'cancelReason'] as const satisfies readonly ColumnKey[];

const index = z.number().int().nonnegative();
const ColumnMap = z.object({
  orderId: index, status: index, created: index, paid: index, cancelBy: index, cancelReason: index,
  substatus: index.optional(), cancelType: index.optional(), amount: index.optional(),
  fulfillment: index.optional(), sample: index.optional(),
  skuId: index.optional(), sellerSku: index.optional(), productName: index.optional(), variation: index.optional(), quantity: index.optional(),
});
export type ColumnMap = z.infer<typeof ColumnMap>;

const ALIASES: ReadonlyMap<string, ColumnKey> = new Map(
  (Object.entries(COLUMNS) as [ColumnKey, readonly string[]][]).flatMap(([key, names]) => names.map((n) => [normalizeText(n), key] as const)),
);

/**
 * Exports from other marketplaces, told apart by columns only they have. A seller who sent
 * the wrong file learns which file it was, not just that it failed.
 */
const OTHER_PLATFORMS: ReadonlyArray<{ platform: string; columns: readonly string[] }> = [
  { platform: 'Shopee', columns: ['Username (Buyer)', 'Order Creation Date', 'Return / Refund Status', 'Tracking Number*', 'Seller Voucher'] },
  { platform: 'Shopify', columns: ['Financial Status', 'Fulfillment Status', 'Lineitem name', 'Lineitem quantity', 'Billing Name'] },
  { platform: 'Amazon', columns: ['amazon-order-id', 'merchant-order-id', 'purchase-date', 'sales-channel', 'order-status'] },
  { platform: 'Lazada', columns: ['orderItemId', 'orderNumber', 'lazadaSku', 'sellerSku', 'createTime'] },
];

export function detectOtherPlatform(cells: readonly string[]): string | null {
  const present = new Set(cells.map(normalizeText));
  for (const { platform, columns } of OTHER_PLATFORMS) {
    if (columns.filter((c) => present.has(normalizeText(c))).length >= 2) return platform;
  }
  return null;
}

/**
 * Header row → where each column we read sits. Names missing columns (by their standard
 * export name) or, where the file is another marketplace's, says which.
 */
export function mapHeader(file: string, cells: readonly string[]): ColumnMap {
  const found: Partial<Record<ColumnKey, number>> = {};
  cells.forEach((cell, i) => {
    const key = ALIASES.get(normalizeText(cell));
    if (key !== undefined && found[key] === undefined) found[key] = i;
  });
  const parsed = ColumnMap.safeParse(found);
  if (parsed.success) return parsed.data;
  const platform = detectOtherPlatform(cells);
  if (platform) throw new ImportError('other-platform', { file, platform });
  const missing = REQUIRED.filter((k) => found[k] === undefined);
  if (missing.length === REQUIRED.length) throw new ImportError('no-header', { file });
  throw new ImportError('missing-columns', { file, columns: missing.map((k) => COLUMNS[k][0]).join(', '), count: missing.length });
}

/**
 * Which cells of a row the importer reads (1 for each mapped column), and the column map
 * renumbered for rows that hold only those cells, in column order.
 */
export function keepOnlyMapped(columns: ColumnMap, width: number): { mask: Uint8Array; compact: ColumnMap } {
  const mask = new Uint8Array(width);
  for (const i of Object.values(columns)) if (i !== undefined && i < width) mask[i] = 1;
  const rank = new Map<number, number>();
  mask.forEach((kept, i) => { if (kept) rank.set(i, rank.size); });
  const compact = Object.fromEntries(Object.entries(columns).map(([key, i]) => [key, i === undefined ? undefined : rank.get(i)]));
  return { mask, compact: ColumnMap.parse(compact) };
}
