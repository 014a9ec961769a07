import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportError } from '../../src/core/ingest/errors.js';
import { importOrders, type ImportOptions, type ImportSummary } from '../../src/core/ingest/import.js';
import { bufferSource, type ByteSource } from '../../src/core/ingest/source.js';
import { HELD_UNTIL_SETTLED, SeenIds, StreamAbandoned } from '../../src/core/ingest/stream.js';
import type { Order } from '../../src/core/order.js';
import { translator } from '../../src/i18n.js';
import { Store } from '../../src/store/store.js';
import { importUpload, type UploadDeps, type UploadResult } from '../../src/use-cases/import-upload.js';
import { importFile, ORDER_BATCH, type FileImporter } from '../../src/use-cases/read-export.js';
import { Turns } from '../../src/use-cases/turns.js';
import { exportCsv } from '../fixtures/generate.js';
import { TEST_DATABASES } from '../support/databases.js';
import { NOW } from '../support/report.js';
import { testDir } from '../support/temp-dirs.js';

const HEADER = 'Order ID,Order Status,Cancelation/Return Type,Created Time,Paid Time,Cancel By,Cancel Reason,SKU ID,Product Name,Quantity';
const two = (n: number) => String(n).padStart(2, '0');
/** A row of a hand-made export: `first/second/2026 hh:00:00` as the file writes it (day or month first). */
const row = (id: string, first: number, second: number, opts: { hour?: number; cancelled?: boolean; sku?: string; product?: string } = {}) => {
  const time = `${two(first)}/${two(second)}/2026 ${two(opts.hour ?? 10)}:00:00`;
  return opts.cancelled
    ? `${id},Cancelled,Cancel,${time},${time},Seller,Out of stock,${opts.sku ?? '1729'},${opts.product ?? 'Mug'},1`
    : `${id},Completed,,${time},${time},,,${opts.sku ?? '1729'},${opts.product ?? 'Mug'},1`;
};
const csv = (rows: readonly string[]) => `${HEADER}\n${rows.join('\n')}\n`;
const id = (n: number) => String(576000000000000000n + BigInt(n * 7919 + 13));

/** A source that counts the bytes it has handed to the reader. */
function counting(name: string, data: string | Uint8Array): { source: ByteSource; read: () => number } {
  const inner = bufferSource(name, data, 4096);
  let read = 0;
  return {
    read: () => read,
    source: { ...inner, async *stream() { for await (const chunk of inner.stream()) { read += chunk.length; yield chunk; } } },
  };
}

/** Every order and the summary, read whole (classic) or streamed (optimistic). */
async function imported(data: string | Uint8Array, options: ImportOptions = {}): Promise<{ orders: Map<string, Order>; summary: ImportSummary; firstAt: number | null; size: number }> {
  const { source, read } = counting('orders.csv', data);
  const orders = new Map<string, Order>();
  let firstAt: number | null = null;
  const summary = await importOrders([source], (o) => {
    firstAt ??= read();
    orders.set(o.id, o);
  }, options);
  return { orders, summary, firstAt, size: source.size };
}

async function failure(data: string | Uint8Array, options: ImportOptions = {}): Promise<unknown> {
  try {
    await importOrders([bufferSource('orders.csv', data, 4096)], () => undefined, options);
  } catch (error) {
    return error;
  }
  throw new Error('import did not fail');
}

