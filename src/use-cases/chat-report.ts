import { localDay } from '../core/metrics/days.js';
import { DEFAULT_MIN_PRODUCT_ORDERS, productLines } from '../core/metrics/products.js';
import { buildReport, type Report } from '../core/metrics/report.js';
import { DailyTallies } from '../core/metrics/tally.js';
import { dailyTrend, type TrendPoint } from '../core/metrics/trend.js';
import { previousWindow, resolveWindow, type Window, type WindowSpec } from '../core/metrics/window.js';
import { strategyItems } from '../core/render/strategies.js';
import type { Translator } from '../core/render/translator.js';
import type { ChatSettings } from '../store/chats.js';
import type { Store } from '../store/store.js';

export interface ChatReport {
  report: Report;
  trend: TrendPoint[];
  /** The days the chat's stored orders cover (of the shop asked for), or null without data. */
  dataRange: Window | null;
}

/**
 * A chat's report from its stored orders: the window (and the one before it, for the
 * comparison) is read from the store, tallied and reported by the same core as the CLI's.
 */
export async function chatReport(
  store: Store, chat: ChatSettings, spec: WindowSpec, tr: Translator, now: number, shop?: string, minProductOrders = DEFAULT_MIN_PRODUCT_ORDERS,
): Promise<ChatReport> {
  const dataRange = await store.orders.range(chat.id, shop);
  const window = resolveWindow(spec, localDay(now, chat.timeZone), dataRange);
  const previous = previousWindow(window);
  const tallies = new DailyTallies();
  for (const order of await store.orders.between(chat.id, previous.from, window.to, shop)) tallies.add(order);
  const products = productLines(await store.orders.productRows(chat.id, window.from, window.to, shop), minProductOrders);
  const report = buildReport({
    tallies, window, timeZone: chat.timeZone, dataFrom: dataRange?.from ?? null,
    strategies: (category, lines) => strategyItems(tr, category, lines), products,
  });
  return { report, trend: dailyTrend(tallies, window), dataRange };
}
