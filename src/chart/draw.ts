import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
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
 * Where cut fonts are kept when their characters are any text (product names), and how many at
 * most: each new set of names cuts new fonts, and a bot up for months would otherwise fill its
 * disk with them. The fonts used least recently go first: a font is marked used whenever a
 * picture takes it, and this is far more than the pictures drawn at once, so none is removed
 * while a picture reads it.
 */
export const CUT_FONTS: FontFolder = { dir: join(tmpdir(), 'cancelwatch-cut-fonts'), kept: 1024 };

export interface FontFolder {
  dir: string;
  kept: number;
}

/**
 * A font cut down to `characters`, as a file named by a hash of them, made once: later pictures
 * and processes needing the same characters reuse it. In the temporary folder itself when its
 * characters are fixed (the trend chart's labels); in `folder` when they are any text, where a
 * file's time says when it was last used and only the `kept` used most recently stay.
 */
export async function subsetFile(font: Buffer, characters: string, name: string, folder?: FontFolder): Promise<string> {
  const dir = folder?.dir ?? tmpdir();
  const file = join(dir, `cancelwatch-${name}-${createHash('sha256').update(characters).digest('hex').slice(0, 16)}.ttf`);
  if (existsSync(file) && (!folder || markUsed(file))) return file;
  mkdirSync(dir, { recursive: true });
  // Written aside and renamed, so a process or chart thread cutting the same font at the same moment never reads half of one.
  const partial = `${file}.${process.pid}-${threadId}.part`;
  const { default: subsetFont } = await import('subset-font');
  writeFileSync(partial, await subsetFont(font, characters, { targetFormat: 'truetype' }));
  renameSync(partial, file);
  if (folder) keepRecent(folder);
  return file;
}

/** Marks a kept font as just used; false when another process removed it meanwhile. */
function markUsed(file: string): boolean {
  const now = new Date();
  try {
    utimesSync(file, now, now);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** A font is cut in well under a minute: a part older than this was left by a process stopped while cutting. */
const STALE_PART_MS = 60 * 60_000;

/** Removes the fonts of `folder` used least recently, past its `kept`, and parts left half-written. */
function keepRecent({ dir, kept }: FontFolder): void {
  const files = readdirSync(dir);
  const stale = Date.now() - STALE_PART_MS;
  for (const part of files.filter((f) => f.endsWith('.part'))) {
    const at = statSync(join(dir, part), { throwIfNoEntry: false })?.mtimeMs;
    if (at !== undefined && at < stale) rmSync(join(dir, part), { force: true });
  }
  const fonts = files.filter((f) => f.endsWith('.ttf'));
  if (fonts.length <= kept) return;
  // Another process may remove the same ones at the same time: a font gone already is no error.
  const used = fonts.map((f) => ({ file: join(dir, f), at: statSync(join(dir, f), { throwIfNoEntry: false })?.mtimeMs ?? 0 }));
  used.sort((a, b) => a.at - b.at);
  for (const { file } of used.slice(0, fonts.length - kept)) rmSync(file, { force: true });
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
