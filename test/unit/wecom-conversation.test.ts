import { readdirSync, rmSync } from 'node:fs';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Conversation } from '../../src/conversation/conversation.js';
import { NO_PROXY } from '../../src/net/outbound.js';
import { Metrics } from '../../src/ops/metrics.js';
import { WorkTracker } from '../../src/ops/work.js';
import { DailySummaries } from '../../src/schedule/daily-summaries.js';
import { Store } from '../../src/store/store.js';
import { FetchError } from '../../src/use-cases/import-upload.js';
import { importFile } from '../../src/use-cases/read-export.js';
import { Turns } from '../../src/use-cases/turns.js';
import { WECOM_CODES, WecomPlatform } from '../../src/wecom/wecom.js';
import { FAKE_CODES, FakeWecomAibot, fileMessage, imageMessage, mixedMessage, textMessage, type FakeWecomOptions } from '../fakes/wecom-aibot.js';
import { HAND_CSV } from '../fixtures/hand.js';
import { renderProducts, renderTrend } from '../support/charts.js';
import { TEST_DATABASES } from '../support/databases.js';
import { testDir } from '../support/temp-dirs.js';

const logger = pino({ level: 'silent' });
/** 20:00 in Shanghai, the zone a WeCom group starts in. */
const NOW = Date.UTC(2026, 10, 26, 12);
const WEEK = '2026-11-01..2026-11-07';
const GROUP = 'wrkSFfCgAAxxxxxxxxxxxxxxxx01';
/** WeCom puts U+2005 after an @-mention. */
const MENTION = '@cancelwatch\u2005';
const shown = FakeWecomAibot.shown;

