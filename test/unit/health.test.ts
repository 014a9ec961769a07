import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Metrics } from '../../src/ops/metrics.js';
import { checkReadiness } from '../../src/ops/readiness.js';
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
      expect(gone.checks.database.ok).toBe(false);
      expect(gone.checks.database.reason).toMatch(/^database: /);
    });
  }

  it('names a Bot API silent for too long, and ticks that stopped', async () => {
    const r = await checkReadiness({ database: () => Promise.resolve(), telegramOkAt: () => NOW - 300_000, ticksAliveAt: () => NOW - 600_000 }, NOW);
    expect(r).toEqual({
      ready: false,
      checks: {
        database: { ok: true },
        telegram: { ok: false, reason: 'telegram: last successful Bot API call 300 s ago' },
        ticks: { ok: false, reason: 'ticks: last daily-summary tick 600 s ago' },
      },
    });
    const never = await checkReadiness({ database: () => Promise.resolve(), telegramOkAt: () => null, ticksAliveAt: () => NOW }, NOW);
    expect(never.checks.telegram).toEqual({ ok: false, reason: 'telegram: no successful Bot API call yet' });
  });

  it('a database that does not answer in time is not ready', async () => {
    const r = await checkReadiness({ database: () => new Promise(() => undefined), telegramOkAt: () => NOW, ticksAliveAt: () => NOW }, NOW, { telegramMs: 1, ticksMs: 1, databaseMs: 50 });
    expect(r.checks.database).toEqual({ ok: false, reason: 'database: no answer within 50 ms' });
  });
});

describe('the supervisor routes', () => {
  it('GET /readyz answers 503 with the reasons as JSON; /healthz stays 200; /metrics is Prometheus text', async () => {
    const metrics = new Metrics();
    metrics.updates.inc({ kind: 'message' });
    const base = await serve({
      metrics,
      readiness: () => checkReadiness({ database: () => Promise.reject(new Error('connect ECONNREFUSED')), telegramOkAt: () => NOW, ticksAliveAt: () => NOW }, NOW),
    });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toBe('application/json');
    expect(await ready.json()).toMatchObject({ status: 'not ready', ready: false, checks: { database: { ok: false, reason: 'database: connect ECONNREFUSED' }, telegram: { ok: true } } });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('# TYPE cancelwatch_updates_total counter');
    expect(text).toMatch(/^cancelwatch_updates_total\{kind="message"\} 1$/m);
  });

  it('without PORT-only routes configured, /readyz and /metrics are not served', async () => {
    const base = await serve({});
    expect((await fetch(`${base}/readyz`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
  });
});
