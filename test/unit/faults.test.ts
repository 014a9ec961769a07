import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { HAND_CSV } from '../fixtures/hand.js';
import { botHarness, texts } from '../support/bot-harness.js';
import { sqliteFile, TEST_DATABASES } from '../support/databases.js';
import { freePort } from '../support/ports.js';
import { testDir } from '../support/temp-dirs.js';

const GROUP = -100321;
const OTHER = -100654;
const alice = { id: 1, language_code: 'en' };
const wang = { id: 2, language_code: 'zh-hans' };
const BUSY = 'Something went wrong on our side; please try again in a minute.';

type Harness = Awaited<ReturnType<typeof botHarness>>;
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function ordersOf(h: Harness, chatId: number): Promise<number> {
  const row = await h.store.db.selectFrom('orders').innerJoin('shops', 'shops.id', 'orders.shop_id')
    .where('shops.chat_id', '=', String(chatId)).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

for (const database of TEST_DATABASES) {
  describe(`what must survive a restart, on ${database.name}`, () => {
    it('a reply to an /import prompt sent before a restart goes to the shop the prompt named', async () => {
      const url = await database.fresh();
      const before = await botHarness({ databaseUrl: url });
      const prompt = (await before.text(GROUP, alice, '/import Sunny Mugs')).find((c) => c.method === 'sendMessage');
      const promptId = (prompt?.result as { message_id: number }).message_id;
      await before.close();

      const after = await botHarness({ databaseUrl: url });
      cleanups.push(() => after.close());
      const answer = texts(await after.upload(GROUP, alice, 'OrderSKUList.csv', HAND_CSV, { replyTo: promptId }));
      expect(answer.some((t) => t.startsWith('✅ OrderSKUList.csv: 13 orders'))).toBe(true);
      const shops = texts(await after.text(GROUP, alice, '/shops')).join('\n');
      expect(shops).toContain('Sunny Mugs');
      expect(shops).not.toContain('main');
    });
  });
}

/** A child process that holds the SQLite file's write lock until told to let go. */
async function holdWriteLock(url: string): Promise<{ release(): Promise<void> }> {
  const path = url.slice('sqlite:'.length);
  const script = `
    const db = require('better-sqlite3')(${JSON.stringify(path)});
    db.exec('BEGIN IMMEDIATE');
    console.log('locked');
    process.stdin.once('data', () => { db.exec('COMMIT'); db.close(); process.exit(0); });`;
  const child: ChildProcess = spawn(process.execPath, ['-e', script], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    lines.once('line', (line) => (line === 'locked' ? resolve() : reject(new Error(line))));
    child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
  const exited = once(child, 'exit');
  const release = async () => {
    if (child.exitCode !== null) return;
    child.stdin?.write('go\n');
    await exited;
  };
  cleanups.push(release);
  return { release };
}

describe('SQLite locked by a second process', () => {
  it('an import waits (without freezing the bot) and is stored once the lock is let go', async () => {
    const url = await sqliteFile.fresh();
    let busy!: () => void;
    const sawBusy = new Promise<void>((resolve) => { busy = resolve; });
    const h = await botHarness({ databaseUrl: url, storeOptions: { busyBoundMs: 60_000, onTrouble: (e) => { if (e.kind === 'sqlite-busy') busy(); } } });
    cleanups.push(() => h.close());
    await h.text(GROUP, alice, '/start');
    await h.text(OTHER, wang, '/start');

    const lock = await holdWriteLock(url);
    const upload = h.upload(GROUP, alice, 'OrderSKUList.csv', HAND_CSV, { caption: '/import' });
    await sawBusy;
    // The bot keeps answering while the import waits: the other chat's settings need no write.
    expect(texts(await h.text(OTHER, wang, '/help')).join('\n')).toContain('/rate');
    await lock.release();
    const answer = texts(await upload);
    expect(answer.some((t) => t.startsWith('✅ OrderSKUList.csv: 13 orders (13 new)'))).toBe(true);
    expect(await ordersOf(h, GROUP)).toBe(13);
  });

  it('past the bound the chat gets the busy message and nothing is stored', async () => {
    const url = await sqliteFile.fresh();
    const h = await botHarness({ databaseUrl: url, storeOptions: { busyBoundMs: 300 } });
    cleanups.push(() => h.close());
    await h.text(GROUP, alice, '/start');
    const lock = await holdWriteLock(url);
    const answer = texts(await h.upload(GROUP, alice, 'OrderSKUList.csv', HAND_CSV, { caption: '/import' }));
    expect(answer.at(-1)).toBe(BUSY);
    await lock.release();
    expect(await ordersOf(h, GROUP)).toBe(0);
  });
});

/** A throwaway PostgreSQL server of our own (the shared one must not be restarted). Needs root and the server binaries. */
const PG_BIN = (() => {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const version = readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
  const bin = version ? join(root, version, 'bin') : null;
  return bin && existsSync(join(bin, 'pg_ctl')) ? bin : null;
})();
const IS_ROOT = process.getuid?.() === 0;


/** As .ci/start-postgres does: initdb and pg_ctl as the postgres user, on a port of our own. Asynchronous, so the bot's event loop sees the server go. */
async function ownPostgres(port: number) {
  const dir = testDir('cw-pg-');
  chmodSync(dir, 0o777);
  const asPostgres = (args: string[]) => promisify(execFile)('su', ['postgres', '-s', '/bin/sh', '-c', args.map((a) => `'${a}'`).join(' ')]);
  const ctl = (...args: string[]) => asPostgres([join(PG_BIN ?? '', 'pg_ctl'), '-D', join(dir, 'data'), ...args]);
  await asPostgres([join(PG_BIN ?? '', 'initdb'), '-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  const start = () => ctl('-l', join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-w', 'start');
  const stop = () => ctl('-m', 'fast', '-w', 'stop');
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, start, stop };
}

describe('PostgreSQL restarted while the bot runs', () => {
  it.skipIf(!PG_BIN || !IS_ROOT)('the update that failed is answered with the busy message, and the bot reconnects (needs root and PostgreSQL binaries)', async () => {
    const pg = await ownPostgres(await freePort());
    await pg.start();
    cleanups.push(() => pg.stop().catch(() => undefined));
    const lost: string[] = [];
    const h = await botHarness({ databaseUrl: pg.url, storeOptions: { onTrouble: (e) => lost.push(e.kind) } });
    cleanups.push(() => h.close());
    await h.text(GROUP, alice, '/start');
    await h.text(OTHER, wang, '/start');

    await pg.stop();
    // The chat is told in its sender's language, though its settings could not be read.
    expect(texts(await h.text(GROUP, alice, '/rate'))).toEqual([BUSY]);
    expect(texts(await h.text(OTHER, wang, '/rate'))).toEqual(['我们这边出了点问题，请稍后再试。']);
    await pg.start();
    const answer = texts(await h.upload(GROUP, alice, 'OrderSKUList.csv', HAND_CSV, { caption: '/import' }));
    expect(answer.some((t) => t.startsWith('✅ OrderSKUList.csv: 13 orders (13 new)'))).toBe(true);
    expect(await ordersOf(h, GROUP)).toBe(13);
    expect(lost).toContain('pg-connection-lost');
  }, 60_000);
});
