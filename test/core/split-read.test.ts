import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/core/ingest/errors.js';
import { importOrders, readSecondPart, type ImportOptions, type ImportSummary, type SecondPartReader } from '../../src/core/ingest/import.js';
import { bufferSource, type ByteSource } from '../../src/core/ingest/source.js';
import { memorySpill, type SpillFactory } from '../../src/core/ingest/spill.js';
import type { Order } from '../../src/core/order.js';
import { csvLine, exportCsv, STANDARD_HEADERS } from '../fixtures/generate.js';

/**
 * A large file is read in two parts at once (the CLI's second part runs on a worker thread;
 * here, the same reader runs on this thread). Whatever the split point, the import must say
 * exactly what a one-thread read says: the same orders in the same order, the same summary,
 * the same refusal with the same line numbers.
 */

interface Seen {
  /** Bytes at or past the split that the calling thread read itself (0: the second part was taken). */
  readOnPast: number;
  cancelled: number;
  asked: number;
}

/**
 * The second part read on this thread from its own copy of the bytes, so the calling thread's
 * reads can be counted apart; `partBudget` replaces the budget the calling thread gives it.
 */
function secondPartHere(bytes: Uint8Array, seen: Seen, partBudget?: number, partSpill: SpillFactory | null = null): SecondPartReader {
  return (source, request) => {
    seen.asked++;
    const asked = partBudget === undefined ? request : { ...request, memoryBudgetBytes: partBudget };
    return { result: readSecondPart(bufferSource(source.name, bytes, 4096), asked, partSpill), cancel: () => { seen.cancelled++; } };
  };
}

/** A source over `bytes` that counts what is read of it at or past the byte `past.from`, once known. */
function countingSource(name: string, bytes: Uint8Array, past: { from: number | null; bytes: number }): ByteSource {
  const inner = bufferSource(name, bytes, 4096);
  return {
    ...inner,
    async *stream(start = 0, end = bytes.length) {
      for await (const chunk of inner.stream(start, end)) {
        if (past.from !== null && start >= past.from) past.bytes += chunk.length;
        yield chunk;
      }
    },
  };
}

type Outcome = { orders: Order[]; summary: ImportSummary } | { refused: { code: string; params: unknown; samples: unknown } };

async function importOf(text: string, options: ImportOptions = {}, source?: ByteSource): Promise<Outcome> {
  const orders: Order[] = [];
  try {
    const summary = await importOrders([source ?? bufferSource('OrderSKUList.csv', text, 4096)], (o) => { orders.push(o); }, options);
    return { orders, summary };
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    return { refused: { code: error.code, params: error.params, samples: error.samples } };
  }
}

/** The file read in two parts, split near `firstShare` of its bytes, and what the calling thread did. */
async function splitImport(text: string, firstShare: number, options: ImportOptions = {}, partBudget?: number, partSpill: SpillFactory | null = null): Promise<{ outcome: Outcome; seen: Seen; from: number }> {
  const bytes = new TextEncoder().encode(text);
  const seen: Seen = { readOnPast: 0, cancelled: 0, asked: 0 };
  const past = { from: null as number | null, bytes: 0 };
  const reader = secondPartHere(bytes, seen, partBudget, partSpill);
  const spy: SecondPartReader = (source, request) => {
    past.from = request.from;
    return reader(source, request);
  };
  const outcome = await importOf(text, { ...options, holding: { ...options.holding, secondPart: spy, split: { minBytes: 0, firstShare } } }, countingSource('OrderSKUList.csv', bytes, past));
  seen.readOnPast = past.bytes;
  return { outcome, seen, from: past.from ?? -1 };
}

const SHARES = [0.03, 0.2, 0.41, 0.5, 0.67, 0.9, 0.99];