for (const database of TEST_DATABASES) {
  describe(`a WeCom group on ${database.name}`, () => {
    let fake: FakeWecomAibot;
    let url: string;
    let dir: string;
    let now: number;
    const clock = () => now;
    const stopping: Array<() => Promise<void>> = [];

    async function startFake(options: FakeWecomOptions = {}): Promise<FakeWecomAibot> {
      fake = await FakeWecomAibot.start({ now: clock, ...options });
      return fake;
    }

    beforeEach(async () => {
      now = NOW;
      url = await database.fresh();
      dir = testDir('cancelwatch-wecom-');
    });
    afterEach(async () => {
      for (const stop of stopping.splice(0).reverse()) await stop();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    });

    /** One bot instance serving WeCom over the long connection, with its own database connection. */
    async function instance(name: string) {
      const store = await Store.open(url, clock);
      const metrics = new Metrics();
      const work = new WorkTracker();
      const conversation = new Conversation({
        store, logger, clock, importFile, turns: new Turns(2), renderTrend, renderProducts, tempDir: dir, metrics, instance: name,
      });
      const wecom = new WecomPlatform({ botId: fake.botId, botSecret: fake.botSecret, wsUrl: fake.wsUrl }, {
        conversation, store, logger, metrics, work, clock, tempDir: dir, fetch: globalThis.fetch, proxies: NO_PROXY, maxUploadMb: 20, queueLimits: { perChat: 5, total: 300 },
      });
      await wecom.start();
      stopping.push(async () => {
        await wecom.stop();
        await work.idle();
        await store.close();
      });
      return { store, wecom, metrics, work };
    }

    /** Says something in the group, the bot @-mentioned, and returns the bot's next `count` messages there. */
    async function say(text: string, sender = 'owner', count = 1): Promise<string[]> {
      const before = fake.sentTo(GROUP).length;
      await fake.deliver(textMessage({ chatid: GROUP, chattype: 'group', from: sender, text: `${MENTION}${text}` }));
      await fake.waitForSent(before + count, GROUP);
      return fake.sentTo(GROUP).slice(before).map(shown);
    }

    it('holds the whole conversation: the set-up rule, settings by admins only, a file in the group, import and a private upload counted once, rate with or without the slash, products', async () => {
      await startFake();
      const bot = await instance('a');
      await fake.connected();

      // WeCom names no group admins: whoever sets the group up becomes its admin, and is told so.
      const [welcome, claimed] = await say('/start', 'owner', 2);
      expect(welcome).toContain('cancelwatch 读取 TikTok Shop 订单导出文件');
      expect(welcome).toContain('Asia/Shanghai');
      expect(claimed).toBe('owner 设置了本群，现在是本群管理员。添加其他人：admins add @某人');
      expect(await say('/lang en')).toEqual(['Language set to English.']);
      expect(await say('/threshold 3', 'member')).toEqual(['Sorry, only group admins can change this.']);
      expect((await say('threshold 3'))[0]).toContain('3.00%');
      // Admins are added by userid (WeCom gives no ids for @-mentions); a display name names nobody.
      expect((await say('admins add @张三'))[0]).toBe('admins — list; admins add @name; admins remove @name (admins only)');
      expect(await say('admins add @manager')).toEqual(['Added as admins: manager.']);
      expect((await say('threshold 4', 'manager'))[0]).toContain('4.00%');

      // A file that reaches the group is read there. WeCom's file message names no file: a guess labels it, the bytes decide.
      const before = fake.sentTo(GROUP).length;
      await fake.deliver(fileMessage({ chatid: GROUP, chattype: 'group', from: 'member', file: fake.addFile(Buffer.from(HAND_CSV)) }));
      await fake.waitForSent(before + 5, GROUP);
      const answers = fake.sentTo(GROUP).slice(before).map(shown);
      expect(answers[0]).toBe('📥 Reading orders.csv…');
      expect(answers[1]).toContain('✅ orders.csv: 13 orders (13 new), 2026-10-28 – 2026-11-07.');
      expect(answers[2]).toContain('**Cancellation report 2026-10-28 – 2026-11-07**');
      expect(answers[3]).toMatch(/^\[picture media_/);
      expect(answers[4]).toMatch(/^\*\*All reasons, products and strategies\*\*/);
      // Answers go by the message's req_id, as finished streams.
      expect(fake.sentTo(GROUP).slice(before).map((m) => `${m.via} ${m.msgtype}`)).toEqual(['reply stream', 'reply stream', 'reply stream', 'reply image', 'reply stream']);
      expect(readdirSync(dir).filter((f) => f.startsWith('wecom-'))).toEqual([]);

      // `import` in the group, then the file in a single chat: imported into the group's shop, the group told.
      const [prompt] = await say('import', 'member');
      expect(prompt).toContain('send me the order export (CSV or XLSX) in a private chat within 30 minutes');
      const inGroup = fake.sentTo(GROUP).length;
      await fake.deliver(fileMessage({ chattype: 'single', from: 'member', file: fake.addFile(Buffer.from(HAND_CSV)), filename: 'orders-again.csv' }));
      expect(shown(await fake.waitForSent(1, 'member'))).toBe('收到：orders-again.csv 将导入 （一个群）（店铺 main），结果会发在群里。');
      await fake.waitForSent(inGroup + 6, GROUP);
      const told = fake.sentTo(GROUP).slice(inGroup);
      expect(told.map(shown)[0]).toBe('member sent orders-again.csv privately for shop main:');
      // The same export again: its orders are stored once.
      expect(told.map(shown)[2]).toContain('✅ orders-again.csv: 13 orders (0 new)');
      // Not in answer to anything said in the group: sent proactively.
      expect(new Set(told.map((m) => m.via))).toEqual(new Set(['send']));

      // The figures are the hand-counted ones the CLI gives for this file (see test/e2e/cli.test.ts).
      const [rate, picture, details] = await say(`rate ${WEEK}`, 'owner', 3);
      for (const line of ['Paid orders: 10', 'Cancelled: 8 · cancel rate 80.00%', 'Seller-fault cancellations: 3 of 9 · SFCR 33.33%', 'Out of stock: 2 (25.00%)']) expect(rate).toContain(line);
      expect(picture).toMatch(/^\[picture media_/);
      expect(details).toContain('All reasons, products and strategies');
      const [slashed, , slashedDetails] = await say(`/rate ${WEEK}`, 'owner', 3);
      expect(slashed).toBe(rate);
      expect(slashedDetails).toBe(details);
      expect(fake.media.get(picture?.slice('[picture '.length, -1) ?? '')?.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');

      // This export has no product columns: the list says so, and there is no picture.
      const [products] = await say(`products ${WEEK}`);
      expect(products).toMatch(/^\*\*Products by seller-fault cancellations\*\*/);

      const counted = await bot.metrics.text();
      expect(counted).toMatch(/cancelwatch_platform_messages_total\{platform="wecom",kind="command"\} \d+/);
      expect(counted).toMatch(/cancelwatch_platform_messages_total\{platform="wecom",kind="file"\} 2/);
      expect(counted).toMatch(/cancelwatch_platform_sends_total\{platform="wecom",result="sent"\} \d+/);
      expect(fake.wsErrors).toEqual([]);
    });

    it('answers a redelivered message once, reads mixed text and ignores pictures, and takes a text without the mention', async () => {
      await startFake();
      await instance('a');
      const same = textMessage({ chatid: GROUP, chattype: 'group', from: 'owner', text: `${MENTION}/shops`, msgid: 'msg_same' });
      await fake.deliver(same);
      await fake.waitForSent(1, GROUP);
      await fake.deliver({ ...same, headers: { req_id: 'req_again' } });
      const picture = fake.addFile(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      await fake.deliver(imageMessage({ chatid: GROUP, chattype: 'group', from: 'owner', image: picture }));
      // Whatever the repeat and the picture did would come before the next answer.
      await fake.deliver(mixedMessage({ chatid: GROUP, chattype: 'group', from: 'owner', items: [{ text: MENTION }, { image: picture }, { text: 'hello there' }] }));
      expect(shown(await fake.waitForSent(2, GROUP))).toBe('请 @ 我并加上命令，例如 @cancelwatch rate 7d。发送 "help" 查看全部命令。');
      // Whether WeCom keeps "@BotName" in the text is unconfirmed: without it, the same.
      await fake.deliver(textMessage({ chatid: GROUP, chattype: 'group', from: 'owner', text: 'lang en' }));
      expect(shown(await fake.waitForSent(3, GROUP))).toBe('Language set to English.');
      expect(fake.sentTo(GROUP)).toHaveLength(3);
    });

    it('sends the daily summary once with two instances on one database, with its picture', async () => {
      // WeCom keeps one connection per bot (the next test); here both stay connected, so either may win the claim.
      await startFake({ oneConnectionPerBot: false });
      // 20:00 in Shanghai the day after the export's last day, so the summary has a trend to draw.
      now = Date.UTC(2026, 10, 8, 12);
      const a = await instance('a');
      const b = await instance('b');
      await say('/lang en');
      expect((await say('daily 21:00'))[0]).toContain('21:00');
      const before = fake.sentTo(GROUP).length;
      await fake.deliver(fileMessage({ chatid: GROUP, chattype: 'group', from: 'owner', file: fake.addFile(Buffer.from(HAND_CSV)) }));
      await fake.waitForSent(before + 5, GROUP);
      const summaries = [a, b].map(({ store, wecom }, i) => new DailySummaries({
        store, clock, logger, renderTrend, instance: `tick-${i}`, posters: { wecom: (id, s) => wecom.postSummary(id, s) },
      }));
      now = Date.UTC(2026, 10, 8, 13); // 21:00 in Shanghai
      const sentBefore = fake.sentTo(GROUP).length;
      const results = await Promise.all(summaries.map((s) => s.tick()));
      expect(results.reduce((n, r) => n + r.sent, 0)).toBe(1);
      const summary = fake.sentTo(GROUP).slice(sentBefore);
      expect(summary.map((m) => `${m.via} ${m.msgtype}`)).toEqual(['send markdown', 'send image']);
      expect(summary.map(shown)[0]).toContain('Daily summary for 2026-11-07');
      expect(await summaries[1]?.tick()).toMatchObject({ sent: 0 });
    });

    it('classifies refused sends: a gone chat pauses its summary until it speaks again, a rate limit is retried, an unknown code fails safe', async () => {
      await startFake();
      const a = await instance('a');
      await say('/lang en');
      await say('daily 21:00');
      const summaries = new DailySummaries({ store: a.store, clock, logger, renderTrend, instance: 'tick', posters: { wecom: (id, s) => a.wecom.postSummary(id, s) } });

      // The bot was removed (WeCom's code for that is unconfirmed; the group robot's is taken): paused.
      fake.refuseChat(GROUP, WECOM_CODES.robotRemoved);
      now = Date.UTC(2026, 10, 26, 13);
      expect(await summaries.tick()).toMatchObject({ paused: 1 });
      expect(await a.store.schedules.active()).toEqual([]);
      // WeCom sends no "bot added" event: the next message from the group shows the bot is back.
      fake.allowChat(GROUP);
      await say('shops');
      expect(await a.store.schedules.active()).toHaveLength(1);

      // A rate limit: the claim is let go, and the next tick sends.
      now = Date.UTC(2026, 10, 27, 13);
      fake.failNext('aibot_send_msg', WECOM_CODES.apiFrequency, 'api freq out of limit');
      expect(await summaries.tick()).toMatchObject({ failed: 1 });
      expect(await summaries.tick()).toMatchObject({ sent: 1 });

      // A code nobody listed: a plain failure, nothing paused.
      now = Date.UTC(2026, 10, 28, 13);
      fake.refuseChat(GROUP, 123456, 'something new');
      expect(await a.wecom.postSummary(GROUP, await summaryOf(a.store))).toMatchObject({ outcome: 'failed', code: 123456 });
      expect(await summaries.tick()).toMatchObject({ failed: 1, paused: 0 });
      expect(await a.store.schedules.active()).toHaveLength(1);

      const counted = await a.metrics.text();
      for (const result of ['gone', 'rate-limited', 'failed', 'sent']) expect(counted).toContain(`cancelwatch_platform_sends_total{platform="wecom",result="${result}"}`);
    });

    it('sends an answer WeCom will not take by req_id to the chat instead, and reports a file whose URL expired', async () => {
      // Whether a message may be answered more than once is unconfirmed: here only once.
      await startFake({ repliesPerCallback: 1 });
      await instance('a');
      const [welcome, claimed] = await say('/start', 'owner', 2);
      expect(welcome).toContain('cancelwatch');
      expect(claimed).toContain('owner');
      expect(fake.sentTo(GROUP).map((m) => m.via)).toEqual(['reply', 'send']);

      // Five minutes after WeCom handed out the URL it no longer serves the file.
      const file = fake.addFile(Buffer.from(HAND_CSV));
      now += 6 * 60_000;
      const before = fake.sentTo(GROUP).length;
      await fake.deliver(fileMessage({ chatid: GROUP, chattype: 'group', from: 'owner', file }));
      await fake.waitForSent(before + 2, GROUP);
      expect(fake.sentTo(GROUP).slice(before).map(shown)[1]).toBe('❌ 无法从聊天平台获取 orders.csv。请重新发送。');
      expect(fake.downloads.at(-1)?.status).toBe(403);
    });

    it('fetches and decrypts a file to disk, refusing a wrong key and a file over the limit', async () => {
      await startFake();
      const { wecom } = await instance('a');
      const bytes = Buffer.from(HAND_CSV);
      const file = fake.addFile(bytes, { name: '订单 11月.csv' });
      const fetched = await wecom.fetchFile(JSON.stringify(file), 1024 * 1024);
      const { readFileSync } = await import('node:fs');
      expect(readFileSync(fetched.path).equals(bytes)).toBe(true);
      // The download names the file; the conversation named it before (see the report on FetchFile).
      expect(fetched).toMatchObject({ temporary: true, name: '订单 11月.csv' });
      rmSync(fetched.path);
      const otherKey = Buffer.alloc(32, 7).toString('base64');
      await expect(wecom.fetchFile(JSON.stringify({ ...file, aeskey: otherKey }), 1024 * 1024)).rejects.toBeInstanceOf(FetchError);
      await expect(wecom.fetchFile(JSON.stringify(file), 100)).rejects.toThrow('larger than the upload limit');
      expect(readdirSync(dir).filter((f) => f.startsWith('wecom-'))).toEqual([]);
    });

    it('leaves the connection to a newer process with the same bot, whose summaries then go from the other', async () => {
      await startFake();
      const a = await instance('a');
      await say('/lang en');
      await say('daily 21:00');
      await instance('b');
      // Subscribed, the newer connection had WeCom tell the older one and close it.
      await fake.waitForClosed(1);
      expect(fake.connections).toBe(1);
      expect(fake.frames.filter((f) => f.cmd === 'aibot_subscribe')).toHaveLength(2);
      expect(await a.wecom.postSummary(GROUP, await summaryOf(a.store))).toEqual({ outcome: 'retry', code: 'not-connected' });
      // Messages now reach the newer process, which answers them.
      expect(await say('help')).toHaveLength(1);
    });
  });
}

describe('the fake WeCom long connection', () => {
  it('refuses a wrong secret, answers pings once subscribed, and refuses frames before', async () => {
    const { WebSocket } = await import('ws');
    const fake = await FakeWecomAibot.start();
    try {
      const ws = new WebSocket(fake.wsUrl);
      type Answer = { headers: { req_id: string }; errcode: number };
      const next = () => new Promise<Answer>((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)) as Answer)));
      await new Promise<void>((resolve) => ws.once('open', () => resolve()));
      const send = (frame: object) => ws.send(JSON.stringify(frame));
      send({ cmd: 'ping', headers: { req_id: 'ping_1' } });
      expect((await next()).errcode).not.toBe(0);
      send({ cmd: 'aibot_subscribe', headers: { req_id: 'aibot_subscribe_1' }, body: { bot_id: fake.botId, secret: 'wrong' } });
      expect(await next()).toMatchObject({ headers: { req_id: 'aibot_subscribe_1' }, errcode: FAKE_CODES.badSecret });
      send({ cmd: 'aibot_subscribe', headers: { req_id: 'aibot_subscribe_2' }, body: { bot_id: fake.botId, secret: fake.botSecret } });
      expect(await next()).toMatchObject({ headers: { req_id: 'aibot_subscribe_2' }, errcode: 0 });
      send({ cmd: 'ping', headers: { req_id: 'ping_2' } });
      expect(await next()).toMatchObject({ headers: { req_id: 'ping_2' }, errcode: 0 });
      expect(fake.pings).toBe(1);
      send({ cmd: 'aibot_respond_msg', headers: { req_id: 'nobody' }, body: { msgtype: 'stream', stream: { id: 's', content: 'x', finish: true } } });
      expect(await next()).toMatchObject({ errcode: FAKE_CODES.invalidReqId });
      ws.terminate();
    } finally {
      await fake.close();
    }
  });
});

/** A DaySummary for the group as the tick builds it (for a direct postSummary). */
async function summaryOf(store: Store) {
  const { daySummary } = await import('../../src/use-cases/day-summary.js');
  const built = await daySummary({ store, renderTrend }, `wecom:${GROUP}`, '2026-11-28', NOW, { picture: false });
  if (!built) throw new Error('the group was never seen');
  return built;
}
