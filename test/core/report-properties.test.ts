import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { exportCsv, rng, shuffled } from '../fixtures/generate.js';
import { report } from '../support/report.js';

/**
 * However a seller's export reaches us (rows in any order, cut into two files, re-saved in
 * another encoding or line-end style) the report must not change.
 */
describe('the report does not depend on how the export is packaged', () => {
  const settings = { numRuns: 12 };
  const exportArb = fc.record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    lang: fc.constantFrom('en' as const, 'zh' as const),
    dateStyle: fc.constantFrom('dmy' as const, 'mdy' as const),
    messyText: fc.boolean(),
  });
  const split = (text: string) => {
    const lines = text.trimEnd().split('\n');
    return { header: lines.slice(0, 2), data: lines.slice(2) };
  };

  it('shuffling rows', async () => {
    await fc.assert(fc.asyncProperty(exportArb, fc.integer(), async (o, shuffleSeed) => {
      // Rows with quoted line breaks span lines; shuffling lines would tear them.
      const { text } = exportCsv({ ...o, orders: 150, multiLine: 0.5, messyText: false });
      const { header, data } = split(text);
      const shuffledText = [...header, ...shuffled(data, rng(shuffleSeed))].join('\n');
      expect(await report({ name: 'x.csv', data: shuffledText })).toEqual(await report({ name: 'x.csv', data: text }));
    }), settings);
  });

  it('splitting the file in two', async () => {
    await fc.assert(fc.asyncProperty(exportArb, fc.double({ min: 0.05, max: 0.95, noNaN: true }), async (o, at) => {
      const { text } = exportCsv({ ...o, orders: 150, multiLine: 0.5, messyText: false });
      const { header, data } = split(text);
      // Cut between orders: the generator writes an order's lines together, and an order split
      // across two files would rightly be taken from the later file alone.
      let cut = Math.max(1, Math.floor(data.length * at));
      while (cut < data.length && data[cut - 1]?.split(',')[0] === data[cut]?.split(',')[0]) cut++;
      const files = [
        { name: 'x.csv', data: [...header, ...data.slice(0, cut)].join('\n') },
        { name: 'x.csv', data: [...header, ...data.slice(cut)].join('\n') },
      ];
      expect(await report(files)).toEqual(await report({ name: 'x.csv', data: text }));
    }), settings);
  });

  it('re-encoding as GB18030, UTF-8 with or without BOM, CRLF or LF', async () => {
    await fc.assert(fc.asyncProperty(exportArb, fc.constantFrom('gb18030', 'utf8-bom', 'utf8'), fc.boolean(), async (o, encoding, crlf) => {
      const { text } = exportCsv({ ...o, orders: 120 });
      const lineEnds = crlf ? text.replace(/\n/g, '\r\n') : text;
      const bytes = encoding === 'gb18030' ? iconv.encode(lineEnds, 'gb18030') : encoding === 'utf8-bom' ? `\ufeff${lineEnds}` : lineEnds;
      expect(await report({ name: 'x.csv', data: bytes })).toEqual(await report({ name: 'x.csv', data: text }));
    }), settings);
  });
});
