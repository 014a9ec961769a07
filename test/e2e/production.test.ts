import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { exportCsv } from '../fixtures/generate.js';
import { HAND_CSV } from '../fixtures/hand.js';
import { BotProcess } from '../fakes/bot-process.js';
import { CountingProxy } from '../fakes/counting-proxy.js';
import { say, sendFile } from '../fakes/people.js';
import { FakeTelegram } from '../fakes/telegram-api.js';
import { sqliteFile } from '../support/databases.js';
import { freePort } from '../support/ports.js';
import { testDir } from '../support/temp-dirs.js';

const TOKEN = '4242:PROD-secret-token-abcdefghijklmnopqrstu';
const SECRET = TOKEN.split(':')[1] ?? '';
const GROUP = { id: -100555, title: 'Sellers' };
const member = { id: 12, name: 'Bo', language_code: 'en' };

/** Stored orders in a database, counted after the bot has gone. */
async function storedOrders(url: string): Promise<number> {
  const store = await Store.open(url);
  try {
    const row = await store.db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await store.close();
  }
}


const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function telegram(fileLimitMb = 20): Promise<{ api: FakeTelegram; root: string }> {
  const api = new FakeTelegram(TOKEN, fileLimitMb);
  const root = await api.listen();
  cleanups.push(() => api.close());
  return { api, root };
}

function bot(env: Record<string, string>): BotProcess {
  const process = new BotProcess({ BOT_TOKEN: TOKEN, ...env });
  cleanups.push(() => process.stop());
  return process;
}

const isDone = (file: string) => (c: { method: string; params: Record<string, unknown> }) =>
  c.method === 'sendMessage' && String(c.params['text']).startsWith(`✅ ${file}:`);

describe('a clean stop', () => {
  it('SIGTERM during a large upload: the import finishes and is answered, the update is confirmed, exit 0', async () => {
    const { api, root } = await telegram(2000);
    const db = await sqliteFile.fresh();
    const b = bot({ TELEGRAM_API_ROOT: root, MAX_UPLOAD_MB: '200', DATABASE_URL: db });
    await b.start();
    const updateId = sendFile(api, GROUP, member, 'big.csv', Buffer.from(exportCsv({ orders: 40_000, seed: 4 }).text), { caption: '/import' });
    await api.waitForCall((c) => c.method === 'sendMessage' && String(c.params['text']).includes('big.csv'));
    b.signal('SIGTERM');
    const code = await b.exited();
    if (code !== 0) console.log(b.logs.join('\n'));
    expect(code).toBe(0);
    const stopping = b.logged('bot_stopping')[0];
    expect(stopping?.['underWay']).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'update' })]));
    expect(api.calls.some(isDone('big.csv'))).toBe(true);
    expect(await storedOrders(db)).toBe(40_000);
    // Confirmed to Telegram: a restart is not handed the upload again.
    expect(api.unconfirmedUpdates()).not.toContain(updateId);
    expect(b.logged('bot_stopped')).toHaveLength(1);
  }, 120_000);

  it.each([
    ['a second SIGTERM', {}, 'second SIGTERM'],
    ['STOP_TIMEOUT_SECONDS', { STOP_TIMEOUT_SECONDS: '1' }, 'no clean stop within 1 s'],
  ])('%s forces the exit, naming what was cut; nothing is half-written', async (how, env: Record<string, string>, reason) => {
    const { api, root } = await telegram(2000);
    const db = await sqliteFile.fresh();
    const b = bot({ TELEGRAM_API_ROOT: root, MAX_UPLOAD_MB: '200', DATABASE_URL: db, ...env });
    await b.start();
    sendFile(api, GROUP, member, 'big.csv', Buffer.from(exportCsv({ orders: 40_000, seed: 5 }).text), { caption: '/import' });
    await api.waitForCall((c) => c.method === 'sendMessage' && String(c.params['text']).includes('big.csv'));
    // The answer never arrives: the upload is still under way when the stop is forced, however fast it was read and stored.
    api.hangNext('sendMessage', 1);
    b.signal('SIGTERM');
    await b.waitForLog((l) => l.includes('"event":"bot_stopping"'));
    if (how === 'a second SIGTERM') b.signal('SIGTERM');
    expect(await b.exited()).toBe(1);
    const forced = b.logged('stop_forced')[0];
    expect(forced?.['reason']).toBe(reason);
    expect(forced?.['cut']).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'update', label: expect.stringContaining(`chat ${GROUP.id}`) })]));
    const stored = await storedOrders(db);
    expect([0, 40_000]).toContain(stored);

    // The update was confirmed, so Telegram will not hand it again: the next start tells the chat what became of the file.
    // (A stop forced before the answer leaves the hang set for it unused: it is not the restart's.)
    api.stopHanging();
    const from = api.calls.length;
    const again = bot({ TELEGRAM_API_ROOT: root, MAX_UPLOAD_MB: '200', DATABASE_URL: db });
    await again.start();
    const told = await api.waitForCall((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === GROUP.id, 20_000, from);
    expect(told.params['text']).toBe(stored === 0
      ? '⚠️ big.csv was not imported: the bot was restarted while reading it, and nothing of it was stored. Please send it again.'
      : '✅ big.csv was imported, but the bot was restarted before it could answer. /rate shows its orders.');
    // The log line travels on another pipe than the message: wait for it rather than race it.
    await again.waitForLog((l) => l.includes('"event":"upload_unanswered"'));
    expect(again.logged('upload_unanswered')).toEqual([expect.objectContaining({ chat: String(GROUP.id), file: 'big.csv', stored: stored > 0 })]);
  }, 120_000);
});

