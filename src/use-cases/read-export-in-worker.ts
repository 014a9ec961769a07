import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ImportSummary } from '../core/ingest/import.js';
import { StreamAbandoned, type AbandonReason } from '../core/ingest/stream.js';
import { READER_YOUNG_GENERATION_MB } from '../files/second-part.js';
import { ordersFromWire, type OrderWire } from './order-wire.js';
import { importErrorOf, openImport, placeOptions, type FileImporter, type OpenedImport, type OrderSink, type Refusal } from './read-export.js';

const WORKER = new URL('./read-export-worker.js', import.meta.url);
const MB = 1024 * 1024;
/** Room beside the held orders for the rows being read, the spill's buffers and the batches handed over. */
const HEAP_HEADROOM_MB = 64;

/** What an import worker says. */
export type FromWorker =
  | { type: 'refused'; refusal: Refusal }
  | { type: 'ready' }
  /** A batch, its numbers in typed arrays moved with the message and each distinct text once (order-wire.ts). */
  | { type: 'orders'; wire: OrderWire }
  /** An optimistic import that must be undone and done again the classic way. */
  | { type: 'abandoned'; reason: AbandonReason; handedOn: number }
  | { type: 'done'; summary: ImportSummary };
/** What it is told. */
export type ToWorker = { type: 'drain' } | { type: 'cancel' } | { type: 'ack' };

/**
 * Reads a file on a worker thread, so a large import never holds up the bot's answers to
 * other chats; its orders come back in batches, each handed to the sink (the import's
 * transaction) before the next is asked for. Run from TypeScript sources (the unit tests),
 * there is no compiled worker to start and the import runs on the calling thread instead.
 */
export function workerImporter(options: { memoryBudgetBytes?: number } = {}): FileImporter {
  return (path, name, place = {}) => {
    if (!existsSync(fileURLToPath(WORKER))) return openImport(path, name, placeOptions(place, options.memoryBudgetBytes));
    return new Promise<OpenedImport>((resolve, reject) => {
      // The heap is capped a little above the orders' budget, so the collector keeps the worker near it instead of growing.
      const resourceLimits = options.memoryBudgetBytes !== undefined
        ? { maxOldGenerationSizeMb: Math.ceil(options.memoryBudgetBytes / MB) + HEAP_HEADROOM_MB, maxYoungGenerationSizeMb: READER_YOUNG_GENERATION_MB }
        : undefined;
      const worker = new Worker(WORKER, { workerData: { path, name, timeZone: place.timeZone, spillDir: place.spillDir, optimistic: place.optimistic === true, ...options }, ...(resourceLimits ? { resourceLimits } : {}) });
      let sink: OrderSink | null = null;
      let finish: { resolve: (summary: ImportSummary) => void; reject: (error: unknown) => void } | null = null;
      /** Batches go to the sink one after another; a failure is reported only once the batch being written has settled. */
      let chain = Promise.resolve();
      let failure: { error: unknown } | null = null;
      let exited = false;
      let result: ImportSummary | null = null;
      const fail = (error: unknown) => {
        if (failure) return;
        failure = { error };
        reject(error);
        void worker.terminate();
        // The transaction is rolled back on this rejection: nothing may still be writing in it then.
        chain = chain.then(() => finish?.reject(error));
      };
      worker.on('message', (message: FromWorker) => {
        if (failure) return;
        switch (message.type) {
          case 'refused':
            // Before `ready`, the file is refused; while draining, the drain fails with the reader's error.
            resolve({ ok: false, refusal: message.refusal });
            fail(importErrorOf(message.refusal));
            break;
          case 'ready': resolve({
            ok: true,
            drain: (s) => new Promise<ImportSummary>((res, rej) => {
              if (failure) return rej(failure.error);
              sink = s;
              finish = { resolve: res, reject: rej };
              worker.postMessage({ type: 'drain' } satisfies ToWorker);
            }),
            cancel: async () => {
              if (exited) return;
              const gone = new Promise((res) => worker.once('exit', res));
              worker.postMessage({ type: 'cancel' } satisfies ToWorker);
              await gone;
            },
          }); break;
          case 'abandoned':
            fail(new StreamAbandoned(message.reason, message.handedOn));
            break;
          case 'orders': {
            const orders = ordersFromWire(message.wire);
            chain = chain.then(async () => {
              // A batch that arrived behind a failed one is never written.
              if (failure) return;
              await sink?.(orders);
              worker.postMessage({ type: 'ack' } satisfies ToWorker);
            }).catch(fail);
            break;
          }
          case 'done': {
            result = message.summary;
            const summary = message.summary;
            chain = chain.then(() => { if (!failure) finish?.resolve(summary); }).catch(fail);
            break;
          }
        }
      });
      worker.once('error', fail);
      worker.once('exit', (code) => {
        exited = true;
        if (result === null && code !== 0) fail(new Error(`import worker stopped with code ${code}`));
      });
    });
  };
}
