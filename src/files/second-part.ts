import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PartRead, SecondPartReader } from '../core/ingest/split-read.js';
import { spilledAt } from './disk-spill.js';

const WORKER = new URL('./second-part-worker.js', import.meta.url);
const MB = 1024 * 1024;
/** Room beside the part's held orders for the rows being read and the findings posted back. */
const HEAP_HEADROOM_MB = 64;

/**
 * The young generation of a thread that reads an export (the bot's import worker, either
 * program's second part). A reader's garbage is rows and batches that die within a few
 * hundred orders, so 8 MB collects them as well as V8's default (up to 48 MB), in the same
 * time, and keeps each thread about 30 MB smaller (bench/README.md).
 */
export const READER_YOUNG_GENERATION_MB = 8;

/** A part's findings as they cross threads: its spilled runs by their folder. */
export type PartReadWire = Omit<PartRead, 'spilled'> & { spilledAt: { dir: string; ranges: Float64Array } | null };

/** What a second-part worker posts: bytes read so far (for progress), then its findings (null: read it yourself). */
export type FromPartWorker = { type: 'bytes'; bytes: number } | { type: 'read'; read: PartReadWire | null };

/**
 * Reads the second part of a large CSV file on a worker thread, so a report uses two of a
 * machine's cores (see splitRead in the core). Offers nothing where it cannot help or no
 * worker can start: on one core, run from TypeScript sources (the unit tests), or for bytes
 * with no file behind them. A worker that fails for any reason answers null, and the calling
 * thread reads the part itself. Orders past the part's budget are parked in a folder of their
 * own under `spillDir` (the system's temporary folder by default). `onBytes` hears of the bytes
 * the part read, and, for a part not taken after all, of as many again taken back (negative).
 */
export function secondPartOnWorker(options: { onBytes?: (bytes: number) => void; spillDir?: string | undefined } = {}): SecondPartReader {
  return (source, request) => {
    if (source.location === undefined || availableParallelism() < 2 || !existsSync(fileURLToPath(WORKER))) return null;
    const worker = new Worker(WORKER, {
      workerData: { path: source.location, name: source.name, request, spillDir: options.spillDir },
      // A part larger than its budget spills or gives up by itself; the cap is the backstop.
      resourceLimits: {
        maxOldGenerationSizeMb: Math.ceil(request.memoryBudgetBytes / MB) + HEAP_HEADROOM_MB,
        maxYoungGenerationSizeMb: READER_YOUNG_GENERATION_MB,
      },
    });
    let settle!: (read: PartRead | null) => void;
    const result = new Promise<PartRead | null>((resolve) => {
      let reported = 0;
      let settled = false;
      settle = (read) => {
        if (settled) return;
        settled = true;
        // A part not taken is read again by the calling thread, which counts its bytes then.
        if (!read && reported > 0) options.onBytes?.(-reported);
        resolve(read);
      };
      worker.on('message', (message: FromPartWorker) => {
        if (message.type === 'read') {
          const read = message.read;
          if (!read) return settle(null);
          const { spilledAt: at, ...found } = read;
          return settle({ ...found, spilled: at === null ? null : { spill: spilledAt(at.dir), ranges: at.ranges } });
        }
        if (settled) return;
        reported += message.bytes;
        options.onBytes?.(message.bytes);
      });
      worker.once('error', () => settle(null));
      worker.once('exit', () => settle(null));
    });
    return { result, cancel: () => { settle(null); void worker.terminate(); } };
  };
}
