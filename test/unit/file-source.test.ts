import { randomBytes } from 'node:crypto';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileSource } from '../../src/files/file-source.js';
import { testDir } from '../support/temp-dirs.js';

const dir = testDir('cancelwatch-source-');

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

describe('a file on disk as a source', () => {
  const bytes = randomBytes(300_001);
  const path = join(dir, 'orders.csv');
  writeFileSync(path, bytes);

  it('streams exactly the bytes asked for, across read blocks of any size, and counts them for progress', async () => {
    for (const blockBytes of [4093, 999, 65_536, 70_000, 1 << 20]) {
      let counted = 0;
      const source = await fileSource(path, { blockBytes, onBytes: (n) => { counted += n; } });
      for (const [start, end] of [[0, bytes.length], [1, 2], [12_345, 200_000], [65_536, 131_073], [bytes.length - 1, bytes.length], [5, 5]] as const) {
        counted = 0;
        const got = await collect(source.stream(start, end));
        expect(got.equals(bytes.subarray(start, end)), `${blockBytes} [${start}, ${end})`).toBe(true);
        expect(counted).toBe(end - start);
      }
      expect((await collect(source.stream())).equals(bytes)).toBe(true);
      expect(Buffer.from(await source.read(299_990, 400_000)).equals(bytes.subarray(299_990))).toBe(true);
    }
  });

  it('hands on no chunk larger than 64 KB', async () => {
    const source = await fileSource(path);
    const sizes: number[] = [];
    for await (const chunk of source.stream()) sizes.push(chunk.length);
    expect(Math.max(...sizes)).toBe(65_536);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(bytes.length);
  });

  it('lets a reader stop early, and ends where a file was cut short after its size was read', async () => {
    const source = await fileSource(path, { blockBytes: 4096 });
    for await (const chunk of source.stream()) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    const cut = join(dir, 'cut.csv');
    writeFileSync(cut, bytes);
    const shrinking = await fileSource(cut, { blockBytes: 10_000 });
    truncateSync(cut, 123_456);
    expect((await collect(shrinking.stream())).equals(bytes.subarray(0, 123_456))).toBe(true);
  });
});
