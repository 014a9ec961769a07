import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type * as Checkpoints from '../../src/store/checkpoints.js';
import type * as DbModule from '../../src/store/db.js';
import type * as StoreModule from '../../src/store/store.js';
import { ordersOver } from '../support/orders.js';
import { testDir } from '../support/temp-dirs.js';

/** The compiled store (`npm test` builds first): only there is there a checkpoint worker to start. */
const dist = join(import.meta.dirname, '..', '..', 'dist', 'src', 'store');
const { Store } = (await import(join(dist, 'store.js'))) as typeof StoreModule;
const { backgroundCheckpoints } = (await import(join(dist, 'checkpoints.js'))) as typeof Checkpoints;
const { openDatabase } = (await import(join(dist, 'db.js'))) as typeof DbModule;
const autocheckpoint = (sqlite: SQLite.Database) => sqlite.pragma('wal_autocheckpoint', { simple: true });

const summary = { files: [], rows: 0, orders: 0, skipped: { rows: 0, samples: [] }, firstDay: null, lastDay: null, undated: { orders: 0, file: null } };

describe('SQLite checkpoints off the main thread', () => {
  it('after an import commits, the worker copies its whole log back into the file', async () => {
    const path = join(testDir('cancelwatch-ckpt-'), 'db.sqlite');
    const store = await Store.open(`sqlite:${path}`);
    try {
      const sizeBefore = statSync(path).size;
      await store.chats.ensure('-1', { locale: 'en', timeZone: 'UTC', threshold: 0.025 });
      // About a thousand pages: the chat's row and the schema before it take about a hundred.
      const orders = ordersOver('2026-10-01', 30, 1_000);
      // The chat's row may have had a checkpoint of its own (a few pages): the import's comes at most a second later.
      const checkpoint = store.checkpointWhere((figures) => figures.log >= 500);
      if (!checkpoint) throw new Error('no checkpoint worker started');
      await store.saveImport({ chatId: '-1', shopName: 'main', fileName: 'a.csv', userId: null, summary, orders });
      const done = await checkpoint;
      expect(done).toMatchObject({ type: 'checkpointed', busy: false });
      if (done.type !== 'checkpointed') return;
      // Hundreds of pages were in the log, and every one went back into the file.
      expect(done.checkpointed).toBe(done.log);
      expect(statSync(path).size).toBeGreaterThan(sizeBefore + 1_000_000);
    } finally {
      await store.close();
    }
    // The writer closes last: it copies back what is left and removes the log.
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('the writing connection of a file stops checkpointing by itself; one in memory has nothing to checkpoint', async () => {
    const file = await openDatabase(`sqlite:${join(testDir('cancelwatch-ckpt-'), 'db.sqlite')}`);
    const memory = await openDatabase('sqlite::memory:');
    try {
      // SQLite's own checkpoints would run inside a commit, on the thread that serves every chat.
      expect(file.checkpoints).not.toBeNull();
      expect(file.sqlite && autocheckpoint(file.sqlite)).toBe(0);
      expect(memory.checkpoints).toBeNull();
      expect(memory.sqlite && autocheckpoint(memory.sqlite)).toBe(1_000);
    } finally {
      await file.checkpoints?.close();
      await file.db.destroy();
      await memory.db.destroy();
    }
  });

  it('when the worker cannot checkpoint, the writer checkpoints by itself again and the trouble is told', async () => {
    const path = join(testDir('cancelwatch-ckpt-'), 'not-a-database.sqlite');
    writeFileSync(path, 'these bytes are not an SQLite database, though the name says so'.repeat(100));
    const writer = new SQLite(path);
    let stopped!: (why: string) => void;
    const why = new Promise<string>((resolve) => { stopped = resolve; });
    const checkpoints = backgroundCheckpoints(writer, stopped);
    if (!checkpoints) throw new Error('no checkpoint worker started');
    try {
      expect(autocheckpoint(writer)).toBe(0);
      const failed = checkpoints.until(() => true);
      checkpoints.nudge();
      expect(await failed).toMatchObject({ type: 'failed' });
      expect(await why).toMatch(/not a database/i);
      expect(autocheckpoint(writer)).toBe(1_000);
    } finally {
      await checkpoints.close();
      writer.close();
    }
  });
});
