import type { AsyncProductRenderer, AsyncTrendRenderer } from '../../src/chart/chart-pool.js';
import { ProductChart } from '../../src/chart/product-chart.js';
import { chartGlyphs, TrendChart } from '../../src/chart/trend-chart.js';
import { LOCALES } from '../../src/core/render/translator.js';
import { translator } from '../../src/i18n.js';

const chart = TrendChart.create(chartGlyphs(LOCALES.map(translator)));

/** Trend pictures rendered on the test's own thread, as the bot's pool would render them. */
export const renderTrend: AsyncTrendRenderer = async (points, threshold, labels) => (await chart).render(points, threshold, labels);

const products = ProductChart.create();

/** Product pictures, likewise on the test's own thread. */
export const renderProducts: AsyncProductRenderer = (input) => products.render(input);