describe('network trouble is visible', () => {
  /** Lines that are not JSON log lines, besides the one start-up failure line meant for a terminal. */
  const strayLines = (logs: string[]) => logs.filter((l) => l.trim() !== '' && !l.startsWith('{') && !l.startsWith('cancelwatch could not start'));

  it('a refused Bot API: one line names the host and the cause at once, then bounded retries and a non-zero exit', async () => {
    const port = await freePort();
    const b = bot({ TELEGRAM_API_ROOT: `http://127.0.0.1:${port}`, TELEGRAM_START_ATTEMPTS: '2', DATABASE_URL: await sqliteFile.fresh() });
    const started = Date.now();
    b.launch();
    const first = JSON.parse(await b.waitForLog((l) => l.includes('"event":"telegram_unreachable"'), 30_000)) as Record<string, unknown>;
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(first).toMatchObject({ host: `127.0.0.1:${port}`, cause: 'refused', reason: 'the connection was refused' });
    expect(b.logged('connecting')[0]).toMatchObject({ telegram: `127.0.0.1:${port}`, proxy: 'none' });
    expect(await b.exited()).toBe(1);
    expect(b.logged('telegram_start_retry')).toHaveLength(1);
    expect(String(b.logged('startup_failed')[0]?.['error'])).toContain(`cannot reach the Bot API at 127.0.0.1:${port} after 2 attempts`);
    expect(strayLines(b.logs)).toEqual([]);
    for (const line of b.logs) expect(line).not.toContain(SECRET);
  }, 90_000);

  it('a revoked token: named as such, not retried, exit 1, the token never printed', async () => {
    const { root } = await telegram();
    const revoked = '4242:REVOKED-token-abcdefghijklmnopqrstuvwx';
    const b = bot({ BOT_TOKEN: revoked, TELEGRAM_API_ROOT: root, DATABASE_URL: await sqliteFile.fresh() });
    b.launch();
    expect(await b.exited()).toBe(1);
    expect(b.logged('telegram_unreachable')[0]).toMatchObject({ cause: 'unauthorized' });
    expect(String(b.logged('startup_failed')[0]?.['error'])).toContain('refused the bot token (401 Unauthorized)');
    expect(b.logged('telegram_start_retry')).toHaveLength(0);
    for (const line of b.logs) expect(line).not.toContain('REVOKED-token');
  }, 60_000);

  it('a host that does not resolve is named as a DNS failure', async () => {
    const b = bot({ TELEGRAM_API_ROOT: 'http://cancelwatch-bot-api.invalid', TELEGRAM_START_ATTEMPTS: '1', DATABASE_URL: await sqliteFile.fresh() });
    b.launch();
    expect(JSON.parse(await b.waitForLog((l) => l.includes('"event":"telegram_unreachable"'), 30_000))).toMatchObject({ host: 'cancelwatch-bot-api.invalid', cause: 'dns' });
    expect(await b.exited()).toBe(1);
  }, 60_000);

  it('at run time: polling 5xx and a send that times out are logged (no stray output), retried, recovered once, and the chat is served', async () => {
    const { api, root } = await telegram();
    const b = bot({ TELEGRAM_API_ROOT: root, TELEGRAM_TIMEOUT_SECONDS: '2', DATABASE_URL: await sqliteFile.fresh() });
    await b.start();
    api.failNext('getUpdates', { error_code: 502, description: 'Bad Gateway' });
    say(api, GROUP, member, '/start');
    await b.waitForLog((l) => l.includes('"event":"telegram_recovered"'), 60_000);
    expect(b.logged('telegram_unreachable')[0]).toMatchObject({ method: 'getUpdates', cause: 'server-error' });

    api.hangNext('sendMessage', 1);
    api.failNext('sendMessage', { error_code: 500, description: 'Internal Server Error' });
    const from = api.calls.length;
    say(api, GROUP, member, '/help');
    const served = await api.waitForCall((c) => c.method === 'sendMessage' && c.status === 200 && String(c.params['text']).includes('/rate'), 60_000, from);
    expect(api.calls.slice(from, api.calls.indexOf(served) + 1).filter((c) => c.method === 'sendMessage').map((c) => c.status)).toEqual([0, 500, 200]);
    // Every outage is logged once when it starts and once when it ends (a success in between ends one).
    const outages = () => b.logged('telegram_unreachable');
    await b.waitForLog((l) => l.includes('"event":"telegram_recovered"') && b.logged('telegram_recovered').length === outages().length, 30_000);
    expect(outages()).toEqual(expect.arrayContaining([
      expect.objectContaining({ method: 'getUpdates', cause: 'server-error' }), expect.objectContaining({ method: 'sendMessage', cause: 'timeout' }),
    ]));
    expect(b.logged('telegram_recovered')).toHaveLength(outages().length);
    expect(strayLines(b.logs)).toEqual([]);
    for (const line of b.logs) expect(line).not.toContain(SECRET);
    expect(await b.stop()).toBe(0);
  }, 120_000);
});

