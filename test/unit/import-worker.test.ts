import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Order } from '../../src/core/order.js';
import type * as WorkerImport from '../../src/use-cases/read-export-in-worker.js';
import { exportCsv } from '../fixtures/generate.js';
import { ordersOf } from '../support/report.js';
import { bufferSource } from '../../src/core/ingest/source.js';
import { ORDER_BATCH } from '../../src/use-cases/read-export.js';
import { testDir } from '../support/temp-dirs.js';

/** The compiled importer (`npm test` builds first): only there is there a worker script to start. */
const compiled = join(import.meta.dirname, '..', '..', 'dist', 'src', 'use-cases', 'read-export-in-worker.js');
const { workerImporter } = (await import(compiled)) as typeof WorkerImport;

describe('imports on a worker thread', () => {
  const dir = testDir('cancelwatch-worker-');
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text, 'utf8');
    return join(dir, name);
  };

  it('hands the orders over in bounded batches, each taken before more are sent, and ends with the summary', async () => {
    const { text } = exportCsv({ orders: 4_500, seed: 8, multiLine: 0.3 });
    const importer = workerImporter({ memoryBudgetBytes: 200_000 });
    const opened = await importer(write('big.csv', text), 'big.csv');
    if (!opened.ok) throw new Error('refused');
    const batches: number[] = [];
    const received = new Map<string, Order>();
    let inSink = false;
    const summary = await opened.drain(async (orders) => {
      expect(inSink).toBe(false);
      inSink = true;
      batches.push(orders.length);
      for (const o of orders) received.set(o.id, o);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inSink = false;
    });
    expect(summary.orders).toBe(4_500);
    expect(batches).toEqual(Array.from({ length: 9 }, () => ORDER_BATCH));
    // The same orders the core reads on the calling thread.
    expect(received).toEqual(await ordersOf([bufferSource('big.csv', text)]));
  });

  it('says why a file is refused, and can drop a good file unread', async () => {
    const importer = workerImporter();
    const refused = await importer(write('empty.csv', ''), 'empty.csv');
    expect(refused.ok ? null : refused.refusal.code).toBe('empty');
    const good = await importer(write('ok.csv', exportCsv({ orders: 20, seed: 2 }).text), 'ok.csv');
    if (!good.ok) throw new Error('refused');
    await good.cancel();
  });

  it('stops the worker when the sink fails, and the failure reaches the caller', async () => {
    const opened = await workerImporter()(write('fail.csv', exportCsv({ orders: 5_000, seed: 9 }).text), 'fail.csv');
    if (!opened.ok) throw new Error('refused');
    await expect(opened.drain(() => Promise.reject(new Error('database gone')))).rejects.toThrow('database gone');
  });

  it('writes nothing after a failed batch, not even the batch the worker had already sent', async () => {
    const opened = await workerImporter()(write('fail-late.csv', exportCsv({ orders: 7_000, seed: 10 }).text), 'fail-late.csv');
    if (!opened.ok) throw new Error('refused');
    let calls = 0;
    // The worker sends a second batch while the first is written (it runs two ahead); the first
    // one's write is held long enough for that message to be in before it fails.
    const failing = opened.drain(async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 100));
      throw new Error('database gone');
    });
    await expect(failing).rejects.toThrow('database gone');
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toBe(1);
  });

  it('optimistic: hands orders over while it reads, and gives a file whose order comes back up, saying so', async () => {
    const importer = workerImporter({ memoryBudgetBytes: 200_000 });
    const { text } = exportCsv({ orders: 4_500, seed: 12, multiLine: 0.3 });
    const opened = await importer(write('sorted.csv', text), 'sorted.csv', { optimistic: true });
    if (!opened.ok) throw new Error('refused');
    const received = new Map<string, Order>();
    const summary = await opened.drain((orders) => {
      for (const o of orders) received.set(o.id, o);
      return Promise.resolve();
    });
    expect(summary.orders).toBe(4_500);
    expect(received).toEqual(await ordersOf([bufferSource('sorted.csv', text)]));

    const shuffled = await importer(write('shuffled.csv', exportCsv({ orders: 500, seed: 13, multiLine: 0.5, shuffle: true }).text), 'shuffled.csv', { optimistic: true });
    if (!shuffled.ok) throw new Error('refused');
    // The compiled worker's class is not the sources' one: told apart by name.
    await expect(shuffled.drain(() => Promise.resolve())).rejects.toMatchObject({ name: 'StreamAbandoned', reason: 'reappeared' });
    // Refused while it streamed: the reader's refusal, as when read whole.
    const refused = await importer(write('bad.csv', `Order ID,Order Status,Created Time\n${Array.from({ length: 100 }, (_, i) => `${1000 + i},Completed,${i < 90 ? '05/10/2026 10:00:00' : 'soon'}`).join('\n')}\n`), 'bad.csv', { optimistic: true });
    if (!refused.ok) throw new Error('refused before it was read');
    await expect(refused.drain(() => Promise.resolve())).rejects.toMatchObject({ code: 'too-many-bad-rows' });
  });
});
