import type { Order, OrderLine } from '../order.js';
import { dayOf } from '../order.js';
import type { Category } from '../reasons/categories.js';
import { orderStanding, type OrderStanding } from './tally.js';

/**
 * Cancellations per product, by the "Per product" rules of the metric contract (docs/metrics.md,
 * docs/metrics-per-product.md). A "product" is one catalogue item as sellers fix it: a SKU
 * (a product's variation), known by its SKU ID, else its seller SKU, else its name and variation.
 */

/** How a product is named in replies; any field may be missing from a source. */
export interface ProductLabel {
  skuId: string | null;
  sellerSku: string | null;
  product: string | null;
  variation: string | null;
}

/** Counts of orders containing a product; counts of disjoint order sets add up. */
export interface ProductCounts {
  /** Placed (paid or placed COD) orders containing the product. */
  orders: number;
  /** Of them, cancelled as a whole. */
  cancelled: number;
  /** Placed orders containing it, without FBT and sample orders (the SFCR denominator). */
  sellerFaultOrders: number;
  sellerFaultCancelled: number;
  /** Partially cancelled orders in which a line of this product was cancelled. */
  partiallyCancelled: number;
}

/**
 * A product's counts under one reason (null: orders neither cancelled nor partially cancelled
 * for this product, or a product's counts read without their reasons). What the store keeps
 * per shop and local day; any window sums its days.
 */
export interface ProductRow extends ProductCounts {
  key: string;
  category: Category | null;
  label: ProductLabel;
}

export interface ProductDayRow extends ProductRow {
  day: string;
}

/** A product's figures over a window: the `products` entries of the JSON contract. */
export interface ProductLine {
  key: string;
  product: string | null;
  variation: string | null;
  sellerSku: string | null;
  skuId: string | null;
  orders: number;
  cancelled: number;
  /** cancelled / orders, or null below the minimum of placed orders. */
  cancelRate: number | null;
  sellerFault: { orders: number; cancelled: number; rate: number | null };
  partiallyCancelled: number;
  /**
   * The reason with the most seller-fault cancels, else the most cancels, else the most partial
   * cancels. Null, and `reasons` empty, where the rows came without reasons: a chat's store reads
   * them for the products it lists only.
   */
  mainReason: Category | null;
  reasons: Array<{ category: Category; cancelled: number; sellerFault: number; partiallyCancelled: number }>;
}

/** Below this many placed orders in the window a product is listed by count, with no rate. */
export const DEFAULT_MIN_PRODUCT_ORDERS = 20;

/** The identity rows are summed under: the SKU ID, else the seller SKU, else name and variation. */
export function productKey(line: ProductLabel): string {
  if (line.skuId) return `sku:${line.skuId}`;
  if (line.sellerSku) return `seller:${line.sellerSku}`;
  if (line.product || line.variation) return `name:${line.product ?? ''}\x1f${line.variation ?? ''}`;
  return 'none';
}

/** How a line names its product. */
export const labelOf = (l: OrderLine): ProductLabel => ({ skuId: l.skuId, sellerSku: l.sellerSku, product: l.product, variation: l.variation });

function addCounts(into: ProductCounts, from: ProductCounts): void {
  into.orders += from.orders;
  into.cancelled += from.cancelled;
  into.sellerFaultOrders += from.sellerFaultOrders;
  into.sellerFaultCancelled += from.sellerFaultCancelled;
  into.partiallyCancelled += from.partiallyCancelled;
}

/**
 * Per-day product rows summed in memory, as the store sums them: the CLI's and the import's.
 * Counted straight into the rows, without a row per order and product first: the bot counts
 * every line of an upload on its main thread.
 */
