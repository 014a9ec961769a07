import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import type { TrendPoint } from '../core/metrics/trend.js';

export interface TrendLabels {
  title: string;
  cancelRate: string;
  sellerFaultRate: string;
  threshold: string;
}

/**
 * Noto Sans (Simplified Chinese), OFL, shipped inside an npm package: Chinese labels render the
 * same on any machine, with no system fonts and nothing downloaded.
 */
const FONT_FAMILY = 'Noto Sans Hans';
// The package exports only its script (dist/); the font files sit beside it in fonts/.
const FONT_FILE = join(dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc')), '..', 'fonts', 'NotoSansHans-Regular.otf');

const pct = (v: number | null) => (v === null ? null : Math.round(v * 10000) / 100);

/** The daily cancel rate and seller-fault rate against the alert line, as a PNG. */
export function renderTrendPng(points: readonly TrendPoint[], threshold: number, labels: TrendLabels): Buffer {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 900, height: 480 });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT_FAMILY },
      title: { text: labels.title, left: 'center', top: 12, textStyle: { fontFamily: FONT_FAMILY, fontSize: 20 } },
      legend: { bottom: 10, textStyle: { fontFamily: FONT_FAMILY, fontSize: 14 } },
      grid: { left: 60, right: 30, top: 60, bottom: 70 },
      xAxis: { type: 'category', data: points.map((p) => p.day.slice(5)), axisLabel: { fontFamily: FONT_FAMILY } },
      yAxis: { type: 'value', min: 0, axisLabel: { formatter: '{value}%', fontFamily: FONT_FAMILY } },
      series: [
        { name: labels.cancelRate, type: 'line', data: points.map((p) => pct(p.cancelRate)), color: '#5470c6', symbolSize: 6, connectNulls: true },
        { name: labels.sellerFaultRate, type: 'line', data: points.map((p) => pct(p.sellerFaultRate)), color: '#ee6666', symbolSize: 6, connectNulls: true },
        {
          name: labels.threshold, type: 'line', data: points.map(() => pct(threshold)), color: '#999999',
          lineStyle: { type: 'dashed' }, symbol: 'none',
        },
      ],
    });
    const svg = chart.renderToSVGString();
    const png = new Resvg(svg, {
      background: '#ffffff',
      font: { fontFiles: [FONT_FILE], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    }).render().asPng();
    return Buffer.from(png);
  } finally {
    chart.dispose();
  }
}
