import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../src/config.js';
import { Metrics } from '../../src/ops/metrics.js';
import { checkReadiness, loggedReadiness, type ReadinessProbes } from '../../src/ops/readiness.js';
import { httpServer } from '../../src/server/http.js';
import { Store } from '../../src/store/store.js';
import { TEST_DATABASES } from '../support/databases.js';

const NOW = Date.parse('2026-11-26T08:00:00Z');
const servers: Array<{ close(cb: () => void): void }> = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise<void>((resolve) => s.close(() => resolve()));
});

async function serve(routes: Parameters<typeof httpServer>[0]): Promise<string> {
  const server = httpServer(routes);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('readiness', () => {
  for (const database of TEST_DATABASES) {
    it(`is ready with a database that answers, and not once it is gone (${database.name})`, async () => {
      const store = await Store.open(await database.fresh());
      const probes = { database: () => store.ping(), telegramOkAt: () => NOW - 5_000, ticksAliveAt: () => NOW - 30_000 };
      expect(await checkReadiness(probes, NOW)).toEqual({ ready: true, checks: { database: { ok: true }, telegram: { ok: true }, ticks: { ok: true } } });
      await store.close();
      const gone = await checkReadiness(probes, NOW);
      expect(gone.ready).toBe(false);
      expect(gone.checks.database).toMatchObject({ ok: false, reason: 'database_unreachable' });
    });
  }

  it('names a Bot API silent for too long, and ticks that stopped', async () => {
    const r = await checkReadiness({ database: () => Promise.resolve(), telegramOkAt: () => NOW - 300_000, ticksAliveAt: () => NOW - 600_000 }, NOW);
    expect(r).toEqual({
      ready: false,
      checks: {
        database: { ok: true },
        telegram: { ok: false, reason: 'telegram_stale', detail: 'last successful Bot API call 300 s ago' },
        ticks: { ok: false, reason: 'ticks_stale', detail: 'last tick 600 s ago' },
      },
    });
    const never = await checkReadiness({ database: () => Promise.resolve(), telegramOkAt: () => null, ticksAliveAt: () => NOW }, NOW);
    expect(never.checks.telegram).toEqual({ ok: false, reason: 'telegram_never', detail: 'no successful Bot API call yet' });
  });

  it('a database that does not answer in time is not ready', async () => {
    const r = await checkReadiness({ database: () => new Promise(() => undefined), telegramOkAt: () => NOW, ticksAliveAt: () => NOW }, NOW, { telegramMs: 1, ticksMs: 1, databaseMs: 50 });
    expect(r.checks.database).toEqual({ ok: false, reason: 'database_unreachable', detail: 'no answer within 50 ms' });
  });

  it('logs what went wrong once per change, in one line, without a connection string’s password', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => { lines.push(line); } });
    let failure: Error | null = new Error('connect to postgres://cw:hunter2-secret@db.internal:5432/cw failed for user "cw"');
    const probes: ReadinessProbes = { database: () => (failure ? Promise.reject(failure) : Promise.resolve()), telegramOkAt: () => NOW, ticksAliveAt: () => NOW };
    const check = loggedReadiness(probes, logger, () => NOW);
    for (let i = 0; i < 3; i++) expect((await check()).ready).toBe(false);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(line).toMatchObject({ level: 40, event: 'not_ready', reasons: { database: 'database_unreachable' } });
    expect(String((line['detail'] as Record<string, unknown>)['database'])).toContain('db.internal');
    expect(lines[0]).not.toContain('hunter2');
    failure = null;
    expect((await check()).ready).toBe(true);
    expect((await check()).ready).toBe(true);
    expect(lines.map((l) => (JSON.parse(l) as { event: string }).event)).toEqual(['not_ready', 'ready']);
  });
});