describe('an optimistic import (orders handed on while the file is read)', () => {
  it('streams a file whose orders keep their lines together: orders go on long before the end, the same orders and summary as read whole', async () => {
    const { text } = exportCsv({ orders: 3_000, seed: 21, multiLine: 0.3, descriptionRow: true });
    const streamed = await imported(text, { handing: { optimistic: true } });
    const whole = await imported(text);
    expect(streamed.orders).toEqual(whole.orders);
    expect(streamed.summary).toEqual({ ...whole.summary, streamed: true });
    expect(whole.summary.streamed).toBeUndefined();
    expect(streamed.summary.orders).toBe(3_000);
    // The first order went on with a tenth of the file read; read whole, only once all of it was.
    expect(streamed.firstAt).toBeLessThan(streamed.size / 10);
    expect(whole.firstAt).toBe(whole.size);
  });

  it('gives up on a file whose order comes back, however far it got', async () => {
    const shuffled = exportCsv({ orders: 500, seed: 22, multiLine: 0.5, shuffle: true }).text;
    const early = await failure(shuffled, { handing: { optimistic: true } });
    expect(early).toBeInstanceOf(StreamAbandoned);
    expect((early as StreamAbandoned).reason).toBe('reappeared');

    // Sorted, but one more line of the first order at the very end.
    const { text } = exportCsv({ orders: 3_000, seed: 23 });
    const lines = text.trimEnd().split('\n');
    // Line 0 is the header, line 1 the description row.
    const late = await failure(`${[...lines, lines[2]].join('\n')}\n`, { handing: { optimistic: true } });
    expect(late).toBeInstanceOf(StreamAbandoned);
    expect((late as StreamAbandoned).handedOn).toBeGreaterThan(2_900);
    // Read whole, the same file is good: its order has both lines.
    expect((await imported(`${[...lines, lines[2]].join('\n')}\n`)).summary.orders).toBe(3_000);
  });

  it('holds orders while no date has settled day and month, and hands them on in the order the file decides', async () => {
    // Month first (October), days 1–12 for a while: every date reads both ways until 10/20.
    const rows = [
      ...Array.from({ length: 300 }, (_, i) => row(id(i), 10, 1 + (i % 12), { cancelled: i % 7 === 0 })),
      ...Array.from({ length: 50 }, (_, i) => row(id(300 + i), 10, 20)),
    ];
    const streamed = await imported(csv(rows), { handing: { optimistic: true } });
    const whole = await imported(csv(rows));
    expect(streamed.orders).toEqual(whole.orders);
    expect(streamed.summary).toEqual({ ...whole.summary, streamed: true });
    expect(streamed.orders.get(id(1))?.createdAt).toBe('2026-10-02T10:00:00');
  });

  it('gives up when the day order it had to guess from many undecided dates is overruled later in the file', async () => {
    // Month first, months 1–12 but days 1–3: the fields' variety points to day first, wrongly, until 5/20.
    const rows = [
      ...Array.from({ length: HELD_UNTIL_SETTLED + 100 }, (_, i) => row(id(i), 1 + (i % 12), 1 + (i % 3))),
      row(id(HELD_UNTIL_SETTLED + 100), 5, 20),
    ];
    const error = await failure(csv(rows), { handing: { optimistic: true } });
    expect(error).toBeInstanceOf(StreamAbandoned);
    expect((error as StreamAbandoned).reason).toBe('day-order');
    // Every order before the overruling row had been handed on, read the wrong way round.
    expect((error as StreamAbandoned).handedOn).toBe(HELD_UNTIL_SETTLED + 100);
    // Read whole: month first.
    expect((await imported(csv(rows))).orders.get(id(1))?.createdAt).toBe('2026-02-02T10:00:00');
  });

  it('a file refused at its end is refused as read whole: too many bad rows late, mixed date styles, Excel-rounded ids', async () => {
    const good = Array.from({ length: 3_000 }, (_, i) => row(id(i), 1 + (i % 28), 10));
    const files = {
      'too-many-bad-rows': csv([...good, ...Array.from({ length: 200 }, (_, i) => row(id(5_000 + i), 40, 40))]),
      'mixed-date-styles': csv([...good, row(id(9_999), 10, 25)]),
      'excel-ids-rounded': csv(Array.from({ length: 3_000 }, (_, i) => row(`5764614130${String(10_000 + i).padStart(5, '0')}000`, 1 + (i % 28), 10))),
    };
    for (const [code, text] of Object.entries(files)) {
      let handed = 0;
      const streamed = await importOrders([bufferSource('orders.csv', text, 4096)], () => { handed++; }, { handing: { optimistic: true } }).catch((e: unknown) => e);
      const whole = await failure(text);
      expect(streamed, code).toBeInstanceOf(ImportError);
      expect((streamed as ImportError).code).toBe(code);
      expect(streamed).toEqual(whole);
      expect((streamed as ImportError).samples).toEqual((whole as ImportError).samples);
      // The refusal came after orders had gone on: the caller's transaction is what undoes them.
      expect(handed, code).toBeGreaterThan(2_000);
    }
  });

  it('gives up on a file read again in another charset, which read whole is imported', async () => {
    // Plain ASCII well past the 64 KB that decide the charset, then a Windows-1252 é.
    const rows = Array.from({ length: 1_500 }, (_, i) => row(id(i), 1 + (i % 28), 10, { product: i === 1_400 ? 'Café mug' : 'Mug' }));
    const bytes = iconv.encode(csv(rows), 'windows-1252');
    const error = await failure(bytes, { handing: { optimistic: true } });
    expect(error).toBeInstanceOf(StreamAbandoned);
    expect((error as StreamAbandoned).reason).toBe('charset');
    expect((await imported(bytes)).orders.get(id(1_400))?.lines?.[0]?.product).toBe('Café mug');
  });
});

