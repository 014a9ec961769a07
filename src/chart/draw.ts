import { createHash } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type * as Resvg from '@resvg/resvg-js';
import type * as ECharts from 'echarts';

/**
 * ECharts (about 40 MB resident), the rasteriser and the font cutter (about 13 MB) are loaded by
 * the thread that draws, the chart workers, not by every thread that imports a chart's labels:
 * the bot's main thread and the CLI only name things.
 */
const require = createRequire(import.meta.url);
let echartsModule: typeof ECharts | null = null;
const echarts = () => (echartsModule ??= require('echarts') as typeof ECharts);
let resvgModule: typeof Resvg | null = null;
const resvg = () => (resvgModule ??= require('@resvg/resvg-js') as typeof Resvg);

/**
 * Noto Sans (Simplified Chinese), OFL, shipped inside an npm package: Chinese labels render the
 * same on any machine, with no system fonts and nothing downloaded. The package exports only its
 * script (dist/); the font files sit beside it in fonts/.
 */
export const FONT_FAMILY = 'Noto Sans Hans';
export const FULL_FONT = join(dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts', 'NotoSansHans-Regular.otf');

/** Characters every chart may show whatever its labels: digits, dates, percentages, Latin text. */
export const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

/** `text`'s distinct characters in a fixed order: what a font is cut down to, and its cache key. */
export const charactersOf = (text: string) => [...new Set(text)].sort().join('');

/**
 * A font cut down to `characters`, as a file in the temporary folder named by a hash of them,
 * made once: later pictures and processes needing the same characters reuse it.
 */
export async function subsetFile(font: Buffer, characters: string, name: string): Promise<string> {
  const file = join(tmpdir(), `cancelwatch-${name}-${createHash('sha256').update(characters).digest('hex').slice(0, 16)}.ttf`);
  if (!existsSync(file)) {
    // Written aside and renamed, so a process starting at the same moment never reads half a font.
    const partial = `${file}.${process.pid}.part`;
    const { default: subsetFont } = await import('subset-font');
    writeFileSync(partial, await subsetFont(font, characters, { targetFormat: 'truetype' }));
    renameSync(partial, file);
  }
  return file;
}

/** An ECharts option drawn as SVG on the server and rasterised by resvg with only `fontFiles`. */
export function drawPng(size: { width: number; height: number }, option: Record<string, unknown>, fontFiles: string[]): Buffer {
  const chart = echarts().init(null, null, { renderer: 'svg', ssr: true, ...size });
  try {
    chart.setOption({ animation: false, backgroundColor: '#ffffff', textStyle: { fontFamily: FONT_FAMILY }, ...option });
    const png = new (resvg().Resvg)(chart.renderToSVGString(), {
      background: '#ffffff',
      font: { fontFiles, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    }).render().asPng();
    return Buffer.from(png);
  } finally {
    chart.dispose();
  }
}
