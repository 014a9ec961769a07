import { ImportError, type ImportErrorCode, type ImportErrorParams, type SkippedRow } from '../core/ingest/errors.js';
import { dayOrderOfZone } from '../core/ingest/dates.js';
import { importOrders, type ImportOptions, type ImportSummary } from '../core/ingest/import.js';
import type { Order } from '../core/order.js';
import { diskSpill } from '../files/disk-spill.js';
import { fileSource } from '../files/file-source.js';
import { secondPartOnWorker } from '../files/second-part.js';

/** Why a file was refused, in a form that crosses a worker boundary (plain data, no classes). */
export interface Refusal { code: ImportErrorCode; params: ImportErrorParams; samples: SkippedRow[] }

/** Takes a batch of orders (into a transaction, say); the import waits for it. */
export type OrderSink = (orders: Order[]) => Promise<void>;

/**
 * An export file, read and found good (or refused), whose orders have not been handed on yet:
 * `drain` passes them on in bounded batches and resolves with the import's summary; `cancel`
 * drops them. Either must be called once. Opened optimistically (ImportPlace.optimistic), the
 * file is read while it is drained: `drain` then fails with the reader's ImportError for a
 * file refused, or with StreamAbandoned when it must be imported again the classic way.
 */
export type OpenedImport =
  | { ok: false; refusal: Refusal }
  | { ok: true; drain(sink: OrderSink): Promise<ImportSummary>; cancel(): Promise<void> };

/**
 * Where and how a file is read: `timeZone` is the chat's (it says how to read a file whose
 * every date reads either way, see dayOrderOfZone); orders that do not fit in memory are
 * parked under `spillDir`, which the caller removes whatever happens to the reader.
 */
export interface ImportPlace {
  timeZone?: string | undefined;
  spillDir?: string | undefined;
  /** Stream orders to the sink while the file is read (see ImportOptions.optimistic). */
  optimistic?: boolean | undefined;
}

export type FileImporter = (path: string, name: string, place?: ImportPlace) => Promise<OpenedImport>;

/** The import options a chat's time zone gives: how to read a file whose every date reads either way. */
const zoneOptions = (timeZone: string | undefined): ImportOptions['reading'] => ({ dayOrderHint: timeZone === undefined ? null : dayOrderOfZone(timeZone) });

/**
 * Orders per batch handed on: about 100 KB, whatever the file's size. A batch being filled must
 * die young: a larger one outlives the import worker's young generation and turns its garbage
 * into full collections.
 */
export const ORDER_BATCH = 500;

class Cancelled extends Error {}

/**
 * Reads one export file on the calling thread: resolves once the file has been read (orders
 * merged, spilled to disk past the memory budget), then hands orders on only when drained.
 * Optimistic, it resolves at once and the file is read as it is drained.
 */
export async function openImport(path: string, name: string, options: ImportOptions = {}): Promise<OpenedImport> {
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => { ready = resolve; });
  let go!: (sink: OrderSink | null) => void;
  const started = new Promise<OrderSink | null>((resolve) => { go = resolve; });
  let sink = null as OrderSink | null;
  let batch: Order[] = [];
  const done = (async () => {
    const summary = await importOrders([await fileSource(path, { name })], (order) => {
      // Stored orders are kept by day: a file without any order time cannot be stored (the CLI reports it as a whole).
      if (order.createdAt === null) throw new ImportError('no-order-times', { file: name });
      batch.push(order);
      if (batch.length < ORDER_BATCH || !sink) return;
      const full = batch;
      batch = [];
      return sink(full);
    }, {
      ...options,
      handing: {
        ...options.handing,
        beforeOrders: async () => {
          ready();
          sink = await started;
          if (!sink) throw new Cancelled();
        },
      },
    });
    if (batch.length > 0 && sink) await sink(batch);
    return summary;
  })();
  try {
    await Promise.race([isReady, done]);
  } catch (error) {
    if (error instanceof ImportError) return { ok: false, refusal: refusalOf(error) };
    throw error;
  }
  return {
    ok: true,
    drain: (s) => { go(s); return done; },
    cancel: async () => {
      go(null);
      await done.catch((error: unknown) => { if (!(error instanceof Cancelled)) throw error; });
    },
  };
}

/**
 * The import options of a place: its zone's, optimistic when asked, orders past the budget
 * parked in its folder, and a large file read whole on two threads, the second parking there too.
 */
export const placeOptions = (place: ImportPlace, memoryBudgetBytes?: number): ImportOptions => ({
  reading: zoneOptions(place.timeZone),
  holding: {
    spill: () => diskSpill(place.spillDir),
    secondPart: secondPartOnWorker({ spillDir: place.spillDir }),
    ...(memoryBudgetBytes !== undefined ? { memoryBudgetBytes } : {}),
  },
  handing: { optimistic: place.optimistic === true },
});

export const importFile: FileImporter = (path, name, place = {}) => openImport(path, name, placeOptions(place));

export const importErrorOf = (refusal: Refusal): ImportError => new ImportError(refusal.code, refusal.params, refusal.samples);

export const refusalOf = (error: ImportError): Refusal => ({ code: error.code, params: error.params, samples: [...error.samples] });
