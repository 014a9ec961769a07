import { readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { subsetFile, type FontFolder } from '../../src/chart/draw.js';
import { PRODUCT_FONTS } from '../../src/chart/product-chart.js';
import { testDir } from '../support/temp-dirs.js';

describe('fonts cut for product names', () => {
  // The Thai font: small, so each cut is quick; the folder keeps three.
  const font = readFileSync(PRODUCT_FONTS[1] ?? '');

  it('are kept up to a number, the least recently used removed first, and cut again when another process removed one', async () => {
    const folder: FontFolder = { dir: testDir('cancelwatch-fonts-'), kept: 3 };
    const [ab, ac, ad] = [await subsetFile(font, 'ab', 'names', folder), await subsetFile(font, 'ac', 'names', folder), await subsetFile(font, 'ad', 'names', folder)];
    expect(new Set([ab, ac, ad]).size).toBe(3);
    // Used in this order, long ago: ab first.
    [ab, ac, ad].forEach((file, i) => utimesSync(file, new Date(1000 * (i + 1)), new Date(1000 * (i + 1))));

    // Taken again, ab is the most recently used: ac goes when a fourth is cut.
    expect(await subsetFile(font, 'ab', 'names', folder)).toBe(ab);
    expect(statSync(ab).mtimeMs).toBeGreaterThan(3000);
    const ae = await subsetFile(font, 'ae', 'names', folder);
    expect(readdirSync(folder.dir).sort()).toEqual([ab, ad, ae].map((f) => basename(f)).sort());

    // Removed meanwhile (another process keeping its own three), a font is cut again, whole.
    rmSync(ad);
    expect(await subsetFile(font, 'ad', 'names', folder)).toBe(ad);
    expect(statSync(ad).size).toBeGreaterThan(1000);
    expect(readdirSync(folder.dir)).toHaveLength(3);
  });

  it('lose the parts a stopped process left half-cut, once they are an hour old, and keep a part being cut', async () => {
    const folder: FontFolder = { dir: testDir('cancelwatch-fonts-'), kept: 3 };
    const left = join(folder.dir, 'cancelwatch-names-0123456789abcdef.ttf.4242-0.part');
    const cutting = join(folder.dir, 'cancelwatch-names-fedcba9876543210.ttf.4243-1.part');
    writeFileSync(left, 'half a font');
    writeFileSync(cutting, 'half a font');
    const now = Date.now();
    utimesSync(left, new Date(now - 2 * 60 * 60_000), new Date(now - 2 * 60 * 60_000));
    utimesSync(cutting, new Date(now - 60_000), new Date(now - 60_000));
    const cut = await subsetFile(font, 'xy', 'names', folder);
    expect(readdirSync(folder.dir).sort()).toEqual([basename(cut), basename(cutting)].sort());
  });
});
