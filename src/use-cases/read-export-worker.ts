/**
 * Worker-thread entry: reads one export file, says whether it is good, then (when told to)
 * posts its orders in batches, at most eight ahead of the main thread's acknowledgements, so
 * neither thread ever holds more than a few batches.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Order } from '../core/order.js';
import { ImportError } from '../core/ingest/errors.js';
import { StreamAbandoned } from '../core/ingest/stream.js';
import { ordersToWire, wireBuffers } from './order-wire.js';
import { openImport, placeOptions, refusalOf } from './read-export.js';
import type { FromWorker, ToWorker } from './read-export-in-worker.js';

const port = parentPort;
if (!port) throw new Error('import-worker runs on a worker thread');
const post = (message: FromWorker) => port.postMessage(message);
const { path, name, timeZone, spillDir, memoryBudgetBytes, optimistic } = workerData as {
  path: string; name: string; timeZone?: string; spillDir?: string; memoryBudgetBytes?: number; optimistic?: boolean;
};

/**
 * Batches posted and not yet written: enough (4,000 orders, a few MB) that the main thread,
 * which writes, never waits for the next, and few enough that neither thread holds many.
 */
const AHEAD = 8;
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

const opened = await openImport(path, name, placeOptions({ timeZone, optimistic, spillDir }, memoryBudgetBytes));
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
        const wire = ordersToWire(orders);
        port.postMessage({ type: 'orders', wire } satisfies FromWorker, wireBuffers(wire));
        while (unacked >= AHEAD) await new Promise<void>((resolve) => { acked = resolve; });
      });
      post({ type: 'done', summary });
    } catch (error) {
      // A file found unstorable while its orders are handed over (no order times at all), or
      // refused while it streamed; or a stream that must be undone and read the classic way.
      if (error instanceof StreamAbandoned) post({ type: 'abandoned', reason: error.reason, handedOn: error.handedOn });
      else if (error instanceof ImportError) post({ type: 'refused', refusal: refusalOf(error) });
      else throw error;
    }
  }
}
port.close();
