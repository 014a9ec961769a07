/** Worker-thread entry: reads the second part of one CSV file (see second-part.ts) and posts what it found. */
import { parentPort, workerData } from 'node:worker_threads';
import { readSecondPart, type PartRequest } from '../core/ingest/split-read.js';
import { diskSpill, type DiskSpill } from './disk-spill.js';
import { fileSource } from './file-source.js';
import type { FromPartWorker } from './second-part.js';

const port = parentPort;
if (!port) throw new Error('second-part-worker runs on a worker thread');
const post = (message: FromPartWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const { path, name, request, spillDir } = workerData as { path: string; name: string; request: PartRequest; spillDir?: string };

/** Progress is posted once per MB read, not per chunk. */
const PROGRESS_BYTES = 1024 * 1024;
let unreported = 0;
const source = await fileSource(path, {
  name,
  onBytes: (bytes) => {
    unreported += bytes;
    if (unreported < PROGRESS_BYTES) return;
    post({ type: 'bytes', bytes: unreported });
    unreported = 0;
  },
});
// Whatever goes wrong here (bytes that are not UTF-8, a quote never closed), the calling thread
// reads the part itself and meets it in its own words, with the file's own line numbers.
const made: { spill: DiskSpill | null } = { spill: null };
const read = await readSecondPart(source, request, async () => (made.spill = await diskSpill(spillDir))).catch(() => null);
if (unreported > 0) post({ type: 'bytes', bytes: unreported });
if (read) {
  const { spilled, ...found } = read;
  // The spilled runs are left where they are, for the calling thread to read and remove.
  const spilledAt = spilled && made.spill ? { dir: made.spill.dir, ranges: spilled.ranges } : null;
  const { ints, cents, items, quantities } = read.states;
  post({ type: 'read', read: { ...found, spilledAt } }, [ints.buffer, cents.buffer, items.buffer, quantities.buffer]);
} else {
  await made.spill?.dispose();
  post({ type: 'read', read: null });
}
port.close();
