import { EventEmitter, once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Api } from 'grammy';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postJsonWith, RobotClient } from '../../src/robots/client.js';
import { startDailyTicks, type EveryMinute } from '../../src/schedule/cron.js';
import { DailySummaries } from '../../src/schedule/daily-summaries.js';
import { RobotSummaries } from '../../src/schedule/robot-summaries.js';
import { Store } from '../../src/store/store.js';
import { TokenCrypto } from '../../src/tiktok/token-crypto.js';
import { addRobot, type RobotDeps } from '../../src/use-cases/robot-targets.js';
import { FakeTelegram } from '../fakes/telegram-api.js';
import { renderTrend } from '../support/charts.js';
import { TEST_DATABASES } from '../support/databases.js';
import { ordersOver, seed } from '../support/orders.js';

const TOKEN = '4242:TICKS-token-abcdefghijklmnopqrstuvwxyz';
const at = (iso: string) => Date.parse(iso);

/** A robot host that takes every request and never answers, until closed. */
async function deadRobotHost() {
  const requests = new EventEmitter();
  const open: ServerResponse[] = [];
  const server = createServer((req, res) => {
    req.resume();
    open.push(res);
    requests.emit('request');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    open,
    /** Resolves when the next request arrives, or at once if `count` have. */
    received: async (count: number) => {
      while (open.length < count) await once(requests, 'request');
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

for (const database of TEST_DATABASES) {
  describe(`the minute ticks on ${database.name}`, () => {
    let store: Store;
    let telegram: FakeTelegram;
    let now: number;
    const cleanups: Array<() => Promise<unknown>> = [];
    beforeEach(async () => {
      now = at('2026-11-26T00:00:00Z');
      store = await Store.open(await database.fresh(), () => now);
      telegram = new FakeTelegram(TOKEN);
      cleanups.push(() => store.close(), () => telegram.close());
    });
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    it('a robot that never answers does not hold up the next minute’s Telegram summaries', async () => {
      const host = await deadRobotHost();
      cleanups.push(() => host.close());
      const logger = pino({ level: 'silent' });
      const api = new Api(TOKEN, { apiRoot: await telegram.listen() });
      const robotDeps: RobotDeps = {
        store, renderTrend, crypto: new TokenCrypto('c'.repeat(64)), hosts: { kind: 'any' },
        // Longer than the test: only closing the host ends the robot's post.
        client: new RobotClient({ maxRateWaitMs: 0, post: postJsonWith(globalThis.fetch, 10 * 60_000) }),
      };
      // Group -1 is due at 09:00 Shanghai time with a robot that never answers; group -2 at 09:01.
      for (const [id, time] of [['-1', '09:00'], ['-2', '09:01']] as const) {
        await store.chats.ensure(id, { locale: 'en', timeZone: 'Asia/Shanghai', threshold: 0.025 });
        await store.chats.setDaily(id, time);
        await seed(store, id, ordersOver('2026-11-15', 12, 10, 5, `c${id}`));
      }
      expect((await addRobot(robotDeps, '-1', { service: 'feishu', address: `${host.base}/open-apis/bot/v2/hook/deadbeef00000000`, secret: null }, null, now)).ok).toBe(true);

      const minute = new Map<string, () => Promise<void>>();
      const everyMinute: EveryMinute = (name, run) => {
        minute.set(name, run);
        return { stop: () => undefined };
      };
      const clock = () => now;
      const summaries = new DailySummaries({ store, api, clock, logger, renderTrend, instance: 'ticks' });
      const robots = new RobotSummaries({ ...robotDeps, api, clock, logger, instance: 'ticks' });
      const ticks = startDailyTicks(summaries, logger, { clock, robots, everyMinute });
      const fire = (name: string) => {
        const run = minute.get(name);
        if (!run) throw new Error(`no tick named ${name}`);
        return run();
      };
      const sentTo = (chat: string) => (c: { method: string; params: Record<string, unknown> }) =>
        (c.method === 'sendPhoto' || c.method === 'sendMessage') && String(c.params['chat_id']) === chat;

      now = at('2026-11-26T01:00:00Z');
      let robotTickDone = false;
      const robotTick = fire('robot-summaries').then(() => { robotTickDone = true; });
      await fire('daily-summaries');
      await telegram.waitForCall(sentTo('-1'));
      await host.received(1);

      now = at('2026-11-26T01:01:00Z');
      await Promise.all([fire('daily-summaries'), fire('robot-summaries')]);
      await telegram.waitForCall(sentTo('-2'));
      // The robot's post is still open and its tick still running: it did not start again either.
      expect(robotTickDone).toBe(false);
      expect(host.open).toHaveLength(1);
      expect(ticks.lastAliveAt()).toBe(now);

      await host.close();
      await robotTick;
      // The post cut off, the robot is tried again in a minute, as after any first failure.
      expect(Date.parse((await store.robots.list('-1'))[0]?.retryAt ?? 'none') - now).toBe(60_000);
      await ticks.stop();
    });
  });
}
