import { productBars, productChartLabels } from '../chart/product-chart.js';
import { trendLabels } from '../chart/trend-chart.js';
import type { AsyncProductRenderer, AsyncTrendRenderer } from '../chart/chart-pool.js';
import { MIN_TREND_DAYS } from '../core/metrics/trend.js';
import { parseWindowSpec, type WindowSpec } from '../core/metrics/window.js';
import { syncLagLines, type ShopLag } from '../core/render/sync-lag.js';
import type { Translator } from '../core/render/translator.js';
import type { Store } from '../store/store.js';
import { chatProducts } from '../use-cases/chat-products.js';
import { chatReport, type ChatReport } from '../use-cases/chat-report.js';
import { words } from './commands.js';
import type { ReportReply } from './platform.js';
import type { Turn } from './turn.js';

const DEFAULT_WINDOW: WindowSpec = { kind: 'last', days: 7 };

export interface ReportDeps {
  store: Store;
  clock: () => number;
  renderTrend: AsyncTrendRenderer;
  renderProducts: AsyncProductRenderer;
  /** Placed orders a product needs in a window for a rate (PRODUCT_MIN_ORDERS); the core's default when absent. */
  productMinOrders?: number | undefined;
  /** Brings a chat's linked shops up to date, waiting a short while at most; returns those still behind. */
  refreshChat?: ((chatId: string) => Promise<readonly ShopLag[]>) | undefined;
}

/**
 * `/rate [window] [shop]`: the window first or last, the rest a shop's name (names may hold
 * spaces). Anything that is neither gets an answer saying what would work.
 */
export function parseRateArgs(args: readonly string[], shops: readonly string[]): { ok: true; spec: WindowSpec; shop?: string } | { ok: false; bad: string } {
  const first = args[0] === undefined ? null : parseWindowSpec(args[0]);
  const last = args.length > 1 && args[args.length - 1] !== undefined ? parseWindowSpec(args[args.length - 1] ?? '') : null;
  const spec = first ?? last ?? DEFAULT_WINDOW;
  const rest = first ? args.slice(1) : last ? args.slice(0, -1) : args;
  if (rest.length === 0) return { ok: true, spec };
  const shop = rest.join(' ');
  if (shops.includes(shop)) return { ok: true, spec, shop };
  return { ok: false, bad: shop };
}

/**
 * A command's `[window] [shop]` read as /rate reads them, the chat's linked shops brought up to
 * date (waiting a short while at most, then saying which shops' figures may be behind); null
 * after answering an argument that is neither, with what would work.
 */
async function windowAndShop(deps: ReportDeps, turn: Turn, args: string): Promise<{ spec: WindowSpec; shop?: string } | null> {
  const shops = await deps.store.shops.names(turn.chat.id);
  const parsed = parseRateArgs(words(args), shops);
  if (!parsed.ok) {
    await turn.replies.text(turn.tr.t('bot-bad-rate-argument', { value: parsed.bad, shops: shops.join(', ') || turn.tr.t('bot-no-shops') }));
    return null;
  }
  const lag = (await deps.refreshChat?.(turn.chat.id)) ?? [];
  // Said before the figures, so nobody reads a stored report as live.
  if (lag.length > 0) await turn.replies.text(syncLagLines(turn.tr, lag, deps.clock()).join('\n'));
  return parsed;
}

/** A report with its trend picture, when it spans enough days for one. */
export async function reportReply(result: ChatReport, threshold: number, tr: Translator, renderTrend: AsyncTrendRenderer): Promise<ReportReply> {
  const { from, to } = result.report.window;
  const png = result.trend.length >= MIN_TREND_DAYS ? await renderTrend(result.trend, threshold, trendLabels(tr, threshold)) : null;
  return { tr, result, threshold, png, caption: tr.t('bot-trend-caption', { from: from ?? '', to: to ?? '' }) };
}

/** /rate: the chat's report over a window, or what data there is when the window has none. */
export async function answerRate(deps: ReportDeps, turn: Turn, args: string): Promise<void> {
  const chat = turn.chat;
  const asked = await windowAndShop(deps, turn, args);
  if (!asked) return;
  const result = await chatReport(deps.store, chat, asked.spec, turn.tr, deps.clock(), asked.shop, deps.productMinOrders);
  if (!result.dataRange) return void (await turn.replies.text(turn.tr.t('bot-no-data')));
  const r = result.report;
  if (r.orders === 0 && r.unpaidExpired === 0) {
    return void (await turn.replies.text(turn.tr.t('bot-no-data-window', {
      from: r.window.from ?? '', to: r.window.to ?? '', dataFrom: result.dataRange.from, dataTo: result.dataRange.to,
    })));
  }
  await turn.replies.report(await reportReply(result, chat.threshold, turn.tr, deps.renderTrend));
}

/**
 * `/products [window] [shop]`: the top products by seller-fault cancellations, as text and as
 * a bar picture. Arguments read as /rate's.
 */
export async function answerProducts(deps: ReportDeps, turn: Turn, args: string): Promise<void> {
  const asked = await windowAndShop(deps, turn, args);
  if (!asked) return;
  const { view, dataRange } = await chatProducts(deps.store, turn.chat, asked.spec, deps.clock(), asked.shop, deps.productMinOrders);
  if (!dataRange) return void (await turn.replies.text(turn.tr.t('bot-no-data')));
  const bars = productBars(view.products, turn.tr).filter((b) => b.sellerFault + b.otherCancelled + b.partiallyCancelled > 0);
  const png = bars.length === 0 ? null : await deps.renderProducts({ bars, labels: productChartLabels(turn.tr) });
  await turn.replies.products({ tr: turn.tr, view, png, caption: turn.tr.t('products-chart-caption', { from: view.window.from ?? '', to: view.window.to ?? '' }) });
}
