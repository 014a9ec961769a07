import type { ProductLine } from '../metrics/products.js';
import type { ReportWindow } from '../metrics/report.js';
import type { Category } from '../reasons/categories.js';
import { shorten } from './labels.js';
import { markupOf, percent, splitMessages, TELEGRAM_MAX_MESSAGE, type Markup, type MarkupChoice } from './markup.js';
import type { Translator } from './translator.js';

/** A window's products, for `/products` and `report --by product`. */
export interface ProductsView {
  window: ReportWindow;
  products: readonly ProductLine[];
  /** Placed orders a product needs in the window before it gets a rate. */
  minOrders: number;
  /** False when none of the window's orders carries product lines (exports without SKU columns). */
  hasLines: boolean;
}

/** How many products a chat reply and a picture list. */
export const PRODUCTS_SHOWN = 15;
/** Lines of "top products" a /rate reply carries. */
export const TOP_PRODUCTS_IN_REPORT = 3;

/** Columns a product name and its variation may take in a text line. */
const NAME_WIDTH = 40;
const DETAIL_WIDTH = 24;

type Named = Pick<ProductLine, 'product' | 'variation' | 'sellerSku' | 'skuId'>;

/**
 * A product as sellers recognise it, cut to fit: "name · variation", falling back on the seller
 * SKU, then the SKU ID, where the variation (or the name) is missing.
 */
export function productName(p: Named, tr: Translator, nameWidth = NAME_WIDTH, detailWidth = DETAIL_WIDTH): string {
  const detail = p.variation ?? p.sellerSku ?? p.skuId;
  if (p.product && detail) return `${shorten(p.product, nameWidth)} · ${shorten(detail, detailWidth)}`;
  const only = p.product ?? detail;
  return only ? shorten(only, nameWidth) : tr.t('products-unnamed');
}

/** How a seller names a SKU in a to-do: its seller SKU where it has one, else its name. */
function skuName(p: Named, tr: Translator): string {
  return p.sellerSku ? shorten(p.sellerSku, DETAIL_WIDTH) : productName(p, tr);
}

/**
 * A strategy naming the product behind a category, where the data allows: the costliest product
 * whose seller-fault cancels are at least half of this category ("RED-L: 9 of 12 seller
 * cancels were out of stock: …"). Null where no product stands out or the category has no
 * such wording.
 */
export function productStrategy(tr: Translator, category: Category, products: readonly ProductLine[]): string | null {
  const key = `strategy-product-${category}`;
  if (!tr.has(key)) return null;
  for (const p of products) {
    const count = p.reasons.find((r) => r.category === category)?.sellerFault ?? 0;
    const total = p.sellerFault.cancelled;
    if (count > 0 && count * 2 >= total) return tr.t(key, { name: skuName(p, tr), count, total });
  }
  return null;
}

const rateOr = (tr: Translator, rate: number | null, min: number) => (rate === null ? tr.t('products-no-rate', { min }) : percent(tr, rate));
const reasonName = (tr: Translator, category: Category | null) => (category === null ? '—' : tr.t(`category-${category}`));

/** The /rate reply's "top products" lines: products with seller-fault cancels, costliest first. */
export function topProductLines(products: readonly ProductLine[], tr: Translator, markup: Markup): string[] {
  const top = products.filter((p) => p.sellerFault.cancelled > 0).slice(0, TOP_PRODUCTS_IN_REPORT);
  if (top.length === 0) return [];
  return [
    markup.bold(markup.escape(tr.t('report-products-title'))),
    ...top.map((p) => markup.escape(tr.t('report-product-line', {
      name: productName(p, tr), cancelled: p.sellerFault.cancelled, orders: p.sellerFault.orders, reason: reasonName(tr, p.mainReason),
    }))),
  ];
}

/** How a product list is written: a markup (HTML, plain text, robot markdown) and how many products it shows. */
export interface ProductListOptions extends MarkupChoice {
  limit?: number;
}

/** The product list as lines: a heading, two lines per product, what was left out, how to read it. */
export function productListLines(view: ProductsView, tr: Translator, options: ProductListOptions): string[] {
  const markup = markupOf(options);
  const esc = (text: string) => markup.escape(text);
  const out = [
    markup.bold(esc(tr.t('products-title'))),
    esc(view.window.from === null || view.window.to === null
      ? tr.t('report-window-whole-file')
      : tr.t('report-window', { from: view.window.from, to: view.window.to, timeZone: view.window.timeZone })),
  ];
  if (!view.hasLines) return [...out, esc(tr.t('products-none'))];
  if (view.products.length === 0) return [...out, esc(tr.t('products-no-orders'))];
  const limit = options.limit ?? PRODUCTS_SHOWN;
  view.products.slice(0, limit).forEach((p, i) => {
    out.push(esc(tr.t('products-line', { rank: i + 1, name: productName(p, tr) })));
    let figures = tr.t('products-figures', {
      sellerFault: p.sellerFault.cancelled, sellerFaultOrders: p.sellerFault.orders, sellerFaultRate: rateOr(tr, p.sellerFault.rate, view.minOrders),
      cancelled: p.cancelled, orders: p.orders, cancelRate: rateOr(tr, p.cancelRate, view.minOrders),
    });
    if (p.partiallyCancelled > 0) figures += tr.t('products-partial', { count: p.partiallyCancelled });
    if (p.mainReason) figures += tr.t('products-main-reason', { reason: reasonName(tr, p.mainReason) });
    out.push(esc(figures));
  });
  if (view.products.length > limit) out.push(esc(tr.t('products-more', { count: view.products.length - limit })));
  out.push('', esc(tr.t('products-min-note', { min: view.minOrders })));
  return out;
}

/** The product list as chat messages under Telegram's limit, or as one text (`maxLength: Infinity`). */
export function renderProducts(view: ProductsView, tr: Translator, options: ProductListOptions & { maxLength?: number }): string[] {
  return splitMessages(productListLines(view, tr, options), options.maxLength ?? TELEGRAM_MAX_MESSAGE);
}
