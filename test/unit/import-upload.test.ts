import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MIN_PRODUCT_ORDERS } from '../../src/core/metrics/products.js';
import { importFile, openImport, ORDER_BATCH, placeOptions, type FileImporter } from '../../src/use-cases/read-export.js';
import { translator } from '../../src/i18n.js';
import { Store } from '../../src/store/store.js';
import { FetchError, importUpload, type UploadDeps, type UploadProgress, type UploadRequest } from '../../src/use-cases/import-upload.js';
import { Turns } from '../../src/use-cases/turns.js';
import { exportCsv } from '../fixtures/generate.js';
import { TEST_DATABASES } from '../support/databases.js';
import { NOW, report } from '../support/report.js';
import { testDir } from '../support/temp-dirs.js';

const chat = { id: '-7', locale: 'en' as const, timeZone: 'Asia/Shanghai', threshold: 0.025 };
const tr = translator('en');

describe('turns', () => {
  it('runs at most `size` tasks at once and tells a waiting one how many are ahead', async () => {
    const turns = new Turns(2);
    let running = 0;
    let most = 0;
    const releases: Array<() => void> = [];
    const aheads: number[] = [];
    const task = () => new Promise<void>((resolve) => {
      running++;
      most = Math.max(most, running);
      releases.push(() => { running--; resolve(); });
    });
    const all = [0, 1, 2, 3, 4].map(() => turns.run(task, (ahead) => { aheads.push(ahead); }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(aheads).toEqual([2, 3, 4]);
    expect(turns.queued).toBe(3);
    while (releases.length > 0 || turns.queued > 0) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(all);
    expect(most).toBe(2);
  });

  it('a waiting task that cannot be told it waits gives up its place, and no turn is lost', async () => {
    const turns = new Turns(1);
    let release!: () => void;
    const first = turns.run(() => new Promise<void>((resolve) => { release = resolve; }));
    // The bot may no longer post in that chat: telling it fails.
    const told = turns.run(() => Promise.resolve('never'), () => Promise.reject(new Error('bot was kicked')));
    await expect(told).rejects.toThrow('bot was kicked');
    expect(turns.queued).toBe(0);
    // Told it waits while the turn is being handed over: the turn goes on to the next.
    let tell!: (value: void) => void;
    const slowTold = turns.run(() => Promise.resolve('never'), () => new Promise<void>((_, reject) => { tell = () => reject(new Error('blocked')); }));
    const third = turns.run(() => Promise.resolve('third'));
    release();
    await first;
    tell();
    await expect(slowTold).rejects.toThrow('blocked');
    expect(await third).toBe('third');
    expect(await turns.run(() => Promise.resolve('after'))).toBe('after');
  });
});

for (const database of TEST_DATABASES) {
  describe(`importing an upload on ${database.name}`, () => {
    let store: Store;
    let dir: string;
    beforeEach(async () => {
      store = await Store.open(await database.fresh());
      await store.chats.ensure(chat.id, chat);
      dir = testDir('cancelwatch-upload-');
    });
    afterEach(() => store.close());

    const deps = (extra: Partial<UploadDeps> = {}): UploadDeps => ({
      store, logger: pino({ level: 'silent' }), clock: () => NOW, importFile, turns: new Turns(2), limitMb: 20, tempDir: dir,
      fetchFile: (id) => Promise.resolve({ path: join(dir, id), temporary: false }),
      ...extra,
    });
    const request = (name: string, size = 1000, shop = 'main'): UploadRequest => ({ chat, shop, userId: '1', tr, file: { id: name, name, size } });
    const progress = (seen: UploadProgress[]) => (p: UploadProgress) => { seen.push(p); return Promise.resolve(); };

    it('answers with a typed result for each way an upload can end', async () => {
      const seen: UploadProgress[] = [];
      expect(await importUpload(deps(), request('old.xls'), progress(seen))).toEqual({ ok: false, reason: 'legacy-xls', file: 'old.xls' });
      expect(await importUpload(deps(), request('photo.jpg'), progress(seen))).toEqual({ ok: false, reason: 'wrong-type', file: 'photo.jpg' });
      expect(await importUpload(deps(), request('big.csv', 30 * 1024 * 1024), progress(seen))).toEqual({ ok: false, reason: 'too-big', file: 'big.csv', sizeMb: 30, limitMb: 20 });
      // Nothing was fetched or read for those.
      expect(seen).toEqual([]);

      const refusedByTelegram = deps({ fetchFile: () => Promise.reject(new FetchError('telegram', 'Bad Request: file is too big')) });
      expect(await importUpload(refusedByTelegram, request('a.csv'), progress(seen))).toEqual({ ok: false, reason: 'not-fetched', file: 'a.csv', stage: 'telegram' });
      const brokenTransfer = deps({ fetchFile: () => Promise.reject(new FetchError('transfer', 'reset')) });
      expect(await importUpload(brokenTransfer, request('a.csv'), progress(seen))).toEqual({ ok: false, reason: 'not-fetched', file: 'a.csv', stage: 'transfer' });

      writeFileSync(join(dir, 'empty.csv'), '', 'utf8');
      const refused = await importUpload(deps(), request('empty.csv'), progress(seen));
      expect(!refused.ok && refused.reason === 'refused' && refused.error.code).toBe('empty');

      const { text } = exportCsv({ orders: 300, seed: 3 });
      writeFileSync(join(dir, 'orders.csv'), text, 'utf8');
      const imported = await importUpload(deps(), request('orders.csv'), progress(seen));
      if (!imported.ok) throw new Error(`not imported: ${imported.reason}`);
      expect(imported.newOrders).toBe(300);
      expect(imported.summary.orders).toBe(300);
      // An upload's report rates its products too, from the default minimum of orders.
      expect(imported.report?.report).toEqual(await report({ name: 'orders.csv', data: text }, { timeZone: chat.timeZone, byProduct: { minOrders: DEFAULT_MIN_PRODUCT_ORDERS } }));
      expect(seen.map((p) => p.kind)).toEqual(['reading', 'reading', 'reading', 'reading']);
    });

    it('stores nothing when an import breaks half-way through its batches', async () => {
      const { text } = exportCsv({ orders: ORDER_BATCH * 2 + 500, seed: 4 });
      writeFileSync(join(dir, 'orders.csv'), text, 'utf8');
      let batches = 0;
      let parked: string[] = [];
      // Read whole (not streamed), orders past a few KB go to the spill, in the folder the upload gives the reader.
      const breaking: FileImporter = async (path, name, place) => {
        const opened = await openImport(path, name, placeOptions({ ...place, optimistic: false }, 20_000));
        if (!opened.ok) return opened;
        return {
          ...opened,
          drain: (sink) => opened.drain(async (orders) => {
            // The reader parks orders under the folder this upload gave it, nowhere else.
            parked = readdirSync(place?.spillDir ?? dir);
            if (++batches === 2) throw new Error('disk full');
            await sink(orders);
          }),
        };
      };
      await expect(importUpload(deps({ importFile: breaking }), request('orders.csv'), () => Promise.resolve())).rejects.toThrow('disk full');
      expect(batches).toBe(2);
      expect(await store.orders.range(chat.id)).toBeNull();
      expect(await store.shops.list(chat.id)).toEqual([]);
      // The first batch's rows went straight to the transaction's connection: rolled back with it.
      for (const table of ['orders', 'product_days', 'product_weeks', 'product_labels', 'daily_rollups'] as const) {
        expect(await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(), table).toEqual({ n: 0 });
      }
      expect(parked.some((f) => f.startsWith('cancelwatch-'))).toBe(true);
      // The parked orders went with the failed import.
      expect(readdirSync(dir).filter((f) => f.startsWith('import-'))).toEqual([]);
    });

    it('an upload waiting for its turn says how many files are ahead, and is imported in its turn', async () => {
      const turns = new Turns(1);
      let release!: () => void;
      const blocking = turns.run(() => new Promise<void>((resolve) => { release = resolve; }));
      const { text } = exportCsv({ orders: 50, seed: 5 });
      writeFileSync(join(dir, 'orders.csv'), text, 'utf8');
      const seen: UploadProgress[] = [];
      const waiting = importUpload(deps({ turns }), request('orders.csv'), progress(seen));
      await new Promise((resolve) => setImmediate(resolve));
      expect(seen).toEqual([{ kind: 'queued', ahead: 1 }]);
      release();
      await blocking;
      expect((await waiting).ok).toBe(true);
      expect(seen).toEqual([{ kind: 'queued', ahead: 1 }, { kind: 'reading' }]);
    });
  });
}