describe('the supervisor routes', () => {
  it('GET /readyz answers 503 with reason codes only, never the database’s words; /healthz stays 200; /metrics is Prometheus text', async () => {
    const metrics = new Metrics();
    metrics.updates.inc({ kind: 'message' });
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => { lines.push(line); } });
    const refused = new Error('password authentication failed for user "cancelwatch" at db-7.internal.example:5432');
    const base = await serve({
      metrics,
      readiness: loggedReadiness({ database: () => Promise.reject(refused), telegramOkAt: () => null, ticksAliveAt: () => NOW - 600_000 }, logger, () => NOW),
    });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toBe('application/json');
    const body = await ready.text();
    expect(JSON.parse(body)).toEqual({
      status: 'not ready', ready: false,
      checks: { database: { ok: false, reason: 'database_unreachable' }, telegram: { ok: false, reason: 'telegram_never' }, ticks: { ok: false, reason: 'ticks_stale' } },
    });
    for (const word of ['cancelwatch', 'db-7', 'internal', '5432', 'password']) expect(body).not.toContain(word);
    // The operator still learns what it was, from the log.
    expect(lines.join('')).toContain('db-7.internal.example');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('# TYPE cancelwatch_updates_total counter');
    expect(text).toMatch(/^cancelwatch_updates_total\{kind="message"\} 1$/m);
  });

  it.skipIf(!process.env['TEST_POSTGRES_URL'])('a PostgreSQL server refusing the bot’s user is a code on the port and the server’s words in the log', async () => {
    const url = new URL(process.env['TEST_POSTGRES_URL'] ?? '');
    url.username = 'cw_no_such_role';
    url.password = 'hunter2-secret';
    const database = async () => {
      const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 3_000 });
      try {
        await client.connect();
      } finally {
        await client.end().catch(() => undefined);
      }
    };
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => { lines.push(line); } });
    const base = await serve({ readiness: loggedReadiness({ database, telegramOkAt: () => NOW, ticksAliveAt: () => NOW }, logger, () => NOW) });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    const body = await ready.text();
    expect(JSON.parse(body)).toMatchObject({ checks: { database: { ok: false, reason: 'database_unreachable' } } });
    expect(body).not.toContain('cw_no_such_role');
    expect(body).not.toContain(url.hostname);
    expect(lines.join('')).toContain('cw_no_such_role');
    expect(lines.join('')).not.toContain('hunter2');
  });

  it('a readiness check that throws is a code too', async () => {
    const base = await serve({ readiness: () => Promise.reject(new Error('db-7.internal.example exploded')) });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'not ready', ready: false, reason: 'check_failed' });
  });

  it('with METRICS_TOKEN, /metrics answers 401 without the bearer token or with a wrong one, and the metrics with it', async () => {
    const token = 'm3tr1cs-T0KEN-0123456789abcdef';
    const metrics = new Metrics();
    metrics.updates.inc({ kind: 'message' });
    const base = await serve({ metrics, metricsToken: token, readiness: () => checkReadiness({ database: () => Promise.resolve(), telegramOkAt: () => NOW, ticksAliveAt: () => NOW }, NOW) });
    const scrape = (authorization?: string) => fetch(`${base}/metrics`, authorization ? { headers: { authorization } } : {});
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789abcdef', `Bearer ${token}x`, `Bearer ${token.slice(0, -1)}`, `Basic ${Buffer.from(`x:${token}`).toString('base64')}`, token]) {
      const denied = await scrape(authorization);
      expect(denied.status, String(authorization)).toBe(401);
      expect(denied.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
      expect(await denied.text()).not.toContain('cancelwatch_updates_total');
    }
    for (const authorization of [`Bearer ${token}`, `bearer ${token}`]) {
      const allowed = await scrape(authorization);
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toMatch(/^cancelwatch_updates_total\{kind="message"\} 1$/m);
    }
    // The probes stay open: a supervisor's liveness and readiness checks carry no token.
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('METRICS_TOKEN is optional, and a weak one stops the start naming the variable, never its value', () => {
    const env = { BOT_TOKEN: '4242:HEALTH-token-abcdefghijklmnopqrstuvw', LANG: 'en_US.UTF-8' };
    expect(readConfig(env).METRICS_TOKEN).toBeUndefined();
    expect(readConfig({ ...env, METRICS_TOKEN: 'a'.repeat(32) }).METRICS_TOKEN).toBe('a'.repeat(32));
    for (const bad of ['short-tok3n', 'has spaces in it 0123456789']) {
      expect(() => readConfig({ ...env, METRICS_TOKEN: bad })).toThrow(ConfigError);
      expect(() => readConfig({ ...env, METRICS_TOKEN: bad })).toThrow(/^METRICS_TOKEN must be 16 to 256/);
      expect(() => readConfig({ ...env, METRICS_TOKEN: bad })).not.toThrow(bad);
    }
  });

  it('without PORT-only routes configured, /readyz and /metrics are not served', async () => {
    const base = await serve({});
    expect((await fetch(`${base}/readyz`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
  });
});
