import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import type { UnansweredUpload } from '../../src/store/uploads-under-way.js';
import { UnansweredUploads } from '../../src/use-cases/unanswered-uploads.js';
import { TEST_DATABASES } from '../support/databases.js';

const START = Date.UTC(2026, 10, 26, 9);
const MINUTE = 60_000;

for (const database of TEST_DATABASES) {
  describe(`uploads nobody answered, on ${database.name}`, () => {
    const stores: Store[] = [];
    afterEach(async () => {
      for (const store of stores.splice(0)) await store.close();
    });

    it('are told once, by whichever instance sweeps first: at once when cut short, after three silent minutes when the instance vanished', async () => {
      let now = START;
      const url = await database.fresh();
      const store = await Store.open(url, () => now);
      stores.push(store);
      const told: Array<{ by: string; upload: UnansweredUpload }> = [];
      const instance = (name: string) => new UnansweredUploads({
        store, instance: name, clock: () => now, logger: pino({ level: 'silent' }), tell: async (upload) => { told.push({ by: name, upload }); },
      });
      const a = instance('a');
      const b = instance('b');
      await store.chats.ensure('-1', { locale: 'en', timeZone: 'UTC', threshold: 2.5 });

      const answered = await store.uploadsUnderWay.begin({ chatId: '-1', fileName: 'answered.csv', userId: '7' }, 'a');
      await store.uploadsUnderWay.answered(answered);
      await store.uploadsUnderWay.begin({ chatId: '-1', fileName: 'cut.csv', userId: '7' }, 'a');
      const stored = await store.uploadsUnderWay.begin({ chatId: '-1', fileName: 'stored.csv', userId: '7' }, 'b');
      await store.uploadsUnderWay.markStored(stored);
      await store.uploadsUnderWay.begin({ chatId: '-2', fileName: 'live.csv', userId: null }, 'b');

      await a.cutShort();
      expect(await b.sweep()).toBe(1);
      expect(await a.sweep()).toBe(0);
      expect(told).toEqual([{ by: 'b', upload: { chatId: '-1', fileName: 'cut.csv', userId: '7', stored: false } }]);

      // b keeps beating for its uploads: nothing of it is taken while it does.
      now += 2 * MINUTE;
      await b.sweep();
      now += 2 * MINUTE;
      expect(await a.sweep()).toBe(0);
      // b vanished: more than three minutes after its last beat its uploads are taken, each once.
      now += MINUTE;
      expect(await a.sweep()).toBe(0);
      now += 1;
      expect(await a.sweep()).toBe(2);
      expect(await a.sweep()).toBe(0);
      expect(told.slice(1).map((t) => [t.by, t.upload.fileName, t.upload.stored]).sort()).toEqual([['a', 'live.csv', false], ['a', 'stored.csv', true]]);
    });
  });
}
