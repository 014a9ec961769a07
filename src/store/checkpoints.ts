import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

const WORKER = new URL('./checkpoint-worker.js', import.meta.url);

/** What the checkpoint worker is told: run a checkpoint soon, or close its connection and stop. */
export type ToCheckpointWorker = { type: 'nudge' } | { type: 'close' };
/** What it tells back after each checkpoint: SQLite's own figures (frames in the log, frames copied back). */
export type FromCheckpointWorker = Checkpointed | { type: 'failed'; message: string };
export interface Checkpointed { type: 'checkpointed'; log: number; checkpointed: number; busy: boolean }

/** Passed to the worker at its start. */
export interface CheckpointWorkerData {
  path: string;
  /** At most one checkpoint this often: a checkpoint syncs the file twice, and commits may come by the hundred. */
  minIntervalMs: number;
}

export interface BackgroundCheckpoints {
  /** Something was committed: a checkpoint runs soon (at most one per interval, whatever the number of nudges). */
  nudge(): void;
  /** Resolves with the first checkpoint from now on whose figures pass `test`, or with the worker's failure (tests). */
  until(test: (figures: Checkpointed) => boolean): Promise<FromCheckpointWorker>;
  /** Waits for a running checkpoint, closes the worker's connection and stops it. */
  close(): Promise<void>;
}

/** SQLite's own default: a committing connection checkpoints once the log holds this many pages. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1_000;

/**
 * SQLite's log (WAL) is copied back into the database file at checkpoints. By default the
 * connection that commits runs one inside the commit once the log passes 1,000 pages: after a
 * large import, seconds of copying on the main thread, where every chat waits, since
 * better-sqlite3 is synchronous. Instead, the writing connection `writer` (on a file, in
 * WAL mode) stops checkpointing by itself, and a worker thread with a connection of its own runs
 * the checkpoints, PASSIVE: it never waits for a reader or the writer, nor holds one up.
 *
 * Null where no worker can start (run from TypeScript sources, as the unit tests are): SQLite's
 * own checkpoints are then left as they are. Should the worker stop on its own, the writer
 * checkpoints by itself again, so the log never grows without end, and `onStopped` hears why.
 */
export function backgroundCheckpoints(writer: SQLite.Database, onStopped: (why: string) => void, minIntervalMs = 1_000): BackgroundCheckpoints | null {
  if (!existsSync(fileURLToPath(WORKER))) return null;
  const worker = new Worker(WORKER, {
    workerData: { path: writer.name, minIntervalMs } satisfies CheckpointWorkerData,
    resourceLimits: { maxOldGenerationSizeMb: 16 },
  });
  // The worker must not keep a finished process alive (a CLI command, a test's last store).
  worker.unref();
  // Each waiter looks at every message as it arrives: two may come in one turn of the event loop.
  let waiting: Array<(message: FromCheckpointWorker) => boolean> = [];
  let closing = false;
  let stopped = false;
  const stoppedBy = (why: string) => {
    if (closing || stopped) return;
    stopped = true;
    writer.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
    for (const settles of waiting.splice(0)) settles({ type: 'failed', message: why });
    onStopped(why);
  };
  worker.on('message', (message: FromCheckpointWorker) => {
    if (message.type === 'failed') return stoppedBy(message.message);
    waiting = waiting.filter((settles) => !settles(message));
  });
  worker.once('error', (error) => stoppedBy(error.message));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => {
    stoppedBy('the checkpoint worker exited');
    resolve();
  }));
  const post = (message: ToCheckpointWorker) => worker.postMessage(message);
  writer.pragma('wal_autocheckpoint = 0');
  return {
    nudge: () => {
      if (!closing && !stopped) post({ type: 'nudge' });
    },
    until: (test) => new Promise((resolve) => waiting.push((message) => {
      if (message.type === 'checkpointed' && !test(message)) return false;
      resolve(message);
      return true;
    })),
    close: async () => {
      if (closing) return exited;
      closing = true;
      // Held by its exit now: with nothing else left to do, the process would end before the worker.
      worker.ref();
      post({ type: 'close' });
      await exited;
    },
  };
}