export class ProductRollup {
  /**
   * Rows by day, product and reason, and product keys by SKU ID, made once: a key looked up
   * again keeps its hash, where a key or joined id built again per line is hashed again.
   */
  private readonly byDay = new Map<string, Map<string, Map<Category | null, ProductDayRow>>>();
  private readonly keys = new Map<string, string>();
  private rowsMade = 0;
  /** The last day's products: orders of a file come mostly day by day. */
  private lastDay: { day: string; products: Map<string, Map<Category | null, ProductDayRow>> } | null = null;

  /**
   * Adds what one order adds to each product in it (with `sign` -1, takes a stored order's
   * counts back out): once per distinct product however many lines or units it bought. A whole
   * cancel counts for every product in the order; a partial cancel only for the products whose
   * lines were cancelled, and apart from whole cancels. Unpaid orders and orders without lines
   * count for no product.
   */
  add(order: Order, lines: readonly OrderLine[] | undefined = order.lines, sign = 1): void {
    if (!lines || lines.length === 0) return;
    const standing = orderStanding(order);
    if (!standing.placed) return;
    // Orders of a file without times belong to no day ('' here): only a whole-file report counts them.
    const day = dayOf(order) ?? '';
    const [only] = lines;
    if (only && lines.length === 1) {
      this.count(order, standing, day, this.keyOf(only), only, only.cancelled, sign);
      return;
    }
    const products = new Map<string, { line: OrderLine; lineCancelled: boolean }>();
    for (const line of lines) {
      const key = this.keyOf(line);
      const held = products.get(key);
      if (held) held.lineCancelled ||= line.cancelled;
      else products.set(key, { line, lineCancelled: line.cancelled });
    }
    for (const [key, { line, lineCancelled }] of products) this.count(order, standing, day, key, line, lineCancelled, sign);
  }

  /** The line's product key (productKey). */
  keyOf(line: OrderLine): string {
    if (!line.skuId) return productKey(line);
    let key = this.keys.get(line.skuId);
    if (key === undefined) this.keys.set(line.skuId, (key = productKey(line)));
    return key;
  }

  /** A product's rows on a day, by reason. */
  private reasonsOf(day: string, key: string): Map<Category | null, ProductDayRow> {
    let last = this.lastDay;
    if (last?.day !== day) {
      let products = this.byDay.get(day);
      if (!products) this.byDay.set(day, (products = new Map()));
      this.lastDay = last = { day, products };
    }
    let reasons = last.products.get(key);
    if (!reasons) last.products.set(key, (reasons = new Map()));
    return reasons;
  }

  /** One order's count for one of its products, named by the product's first line. */
  private count(order: Order, standing: OrderStanding, day: string, key: string, line: OrderLine, lineCancelled: boolean, sign: number): void {
    const partial = order.partiallyCancelled && lineCancelled;
    const category = order.cancelled || partial ? standing.category : null;
    const reasons = this.reasonsOf(day, key);
    let row = reasons.get(category);
    if (!row) {
      row = { day, key, label: labelOf(line), category, orders: 0, cancelled: 0, sellerFaultOrders: 0, sellerFaultCancelled: 0, partiallyCancelled: 0 };
      reasons.set(category, row);
      this.rowsMade++;
    } else if (sign > 0) {
      // Named as the latest line names it. Made anew rather than compared first: a name read in
      // another batch is an equal string but another one, and comparing four of them by their
      // characters, per line, costs more than making the label.
      row.label = labelOf(line);
    }
    row.orders += sign;
    if (order.cancelled) row.cancelled += sign;
    if (standing.countsForSellerFault) row.sellerFaultOrders += sign;
    if (standing.sellerFault) row.sellerFaultCancelled += sign;
    if (partial) row.partiallyCancelled += sign;
  }

  /** Rows made so far (by day, product and reason). */
  get size(): number {
    return this.rowsMade;
  }

  rows(): ProductDayRow[] {
    const rows: ProductDayRow[] = [];
    for (const products of this.byDay.values()) for (const reasons of products.values()) for (const row of reasons.values()) rows.push(row);
    return rows;
  }

