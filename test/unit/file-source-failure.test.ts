import { writeFileSync } from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it, vi } from 'vitest';
import { testDir } from '../support/temp-dirs.js';

/** Reads from this call on fail, as a disk or a network share can. */
let failingFrom = Number.POSITIVE_INFINITY;
let reads = 0;
let closed = 0;

vi.mock('node:fs/promises', async (original) => {
  const real = await original<typeof FsPromises>();
  return {
    ...real,
    open: async (...args: Parameters<typeof real.open>) => {
      const handle = await real.open(...args);
      return new Proxy(handle, {
        get(target, key): unknown {
          if (key === 'read') {
            return (...a: Parameters<FileHandle['read']>) =>
              (++reads >= failingFrom ? Promise.reject(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' })) : target.read(...a));
          }
          if (key === 'close') return () => { closed++; return target.close(); };
          const value: unknown = Reflect.get(target, key);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
    },
  };
});

const { fileSource } = await import('../../src/files/file-source.js');
const dir = testDir('cancelwatch-source-fail-');

it('a block read ahead that fails while the reader is busy reaches the reader, and nothing else', async () => {
  const path = join(dir, 'orders.csv');
  writeFileSync(path, 'x'.repeat(1024 * 1024));
  const unheard: unknown[] = [];
  const listen = (reason: unknown) => unheard.push(reason);
  process.on('unhandledRejection', listen);
  try {
    failingFrom = 2;
    const source = await fileSource(path, { blockBytes: 64 * 1024 });
    let chunks = 0;
    const read = (async () => {
      // A reader busy between chunks (an upload's batch being stored): the next block's read fails meanwhile.
      for await (const chunk of source.stream()) {
        chunks += chunk.length > 0 ? 1 : 0;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await expect(read).rejects.toMatchObject({ code: 'EIO' });
    expect(chunks).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(unheard).toEqual([]);
    expect(closed).toBe(1);
  } finally {
    process.off('unhandledRejection', listen);
  }
});
