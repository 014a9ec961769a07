/** Worker-thread entry: runs SQLite's checkpoints for the bot's writing connection (see checkpoints.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import type { CheckpointWorkerData, FromCheckpointWorker, ToCheckpointWorker } from './checkpoints.js';

const port = parentPort;
if (!port) throw new Error('checkpoint-worker runs on a worker thread');
const { path, minIntervalMs } = workerData as CheckpointWorkerData;
const post = (message: FromCheckpointWorker) => port.postMessage(message);

const db = new SQLite(path);
let last = Number.NEGATIVE_INFINITY;
let pending: NodeJS.Timeout | null = null;

function checkpoint(): void {
  pending = null;
  last = Date.now();
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
    post({ type: 'checkpointed', log: result?.log ?? 0, checkpointed: result?.checkpointed ?? 0, busy: result?.busy === 1 });
  } catch (error) {
    // The caller turns SQLite's own checkpoints back on; this worker is done.
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    stop();
  }
}

function stop(): void {
  if (pending) clearTimeout(pending);
  pending = null;
  if (db.open) db.close();
  port?.close();
}

port.on('message', (message: ToCheckpointWorker) => {
  if (message.type === 'close') return stop();
  // Nudges while one is due are the same checkpoint.
  if (pending) return;
  const wait = last + minIntervalMs - Date.now();
  if (wait <= 0) checkpoint();
  else pending = setTimeout(checkpoint, wait);
});
