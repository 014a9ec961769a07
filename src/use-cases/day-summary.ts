import { addDays, localDateTime } from '../core/metrics/days.js';
import { productLines } from '../core/metrics/products.js';
import type { Report } from '../core/metrics/report.js';
import { BASELINE_DAYS, type DailySummary, type DayFigures } from '../core/metrics/summary.js';
import { DailyTallies } from '../core/metrics/tally.js';
import type { Category } from '../core/reasons/categories.js';
import { MIN_TREND_DAYS } from '../core/metrics/trend.js';
import { PRODUCTS_SHOWN } from '../core/render/products.js';
import { strategyItems } from '../core/render/strategies.js';
import type { ShopLag } from '../core/render/sync-lag.js';
import type { SummaryContext } from '../core/render/summary.js';
import type { Translator } from '../core/render/translator.js';
import type { AsyncTrendRenderer } from '../chart/chart-pool.js';
import { trendLabels } from '../chart/trend-chart.js';
import { translator } from '../i18n.js';
import type { ChatSettings } from '../store/chats.js';
import type { Store } from '../store/store.js';
import { reportFromTallies } from './report.js';

const TOP_REASONS = 3;

export interface DaySummaryDeps {
  store: Store;
  renderTrend: AsyncTrendRenderer;
  /** Brings a chat's linked shops up to date before its summary is built (waiting a short while at most); returns those still behind. */
  refreshChat?: ((chatId: string) => Promise<readonly ShopLag[]>) | undefined;
}

/** What a chat's morning summary says, before it takes Telegram's or a robot's shape. */
export interface DaySummary {
  chat: ChatSettings;
  tr: Translator;
  /** The day summarised: the day before the local date it is sent on. */
  day: string;
  /** Null when the chat has no orders at all (the summary is then a reminder to upload). */
  summary: DailySummary | null;
  context: SummaryContext;
  /** The 7-day trend picture, when asked for and there are enough days to draw. */
  png: Buffer | null;
  /** Strategies in the chat's language, naming the day's worst product where one stands out. */
  strategies: (category: Category) => string[];
}

/** A chat's local date at `now`, when its send time (`HH:MM`, local) has come today; else null. */
function dueDate(now: number, time: string, timeZone: string): string | null {
  const local = localDateTime(now, timeZone);
  return local.slice(11, 16) >= time ? local.slice(0, 10) : null;
}

/**
 * Of things sent daily at a local time (a chat's summary, a robot's copy), those whose time has
 * come today (their local today) and whose send for that day is not settled. `key` names an
 * item as `settledSince` does, before the `|date`.
 */
export async function dueToday<T extends { time: string; timeZone: string }>(
  items: readonly T[], now: number, key: (item: T) => string | number, settledSince: (fromDate: string) => Promise<Set<string>>,
): Promise<Array<{ item: T; date: string }>> {
  const candidates = items.flatMap((item) => {
    const date = dueDate(now, item.time, item.timeZone);
    return date ? [{ item, date }] : [];
  });
  if (candidates.length === 0) return [];
  const earliest = candidates.reduce((min, c) => (c.date < min ? c.date : min), candidates[0]?.date ?? '');
  const settled = await settledSince(earliest);
  return candidates.filter((c) => !settled.has(`${key(c.item)}|${c.date}`));
}

/**
 * The summary a chat gets on local date `date` (yesterday's figures, the week before, the
 * trend), the one source for the Telegram message and every robot mirroring it. Null when the
 * chat is gone.
 */
export async function daySummary(deps: DaySummaryDeps, chatId: string, date: string, now: number, options: { picture: boolean }): Promise<DaySummary | null> {
  const { store } = deps;
  const chat = await store.chats.find(chatId);
  if (!chat) return null;
  const syncLag = (await deps.refreshChat?.(chatId)) ?? [];
  const tr = translator(chat.locale);
  const day = addDays(date, -1);
  const shops = await store.shops.list(chatId);
  const freshness = await store.orders.freshness(chatId);
  const context: SummaryContext = {
    threshold: chat.threshold, newestOrder: freshness.newestOrder, lastUploadAt: freshness.lastUploadAt,
    uploadOnly: shops.every((s) => s.source === 'upload'), now, syncLag,
  };
  if (shops.every((s) => s.orders === 0)) return { chat, tr, day, summary: null, context, png: null, strategies: (c) => strategyItems(tr, c) };
  const summary = summarizeDay(day, await store.orders.talliesByShop(chatId, addDays(day, -BASELINE_DAYS), day), chat.timeZone, tr, now);
  // Above the line, the summary names the product behind the seller-fault cancels, and strategies may name it too.
  const aboveLine = summary.total.sellerFaultRate !== null && summary.total.sellerFaultRate > chat.threshold;
  const products = aboveLine ? productLines(await store.orders.productRows(chatId, day, day, { reasonsOf: PRODUCTS_SHOWN })) : [];
  context.topProduct = products[0] ?? null;
  const png = options.picture && summary.trend.length >= MIN_TREND_DAYS
    ? await deps.renderTrend(summary.trend, chat.threshold, trendLabels(tr, chat.threshold))
    : null;
  return { chat, tr, day, summary, context, png, strategies: (c) => strategyItems(tr, c, products) };
}

const figures = (r: Report): DayFigures => ({
  orders: r.orders, cancelled: r.cancelled, cancelRate: r.cancelRate, sellerFaultRate: r.sellerFault?.rate ?? null, sellerFaultCancelled: r.sellerFault?.cancelled ?? 0,
});

/**
 * Summarises `day` from the tallies of `day` and the seven days before it, per shop. Every
 * figure is a report over some days, built the one way reports are built.
 */
export function summarizeDay(day: string, byShop: ReadonlyMap<string, DailyTallies>, timeZone: string, tr: Translator, now: number): DailySummary {
  const over = (tallies: DailyTallies, from: string, to = day) =>
    reportFromTallies({ tallies, window: { kind: 'range', from, to }, timeZone, now, tr, dataRange: null, strategyCategories: 0 });
  const all = new DailyTallies();
  const shops: DailySummary['shops'] = [];
  for (const [name, tallies] of byShop) {
    all.addAll(tallies);
    shops.push({ name, figures: figures(over(tallies, day).report) });
  }
  const baseline = over(all, addDays(day, -BASELINE_DAYS), addDays(day, -1)).report;
  const { report } = over(all, day);
  return {
    day,
    total: figures(report),
    shops: shops.length > 1 ? shops.sort((a, b) => a.name.localeCompare(b.name)) : [],
    baseline: baseline.orders > 0 ? { cancelRate: baseline.cancelRate, sellerFaultRate: baseline.sellerFault?.rate ?? null } : null,
    reasons: (report.reasons ?? []).slice(0, TOP_REASONS),
    trend: over(all, addDays(day, -(BASELINE_DAYS - 1))).trend,
    missing: report.missing,
    unrecognised: report.unrecognised,
    uncertainCod: report.uncertainCod,
  };
}
