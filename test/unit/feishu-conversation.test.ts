import { rmSync } from 'node:fs';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Conversation } from '../../src/conversation/conversation.js';
import { FeishuPlatform, type FeishuEventRoute, type FeishuSettings } from '../../src/feishu/feishu.js';
import { NO_PROXY } from '../../src/net/outbound.js';
import { Metrics } from '../../src/ops/metrics.js';
import { WorkTracker } from '../../src/ops/work.js';
import { DailySummaries } from '../../src/schedule/daily-summaries.js';
import { Store } from '../../src/store/store.js';
import { importFile } from '../../src/use-cases/read-export.js';
import { Turns } from '../../src/use-cases/turns.js';
import { botAddedEvent, botRemovedEvent, FakeFeishuOpen, fileEvent, textEvent, type SentMessage } from '../fakes/feishu-open.js';
import { HAND_CSV } from '../fixtures/hand.js';
import { renderProducts, renderTrend } from '../support/charts.js';
import { TEST_DATABASES } from '../support/databases.js';
import { serveRoute } from '../support/route-server.js';
import { testDir } from '../support/temp-dirs.js';

const logger = pino({ level: 'silent' });
/** 20:00 in Shanghai, the zone a Feishu group starts in. */
const NOW = Date.UTC(2026, 10, 26, 12);
const WEEK = '2026-11-01..2026-11-07';

/** What a Feishu client shows of a message: a text's words, a card's title and markdown. */
function shown(fake: FakeFeishuOpen, m: SentMessage): string {
  return m.msgType === 'text' ? (m.content as { text: string }).text : fake.cardText(m);
}