/** Rows of a generated export with some rows no import can count, spread over the whole file. */
function exportWithBadRows(seed: number): string {
  const { text } = exportCsv({ orders: 300, seed, multiLine: 0.5, shuffle: true });
  const lines = text.split('\n');
  const bad = (id: string, created: string) => csvLine(STANDARD_HEADERS.map((h) => (h === 'Order ID' ? id : h === 'Created Time' ? created : h === 'Order Status' ? 'Weird status' : ''))).trimEnd();
  // In each part: a row without an id and one with a date no calendar has (both skipped), and a status no table knows (shown).
  for (const at of [40, 200, 420, 600]) lines.splice(at, 0, bad('', '01/11/2026 10:00:00'), bad(`9${at}`, '45/11/2026 10:00:00'), bad(`8${at}`, '02/11/2026 10:00:00'));
  return lines.join('\n');
}

describe('a file read in two parts', () => {
  it('gives the same orders in the same order, and the same summary, wherever it is split', async () => {
    for (const seed of [1, 2]) {
      const text = exportWithBadRows(seed);
      const alone = await importOf(text, { reading: { sampleSize: 3 } });
      expect('orders' in alone && alone.summary.skipped.rows).toBe(8);
      for (const share of SHARES) {
        const { outcome, seen } = await splitImport(text, share, { reading: { sampleSize: 3 } });
        expect(outcome).toEqual(alone);
        // The second part was taken: the calling thread never read past the split.
        expect(seen).toEqual({ asked: 1, cancelled: 0, readOnPast: 0 });
      }
    }
  });

  it('names the lines of skipped rows in the second part as the file numbers them', async () => {
    const text = exportWithBadRows(3);
    const alone = await importOf(text, { reading: { sampleSize: 20 } });
    const { outcome } = await splitImport(text, 0.5, { reading: { sampleSize: 20 } });
    if (!('summary' in outcome) || !('summary' in alone)) throw new Error('refused');
    const lines = outcome.summary.skipped.samples.map((s) => s.line);
    expect(lines).toEqual(alone.summary.skipped.samples.map((s) => s.line));
    expect(Math.max(...lines)).toBeGreaterThan(text.split('\n').length / 2);
  });

  it('is read on by the calling thread when the split falls inside a quoted line break', async () => {
    const { text } = exportCsv({ orders: 300, seed: 4, messyText: true, multiLine: 0.3 });
    const bytes = new TextEncoder().encode(text);
    // A buyer message holding a line break, well into the file: split just after its opening quote.
    const quoted = text.indexOf('"', Math.floor(text.length / 2));
    expect(text.slice(quoted, text.indexOf('"', quoted + 1))).toContain('\n');
    const share = (new TextEncoder().encode(text.slice(0, quoted + 1)).length) / bytes.length;
    const alone = await importOf(text);
    const { outcome, seen, from } = await splitImport(text, share);
    expect(outcome).toEqual(alone);
    expect(from).toBeLessThanOrEqual(new TextEncoder().encode(text.slice(0, text.indexOf('"', quoted + 1))).length);
    expect(seen.cancelled).toBe(1);
    expect(seen.readOnPast).toBe(bytes.length - from);
  });

  it('is read on by the calling thread when the second part outgrows its memory', async () => {
    const { text } = exportCsv({ orders: 400, seed: 5, multiLine: 0.5, shuffle: true });
    const alone = await importOf(text, { holding: { memoryBudgetBytes: 8_000 } });
    const { outcome, seen, from } = await splitImport(text, 0.5, { holding: { memoryBudgetBytes: 8_000 } });
    expect(outcome).toEqual(alone);
    expect(seen.readOnPast).toBe(new TextEncoder().encode(text).length - from);
  });

  it('merges the second part into orders the calling thread has parked on disk', async () => {
    const { text } = exportCsv({ orders: 400, seed: 8, multiLine: 0.6, shuffle: true });
    const alone = await importOf(text);
    // A budget of a few orders here: the first part's orders, and the second's as they are merged in, go to the spill.
    const { outcome, seen } = await splitImport(text, 0.5, { holding: { spill: async () => memorySpill(), memoryBudgetBytes: 7 * 400 } }, 1e9);
    expect(seen.readOnPast).toBe(0);
    if (!('orders' in outcome) || !('orders' in alone)) throw new Error('refused');
    // Spilled orders come back bucket by bucket: the same orders, in another order.
    const byId = (orders: Order[]) => new Map(orders.map((o) => [o.id, o]));
    expect(byId(outcome.orders)).toEqual(byId(alone.orders));
    expect(outcome.summary).toEqual(alone.summary);
  });

  it('takes a second part that parked its own orders, whether or not the calling thread parked any', async () => {
    const { text } = exportCsv({ orders: 600, seed: 9, multiLine: 0.6, shuffle: true });
    const alone = await importOf(text);
    if (!('orders' in alone)) throw new Error('refused');
    const byId = (orders: Order[]) => new Map(orders.map((o) => [o.id, o]));
    // Both parts spill, or only the second does (the first then takes over the ranges its runs are cut by).
    for (const firstBudget of [7 * 400, 1e9]) {
      let partSpills = 0;
      const partSpill = () => { partSpills++; return Promise.resolve(memorySpill()); };
      const { outcome, seen } = await splitImport(text, 0.5, { holding: { spill: async () => memorySpill(), memoryBudgetBytes: firstBudget } }, 7 * 400, partSpill);
      expect(seen.readOnPast).toBe(0);
      expect(partSpills).toBe(1);
      if (!('orders' in outcome)) throw new Error('refused');
      expect(byId(outcome.orders)).toEqual(byId(alone.orders));
      expect(outcome.summary).toEqual(alone.summary);
    }
  });

  it('refuses a file for what its two parts say together, with the lines a one-thread read names', async () => {
    const { text } = exportCsv({ orders: 200, seed: 6, descriptionRow: false });
    const lines = text.split('\n');
    const at = (i: number, created: string) => {
      const cells = (lines[i] ?? '').split(',');
      cells[STANDARD_HEADERS.indexOf('Created Time')] = created;
      lines[i] = cells.join(',');
    };
    // Day first early in the file, month first late: the dates contradict each other across the split.
    at(5, '25/11/2026 10:00:00');
    at(lines.length - 10, '11/25/2026 10:00:00');
    const mixed = lines.join('\n');
    const alone = await importOf(mixed);
    expect(alone).toMatchObject({ refused: { code: 'mixed-date-styles' } });
    expect((await splitImport(mixed, 0.5)).outcome).toEqual(alone);

    // Bad rows in both parts: together, but in neither alone, past the share a file may have.
    const { text: clean } = exportCsv({ orders: 200, seed: 7, descriptionRow: false });
    const rows = clean.split('\n');
    for (const i of [3, 6, 9, rows.length - 12, rows.length - 9, rows.length - 6]) rows[i] = `,${(rows[i] ?? '').split(',').slice(1).join(',')}`;
    const bad = rows.join('\n');
    const aloneBad = await importOf(bad, { reading: { maxBadShare: 0.01 } });
    expect(aloneBad).toMatchObject({ refused: { code: 'too-many-bad-rows' } });
    expect((await splitImport(bad, 0.5, { reading: { maxBadShare: 0.01 } })).outcome).toEqual(aloneBad);
  });

  it('refuses ids Excel rounded when both parts hold them', async () => {
    const header = csvLine(['Order ID', 'Order Status', 'Created Time', 'Paid Time']);
    const row = (i: number) => csvLine([`5764614130387${String(i).padStart(2, '0')}0000`.slice(0, 15) + '0000', 'Completed', '13/11/2026 10:00:00', '13/11/2026 10:01:00']);
    const text = header + Array.from({ length: 400 }, (_, i) => row(i)).join('');
    const alone = await importOf(text);
    expect(alone).toMatchObject({ refused: { code: 'excel-ids-rounded' } });
    expect((await splitImport(text, 0.5)).outcome).toEqual(alone);

    // Rounded-looking ids in the first part only: the second part's whole ids show the file is not Excel's.
    const whole = (i: number) => csvLine([`57646141303878${String(i).padStart(5, '0')}`, 'Completed', '13/11/2026 10:00:00', '13/11/2026 10:01:00']);
    const mixed = header + Array.from({ length: 400 }, (_, i) => (i < 200 ? row(i) : whole(i))).join('');
    const aloneMixed = await importOf(mixed);
    expect(aloneMixed).toMatchObject({ summary: { orders: 300 } });
    expect((await splitImport(mixed, 0.5)).outcome).toEqual(aloneMixed);
  });
});
