import { describe, expect, it } from 'vitest';
import { bufferSource } from '../../src/core/ingest/source.js';
import { memorySpill } from '../../src/core/ingest/spill.js';
import { DEFAULT_MIN_PRODUCT_ORDERS } from '../../src/core/metrics/products.js';
import { translator } from '../../src/i18n.js';
import { reportFromFiles } from '../../src/use-cases/file-report.js';
import { exportCsv } from '../fixtures/generate.js';
import { NOW } from '../support/report.js';

/**
 * The CLI's report of one export reads it as its orders come (nothing held), and reads it
 * again whole where an order's lines prove to be apart: the figures must be the same either way.
 */
async function reportOf(text: string, budget: number) {
  let spills = 0;
  const result = await reportFromFiles({
    sources: [bufferSource('OrderSKUList.csv', text, 4096)], window: { kind: 'all' }, timeZone: 'Asia/Shanghai', now: NOW, tr: translator('en'),
    // A budget of a few orders: any order held past it goes to the spill.
    importOptions: { holding: { memoryBudgetBytes: budget, spill: () => { spills++; return Promise.resolve(memorySpill()); } } },
    byProduct: { minOrders: DEFAULT_MIN_PRODUCT_ORDERS },
  });
  return { ...result, spills };
}

describe('the report of one export', () => {
  it('is counted as it is read when each order keeps its lines together, and read whole when not, with the same figures', async () => {
    for (const seed of [21, 22]) {
      const sorted = exportCsv({ orders: 600, seed, multiLine: 0.5 }).text;
      const shuffled = exportCsv({ orders: 600, seed, multiLine: 0.5, shuffle: true }).text;
      const asRead = await reportOf(sorted, 20 * 400);
      const readWhole = await reportOf(shuffled, 20 * 400);
      expect(asRead.summary.streamed).toBe(true);
      expect(readWhole.summary.streamed).toBeUndefined();
      // Counted as read, no order is held, so none is parked on disk; read whole, they are.
      expect(asRead.spills).toBe(0);
      expect(readWhole.spills).toBeGreaterThan(0);
      expect(asRead.report.products?.length).toBeGreaterThan(0);
      expect(asRead.report).toEqual(readWhole.report);
      expect(asRead.summary.orders).toBe(600);
      expect({ ...asRead.summary, streamed: undefined }).toEqual({ ...readWhole.summary, streamed: undefined });
    }
  });

  it('drops what it counted when an order comes back late in the file, and counts the file again', async () => {
    const { text } = exportCsv({ orders: 600, seed: 23, multiLine: 0.5 });
    const lines = text.split('\n');
    // The second data row (an order's line) moved to the end: its order comes back after 600 went by.
    const [moved] = lines.splice(2, 1);
    const late = [...lines.slice(0, -1), moved, ''].join('\n');
    const result = await reportOf(late, 1e9);
    expect(result.summary.streamed).toBeUndefined();
    expect(result.report).toEqual((await reportOf(text, 1e9)).report);
  });
});