describe('ids of orders met', () => {
  it('are found again, numeric or not, as the table grows, and others are not', () => {
    const seen = new SeenIds();
    const ids = Array.from({ length: 50_000 }, (_, i) => (i % 5 === 0 ? `ORD-${i}` : id(i)));
    expect(ids.every((x) => seen.add(x))).toBe(true);
    expect(seen.size).toBe(50_000);
    expect(ids.some((x) => seen.add(x))).toBe(false);
    expect(seen.size).toBe(50_000);
    expect(Array.from({ length: 50_000 }, (_, i) => (i % 5 === 0 ? `ORD-${i + 50_000}` : id(i + 50_000))).every((x) => seen.add(x))).toBe(true);
  });
});

const chat = { id: '-8', locale: 'en' as const, timeZone: 'Asia/Shanghai', threshold: 0.025 };
const TABLES = ['orders', 'daily_rollups', 'product_days', 'product_weeks', 'product_labels'] as const;

for (const database of TEST_DATABASES) {
  describe(`an upload streamed into ${database.name}`, () => {
    let store: Store;
    let reference: Store;
    let dir: string;
    beforeEach(async () => {
      store = await Store.open(await database.fresh());
      reference = await Store.open(await database.fresh());
      for (const s of [store, reference]) await s.chats.ensure(chat.id, chat);
      dir = testDir('cancelwatch-stream-');
    });
    afterEach(async () => {
      await store.close();
      await reference.close();
    });

    /**
     * What each table holds, in a fixed order, without the stores' row numbers (on PostgreSQL a
     * rolled-back upload still used up a shop id).
     */
    const contents = async (s: Store) => {
      const all: Record<string, unknown[]> = {};
      for (const table of TABLES) {
        const rows = (await s.db.selectFrom(table).selectAll().execute()) as Array<Record<string, unknown>>;
        all[table] = rows.map((r) => JSON.stringify(Object.entries(r).filter(([k]) => k !== 'id' && k !== 'shop_id').sort(([a], [b]) => a.localeCompare(b)))).sort();
      }
      return all;
    };
    const upload = async (s: Store, name: string, text: string | Uint8Array, importer: FileImporter = importFile) => {
      writeFileSync(join(dir, name), text);
      const events: Array<Record<string, unknown>> = [];
      const logger = pino({ level: 'info' }, { write: (line: string) => { events.push(JSON.parse(line) as Record<string, unknown>); } });
      const deps: UploadDeps = {
        store: s, logger, clock: () => NOW, importFile: importer, turns: new Turns(2), limitMb: 20, tempDir: dir,
        fetchFile: (fileId) => Promise.resolve({ path: join(dir, fileId), temporary: false }),
      };
      const result = await importUpload(deps, { chat, shop: 'main', userId: '1', tr: translator('en'), file: { id: name, name, size: 1000 } }, () => Promise.resolve());
      return { result, events };
    };
    /** The classic import: read whole, then stored. */
    const classic: FileImporter = (path, name, place) => importFile(path, name, { ...place, optimistic: false });
    const okOf = (r: UploadResult) => {
      if (!r.ok) throw new Error(`not imported: ${r.reason}`);
      return r;
    };

    it('a sorted export is stored while it is read (the optimistic path holds), row for row as when read whole first', async () => {
      const { text } = exportCsv({ orders: ORDER_BATCH * 2 + 700, seed: 31, multiLine: 0.3, descriptionRow: true });
      const streamed = await upload(store, 'orders.csv', text);
      const whole = await upload(reference, 'orders.csv', text, classic);
      const s = okOf(streamed.result);
      expect(s.summary.streamed).toBe(true);
      expect(streamed.events.find((e) => e['event'] === 'import')).toMatchObject({ streamed: true, orders: ORDER_BATCH * 2 + 700 });
      expect(streamed.events.some((e) => e['event'] === 'import_stream_abandoned')).toBe(false);
      expect(okOf(whole.result).summary.streamed).toBeUndefined();
      expect(s.summary).toEqual({ ...okOf(whole.result).summary, streamed: true });
      expect(s.report).toEqual(okOf(whole.result).report);
      expect(await contents(store)).toEqual(await contents(reference));
    });

    it('a shuffled export, and one whose order comes back after whole batches streamed, are rolled back and stored as read whole', async () => {
      const shuffled = exportCsv({ orders: 900, seed: 32, multiLine: 0.4, shuffle: true }).text;
      const lines = exportCsv({ orders: ORDER_BATCH * 2, seed: 33 }).text.trimEnd().split('\n');
      const comesBack = `${[...lines, lines[2]].join('\n')}\n`;
      for (const [name, text, streamedBefore] of [['shuffled.csv', shuffled, 0], ['back.csv', comesBack, ORDER_BATCH * 2 - 1]] as const) {
        const streamed = await upload(store, name, text);
        const whole = await upload(reference, name, text, classic);
        const s = okOf(streamed.result);
        expect(s.summary.streamed, name).toBeUndefined();
        const abandoned = streamed.events.find((e) => e['event'] === 'import_stream_abandoned');
        expect(abandoned).toMatchObject({ why: 'reappeared' });
        expect(abandoned?.['handedOn']).toBeGreaterThanOrEqual(streamedBefore);
        expect(streamed.events.find((e) => e['event'] === 'import')).toMatchObject({ streamed: false });
        expect(s.summary).toEqual(okOf(whole.result).summary);
        expect(s.newOrders).toBe(okOf(whole.result).newOrders);
      }
      expect(await contents(store)).toEqual(await contents(reference));
      // The generator numbers both files' orders from the same first id: the second updates the first's 900.
      expect((await contents(store))['orders']).toHaveLength(ORDER_BATCH * 2);
    });

    it('a file refused at its end stores nothing, with the refusal it gets read whole', async () => {
      const good = Array.from({ length: ORDER_BATCH * 2 }, (_, i) => row(id(i), 1 + (i % 28), 10, { cancelled: i % 9 === 0 }));
      const files: Array<[string, string]> = [
        ['too-many-bad-rows', csv([...good, ...Array.from({ length: 250 }, (_, i) => row(id(9_000 + i), 40, 40))])],
        ['mixed-date-styles', csv([...good, row(id(9_999), 10, 25)])],
        ['excel-ids-rounded', csv(Array.from({ length: ORDER_BATCH * 2 }, (_, i) => row(`5764614130${String(10_000 + i).padStart(5, '0')}000`, 1 + (i % 28), 10)))],
        // No order time at all: the bot keeps orders by day.
        ['no-order-times', `Order ID,Order Status\n${Array.from({ length: 3_000 }, (_, i) => `${id(i)},Completed`).join('\n')}\n`],
      ];
      for (const [code, text] of files) {
        const streamed = await upload(store, `${code}.csv`, text);
        const whole = await upload(reference, `${code}.csv`, text, classic);
        expect(streamed.result.ok, code).toBe(false);
        if (streamed.result.ok || streamed.result.reason !== 'refused' || whole.result.ok || whole.result.reason !== 'refused') throw new Error(code);
        expect(streamed.result.error.code).toBe(code);
        expect(streamed.result.error).toEqual(whole.result.error);
        expect(streamed.result.error.samples).toEqual(whole.result.error.samples);
        expect(streamed.events.find((e) => e['event'] === 'import_refused')).toMatchObject({ code });
      }
      for (const table of TABLES) expect((await contents(store))[table], table).toEqual([]);
      expect(await store.shops.list(chat.id)).toEqual([]);
      expect(await store.orders.range(chat.id)).toBeNull();
    });
  });
}
