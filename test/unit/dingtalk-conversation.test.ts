import { rmSync } from 'node:fs';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Conversation } from '../../src/conversation/conversation.js';
import { callbackSign, DingtalkPlatform, type DingtalkSettings } from '../../src/dingtalk/dingtalk.js';
import { NO_PROXY } from '../../src/net/outbound.js';
import { Metrics } from '../../src/ops/metrics.js';
import { WorkTracker } from '../../src/ops/work.js';
import { DailySummaries } from '../../src/schedule/daily-summaries.js';
import { Store } from '../../src/store/store.js';
import { importFile } from '../../src/use-cases/read-export.js';
import { Turns } from '../../src/use-cases/turns.js';
import { FakeDingtalkOpen, interceptDingtalkGateway, TOPIC_ROBOT, type RobotCallbackData, type SentMessage } from '../fakes/dingtalk-open.js';
import { HAND_CSV } from '../fixtures/hand.js';
import { renderProducts, renderTrend } from '../support/charts.js';
import { TEST_DATABASES } from '../support/databases.js';
import { serveRoute } from '../support/route-server.js';
import { testDir } from '../support/temp-dirs.js';

const logger = pino({ level: 'silent' });
/** 20:00 in Shanghai, the zone a DingTalk group starts in. */
const NOW = Date.UTC(2026, 10, 26, 12);
const WEEK = '2026-11-01..2026-11-07';
const GROUP = 'cidShopAGroup0000000000==';
const MEMBER_DM = 'cidMemberDm00000000000000==';
const OWNER = { staffId: 'owner01', nick: 'Wang' };
const MEMBER = { staffId: 'member01', nick: 'Zhao' };
const LI = { staffId: 'li01', nick: 'Li' };
type Someone = typeof OWNER;

describe('DingTalk HTTP callback sign', () => {
  it('matches the reference test vector', () => {
    expect(callbackSign('1700000000000', 'test-secret')).toBe('BYMqUCZnSqbfPf1GCfZftO7Rg2g6P+Rp3/4+bLNtSGA=');
  });
});

