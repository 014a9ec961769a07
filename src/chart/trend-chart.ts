import { readFileSync } from 'node:fs';
import type { TrendPoint } from '../core/metrics/trend.js';
import { percent } from '../core/render/markup.js';
import type { Translator } from '../core/render/translator.js';
import { ASCII, charactersOf, drawPng, FONT_FAMILY, FULL_FONT, subsetFile } from './draw.js';

export interface TrendLabels {
  title: string;
  cancelRate: string;
  sellerFaultRate: string;
  threshold: string;
}

const pct = (v: number | null) => (v === null ? null : Math.round(v * 10000) / 100);

/**
 * Renders trend pictures. Shaping text with the whole 8 MB CJK font takes about three quarters
 * of a picture's time, so the font is cut down once, at creation, to the characters the charts
 * use (`glyphs`: the chart labels of every locale); a picture whose labels need another
 * character falls back to the whole font.
 */
export class TrendChart {
  private constructor(private readonly subsetFile: string, private readonly covered: ReadonlySet<string>) {}

  static async create(glyphs: string): Promise<TrendChart> {
    const text = charactersOf(ASCII + glyphs);
    return new TrendChart(await subsetFile(readFileSync(FULL_FONT), text, 'chart-font'), new Set(text));
  }

  /** The daily cancel rate and seller-fault rate against the alert line, as a PNG. */
  render(points: readonly TrendPoint[], threshold: number, labels: TrendLabels): Buffer {
    const allCovered = [...Object.values(labels).join('')].every((ch) => this.covered.has(ch));
    return drawPng({ width: 900, height: 480 }, {
      title: { text: labels.title, left: 'center', top: 12, textStyle: { fontFamily: FONT_FAMILY, fontSize: 20 } },
      legend: { bottom: 10, textStyle: { fontFamily: FONT_FAMILY, fontSize: 14 } },
      grid: { left: 60, right: 30, top: 60, bottom: 70 },
      xAxis: { type: 'category', data: points.map((p) => p.day.slice(5)), axisLabel: { fontFamily: FONT_FAMILY } },
      yAxis: { type: 'value', min: 0, axisLabel: { formatter: '{value}%', fontFamily: FONT_FAMILY } },
      series: [
        { name: labels.cancelRate, type: 'line', data: points.map((p) => pct(p.cancelRate)), color: '#5470c6', symbolSize: 6, connectNulls: true },
        { name: labels.sellerFaultRate, type: 'line', data: points.map((p) => pct(p.sellerFaultRate)), color: '#ee6666', symbolSize: 6, connectNulls: true },
        { name: labels.threshold, type: 'line', data: points.map(() => pct(threshold)), color: '#999999', lineStyle: { type: 'dashed' }, symbol: 'none' },
      ],
    }, [allCovered ? this.subsetFile : FULL_FONT]);
  }
}

/** A trend picture's labels in the reader's language. */
export function trendLabels(tr: Translator, threshold: number): TrendLabels {
  return {
    title: tr.t('chart-title'),
    cancelRate: tr.t('chart-cancel-rate'),
    sellerFaultRate: tr.t('chart-seller-fault-rate'),
    threshold: tr.t('chart-threshold', { threshold: percent(tr, threshold) }),
  };
}

/** Everything the labels may say in these languages: what the font is cut down to. */
export function chartGlyphs(translators: readonly Translator[]): string {
  // The threshold's own characters are digits and a percent sign, which every subset holds.
  return translators.map((tr) => Object.values(trendLabels(tr, 0)).join('')).join('');
}