describe('proxies', () => {
  it('every call to Telegram (the file download included) passes http_proxy; NO_PROXY keeps the host direct', async () => {
    const proxy = new CountingProxy();
    const proxyUrl = await proxy.listen();
    cleanups.push(() => proxy.close());
    const { api, root } = await telegram();
    const host = new URL(root).host;
    const b = bot({ TELEGRAM_API_ROOT: root, http_proxy: proxyUrl, DATABASE_URL: await sqliteFile.fresh() });
    await b.start();
    expect(b.logged('connecting')[0]).toMatchObject({ telegram: host, proxy: proxyUrl });
    sendFile(api, GROUP, member, 'OrderSKUList.csv', Buffer.from(HAND_CSV), { caption: '/import' });
    await api.waitForCall(isDone('OrderSKUList.csv'));
    expect(proxy.connects.filter((t) => t === host).length).toBeGreaterThanOrEqual(1);
    expect(await b.stop()).toBe(0);

    const before = proxy.targets().length;
    const direct = bot({ TELEGRAM_API_ROOT: root, HTTP_PROXY: proxyUrl, NO_PROXY: `localhost,${host}`, DATABASE_URL: await sqliteFile.fresh() });
    await direct.start();
    say(api, GROUP, member, '/help');
    await api.waitForCall((c) => c.method === 'sendMessage' && String(c.params['text']).includes('/rate'), 20_000, api.calls.length);
    expect(proxy.targets().length).toBe(before);
    expect(await direct.stop()).toBe(0);
  }, 90_000);
});

describe('health and metrics', () => {
  it('GET /healthz, /readyz and /metrics in polling mode when PORT is set, with no chat in the labels', async () => {
    const { api, root } = await telegram();
    const port = await freePort();
    const b = bot({ TELEGRAM_API_ROOT: root, PORT: String(port), DATABASE_URL: await sqliteFile.fresh() });
    await b.start();
    const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`);
    expect(await (await get('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, checks: { database: { ok: true }, telegram: { ok: true }, ticks: { ok: true } } });

    api.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    say(api, GROUP, member, '/help');
    sendFile(api, GROUP, member, 'OrderSKUList.csv', Buffer.from(HAND_CSV), { caption: '/import' });
    await api.waitForCall(isDone('OrderSKUList.csv'));
    await api.waitForCall((c) => c.method === 'sendPhoto');
    const metrics = await get('/metrics');
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(text).toMatch(/^cancelwatch_updates_total\{kind="message"\} 2$/m);
    expect(text).toMatch(/^cancelwatch_imports_total\{result="stored"\} 1$/m);
    expect(text).toMatch(/^cancelwatch_import_rows_total \d+$/m);
    expect(text).toMatch(/^cancelwatch_import_duration_seconds_count 1$/m);
    expect(text).toContain('cancelwatch_summaries_total');
    expect(text).toContain('cancelwatch_tiktok_sync_pages_total');
    expect(text).toMatch(/^cancelwatch_rate_limited_total\{api="telegram"\} 1$/m);
    expect(text).toMatch(/^cancelwatch_rate_limited_seconds_total\{api="telegram"\} 1$/m);
    expect(text).toContain('cancelwatch_handler_errors_total 0');
    expect(text).not.toContain(String(GROUP.id));
    expect(text).not.toContain(String(member.id) + '"');
    expect(await b.stop()).toBe(0);
  }, 60_000);

  it('with METRICS_TOKEN, /metrics asks for the bearer token; /healthz and /readyz stay open', async () => {
    const { root } = await telegram();
    const port = await freePort();
    const token = 'scrape-0123456789abcdef';
    const b = bot({ TELEGRAM_API_ROOT: root, PORT: String(port), DATABASE_URL: await sqliteFile.fresh(), METRICS_TOKEN: token });
    await b.start();
    const get = (path: string, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${port}${path}`, { headers });
    const refused = await get('/metrics');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await get('/metrics', { authorization: 'Bearer not-the-token-at-all' })).status).toBe(401);
    const scraped = await get('/metrics', { authorization: `Bearer ${token}` });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('cancelwatch_updates_total');
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/readyz')).status).toBe(200);
    expect(b.logs.join('\n')).not.toContain(token);
    expect(await b.stop()).toBe(0);
  }, 60_000);
});

