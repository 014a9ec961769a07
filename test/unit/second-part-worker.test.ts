import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUCKETS, decodeRun } from '../../src/core/ingest/accumulate.js';
import type { PartRequest } from '../../src/core/ingest/import.js';
import type * as Import from '../../src/core/ingest/import.js';
import type { Order } from '../../src/core/order.js';
import type * as DiskSpill from '../../src/files/disk-spill.js';
import type * as SecondPart from '../../src/files/second-part.js';
import { fileSource } from '../../src/files/file-source.js';
import { exportCsv } from '../fixtures/generate.js';
import { testDir } from '../support/temp-dirs.js';

/** The compiled reader (`npm test` builds first): only there is there a worker script to start. */
const compiled = join(import.meta.dirname, '..', '..', 'dist', 'src', 'files', 'second-part.js');
const { secondPartOnWorker } = (await import(compiled)) as typeof SecondPart;

describe('the second part of a file read on a worker', () => {
  const dir = testDir('cancelwatch-part-');
  const path = join(dir, 'big.csv');
  const text = exportCsv({ orders: 8_000, seed: 21, multiLine: 0.3 }).text;
  writeFileSync(path, text, 'utf8');
  const size = statSync(path).size;
  // The start of a line near the middle, as the calling thread picks it.
  const fromChar = text.indexOf('\n', text.length / 2) + 1;
  const from = Buffer.byteLength(text.slice(0, fromChar));
  // The generated export quotes no line break, so each line after `from` is one data row.
  const partRows = text.slice(fromChar).split('\n').filter((line) => line !== '').length;

  /** Reads the part with this budget, and what the progress heard (bytes, and negative bytes taken back). */
  async function readPart(memoryBudgetBytes: number, cancelAtOnce = false, spillDir?: string) {
    const heard: number[] = [];
    const source = await fileSource(path);
    const request: PartRequest = { from, separator: ',', productLines: true, sampleSize: 10, memoryBudgetBytes, spill: spillDir !== undefined, ranges: new SharedArrayBuffer(8 + 8 * (BUCKETS + 1)) };
    const job = secondPartOnWorker({ onBytes: (bytes) => heard.push(bytes), spillDir })(source, request);
    if (!job) throw new Error('no worker offered');
    if (cancelAtOnce) job.cancel();
    const read = await job.result;
    return { read, heard, net: heard.reduce((a, b) => a + b, 0) };
  }

  it('counts the bytes of a part it read once', async () => {
    const { read, net } = await readPart(64 * 1024 * 1024);
    expect(read?.rows).toBe(partRows);
    expect(net).toBe(size - from);
  });

  it('takes back the bytes of a part not taken, which the calling thread reads again: the progress never counts them twice', async () => {
    // A budget too small for the part: it gives up after reading some of it.
    const givenUp = await readPart(1);
    expect(givenUp.read).toBeNull();
    expect(givenUp.heard.some((b) => b > 0)).toBe(true);
    expect(givenUp.net).toBe(0);
    const cancelled = await readPart(64 * 1024 * 1024, true);
    expect(cancelled.read).toBeNull();
    expect(cancelled.net).toBe(0);
  });

  it('parks the orders past its budget in a folder of its own, which the taker reads and removes', async () => {
    const parent = testDir('cancelwatch-part-spill-');
    const { read } = await readPart(64 * 1024, false, parent);
    if (!read?.spilled) throw new Error('the part did not spill');
    expect(read.rows).toBe(partRows);
    const [folder] = readdirSync(parent);
    expect(folder).toBeDefined();
    const ids = new Set<string>();
    for (let bucket = 0; bucket < BUCKETS; bucket++) for await (const run of read.spilled.spill.read(bucket)) for (const id of decodeRun(run).ids) ids.add(id);
    for (const id of read.states.ids) ids.add(id);
    const partOrders = new Set(text.slice(fromChar).split('\n').filter((line) => line !== '').map((line) => line.split(',')[0]));
    expect(ids).toEqual(partOrders);
    await read.spilled.spill.dispose();
    expect(readdirSync(parent)).toEqual([]);
  });

  it('gives a whole import the orders a one-thread read gives when both threads park orders on disk', async () => {
    const { importOrders } = (await import(join(import.meta.dirname, '..', '..', 'dist', 'src', 'core', 'ingest', 'import.js'))) as typeof Import;
    const { diskSpill } = (await import(join(import.meta.dirname, '..', '..', 'dist', 'src', 'files', 'disk-spill.js'))) as typeof DiskSpill;
    const shuffledPath = join(dir, 'shuffled.csv');
    writeFileSync(shuffledPath, exportCsv({ orders: 8_000, seed: 23, multiLine: 0.5, shuffle: true }).text, 'utf8');
    const parent = testDir('cancelwatch-split-spill-');
    const read = async (split: boolean) => {
      const orders = new Map<string, Order>();
      const summary = await importOrders([await fileSource(shuffledPath)], (o) => { orders.set(o.id, o); }, {
        // A budget of some hundreds of orders: both threads spill, each cutting its runs by its own ranges.
        holding: {
          spill: () => diskSpill(parent), memoryBudgetBytes: 200_000,
          ...(split ? { secondPart: secondPartOnWorker({ spillDir: parent }), split: { minBytes: 0, firstShare: 0.5 } } : {}),
        },
      });
      return { orders, summary };
    };
    const alone = await read(false);
    const split = await read(true);
    expect(alone.summary.orders).toBe(8_000);
    expect(split.summary).toEqual(alone.summary);
    expect(split.orders).toEqual(alone.orders);
    // Every folder either thread parked orders in is gone.
    expect(readdirSync(parent)).toEqual([]);
  });
});
