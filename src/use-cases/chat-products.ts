import { localDay } from '../core/metrics/days.js';
import { DEFAULT_MIN_PRODUCT_ORDERS, productLines } from '../core/metrics/products.js';
import { resolveWindow, type Window, type WindowSpec } from '../core/metrics/window.js';
import { PRODUCTS_SHOWN, type ProductsView } from '../core/render/products.js';
import type { ChatSettings } from '../store/chats.js';
import type { Store } from '../store/store.js';

export interface ChatProducts {
  view: ProductsView;
  /** The days the chat's stored orders cover (of the shop asked for), or null without data. */
  dataRange: Window | null;
}

/**
 * A chat's products over a window, from the per-day product rows: the time it takes grows
 * with days × products in the window, not with its orders.
 */
export async function chatProducts(
  store: Store, chat: ChatSettings, spec: WindowSpec, now: number, shop?: string, minOrders = DEFAULT_MIN_PRODUCT_ORDERS,
): Promise<ChatProducts> {
  const dataRange = await store.orders.range(chat.id, shop);
  const window = resolveWindow(spec, () => localDay(now, chat.timeZone), dataRange);
  const rows = await store.orders.productRows(chat.id, window.from, window.to, { shopName: shop, reasonsOf: PRODUCTS_SHOWN });
  const hasLines = rows.length > 0 || await store.orders.hasProductLines(chat.id, shop);
  return { view: { window: { ...window, timeZone: chat.timeZone }, products: productLines(rows, minOrders), minOrders, hasLines }, dataRange };
}