for (const database of TEST_DATABASES) {
  describe(`a Feishu group on ${database.name}`, () => {
    let fake: FakeFeishuOpen;
    let url: string;
    let dir: string;
    let now: number;
    const clock = () => now;
    const stopping: Array<() => Promise<void>> = [];

    beforeEach(async () => {
      now = NOW;
      fake = await FakeFeishuOpen.start();
      fake.setChat('oc_shop', { owner: 'ou_owner', managers: ['ou_manager'], name: 'Shop A team' });
      fake.setPerson('ou_member', 'Mei');
      url = await database.fresh();
      dir = testDir('cancelwatch-feishu-');
    });
    afterEach(async () => {
      for (const stop of stopping.splice(0).reverse()) await stop();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    });

    /** One bot instance serving Feishu (the long connection by default), with its own database connection. */
    async function instance(name: string, settings: Partial<FeishuSettings> = {}, operatorAdmins: string[] = [], allowedChats: string[] = []) {
      const store = await Store.open(url, clock);
      const metrics = new Metrics();
      const work = new WorkTracker();
      const conversation = new Conversation({
        store, logger, clock, importFile, turns: new Turns(2), renderTrend, renderProducts, tempDir: dir, metrics, instance: name,
        operatorAdmins: new Set(operatorAdmins), allowedChats,
      });
      const feishu = new FeishuPlatform({
        appId: fake.appId, appSecret: fake.appSecret, baseUrl: fake.url, events: 'ws', encryptKey: null, verificationToken: null, ...settings,
      }, { conversation, store, logger, metrics, work, clock, tempDir: dir, fetch: globalThis.fetch, proxies: NO_PROXY, maxUploadMb: 20, queueLimits: { perChat: 5, total: 300 } });
      await feishu.start();
      stopping.push(async () => {
        await feishu.stop();
        await work.idle();
        await store.close();
      });
      return { store, feishu, metrics, work };
    }

    /** Serves a route as the bot's HTTP server does; returns its address. */
    async function serve(route: FeishuEventRoute): Promise<string> {
      const served = await serveRoute(route, '/feishu/events');
      stopping.push(() => served.close());
      return served.url;
    }

    /** Says something in the group (the bot @-mentioned), and returns the bot's next `count` messages there. */
    async function say(text: string, sender = 'ou_owner', count = 1, extra: Partial<Parameters<typeof textEvent>[0]> = {}): Promise<string[]> {
      const before = fake.sentTo('oc_shop').length;
      await fake.deliverWs(textEvent({ chatId: 'oc_shop', chatType: 'group', sender, text, ...extra }));
      await fake.waitForSent(before + count, 'oc_shop');
      return fake.sentTo('oc_shop').slice(before).map((m) => shown(fake, m));
    }

    it('holds the whole conversation: settings by admins only, a file in the group, /import and a private upload counted once, /rate with or without the slash, /products', async () => {
      const bot = await instance('a');
      await fake.connected();

      const [welcome] = await say('/start');
      expect(welcome).toContain('cancelwatch 读取 TikTok Shop 订单导出文件');
      expect(welcome).toContain('Asia/Shanghai');
      expect(await say('/lang en')).toEqual(['Language set to English.']);
      // A plain member may read but not change settings; a manager (from Feishu's chat API) may.
      expect(await say('/threshold 3', 'ou_member')).toEqual(['Sorry, only group admins can change this.']);
      expect((await say('threshold 3', 'ou_manager'))[0]).toContain('3.00%');

      // A file that reaches the group (the all-messages scope) is read there.
      fake.addFile({ messageId: 'om_file1', fileKey: 'file_v3_1', name: 'orders.csv', bytes: Buffer.from(HAND_CSV), chatId: 'oc_shop' });
      const before = fake.sentTo('oc_shop').length;
      await fake.deliverWs(fileEvent({ chatId: 'oc_shop', chatType: 'group', sender: 'ou_member', fileKey: 'file_v3_1', fileName: 'orders.csv', messageId: 'om_file1' }));
      const reportCard = await fake.waitForSent(before + 3, 'oc_shop');
      const answers = fake.sentTo('oc_shop').slice(before).map((m) => shown(fake, m));
      expect(answers[0]).toBe('📥 Reading orders.csv…');
      expect(answers[1]).toContain('✅ orders.csv: 13 orders (13 new), 2026-10-28 – 2026-11-07.');
      expect(reportCard.msgType).toBe('interactive');

      // `import` in the group, then the file privately: imported into the group's shop, the group told.
      // (The private chat is a chat of its own, in its own language: Chinese until the person says otherwise.)
      const [prompt] = await say('import', 'ou_member');
      expect(prompt).toBe('Mei, send me the order export (CSV or XLSX) in a private chat within 30 minutes: it will be imported into shop main of this group.');
      fake.addFile({ messageId: 'om_file2', fileKey: 'file_v3_2', name: 'orders-again.csv', bytes: Buffer.from(HAND_CSV), chatId: 'oc_dm' });
      const inGroup = fake.sentTo('oc_shop').length;
      await fake.deliverWs(fileEvent({ chatId: 'oc_dm', chatType: 'p2p', sender: 'ou_member', fileKey: 'file_v3_2', fileName: 'orders-again.csv', messageId: 'om_file2' }));
      expect(shown(fake, await fake.waitForSent(1, 'oc_dm'))).toBe('收到：orders-again.csv 将导入 Shop A team（店铺 main），结果会发在群里。');
      await fake.waitForSent(inGroup + 4, 'oc_shop');
      const told = fake.sentTo('oc_shop').slice(inGroup).map((m) => shown(fake, m));
      expect(told[0]).toBe('Mei sent orders-again.csv privately for shop main:');
      // The same export again: its orders are stored once.
      expect(told[2]).toContain('✅ orders-again.csv: 13 orders (0 new)');

      // The figures are the hand-counted ones the CLI gives for this file (see test/e2e/cli.test.ts).
      const [rate] = await say(`rate ${WEEK}`);
      for (const line of ['Paid orders: 10', 'Cancelled: 8 · cancel rate 80.00%', 'Seller-fault cancellations: 3 of 9 · SFCR 33.33%', 'Out of stock: 2 (25.00%)']) expect(rate).toContain(line);
      const [slashed] = await say(`/rate ${WEEK}`);
      const picture = /\[picture img_[\w-]+\]/g;
      expect(slashed?.replace(picture, '[picture]')).toBe(rate?.replace(picture, '[picture]'));
      // The first screen shows three reasons; the rest are folded beneath.
      const card = fake.sentTo('oc_shop').at(-1)?.content as { header: { template: string }; body: { elements: Array<{ tag: string; header?: { title: { content: string } } }> } };
      expect(card.header.template).toBe('red');
      expect(card.body.elements.map((e) => e.tag)).toEqual(['markdown', 'img', 'collapsible_panel']);
      expect(card.body.elements[2]?.header?.title.content).toBe('All reasons, products and strategies');

      const [products] = await say(`products ${WEEK}`);
      expect(products).toContain('Products');
      const counted = await bot.metrics.text();
      expect(counted).toMatch(/cancelwatch_platform_messages_total\{platform="feishu",kind="command"\} \d+/);
      expect(counted).toMatch(/cancelwatch_platform_sends_total\{platform="feishu",result="sent"\} \d+/);
    });

    it('greets a group it is added to, and pauses and resumes its daily summary as it leaves and comes back', async () => {
      const { store, work } = await instance('a');
      await fake.connected();
      await fake.deliverWs(botAddedEvent({ chatId: 'oc_new', operator: 'ou_owner' }));
      const greeting = shown(fake, await fake.waitForSent(1, 'oc_new'));
      expect(greeting).toContain('cancelwatch 读取 TikTok Shop 订单导出文件');
      expect(greeting).toContain('@cancelwatch rate 7d');
      await store.chats.setDaily('feishu:oc_new', '09:00');
      await fake.deliverWs(botRemovedEvent({ chatId: 'oc_new', operator: 'ou_owner' }));
      await work.idle();
      expect(await store.schedules.active()).toEqual([]);
      await fake.deliverWs(botAddedEvent({ chatId: 'oc_new', operator: 'ou_owner' }));
      await fake.waitForSent(2, 'oc_new');
      expect((await store.schedules.active()).map((s) => s.chatId)).toEqual(['feishu:oc_new']);
    });

    it('answers a redelivered event once, and a message without a command with a hint', async () => {
      await instance('a');
      await fake.connected();
      const event = textEvent({ chatId: 'oc_shop', chatType: 'group', sender: 'ou_owner', text: '/shops', eventId: 'ev_same' });
      await fake.deliverWs(event);
      await fake.waitForSent(1, 'oc_shop');
      await fake.deliverWs(event);
      // Whatever the repeat did would come before the next answer, which is the second message.
      expect(await say('hello there')).toEqual(['请 @ 我并加上命令，例如 @cancelwatch rate 7d。发送 "help" 查看全部命令。']);
      expect(fake.sentTo('oc_shop')).toHaveLength(2);
    });

    it('asks which group a file sent privately without `import` is for, and imports it there on the answer; admins added by the group and named by the operator', async () => {
      await instance('a', {}, ['feishu:ou_operator']);
      await fake.connected();
      await say('/lang en');
      // Mei used the bot in the group, so a file she sends privately may be for it.
      await say('shops', 'ou_member');
      fake.addFile({ messageId: 'om_p', fileKey: 'file_v3_p', name: 'orders.csv', bytes: Buffer.from(HAND_CSV), chatId: 'oc_dm' });
      await fake.deliverWs(fileEvent({ chatId: 'oc_dm', chatType: 'p2p', sender: 'ou_member', fileKey: 'file_v3_p', fileName: 'orders.csv', messageId: 'om_p' }));
      const question = shown(fake, await fake.waitForSent(1, 'oc_dm'));
      expect(question).toContain('orders.csv');
      expect(question).toContain('1. Shop A team');
      expect(question).toContain('0. ');
      const before = fake.sentTo('oc_shop').length;
      await fake.deliverWs(textEvent({ chatId: 'oc_dm', chatType: 'p2p', sender: 'ou_member', text: '1' }));
      await fake.waitForSent(before + 4, 'oc_shop');
      expect(fake.sentTo('oc_shop').slice(before).map((m) => shown(fake, m))[2]).toContain('✅ orders.csv: 13 orders (13 new)');
      // Nothing is waiting any more: a second answer says so.
      await fake.deliverWs(textEvent({ chatId: 'oc_dm', chatType: 'p2p', sender: 'ou_member', text: '1' }));
      expect(shown(fake, await fake.waitForSent(3, 'oc_dm'))).toContain('没有等待选择群的文件');

      // The owner adds Mei as an admin; the operator's admin needs no adding.
      expect(await say('/threshold 4', 'ou_member')).toEqual(['Sorry, only group admins can change this.']);
      expect(await say('admins add @Mei', 'ou_owner', 1, { mentions: [{ open_id: 'ou_member', name: 'Mei' }] })).toEqual(['Added as admins: Mei.']);
      expect((await say('/threshold 4', 'ou_member'))[0]).toContain('4.00%');
      expect((await say('/threshold 5', 'ou_operator'))[0]).toContain('5.00%');
      expect((await say('admins'))[0]).toContain('• Mei');
    });

    it('serves only the chats ALLOWED_CHATS lists for Feishu: others get one refusal in ten minutes, and nothing is stored', async () => {
      const { store } = await instance('a', {}, [], ['feishu:oc_shop', 'feishu:ou_friend', '-100123']);
      await fake.connected();
      // The listed group is served: its /shops answers (no orders yet).
      expect((await say('shops'))[0]).toContain('本群还没有订单数据');
      fake.setChat('oc_other', { owner: 'ou_owner' });
      await fake.deliverWs(textEvent({ chatId: 'oc_other', chatType: 'group', sender: 'ou_owner', text: 'rate' }));
      expect(shown(fake, await fake.waitForSent(1, 'oc_other'))).toBe('抱歉，此机器人只为运营者设置好的群服务。请联系机器人的运营者，把本聊天加入允许列表。');
      await fake.deliverWs(textEvent({ chatId: 'oc_other', chatType: 'group', sender: 'ou_owner', text: 'rate' }));
      // A private chat is served when its person is listed.
      await fake.deliverWs(textEvent({ chatId: 'oc_dm_friend', chatType: 'p2p', sender: 'ou_friend', text: 'help' }));
      await fake.waitForSent(1, 'oc_dm_friend');
      expect(fake.sentTo('oc_other')).toHaveLength(1);
      expect(await store.chats.find('feishu:oc_other')).toBeNull();
    });

    it('sends the daily summary once with two instances on one database, and pauses it when the bot is out of the group', async () => {
      const a = await instance('a');
      const b = await instance('b');
      await fake.connected();
      await say('/lang en');
      expect((await say('daily 21:00'))[0]).toContain('21:00');
      fake.addFile({ messageId: 'om_f', fileKey: 'file_v3_f', name: 'orders.csv', bytes: Buffer.from(HAND_CSV), chatId: 'oc_shop' });
      const before = fake.sentTo('oc_shop').length;
      await fake.deliverWs(fileEvent({ chatId: 'oc_shop', chatType: 'group', sender: 'ou_owner', fileKey: 'file_v3_f', fileName: 'orders.csv', messageId: 'om_f' }));
      await fake.waitForSent(before + 3, 'oc_shop');
      const summaries = [a, b].map(({ store, feishu }, i) => new DailySummaries({
        store, clock, logger, renderTrend, instance: `tick-${i}`, posters: { feishu: (chatId, summary) => feishu.postSummary(chatId, summary) },
      }));
      now = Date.UTC(2026, 10, 26, 13); // 21:00 in Shanghai
      const sentBefore = fake.sentTo('oc_shop').length;
      const results = await Promise.all(summaries.map((s) => s.tick()));
      expect(results.reduce((n, r) => n + r.sent, 0)).toBe(1);
      const summary = fake.sentTo('oc_shop').slice(sentBefore);
      expect(summary).toHaveLength(1);
      expect(shown(fake, summary[0] as SentMessage)).toContain('Daily summary for 2026-11-25');

      // Next day, the bot was removed: Feishu answers 230002 and the summary pauses.
      fake.removeBotFrom('oc_shop');
      now = Date.UTC(2026, 10, 27, 13);
      expect(await summaries[0]?.tick()).toMatchObject({ paused: 1 });
      expect(await a.store.schedules.active()).toEqual([]);
    });

    // Instances share a database on PostgreSQL; on SQLite one instance is expected, and a redelivery is caught in its memory.
    it.runIf(database.name === 'PostgreSQL')('answers an event redelivered to another instance once', async () => {
      const a = await instance('a', { events: 'http', encryptKey: null, verificationToken: 'vt_fake' });
      const b = await instance('b', { events: 'http', encryptKey: null, verificationToken: 'vt_fake' });
      const [toA, toB] = [await serve(a.feishu.httpRoute()), await serve(b.feishu.httpRoute())];
      const event = textEvent({ chatId: 'oc_shop', chatType: 'group', sender: 'ou_owner', text: 'shops', token: 'vt_fake', eventId: 'ev_twice' });
      await fake.postEvent(toA, event);
      await fake.postEvent(toB, event);
      await Promise.all([a.work.idle(), b.work.idle()]);
      expect(fake.sentTo('oc_shop')).toHaveLength(1);
    });

    it('over HTTP without an encrypt key: plain events, their verification token checked', async () => {
      const { feishu } = await instance('a', { events: 'http', encryptKey: null, verificationToken: 'vt_fake' });
      const events = await serve(feishu.httpRoute());
      expect((await fake.challenge(events, { verificationToken: 'vt_fake' })).status).toBe(200);
      expect((await fake.postEvent(events, textEvent({ chatId: 'oc_shop', chatType: 'group', sender: 'ou_owner', text: 'help', token: 'vt_fake' }))).status).toBe(200);
      expect(shown(fake, await fake.waitForSent(1, 'oc_shop'))).toContain('在群里 @ 我并加上命令');
      expect((await fake.postEvent(events, textEvent({ chatId: 'oc_shop', chatType: 'group', sender: 'ou_owner', text: 'help', token: 'someone else' }))).status).toBe(401);
    });

    it('over HTTP: the URL check, a signed and encrypted event, and a bad signature refused', async () => {
      const { feishu } = await instance('a', { events: 'http', encryptKey: 'test key', verificationToken: 'vt_fake' });
      const events = await serve(feishu.httpRoute());

      const check = await fake.challenge(events, { encryptKey: 'test key', verificationToken: 'vt_fake' });
      expect(check.status).toBe(200);
      expect(check.body).toEqual({ challenge: check.challenge });
      expect((await fake.challenge(events, { encryptKey: 'test key', verificationToken: 'wrong' })).status).toBe(401);

      const posted = await fake.postEvent(events, textEvent({ chatId: 'oc_shop', chatType: 'group', sender: 'ou_owner', text: '/help', token: 'vt_fake' }), { encryptKey: 'test key' });
      expect(posted.status).toBe(200);
      expect(shown(fake, await fake.waitForSent(1, 'oc_shop'))).toContain('在群里 @ 我并加上命令');

      const forged = await fake.postEvent(events, textEvent({ chatId: 'oc_shop', chatType: 'group', sender: 'ou_owner', text: '/help', token: 'vt_fake' }), { encryptKey: 'test key', signWith: 'another key' });
      expect(forged.status).toBe(401);
      const wrongToken = await fake.postEvent(events, textEvent({ chatId: 'oc_shop', chatType: 'group', sender: 'ou_owner', text: '/help', token: 'vt_other' }), { encryptKey: 'test key' });
      expect(wrongToken.status).toBe(401);
    });
  });
}
