import { ImportError, type ImportErrorCode, type ImportErrorParams, type SkippedRow } from '../core/ingest/errors.js';
import { dayOrderOfZone } from '../core/ingest/dates.js';
import { importOrders, type ImportSummary } from '../core/ingest/import.js';
import type { Order } from '../core/order.js';
import { diskSpill } from '../files/disk-spill.js';
import { fileSource } from '../files/file-source.js';

/** An import's result in a form that crosses a worker boundary (plain data, no classes). */
export type ImportOutcome =
  | { ok: true; summary: ImportSummary; orders: Order[] }
  | { ok: false; error: { code: ImportErrorCode; params: ImportErrorParams; samples: SkippedRow[] } };

/** `timeZone` is the chat's: it says how to read a file whose every date reads either way (see dayOrderOfZone). */
export type FileImporter = (path: string, name: string, timeZone?: string) => Promise<ImportOutcome>;

/** Reads one export file from disk into orders, on the calling thread. */
export const importFile: FileImporter = async (path, name, timeZone) => {
  const orders: Order[] = [];
  try {
    const summary = await importOrders([await fileSource(path, { name })], (o) => orders.push(o), {
      spill: () => diskSpill(), dayOrderHint: timeZone === undefined ? null : dayOrderOfZone(timeZone),
    });
    // Stored orders are kept by day: a file without any order time cannot be stored (the CLI reports it as a whole).
    if (summary.undated.orders > 0) return { ok: false, error: { code: 'no-order-times', params: { file: name }, samples: [] } };
    return { ok: true, summary, orders };
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    return { ok: false, error: { code: error.code, params: error.params, samples: [...error.samples] } };
  }
};

export const importErrorOf = (outcome: Extract<ImportOutcome, { ok: false }>): ImportError =>
  new ImportError(outcome.error.code, outcome.error.params, outcome.error.samples);