  /** Rows of the days `from`…`to` (both included), and with `undated` those of orders without times. */
  between(from: string, to: string, undated = false): ProductDayRow[] {
    return this.rows().filter((r) => (r.day === '' ? undated : r.day >= from && r.day <= to));
  }
}

/** The larger of two texts, so a label is the same whatever order rows arrive in. */
const larger = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a >= b ? a : b);

/** Two names of one product (two shops, two days) → one, field by field, whatever their order. */
export const largerLabel = (a: ProductLabel, b: ProductLabel): ProductLabel => ({
  skuId: larger(a.skuId, b.skuId), sellerSku: larger(a.sellerSku, b.sellerSku), product: larger(a.product, b.product), variation: larger(a.variation, b.variation),
});

/**
 * Rows of a window (any days, shops, reasons) → one line per product, those that cost the
 * seller most first: seller-fault cancels, then cancels, then partial cancels, then orders.
 * A rate needs at least `minOrders` orders under it, so one unlucky order never reads as 100%.
 */
export function productLines(rows: Iterable<ProductRow>, minOrders = DEFAULT_MIN_PRODUCT_ORDERS): ProductLine[] {
  const byKey = new Map<string, RankedProduct & { label: ProductLabel; reasons: Map<Category, ProductCounts> }>();
  for (const row of rows) {
    let p = byKey.get(row.key);
    if (!p) {
      p = { key: row.key, label: { ...row.label }, total: emptyCounts(), reasons: new Map() };
      byKey.set(row.key, p);
    } else {
      p.label = largerLabel(p.label, row.label);
    }
    addCounts(p.total, row);
    if (row.category !== null) {
      const r = p.reasons.get(row.category) ?? emptyCounts();
      addCounts(r, row);
      p.reasons.set(row.category, r);
    }
  }
  const min = Math.max(1, minOrders);
  const rate = (part: number, whole: number) => (whole >= min ? part / whole : null);
  const lines: ProductLine[] = [];
  for (const { key, label, total, reasons } of [...byKey.values()].sort(costliestFirst)) {
    if (total.orders <= 0) continue;
    const reasonLines = [...reasons]
      .map(([category, c]) => ({ category, cancelled: c.cancelled, sellerFault: c.sellerFaultCancelled, partiallyCancelled: c.partiallyCancelled }))
      .filter((r) => r.cancelled > 0 || r.partiallyCancelled > 0)
      .sort((a, b) => b.sellerFault - a.sellerFault || b.cancelled - a.cancelled || b.partiallyCancelled - a.partiallyCancelled || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0));
    lines.push({
      key, product: label.product, variation: label.variation, sellerSku: label.sellerSku, skuId: label.skuId,
      orders: total.orders,
      cancelled: total.cancelled,
      cancelRate: rate(total.cancelled, total.orders),
      sellerFault: { orders: total.sellerFaultOrders, cancelled: total.sellerFaultCancelled, rate: rate(total.sellerFaultCancelled, total.sellerFaultOrders) },
      partiallyCancelled: total.partiallyCancelled,
      mainReason: reasonLines[0]?.category ?? null,
      reasons: reasonLines,
    });
  }
  return lines;
}

/** A product's counts over a window, as products are ranked. */
export interface RankedProduct {
  key: string;
  total: ProductCounts;
}

/**
 * The order products are listed in, those that cost the seller most first: seller-fault
 * cancels, then cancels, then partial cancels, then orders; ties by key, so a list reads the
 * same however its rows arrived.
 */
export function costliestFirst(a: RankedProduct, b: RankedProduct): number {
  return b.total.sellerFaultCancelled - a.total.sellerFaultCancelled || b.total.cancelled - a.total.cancelled
    || b.total.partiallyCancelled - a.total.partiallyCancelled || b.total.orders - a.total.orders || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

const emptyCounts = (): ProductCounts => ({ orders: 0, cancelled: 0, sellerFaultOrders: 0, sellerFaultCancelled: 0, partiallyCancelled: 0 });
