import type { ReportColumn } from '../order.js';
import { normalizeText } from '../reasons/classify.js';
import { ImportError } from './errors.js';
import { ON_DEMAND, READ } from './rows.js';

/**
 * The columns cancelwatch reads from a TikTok Shop export, with the names Seller Center (and
 * sellers' tools) have used for each. Everything else in the file (buyer names, phones,
 * addresses, messages) is never looked at.
 */
const COLUMNS = {
  orderId: ['Order ID', 'Order Id', 'OrderID', 'Order No', 'Order Number', '订单号', '订单ID', '订单编号', '注文ID', '注文番号'],
  status: ['Order Status', 'Status', '订单状态', '注文ステータス'],
  substatus: ['Order Substatus', 'Order Sub Status', 'Order Sub-status', '订单子状态'],
  cancelType: ['Cancelation/Return Type', 'Cancellation/Return Type', 'Cancelation Return Type', 'Cancellation Return Type', '取消/退货类型', '取消退货类型'],
  amount: ['Order Amount', 'Order Total', '订单金额', '注文金額'],
  created: ['Created Time', 'Order Created Time', 'Create Time', 'Order Create Time', 'Created At', '创建时间', '下单时间', '订单创建时间', '注文日時'],
  paid: ['Paid Time', 'Payment Time', 'Order Paid Time', 'Paid At', '付款时间', '支付时间', '支払日時'],
  paymentMethod: ['Payment Method', 'Payment Type', '支付方式', '付款方式', '支払方法'],
  cancelBy: ['Cancel By', 'Cancelled By', 'Canceled By', 'Cancellation Initiator', '取消方', '取消人', '取消发起方'],
  cancelReason: ['Cancel Reason', 'Cancellation Reason', 'Cancelation Reason', '取消原因', 'キャンセル理由'],
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

const PRODUCT_COLUMNS = ['skuId', 'sellerSku', 'productName', 'variation', 'quantity'] as const satisfies readonly ColumnKey[];

/**
 * Columns a row's reader asks for only on some rows: the payment method bears only on a line
 * without a paid time. Seller Center writes it near the end of a row, past the buyer's address,
 * so most rows are never read that far.
 */
const ON_DEMAND_COLUMNS = ['paymentMethod'] as const satisfies readonly ColumnKey[];

/** The standard export name the report uses for each column it may find missing. */
const REPORTED: Partial<Record<ColumnKey, ReportColumn>> = {
  status: 'Order Status', cancelType: 'Cancelation/Return Type', created: 'Created Time', paid: 'Paid Time',
  paymentMethod: 'Payment Method', cancelBy: 'Cancel By', cancelReason: 'Cancel Reason', fulfillment: 'Fulfillment Type',
  amount: 'Order Amount',
};

type OnDemandKey = (typeof ON_DEMAND_COLUMNS)[number];

/** Where each column read on every row sits in a kept row; only the Order ID is always there. */
export type ColumnMap = { orderId: number } & Partial<Record<Exclude<ColumnKey, 'orderId' | OnDemandKey>, number>>;

/**
 * Where each on-demand column sits in a kept row once its cells are asked for
 * (cellsOnDemand): kept apart from ColumnMap, so that no reader takes one without asking.
 */
export type OnDemandMap = Partial<Record<OnDemandKey, number>>;

/** Only an Order ID and something that says whether it was cancelled are required; every other column degrades one figure. */
const isReadable = (found: Partial<Record<ColumnKey, number>>): found is { orderId: number } & Partial<Record<ColumnKey, number>> =>
  found.orderId !== undefined && (found.status !== undefined || found.cancelType !== undefined);

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

/** Where each known column sits in a header row (first occurrence wins), and how many were found. */
export function findColumns(cells: readonly string[]): { found: Partial<Record<ColumnKey, number>>; count: number } {
  const found: Partial<Record<ColumnKey, number>> = {};
  let count = 0;
  cells.forEach((cell, i) => {
    const key = ALIASES.get(normalizeText(cell.trim()));
    if (key !== undefined && found[key] === undefined) { found[key] = i; count++; }
  });
  return { found, count };
}

/**
 * How one file is read, decided once from its header row and handed down: which cells of a
 * row to cut out (`mask`: on every row or on demand, see rows.ts), where each column sits among
 * the cut-out cells (`columns`), and which columns the report must say are missing.
 */
export interface HeaderPlan {
  mask: Uint8Array;
  columns: ColumnMap;
  onDemand: OnDemandMap;
  missing: ReportColumn[];
}

/**
 * Header row → the file's plan. Names missing required columns (by their standard export
 * name) or, where the file is another marketplace's, says which.
 */
export function planHeader(file: string, cells: readonly string[], options: { productLines?: boolean } = {}): HeaderPlan {
  // Other marketplaces share some column names (Shopee has an Order ID and an Order Status): their own columns decide first.
  const platform = detectOtherPlatform(cells);
  if (platform) throw new ImportError('other-platform', { file, platform });
  const { found } = findColumns(cells);
  if (!isReadable(found)) {
    if (found.orderId === undefined && found.status === undefined && found.cancelType === undefined) throw new ImportError('no-header', { file });
    // Which required column is missing (both missing is no header at all, above), as a selector: the words are the locale's.
    throw new ImportError('missing-columns', { file, columns: found.orderId === undefined ? 'id' : 'status' });
  }
  const read = Object.entries(found) as [ColumnKey, number][];
  // Without product lines wanted, their cells (product names are a row's longest) are never cut out.
  const kept = options.productLines === false ? read.filter(([key]) => !(PRODUCT_COLUMNS as readonly ColumnKey[]).includes(key)) : read;
  const mask = new Uint8Array(cells.length);
  const onDemand = (key: ColumnKey): key is OnDemandKey => (ON_DEMAND_COLUMNS as readonly ColumnKey[]).includes(key);
  for (const [key, i] of kept) mask[i] = onDemand(key) ? ON_DEMAND : READ;
  // A kept row holds only the kept cells, in column order: each column's place among them.
  const rank = new Map<number, number>();
  mask.forEach((kept, i) => { if (kept) rank.set(i, rank.size); });
  const plan: HeaderPlan = { mask, columns: { orderId: 0 }, onDemand: {}, missing: [] };
  for (const [key, i] of kept) {
    if (onDemand(key)) plan.onDemand[key] = rank.get(i) ?? 0;
    else plan.columns[key] = rank.get(i) ?? 0;
  }
  plan.missing = (Object.entries(REPORTED) as [ColumnKey, ReportColumn][]).filter(([key]) => found[key] === undefined).map(([, name]) => name);
  return plan;
}