for (const database of TEST_DATABASES) {
  describe(`a DingTalk group on ${database.name}`, () => {
    let fake: FakeDingtalkOpen;
    let url: string;
    let dir: string;
    let now: number;
    let releaseGateway: () => void;
    const clock = () => now;
    const stopping: Array<() => Promise<void>> = [];

    beforeEach(async () => {
      now = NOW;
      // The SDK writes "connect success" and the like with console.info and console.warn.
      vi.spyOn(console, 'info').mockImplementation(() => undefined);
      vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      fake = await FakeDingtalkOpen.start({ now: clock, redeliverAfterMs: 500 });
      releaseGateway = await interceptDingtalkGateway(fake);
      url = await database.fresh();
      dir = testDir('cancelwatch-dingtalk-');
    });
    afterEach(async () => {
      for (const stop of stopping.splice(0).reverse()) await stop();
      releaseGateway();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
      vi.restoreAllMocks();
    });

    /** One bot instance serving DingTalk (the stream by default), with its own database connection. */
    async function instance(name: string, settings: Partial<DingtalkSettings> = {}) {
      const store = await Store.open(url, clock);
      const metrics = new Metrics();
      const work = new WorkTracker();
      const conversation = new Conversation({
        store, logger, clock, importFile, turns: new Turns(2), renderTrend, renderProducts, tempDir: dir, metrics, instance: name,
      });
      const dingtalk = new DingtalkPlatform({
        clientId: fake.clientId, clientSecret: fake.clientSecret, apiRoot: fake.url, oapiRoot: fake.url, events: 'stream', ...settings,
      }, { conversation, store, logger, metrics, work, clock, tempDir: dir, fetch: globalThis.fetch, proxies: NO_PROXY, maxUploadMb: 20, queueLimits: { perChat: 5, total: 300 } });
      await dingtalk.start();
      stopping.push(async () => {
        await dingtalk.stop();
        await work.idle();
        await store.close();
      });
      return { store, dingtalk, metrics, work };
    }

    const groupText = (text: string, who: Someone = OWNER, extra: Partial<Parameters<FakeDingtalkOpen['textCallback']>[0]> = {}): RobotCallbackData =>
      fake.textCallback({ conversationId: GROUP, conversationType: '2', title: 'Shop A team', sender: who.staffId, senderNick: who.nick, text, ...extra });

    /** Says something in the group (the robot @-mentioned), and returns the bot's next `count` messages there. */
    async function say(text: string, who: Someone = OWNER, count = 1, extra: Partial<Parameters<FakeDingtalkOpen['textCallback']>[0]> = {}): Promise<string[]> {
      const before = fake.sentTo(GROUP).length;
      await fake.deliver(groupText(text, who, extra));
      await fake.waitForSent(before + count, GROUP);
      return fake.sentTo(GROUP).slice(before).map((m) => fake.shown(m));
    }

    /** Waits for the group's `nth` message that says `words`. */
    const groupSays = (words: string, nth = 1) => fake.waitForMessage((m) => m.conversationId === GROUP && fake.shown(m).includes(words), nth, `"${words}" in the group`);

    /** `import` in the group, then the file sent privately (the group's answers follow: wait for them with `groupSays`). */
    async function importPrivately(who: Someone, downloadCode: string, fileName: string): Promise<void> {
      await say('import', who);
      fake.addFile({ downloadCode, name: fileName, bytes: Buffer.from(HAND_CSV) });
      await fake.deliver(fake.fileCallback({ conversationId: MEMBER_DM, sender: who.staffId, senderNick: who.nick, downloadCode, fileName }));
    }

    it('holds the whole conversation: set-up admin, settings by admins only, /import and a private upload counted once, /rate with or without the slash, /products', async () => {
      const bot = await instance('a');
      await fake.connected();
      expect(fake.gatewayCalls[0]?.['subscriptions']).toContainEqual({ type: 'CALLBACK', topic: TOPIC_ROBOT });

      // DingTalk cannot say who manages a group (its `isAdmin` is not trusted: the fake says true for all): whoever sets it up is its admin.
      const [welcome, admin] = await say('/start', OWNER, 2);
      expect(welcome).toContain('cancelwatch 读取 TikTok Shop 订单导出文件');
      expect(welcome).toContain('Asia/Shanghai');
      expect(admin).toBe('Wang 设置了本群，现在是本群管理员。添加其他人：admins add @某人');
      expect(await say('/lang en')).toEqual(['Language set to English.']);
      expect(await say('/threshold 3', MEMBER)).toEqual(['Sorry, only group admins can change this.']);
      // An admin adds another (DingTalk gives no names for @-mentions: the staff id stands for one).
      expect(await say('admins add @Li', OWNER, 1, { mentions: [LI.staffId] })).toEqual(['Added as admins: li01.']);
      expect((await say('threshold 3', LI))[0]).toContain('3.00%');
      // Replies go through the message's session webhook while it lasts.
      expect(fake.sentTo(GROUP).every((m) => m.via === 'session')).toBe(true);

      // DingTalk delivers files in one-to-one chats only: `import` in the group, then the file privately.
      const [prompt] = await say('import', MEMBER);
      expect(prompt).toContain('send me the order export (CSV or XLSX) in a private chat within 30 minutes');
      fake.addFile({ downloadCode: 'dc_orders_1', name: 'orders.csv', bytes: Buffer.from(HAND_CSV) });
      await fake.deliver(fake.fileCallback({ conversationId: MEMBER_DM, sender: MEMBER.staffId, senderNick: MEMBER.nick, downloadCode: 'dc_orders_1', fileName: 'orders.csv' }));
      // The private chat is a chat of its own, in its own language: Chinese until the person says otherwise.
      expect(fake.shown(await fake.waitForSent(1, MEMBER_DM))).toBe('收到：orders.csv 将导入 Shop A team（店铺 main），结果会发在群里。');
      await groupSays('Zhao sent orders.csv privately for shop main:');
      expect(fake.shown(await groupSays('✅ orders.csv'))).toContain('✅ orders.csv: 13 orders (13 new), 2026-10-28 – 2026-11-07.');
      await groupSays('All reasons, products and strategies');

      // The same export again: its orders are stored once.
      await importPrivately(MEMBER, 'dc_orders_2', 'orders-again.csv');
      expect(fake.shown(await groupSays('✅ orders-again.csv'))).toContain('✅ orders-again.csv: 13 orders (0 new)');
      await groupSays('All reasons, products and strategies', 2);

      // The figures are the hand-counted ones the CLI gives for this file (see test/e2e/cli.test.ts).
      const [rate, picture, details] = await say(`rate ${WEEK}`, OWNER, 3);
      for (const line of ['Paid orders: 10', 'Cancelled: 8 · cancel rate 80.00%', 'Seller-fault cancellations: 3 of 9 · SFCR 33.33%', 'Out of stock: 2 (25.00%)']) expect(rate).toContain(line);
      expect(picture).toMatch(/^\[picture @lA[0-9a-f]+\]$/);
      expect(fake.images.get(picture?.slice(9, -1) ?? '')?.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(details).toContain('All reasons, products and strategies');
      const reportMessage = fake.sentTo(GROUP).at(-3) as SentMessage;
      expect(reportMessage.msgtype).toBe('markdown');
      expect(reportMessage.title).toBe('Cancellation report 2026-11-01 – 2026-11-07');
      // DingTalk's markdown joins single line breaks: every line ends with two spaces.
      expect(reportMessage.text.split('\n').every((l) => l.endsWith('  '))).toBe(true);
      const slashed = await say(`/rate ${WEEK}`, OWNER, 3);
      expect(slashed[0]).toBe(rate);
      expect(slashed[2]).toBe(details);

      // This export has no product lines: the list says so, and there is no picture.
      expect((await say(`products ${WEEK}`))[0]).toContain('Products by seller-fault cancellations');
      const counted = await bot.metrics.text();
      expect(counted).toMatch(/cancelwatch_platform_messages_total\{platform="dingtalk",kind="command"\} \d+/);
      expect(counted).toMatch(/cancelwatch_platform_messages_total\{platform="dingtalk",kind="file"\} 2/);
      expect(counted).toMatch(/cancelwatch_platform_sends_total\{platform="dingtalk",result="sent"\} \d+/);
      // Every callback pushed was acknowledged.
      const acked = new Set(fake.replies.filter((r) => r.code === 200).map((r) => r.headers['messageId']));
      expect(fake.pushed.every((f) => acked.has(f.headers['messageId']))).toBe(true);
    });

    it('answers a callback pushed again (its ack lost) once, the same msgId in a new push once, and echoes pings', async () => {
      const bot = await instance('a');
      const echo = await fake.ping();
      expect(echo).toMatchObject({ code: 200, message: 'OK', headers: { topic: 'ping' } });

      // The first ack is lost on the way: DingTalk pushes the callback again, and it is acked again.
      const callback = groupText('/shops', OWNER, { msgId: 'msg_same' });
      await fake.deliver(callback, { loseAcks: 1 });
      expect(fake.pushesOf('msg_same')).toBe(2);
      await fake.waitForSent(1, GROUP);
      // And the same message in a push of its own.
      await fake.deliver(callback);
      // Whatever a repeat did would come before the next answer, which is the second message.
      expect(await say('hello there')).toEqual(['请 @ 我并加上命令，例如 @cancelwatch rate 7d。发送 "help" 查看全部命令。']);
      expect(fake.sentTo(GROUP)).toHaveLength(2);
      expect(await bot.metrics.text()).toMatch(/cancelwatch_platform_messages_total\{platform="dingtalk",kind="duplicate"\} 2/);
    });

    it('replies through the session webhook while it lasts, then through groupMessages/send, waiting out a QPS limit once', async () => {
      const bot = await instance('a');
      expect(await say('/lang en')).toEqual(['Language set to English.']);
      expect(fake.sentTo(GROUP).at(-1)?.via).toBe('session');

      // A message whose session webhook has expired by the time it is answered.
      const late = groupText('/help');
      now += 2 * 60 * 60_000;
      fake.rateLimitNextSends(1);
      await fake.deliver(late);
      const help = await fake.waitForSent(2, GROUP);
      expect(help.via).toBe('group');
      expect(help.msgtype).toBe('markdown');
      expect(fake.shown(help)).toContain('cancellation rates for TikTok Shop sellers');
      expect(fake.calls.filter((c) => c.path === '/v1.0/robot/groupMessages/send').map((c) => c.status)).toEqual([403, 200]);
      const counted = await bot.metrics.text();
      expect(counted).toMatch(/cancelwatch_rate_limited_total\{api="dingtalk"\} 1/);

      // A private chat's replies after its webhook expired go to the person by staff id.
      const privately = fake.textCallback({ conversationId: MEMBER_DM, conversationType: '1', sender: MEMBER.staffId, senderNick: MEMBER.nick, text: 'shops' });
      now += 2 * 60 * 60_000;
      await fake.deliver(privately);
      const answer = await fake.waitForSent(1, MEMBER_DM);
      expect(answer).toMatchObject({ via: 'person', userId: MEMBER.staffId });
    });

    it('sends the daily summary once with two instances on one database, pauses it when the robot is out of the group, and resumes when the group writes', async () => {
      const a = await instance('a');
      const b = await instance('b');
      await say('/lang en');
      expect((await say('daily 21:00'))[0]).toContain('21:00');
      await importPrivately(MEMBER, 'dc_daily', 'orders.csv');
      await groupSays('All reasons, products and strategies');
      const summaries = [a, b].map(({ store, dingtalk }, i) => new DailySummaries({
        store, clock, logger, renderTrend, instance: `tick-${i}`, posters: { dingtalk: (id, summary) => dingtalk.postSummary(id, summary) },
      }));
      now = Date.UTC(2026, 10, 26, 13); // 21:00 in Shanghai
      const sentBefore = fake.sentTo(GROUP).length;
      const results = await Promise.all(summaries.map((s) => s.tick()));
      expect(results.reduce((n, r) => n + r.sent, 0)).toBe(1);
      const summary = fake.sentTo(GROUP).slice(sentBefore);
      expect(summary.filter((m) => m.msgtype === 'markdown')).toHaveLength(1);
      expect(summary[0]?.via).toBe('group');
      expect(fake.shown(summary[0] as SentMessage)).toContain('Daily summary for 2026-11-25');

      // Next day, the robot was removed: DingTalk answers invalidParameter.robotCode.notExsit and the summary pauses.
      fake.removeRobotFrom(GROUP);
      now = Date.UTC(2026, 10, 27, 13);
      expect(await summaries[0]?.tick()).toMatchObject({ paused: 1 });
      expect(await a.store.schedules.active()).toEqual([]);

      // DingTalk sends no robot-added event: the group writing to the robot again shows it is back.
      fake.addRobotTo(GROUP);
      await say('shops');
      expect((await a.store.schedules.active()).map((s) => s.chatId)).toEqual([`dingtalk:${GROUP}`]);
    });

    it('opens the stream again after it drops, through the gateway', async () => {
      await instance('a');
      await fake.connected();
      fake.dropConnections();
      // The SDK reconnects a second later: the callback waits for the new connection.
      await fake.deliver(groupText('/shops'));
      expect(fake.shown(await fake.waitForSent(1, GROUP))).toContain('本群还没有订单数据');
      expect(fake.gatewayCalls).toHaveLength(2);
    });

    it('over HTTP: a well-signed callback answered, a wrong or stale sign refused', async () => {
      const { dingtalk } = await instance('a', { events: 'http' });
      const served = await serveRoute(dingtalk.httpRoute(), '/dingtalk/events');
      stopping.push(() => served.close());
      const events = served.url;
      expect(fake.connections).toBe(0);

      const posted = await fake.postCallback(events, groupText('/help'));
      expect(posted).toMatchObject({ status: 200, body: {} });
      expect(fake.shown(await fake.waitForSent(1, GROUP))).toContain('在群里 @ 我并加上命令');

      expect((await fake.postCallback(events, groupText('/help'), { secret: 'another secret' })).status).toBe(401);
      expect((await fake.postCallback(events, groupText('/help'), { timestamp: now - 2 * 60 * 60_000 })).status).toBe(401);
      const unsigned = await fetch(events, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(groupText('/help')) });
      expect(unsigned.status).toBe(401);
      expect(fake.sentTo(GROUP)).toHaveLength(1);
    });
  });
}