/** A real, tiny filesystem for the bot's temporary folder or its database: needs root (as CI runs). */
function tinyTmpfs(size = '256k'): string | null {
  const dir = testDir('cw-tiny-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    cleanups.push(() => {
      // Lazily: a database file the test just read may still be let go of a moment later.
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
}

describe('a full temporary folder', () => {
  const canMount = (() => {
    const probe = testDir('cw-probe-');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
      execFileSync('umount', [probe], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    } finally {
      rmSync(probe, { recursive: true, force: true });
    }
  })();

  it.skipIf(!canMount)('refuses the upload with a clear reply, stores nothing, and keeps serving (needs root to mount a 256 KB tmpfs)', async () => {
    const tiny = tinyTmpfs();
    if (!tiny) throw new Error('tmpfs mount failed after the probe worked');
    const { api, root } = await telegram();
    const db = await sqliteFile.fresh();
    const b = bot({ TELEGRAM_API_ROOT: root, TMPDIR: tiny, DATABASE_URL: db });
    await b.start();
    const csv = exportCsv({ orders: 3_000, seed: 6 }).text;
    expect(Buffer.byteLength(csv)).toBeGreaterThan(512 * 1024);
    sendFile(api, GROUP, member, 'orders.csv', Buffer.from(csv), { caption: '/import' });
    const reply = await api.waitForCall((c) => c.method === 'sendMessage' && String(c.params['text']).startsWith('❌ orders.csv'));
    expect(String(reply.params['text'])).toContain('no disk space left');
    // The log line and the reply travel on different pipes: wait for the line rather than race it.
    await b.waitForLog((l) => l.includes('"event":"import_no_space"'));
    expect(b.logged('import_no_space')).toHaveLength(1);
    const from = api.calls.length;
    say(api, GROUP, member, '/help');
    await api.waitForCall((c) => c.method === 'sendMessage' && String(c.params['text']).includes('/rate'), 20_000, from);
    expect(await b.stop()).toBe(0);
    expect(await storedOrders(db)).toBe(0);
  }, 60_000);

  it.skipIf(!canMount)('a database on a full disk: the upload is refused as out of space, counted, nothing half-written, and the bot keeps serving (needs root)', async () => {
    const tiny = tinyTmpfs('2m');
    if (!tiny) throw new Error('tmpfs mount failed after the probe worked');
    const { api, root } = await telegram();
    const db = `sqlite:${join(tiny, 'bot.sqlite')}`;
    const port = await freePort();
    const b = bot({ TELEGRAM_API_ROOT: root, DATABASE_URL: db, PORT: String(port) });
    await b.start();
    sendFile(api, GROUP, member, 'small.csv', Buffer.from(HAND_CSV), { caption: '/import' });
    await api.waitForCall(isDone('small.csv'));
    sendFile(api, GROUP, member, 'orders.csv', Buffer.from(exportCsv({ orders: 20_000, seed: 7 }).text), { caption: '/import' });
    const reply = await api.waitForCall((c) => c.method === 'sendMessage' && String(c.params['text']).startsWith('❌ orders.csv'), 60_000);
    expect(String(reply.params['text'])).toContain('no disk space left');
    await b.waitForLog((l) => l.includes('"event":"import_no_space"'));
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/^cancelwatch_imports_total\{result="no-space"\} 1$/m);
    const from = api.calls.length;
    say(api, GROUP, member, '/rate 2026-11-01..2026-11-07');
    const rate = await api.waitForCall((c) => c.method === 'sendMessage' && String(c.params['text']).includes('Paid orders: 10'), 20_000, from);
    expect(String(rate.params['text'])).toContain('Paid orders: 10');
    expect(await b.stop()).toBe(0);
    expect(await storedOrders(db)).toBe(13);
  }, 120_000);
});
