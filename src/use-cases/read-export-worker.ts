/**
 * Worker-thread entry: reads one export file, says whether it is good, then (when told to)
 * posts its orders in batches, at most two ahead of the main thread's acknowledgements, so
 * neither thread ever holds more than a few batches.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Order } from '../core/order.js';
import { ImportError } from '../core/ingest/errors.js';
import { openImport, refusalOf, zoneOptions } from './read-export.js';
import type { FromWorker, ToWorker } from './read-export-in-worker.js';

const port = parentPort;
if (!port) throw new Error('import-worker runs on a worker thread');
const post = (message: FromWorker) => port.postMessage(message);
const { path, name, timeZone, spillDir, memoryBudgetBytes } = workerData as { path: string; name: string; timeZone?: string; spillDir?: string; memoryBudgetBytes?: number };

const AHEAD = 2;
let unacked = 0;
let acked: (() => void) | null = null;
let told!: (message: ToWorker) => void;
const command = new Promise<ToWorker>((resolve) => { told = resolve; });
port.on('message', (message: ToWorker) => {
  if (message.type === 'ack') {
    unacked--;
    acked?.();
    acked = null;
  } else {
    told(message);
  }
});

const opened = await openImport(path, name, { ...zoneOptions(timeZone), ...(memoryBudgetBytes !== undefined ? { memoryBudgetBytes } : {}) }, spillDir);
if (!opened.ok) {
  post({ type: 'refused', refusal: opened.refusal });
} else {
  post({ type: 'ready' });
  if ((await command).type === 'cancel') {
    await opened.cancel();
  } else {
    try {
      const summary = await opened.drain(async (orders: Order[]) => {
        unacked++;
        post({ type: 'orders', orders });
        while (unacked >= AHEAD) await new Promise<void>((resolve) => { acked = resolve; });
      });
      post({ type: 'done', summary });
    } catch (error) {
      // A file found unstorable while its orders are handed over (no order times at all).
      if (!(error instanceof ImportError)) throw error;
      post({ type: 'refused', refusal: refusalOf(error) });
    }
  }
}
port.close();
