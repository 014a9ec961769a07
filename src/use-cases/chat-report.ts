import { previousWindow, resolveWindow, type WindowSpec } from '../core/metrics/window.js';
import { localDay } from '../core/metrics/days.js';
import { DEFAULT_MIN_PRODUCT_ORDERS, productLines } from '../core/metrics/products.js';
import { PRODUCTS_SHOWN } from '../core/render/products.js';
import type { Translator } from '../core/render/translator.js';
import type { ChatSettings } from '../store/chats.js';
import type { Store } from '../store/store.js';
import { reportFromTallies, type TalliesReport } from './report.js';

export type ChatReport = TalliesReport;

/**
 * A chat's report from its stored daily rollups: the window and the one before it are read
 * (a row per shop and day, however many orders), then reported like any other tallies.
 */
export async function chatReport(
  store: Store, chat: ChatSettings, spec: WindowSpec, tr: Translator, now: number, shop?: string, minProductOrders = DEFAULT_MIN_PRODUCT_ORDERS,
): Promise<ChatReport> {
  const dataRange = await store.orders.range(chat.id, shop);
  const window = resolveWindow(spec, () => localDay(now, chat.timeZone), dataRange);
  const tallies = await store.orders.tallies(chat.id, previousWindow(window).from, window.to, shop);
  const products = productLines(await store.orders.productRows(chat.id, window.from, window.to, { shopName: shop, reasonsOf: PRODUCTS_SHOWN }), minProductOrders);
  return reportFromTallies({ tallies, window: { kind: 'range', ...window }, timeZone: chat.timeZone, now, tr, dataRange, products: () => products });
}
