import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Api } from 'grammy';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postJsonWith, RobotClient } from '../../src/robots/client.js';
import { RobotSummaries } from '../../src/schedule/robot-summaries.js';
import { Store } from '../../src/store/store.js';
import { TokenCrypto } from '../../src/tiktok/token-crypto.js';
import { addRobot, resealRobots, type RobotDeps } from '../../src/use-cases/robot-targets.js';
import { FakeDingtalk } from '../fakes/dingtalk-robot.js';
import { FakeFeishu } from '../fakes/feishu-robot.js';
import type { FakeRobotService } from '../fakes/robot-server.js';
import { FakeTelegram } from '../fakes/telegram-api.js';
import { FakeWecom } from '../fakes/wecom-robot.js';
import { renderTrend } from '../support/charts.js';
import { TEST_DATABASES } from '../support/databases.js';
import { ordersOver, seed } from '../support/orders.js';

const TOKEN = '4242:ROBOTS-token-abcdefghijklmnopqrstuvw';

/** An HTTP server on 127.0.0.1 answering with `handler`, counting the requests it got and how many were open at once. */
async function plainHost(handler?: (req: IncomingMessage, res: ServerResponse) => void) {
  const open = new Set<ServerResponse>();
  let received = 0;
  let peak = 0;
  const server = createServer((req, res) => {
    received++;
    open.add(res);
    peak = Math.max(peak, open.size);
    res.on('close', () => open.delete(res));
    req.resume();
    handler?.(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => received,
    peak: () => peak,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A robot host that takes every request and never answers. */
const hangingHost = () => plainHost();
const KEY = 'a'.repeat(64);
const SECRET = 'SECrobot-secret-0123456789';
const at = (iso: string) => Date.parse(iso);

for (const database of TEST_DATABASES) {
  describe(`robot summaries on ${database.name}`, () => {
    let url: string;
    let store: Store;
    let now: number;
    let telegram: FakeTelegram;
    let wecom: FakeWecom;
    let feishu: FakeFeishu;
    let dingtalk: FakeDingtalk;
    const stores: Store[] = [];
    const crypto = new TokenCrypto(KEY);

    beforeEach(async () => {
      url = await database.fresh();
      store = await Store.open(url);
      stores.push(store);
      now = at('2026-11-26T00:00:00Z');
      telegram = new FakeTelegram(TOKEN);
      [wecom, feishu, dingtalk] = [new FakeWecom(), new FakeFeishu(), new FakeDingtalk()];
      for (const fake of [wecom, feishu, dingtalk]) fake.now = () => now;
    });
    afterEach(async () => {
      await Promise.all([telegram.close(), wecom.close(), feishu.close(), dingtalk.close()]);
      await Promise.all(stores.splice(0).map((s) => s.close()));
    });

    const deps = (own: Store): RobotDeps => ({
      store: own, renderTrend, crypto, hosts: { kind: 'any' },
      client: new RobotClient({ maxRateWaitMs: 0, waiting: { now: () => now, sleep: (ms) => { now += ms; return Promise.resolve(); } } }),
    });

    /** One bot instance's robot job, with its own database connection and name. */
    /** Every log line the robot jobs wrote, to check no address or secret is ever in one. */
    const logs: string[] = [];
    async function instance(name: string, options: { client?: RobotClient } = {}) {
      const own = await Store.open(url);
      stores.push(own);
      const logger = pino({ level: 'info' }, { write: (line: string) => { logs.push(line); } });
      return new RobotSummaries({ ...deps(own), ...options, api: new Api(TOKEN, { apiRoot: await rootOf() }), clock: () => now, logger, instance: name });
    }
    let root: string | null = null;
    const rootOf = async () => (root ??= await telegram.listen());
    beforeEach(() => { root = null; logs.length = 0; });

    async function groupWithRobots(id: string, options: { locale?: 'en' | 'zh'; daily?: string | null } = {}) {
      await store.chats.ensure(id, { locale: options.locale ?? 'zh', timeZone: 'Asia/Shanghai', threshold: 0.025 });
      if (options.daily !== null) await store.chats.setDaily(id, options.daily ?? '09:00');
      await seed(store, id, ordersOver('2026-11-15', 12, 10, 5, `c${id}`));
      const robots: Record<'wecom' | 'feishu' | 'dingtalk', { token: string; id: number }> = {} as never;
      for (const [service, fake] of [['wecom', wecom], ['feishu', feishu], ['dingtalk', dingtalk]] as Array<['wecom' | 'feishu' | 'dingtalk', FakeRobotService]>) {
        const robot = await fake.addRobot(service === 'wecom' ? {} : { secret: SECRET, keyword: 'cancelwatch' });
        const added = await addRobot(deps(store), id, { service, address: robot.url, secret: robot.secret }, '7', now);
        if (!added.ok) throw new Error(added.problem);
        robots[service] = { token: robot.token, id: added.robot.id };
      }
      return robots;
    }

    it('sends each robot the group’s summary at the group’s time, once, in its format', async () => {
      const robots = await groupWithRobots('-1');
      const bot = await instance('a');
      now = at('2026-11-26T00:59:00Z'); // 08:59 in Shanghai
      expect((await bot.tick()).due).toBe(0);
      now = at('2026-11-26T01:00:00Z');
      expect(await bot.tick()).toMatchObject({ due: 3, sent: 3 });
      expect(await bot.tick()).toMatchObject({ due: 0, sent: 0 });

      const [markdown, image] = wecom.accepted(robots.wecom.token) as [{ markdown: { content: string } }, { image: { base64: string; md5: string } }];
      expect(markdown.markdown.content).toContain('## ☀️ 2026-11-25 每日摘要');
      expect(markdown.markdown.content).toContain('已付款订单 10，已取消 2 · 取消率 20.00% · SFCR 20.00%');
      const png = Buffer.from(image.image.base64, 'base64');
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(image.image.md5).toBe(createHash('md5').update(png).digest('hex'));

      const [card] = feishu.accepted(robots.feishu.token) as Array<{ card: { header: { template: string } }; timestamp: string }>;
      expect(card?.card.header.template).toBe('red');
      expect(card?.timestamp).toBe(String(now / 1000));
      const [ding] = dingtalk.accepted(robots.dingtalk.token) as Array<{ markdown: { title: string; text: string } }>;
      expect(ding?.markdown.title).toBe('☀️ 2026-11-25 每日摘要');
      expect(ding?.markdown.text).toContain('缺货');
      expect(telegram.calls).toHaveLength(0);

      now = at('2026-11-27T01:00:00Z');
      expect(await bot.tick()).toMatchObject({ due: 3, sent: 3 });
      expect(wecom.accepted(robots.wecom.token)).toHaveLength(4);
    });

    it('after a key rotation robots still send, are sealed again with the new key, and then need no previous key', async () => {
      const robots = await groupWithRobots('-1');
      const rotated = new TokenCrypto('b'.repeat(64), KEY);
      const lines: string[] = [];
      const logger = pino({ level: 'info' }, { write: (line: string) => { lines.push(line); } });
      expect(await resealRobots({ store, crypto: rotated }, logger)).toBe(3);
      expect(await resealRobots({ store, crypto: rotated }, logger)).toBe(0);
      expect(lines.join('')).toContain('"robots":3');

      const newKeyOnly = new TokenCrypto('b'.repeat(64));
      const bot = new RobotSummaries({
        ...deps(store), crypto: newKeyOnly, api: new Api(TOKEN, { apiRoot: await rootOf() }), clock: () => now, logger, instance: 'rotated',
      });
      now = at('2026-11-26T01:00:00Z');
      expect(await bot.tick()).toMatchObject({ due: 3, sent: 3 });
      expect(wecom.accepted(robots.wecom.token)).toHaveLength(2);
      expect(lines.join('')).not.toContain(SECRET);
    });

    it('goes out once when two instances tick at the same moment', async () => {
      const robots = await groupWithRobots('-2');
      const [a, b] = [await instance('a'), await instance('b')];
      now = at('2026-11-26T01:05:00Z');
      const [ra, rb] = await Promise.all([a.tick(), b.tick()]);
      expect(ra.sent + rb.sent).toBe(3);
      expect(feishu.accepted(robots.feishu.token)).toHaveLength(1);
      expect(dingtalk.accepted(robots.dingtalk.token)).toHaveLength(1);
      expect(wecom.accepted(robots.wecom.token)).toHaveLength(2);
    });

    it('pauses a robot whose signature is refused or that was removed, and tells the group once', async () => {
      const robots = await groupWithRobots('-3');
      dingtalk.removeRobot(robots.dingtalk.token);
      feishu.failNext(robots.feishu.token, { code: 19021, message: 'sign match fail or timestamp is not within one hour from current time' });
      const [a, b] = [await instance('a'), await instance('b')];
      now = at('2026-11-26T01:00:00Z');
      expect(await a.tick()).toMatchObject({ sent: 1, paused: 2 });
      const notices = telegram.calls.filter((c) => c.method === 'sendMessage');
      expect(notices.map((c) => String(c.params['chat_id']))).toEqual(['-3', '-3']);
      // Robots are posted to at once, so their notices come in either order.
      const texts = notices.map((c) => String(c.params['text']));
      expect(texts.find((t) => t.includes('飞书机器人'))).toContain('安全设置');
      expect(texts.find((t) => t.includes('钉钉机器人'))).toContain('已不存在');
      for (const notice of notices) expect(String(notice.params['text'])).not.toContain(robots.dingtalk.token);
      // Paused: neither the next day nor another instance sends or tells again.
      now = at('2026-11-27T01:00:00Z');
      expect(await b.tick()).toMatchObject({ due: 1, sent: 1 });
      expect(telegram.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(2);
      const listed = await store.robots.list('-3');
      expect(listed.map((r) => r.paused)).toEqual([null, 'security', 'gone']);
      expect(listed[1]?.lastError).toContain('19021');
      expect(logs.join('\n')).toContain('"event":"robot_paused"');
      for (const secret of [robots.feishu.token, robots.dingtalk.token, robots.wecom.token, SECRET]) expect(logs.join('\n')).not.toContain(secret);
    });

    it('waits out a rate limit, then sends that day’s summary', async () => {
      const robots = await groupWithRobots('-4');
      wecom.failNext(robots.wecom.token, { code: 45009, message: 'api freq out of limit' });
      dingtalk.failNext(robots.dingtalk.token, { code: 130101, message: 'send too fast' });
      const bot = await instance('a');
      now = at('2026-11-26T01:00:00Z');
      expect(await bot.tick()).toMatchObject({ due: 3, sent: 1, deferred: 2 });
      now += 30_000;
      expect(await bot.tick()).toMatchObject({ due: 0 });
      now += 31_000; // WeCom's minute is over; DingTalk throttles for ten
      expect(await bot.tick()).toMatchObject({ due: 1, sent: 1 });
      now += 9 * 60_000;
      expect(await bot.tick()).toMatchObject({ due: 1, sent: 1 });
      expect(dingtalk.accepted(robots.dingtalk.token)).toHaveLength(1);
      expect(wecom.accepted(robots.wecom.token)).toHaveLength(2);
      expect((await store.robots.list('-4')).map((r) => [r.retryAt, r.paused])).toEqual([[null, null], [null, null], [null, null]]);
    });

    it('tries a robot it could not reach again later, without posting twice', async () => {
      const robots = await groupWithRobots('-5');
      feishu.failNext(robots.feishu.token, 'drop-connection', 'http-500');
      const bot = await instance('a');
      now = at('2026-11-26T01:00:00Z');
      expect(await bot.tick()).toMatchObject({ sent: 2, deferred: 1 });
      now += 60_000;
      expect(await bot.tick()).toMatchObject({ due: 1, deferred: 1 });
      now += 2 * 60_000;
      expect(await bot.tick()).toMatchObject({ due: 1, sent: 1 });
      now += 60_000;
      expect(await bot.tick()).toMatchObject({ due: 0 });
      expect(feishu.accepted(robots.feishu.token)).toHaveLength(1);
    });

    it('leaves a robot it cannot reach alone 1, 2, 4 … minutes, an hour at most, and starts again from a minute once it answers', async () => {
      const robots = await groupWithRobots('-11');
      const retryAt = async () => (await store.robots.list('-11')).find((r) => r.id === robots.feishu.id)?.retryAt ?? null;
      feishu.failNext(robots.feishu.token, ...Array.from({ length: 9 }, () => 'drop-connection' as const));
      const bot = await instance('a');
      now = at('2026-11-26T01:00:00Z');
      expect(await bot.tick()).toMatchObject({ due: 3, sent: 2, deferred: 1 });
      const waits: number[] = [];
      for (let failures = 1; failures <= 9; failures++) {
        const next = Date.parse((await retryAt()) ?? 'none');
        waits.push((next - now) / 60_000);
        now = next - 1;
        expect((await bot.tick()).due).toBe(0);
        now = next;
        expect(await bot.tick()).toMatchObject(failures < 9 ? { due: 1, deferred: 1 } : { due: 1, sent: 1 });
      }
      expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
      expect(await retryAt()).toBeNull();
      expect(feishu.requests.filter((r) => r.token === robots.feishu.token)).toHaveLength(10);
      const unreachable = logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['event'] === 'robot_unreachable');
      expect(unreachable.map((l) => l['retryInMs'])).toEqual(waits.map((w) => w * 60_000));
      // The streak ended with the answer: the next outage waits a minute again.
      now = at('2026-11-27T01:00:00Z');
      feishu.failNext(robots.feishu.token, 'drop-connection');
      expect(await bot.tick()).toMatchObject({ due: 3, sent: 2, deferred: 1 });
      expect(Date.parse((await retryAt()) ?? 'none') - now).toBe(60_000);
      // The dropped connection is remembered by its code (a reset, however the socket reports it).
      expect((await store.robots.list('-11')).find((r) => r.id === robots.feishu.id)?.lastError).toMatch(/^(ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED|ERR_STREAM_PREMATURE_CLOSE)$/);
    });

    it('a robot’s wait is kept by the other instances, and ended for all by one that gets through', async () => {
      const robots = await groupWithRobots('-12');
      feishu.failNext(robots.feishu.token, 'drop-connection', 'drop-connection');
      const [a, b] = [await instance('a'), await instance('b')];
      now = at('2026-11-26T01:00:00Z');
      expect(await a.tick()).toMatchObject({ deferred: 1 });
      now += 30_000;
      expect((await b.tick()).due).toBe(0);
      now += 30_000;
      expect(await a.tick()).toMatchObject({ deferred: 1 });
      now += 2 * 60_000;
      expect(await b.tick()).toMatchObject({ sent: 1 });
      // b's success cleared the stored wait; a's streak of two ends with it.
      now = at('2026-11-27T01:00:00Z');
      feishu.failNext(robots.feishu.token, 'drop-connection');
      expect(await a.tick()).toMatchObject({ deferred: 1 });
      const stored = (await store.robots.list('-12')).find((r) => r.id === robots.feishu.id)?.retryAt;
      expect(Date.parse(stored ?? 'none') - now).toBe(60_000);
    });

    it('posts to several robots at once, within a bound: robots that never answer cost about one timeout, not one each', async () => {
      const host = await hangingHost();
      await store.chats.ensure('-13', { locale: 'en', timeZone: 'UTC', threshold: 0.025 });
      await store.chats.setDaily('-13', '01:00');
      for (let i = 0; i < 6; i++) {
        const added = await addRobot(deps(store), '-13', { service: 'feishu', address: `${host.base}/open-apis/bot/v2/hook/dead${String(i).padStart(12, '0')}`, secret: null }, null, now);
        expect(added.ok).toBe(true);
      }
      const timeoutMs = 1_000;
      const bot = await instance('a', { client: new RobotClient({ maxRateWaitMs: 0, post: postJsonWith(globalThis.fetch, timeoutMs) }) });
      now = at('2026-11-26T01:00:00Z');
      const started = performance.now();
      expect(await bot.tick()).toMatchObject({ due: 6, deferred: 6 });
      const tookMs = performance.now() - started;
      expect(host.received()).toBe(6);
      // Four at once (two rounds of timeouts for six), where one after another would take six.
      expect(host.peak()).toBe(4);
      expect(tookMs).toBeLessThan(4 * timeoutMs);
      await host.close();
    });

    it('does not follow a robot host’s redirect: the send is refused and logged as a redirect, the other address never reached', async () => {
      const target = await plainHost((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"code":0}'));
      const relay = await plainHost((_req, res) => res.writeHead(302, { location: `${target.base}/open-apis/bot/v2/hook/0123456789abcdef` }).end());
      await store.chats.ensure('-14', { locale: 'en', timeZone: 'UTC', threshold: 0.025 });
      await store.chats.setDaily('-14', '01:00');
      await addRobot(deps(store), '-14', { service: 'feishu', address: `${relay.base}/open-apis/bot/v2/hook/fedcba9876543210`, secret: null }, null, now);
      const bot = await instance('a', { client: new RobotClient({ maxRateWaitMs: 0, post: postJsonWith(globalThis.fetch) }) });
      now = at('2026-11-26T01:00:00Z');
      expect(await bot.tick()).toMatchObject({ due: 1, failed: 1 });
      expect(relay.received()).toBe(1);
      expect(target.received()).toBe(0);
      const refused = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['event'] === 'robot_summary_refused');
      expect(refused?.['answer']).toBe('HTTP 302 redirect not followed');
      now += 60_000;
      expect((await bot.tick()).due).toBe(0);
      await Promise.all([relay.close(), target.close()]);
    });

    it('sends nothing while the group’s daily summary is off, and a reminder when it has no data', async () => {
      const robots = await groupWithRobots('-6', { daily: null });
      const bot = await instance('a');
      now = at('2026-11-26T05:00:00Z');
      expect((await bot.tick()).due).toBe(0);
      await store.chats.ensure('-7', { locale: 'en', timeZone: 'UTC', threshold: 0.025 });
      await store.chats.setDaily('-7', '01:00');
      const empty = await wecom.addRobot();
      await addRobot(deps(store), '-7', { service: 'wecom', address: empty.url, secret: null }, null, now);
      expect(await bot.tick()).toMatchObject({ due: 1, sent: 1 });
      const [only, ...more] = wecom.accepted(empty.token) as Array<{ markdown: { content: string } }>;
      expect(more).toHaveLength(0);
      expect(only?.markdown.content).toContain('No orders yet for a daily summary');
      expect(wecom.accepted(robots.wecom.token)).toHaveLength(0);
    });

    it('keeps a group’s robots when it becomes a supergroup, and drops them with /forget', async () => {
      await groupWithRobots('-9');
      await store.moveChat('-9', '-1009');
      expect((await store.robots.list('-1009')).map((r) => r.service)).toEqual(['wecom', 'feishu', 'dingtalk']);
      const bot = await instance('a');
      now = at('2026-11-26T01:00:00Z');
      expect(await bot.tick()).toMatchObject({ due: 3, sent: 3 });
      await store.forgetChat('-1009');
      expect(await store.robots.list('-1009')).toEqual([]);
      expect(await store.db.selectFrom('claims').selectAll().execute()).toEqual([]);
    });

    it('a removed robot’s claims go with it; the group’s other robots keep theirs', async () => {
      const robots = await groupWithRobots('-10');
      const bot = await instance('a');
      now = at('2026-11-26T01:00:00Z');
      expect(await bot.tick()).toMatchObject({ due: 3, sent: 3 });
      expect(await store.robots.remove('-10', robots.feishu.id)).toBe(true);
      const left = await store.db.selectFrom('claims').select(['kind', 'subject', 'status']).orderBy('subject').execute();
      expect(left).toEqual([robots.wecom.id, robots.dingtalk.id].sort().map((id) => ({ kind: 'robot', subject: String(id), status: 'sent' })));
    });

    it('keeps addresses and secrets sealed in the database', async () => {
      const robots = await groupWithRobots('-8');
      const rows = await store.db.selectFrom('robot_targets').selectAll().execute();
      const dump = JSON.stringify(rows);
      expect(dump).not.toContain(robots.feishu.token);
      expect(dump).not.toContain(SECRET);
      expect(rows.map((r) => r.address)).toEqual([expect.stringMatching(/^127\.0\.0\.1:\d+\/…\?key=\w{4}…\w{2}$/), expect.stringMatching(/\/…\/hook\/\w{4}…\w{2}$/), expect.stringMatching(/\/…\?access_token=\w{4}…\w{2}$/)]);
    });
  });
}
