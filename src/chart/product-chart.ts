import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PRODUCTS_SHOWN, productName } from '../core/render/products.js';
import type { ProductLine } from '../core/metrics/products.js';
import type { Translator } from '../core/render/translator.js';
import { ASCII, charactersOf, CUT_FONTS, drawPng, FONT_FAMILY, FULL_FONT, subsetFile, type FontFolder } from './draw.js';

/** One bar of the picture: a product's name (already cut to fit) and its counts. */
export interface ProductBar {
  name: string;
  sellerFault: number;
  otherCancelled: number;
  partiallyCancelled: number;
}

export interface ProductChartLabels {
  title: string;
  sellerFault: string;
  otherCancelled: string;
  partiallyCancelled: string;
}

export interface ProductChartInput {
  bars: ProductBar[];
  labels: ProductChartLabels;
}

const fontFile = (pkg: string, file: string) => join(dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)), file);

/**
 * Product names come in any script. The CJK font covers Chinese, Japanese kana, Latin and
 * Vietnamese; Thai and emoji are in neither, so Noto Sans Thai and Noto Emoji (monochrome
 * outlines, which resvg draws; colour bitmap emoji it cannot) ride along, all shipped inside
 * npm packages. resvg takes each character from the first font that has it.
 */
export const PRODUCT_FONTS = [
  FULL_FONT,
  fontFile('@expo-google-fonts/noto-sans-thai', '400Regular/NotoSansThai_400Regular.ttf'),
  fontFile('@expo-google-fonts/noto-emoji', '400Regular/NotoEmoji_400Regular.ttf'),
];

/** Columns a product's name takes beside its bar. */
const NAME_COLUMNS = 34;
const ROW_HEIGHT = 34;

/** A window's products as the picture draws them: the first `PRODUCTS_SHOWN`, names cut to fit. */
export function productBars(products: readonly ProductLine[], tr: Translator): ProductBar[] {
  return products.slice(0, PRODUCTS_SHOWN).map((p, i) => ({
    name: `${i + 1}. ${productName(p, tr, NAME_COLUMNS - 14, 10)}`,
    sellerFault: p.sellerFault.cancelled,
    otherCancelled: p.cancelled - p.sellerFault.cancelled,
    partiallyCancelled: p.partiallyCancelled,
  }));
}

export function productChartLabels(tr: Translator): ProductChartLabels {
  return {
    title: tr.t('products-chart-title'),
    sellerFault: tr.t('products-chart-seller-fault'),
    otherCancelled: tr.t('products-chart-other'),
    partiallyCancelled: tr.t('products-chart-partial'),
  };
}

/**
 * Renders product pictures. Names are any text, so no font subset made in advance covers them;
 * shaping with the whole 8 MB CJK font takes over a second, so each picture's fonts are cut
 * down to the characters it shows (about 0.1 s), and kept in a folder of cut fonts under a hash
 * of those characters: the same chat's products next time reuse them.
 */
export class ProductChart {
  private constructor(private readonly fonts: readonly Buffer[], private readonly folder: FontFolder) {}

  static create(folder: FontFolder = CUT_FONTS): ProductChart {
    return new ProductChart(PRODUCT_FONTS.map((file) => readFileSync(file)), folder);
  }

  async render(input: ProductChartInput): Promise<Buffer> {
    const text = charactersOf(ASCII + Object.values(input.labels).join('') + input.bars.map((b) => b.name).join(''));
    return drawProductChart(input, await this.fontFiles(text));
  }

  private fontFiles(text: string): Promise<string[]> {
    return Promise.all(this.fonts.map((font, i) => subsetFile(font, text, `product-font-${i}`, this.folder)));
  }
}

/**
 * Cancellations per product as horizontal stacked bars: seller-fault cancels, other cancels,
 * partial cancels. The picture's height follows the number of products; names never widen it.
 */
function drawProductChart({ bars, labels }: ProductChartInput, fontFiles: string[]): Buffer {
  const names = bars.map((b) => b.name).reverse();
  const series = (name: string, color: string, values: number[]) => ({
    name, type: 'bar', stack: 'cancels', color, barMaxWidth: 22, data: values.reverse(),
    label: { show: true, position: 'inside', fontFamily: FONT_FAMILY, fontSize: 12, color: '#ffffff', formatter: (p: { value: number }) => (p.value > 0 ? String(p.value) : '') },
  });
  return drawPng({ width: 1000, height: 120 + Math.max(1, bars.length) * ROW_HEIGHT }, {
    title: { text: labels.title, left: 'center', top: 12, textStyle: { fontFamily: FONT_FAMILY, fontSize: 20 } },
    legend: { top: 46, textStyle: { fontFamily: FONT_FAMILY, fontSize: 13 } },
    grid: { left: 320, right: 40, top: 84, bottom: 30 },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { fontFamily: FONT_FAMILY } },
    yAxis: {
      type: 'category', data: names,
      axisLabel: { fontFamily: FONT_FAMILY, fontSize: 13, width: 300, overflow: 'truncate', align: 'right' },
    },
    series: [
      series(labels.sellerFault, '#ee6666', bars.map((b) => b.sellerFault)),
      series(labels.otherCancelled, '#5470c6', bars.map((b) => b.otherCancelled)),
      series(labels.partiallyCancelled, '#91a7b8', bars.map((b) => b.partiallyCancelled)),
    ],
  }, fontFiles);
}
