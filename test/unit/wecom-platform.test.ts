import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Conversation } from '../../src/conversation/conversation.js';
import { NO_PROXY, outbound, type ProxySettings } from '../../src/net/outbound.js';
import { Metrics } from '../../src/ops/metrics.js';
import { WorkTracker } from '../../src/ops/work.js';
import { Store } from '../../src/store/store.js';
import { importFile } from '../../src/use-cases/read-export.js';
import { Turns } from '../../src/use-cases/turns.js';
import { fileNameOf, fileOfRef, incomingOf } from '../../src/wecom/incoming.js';
import { fit } from '../../src/wecom/markdown.js';
import { WecomError, WecomPlatform, wecomError } from '../../src/wecom/wecom.js';
import { CountingProxy } from '../fakes/counting-proxy.js';
import { FakeWecomAibot, fileMessage, mixedMessage, textMessage } from '../fakes/wecom-aibot.js';
import { HAND_CSV } from '../fixtures/hand.js';
import { renderProducts, renderTrend } from '../support/charts.js';
import { sqliteFile } from '../support/databases.js';
import { testDir } from '../support/temp-dirs.js';

describe('a WeCom callback as the conversation sees it', () => {
  const group = { chatid: 'wrgroup', chattype: 'group' as const, from: 'zhangsan' };

  it('takes the chat from chatid in a group and from the sender in a single chat, and the req_id to answer by', () => {
    const inGroup = incomingOf(textMessage({ ...group, text: '@cancelwatch\u2005/rate 7d', msgid: 'm1', reqId: 'r1' }));
    expect(inGroup).toMatchObject({
      platform: 'wecom', deliveryId: 'm1', replyTo: 'r1', chat: { id: 'wrgroup', kind: 'group', title: null },
      sender: { id: 'zhangsan', name: null }, text: '/rate 7d', mentions: [], file: null,
    });
    const single = incomingOf(textMessage({ chattype: 'single', from: 'lisi', text: 'rate 7d' }));
    expect(single).toMatchObject({ chat: { id: 'lisi', kind: 'private' }, text: 'rate 7d' });
    // A group message without its chatid, or without a sender, cannot be answered.
    expect(incomingOf(textMessage({ chattype: 'group', from: 'lisi', text: 'rate' }))).toBeNull();
    expect(incomingOf({ headers: { req_id: 'r' }, body: { msgid: 'm', msgtype: 'text', text: { content: 'x' } } })).toBeNull();
  });

  it('names admins by typed userid only: a display name is nobody', () => {
    const of = (text: string) => incomingOf(textMessage({ ...group, text }))?.mentions.map((p) => p.id);
    expect(of('@cancelwatch admins add @wangwu zhao.liu @张三 @wangwu')).toEqual(['wangwu', 'zhao.liu']);
    expect(of('admins remove lisi')).toEqual(['lisi']);
    expect(of('@cancelwatch rate @wangwu')).toEqual([]);
  });

  it('joins a mixed message\'s words, ignores pictures and voice, and reads a file or a quoted one', () => {
    expect(incomingOf(mixedMessage({ ...group, items: [{ text: '@cancelwatch rate' }, { image: { url: 'http://x/p', aeskey: 'k' } }, { text: '7d' }] }))?.text).toBe('rate\n7d');
    expect(incomingOf({ headers: { req_id: 'r' }, body: { msgid: 'm', chattype: 'single', from: { userid: 'u' }, msgtype: 'image' } })).toBeNull();
    expect(incomingOf({ headers: { req_id: 'r' }, body: { msgid: 'm', chattype: 'single', from: { userid: 'u' }, msgtype: 'voice' } })).toBeNull();
    const file = incomingOf(fileMessage({ ...group, file: { url: 'https://cos.example/abc', aeskey: 'a2V5' } }))?.file;
    expect(file).toEqual({ ref: JSON.stringify({ url: 'https://cos.example/abc', aeskey: 'a2V5' }), name: 'orders.csv', size: null });
    expect(fileOfRef(file?.ref ?? '')).toEqual({ url: 'https://cos.example/abc', aeskey: 'a2V5' });
    const quoted = incomingOf(textMessage({ ...group, text: '@cancelwatch import', quote: { msgtype: 'file', file: { url: 'https://cos.example/q', aeskey: 'a2V5' } } }));
    expect(quoted?.file?.ref).toContain('https://cos.example/q');
    // Quoting a file while asking something else is that question.
    expect(incomingOf(textMessage({ ...group, text: 'rate 7d', quote: { msgtype: 'file', file: { url: 'https://cos.example/q' } } }))?.file).toBeNull();
  });

  it('names a file from the message where it says, else from its URL, else by a guess the bytes overrule', () => {
    expect(fileNameOf({ url: 'https://x/y', filename: '订单.xlsx' })).toBe('订单.xlsx');
    expect(fileNameOf({ url: 'https://x/exports/orders%202026.xlsx?sign=1' })).toBe('orders 2026.xlsx');
    expect(fileNameOf({ url: 'https://x/9f8e7d' })).toBe('orders.csv');
  });

  it('cuts markdown between lines to a byte limit, and reads WeCom\'s refusals', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `行 ${i} ${'数'.repeat(20)}`);
    const cut = fit({ lines, hint: 'cut' }, 1024);
    expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(1024);
    expect(cut.endsWith('…\ncut')).toBe(true);
    const refused = wecomError({ headers: { req_id: 'r' }, errcode: 93000, errmsg: 'removed' });
    expect(refused).toBeInstanceOf(WecomError);
    expect((refused as WecomError).gone).toBe(true);
    expect((wecomError({ errcode: 45009 }) as WecomError).rateLimited).toBe(true);
    expect((wecomError(new Error('Chunk 0 upload failed after 3 attempts: {"headers":{},"errcode":40009,"errmsg":"bad"}')) as WecomError).code).toBe(40009);
    const timeout = new Error('Reply ack timeout (5000ms) for reqId: r');
    expect(wecomError(timeout)).toBe(timeout);
  });
});

describe('the fake smart bot\'s upload, through the SDK', () => {
  it('takes a file in chunks of 512 KB and answers a media_id for the whole', async () => {
    const { WSClient } = await import('@wecom/aibot-node-sdk');
    const fake = await FakeWecomAibot.start();
    const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
    const client = new WSClient({ botId: fake.botId, secret: fake.botSecret, wsUrl: fake.wsUrl, logger: silent });
    try {
      const subscribed = new Promise<void>((resolve) => client.once('authenticated', () => resolve()));
      client.connect();
      await subscribed;
      const bytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(1_200_000)]);
      const { media_id: mediaId } = await client.uploadMedia(bytes, { type: 'image', filename: 'big.png' });
      expect(fake.media.get(mediaId)?.bytes.equals(bytes)).toBe(true);
      expect(fake.frames.filter((f) => f.cmd === 'aibot_upload_media_chunk')).toHaveLength(3);
      // A proactive picture to a chat, as the daily summary sends it.
      await client.sendMediaMessage('wrgroup', 'image', mediaId);
      expect(fake.sentTo('wrgroup').map(FakeWecomAibot.shown)).toEqual([`[picture ${mediaId}]`]);
    } finally {
      client.disconnect();
      await fake.close();
    }
  });
});

describe('the WeCom platform on its long connection', () => {
  const logger = pino({ level: 'silent' });
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function platform(fake: FakeWecomAibot, options: { secret?: string; proxies?: ProxySettings; fetch?: typeof globalThis.fetch; log?: pino.Logger } = {}) {
    const dir = testDir('cancelwatch-wecom-');
    const store = await Store.open(await sqliteFile.fresh());
    const metrics = new Metrics();
    const work = new WorkTracker();
    const log = options.log ?? logger;
    const conversation = new Conversation({ store, logger: log, clock: () => Date.UTC(2026, 10, 26, 12), importFile, turns: new Turns(1), renderTrend, renderProducts, tempDir: dir, metrics });
    const wecom = new WecomPlatform({ botId: fake.botId, botSecret: options.secret ?? fake.botSecret, wsUrl: fake.wsUrl }, {
      conversation, store, logger: log, metrics, work, clock: () => Date.now(), tempDir: dir, fetch: options.fetch ?? globalThis.fetch,
      proxies: options.proxies ?? NO_PROXY, maxUploadMb: 20, queueLimits: { perChat: 5, total: 50 },
    });
    cleanup.push(async () => {
      await wecom.stop();
      await work.idle();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });
    return wecom;
  }

  it('goes on at once when WeCom refuses the bot id or secret, and says so', async () => {
    const fake = await FakeWecomAibot.start();
    cleanup.push(() => fake.close());
    const lines: Array<{ event?: string; level: number }> = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as { event?: string; level: number }) });
    const wecom = await platform(fake, { secret: 'wrong-secret', log });
    await wecom.start();
    expect(lines.find((l) => l.event === 'wecom_refused')?.level).toBe(50);
    expect(fake.connections).toBe(0);
  });

  it('subscribes again after the connection drops, and answers what comes then', async () => {
    const fake = await FakeWecomAibot.start();
    cleanup.push(() => fake.close());
    const wecom = await platform(fake);
    await wecom.start();
    fake.dropConnections();
    await fake.waitForClosed(1);
    // Delivery waits for the SDK's next subscription (its back-off starts at one second).
    await fake.deliver(textMessage({ chatid: 'wrgroup', chattype: 'group', from: 'zhangsan', text: '@cancelwatch lang en' }));
    expect(FakeWecomAibot.shown(await fake.waitForSent(1, 'wrgroup'))).toBe('Language set to English.');
    expect(fake.frames.filter((f) => f.cmd === 'aibot_subscribe')).toHaveLength(2);
  });

  it('opens the long connection and fetches files through the proxy', async () => {
    const fake = await FakeWecomAibot.start();
    cleanup.push(() => fake.close());
    const proxy = new CountingProxy();
    const proxyUrl = await proxy.listen();
    cleanup.push(() => proxy.close());
    const proxies: ProxySettings = { http: proxyUrl, https: proxyUrl, noProxy: '' };
    const net = outbound(proxies);
    cleanup.push(() => net.close());
    const wecom = await platform(fake, { proxies, fetch: net.fetch });
    await wecom.start();
    const host = new URL(fake.httpUrl).host;
    expect(proxy.connects).toEqual([host]);
    await fake.deliver(fileMessage({ chatid: 'wrgroup', chattype: 'group', from: 'zhangsan', file: fake.addFile(Buffer.from(HAND_CSV)) }));
    expect(FakeWecomAibot.shown(await fake.waitForSent(2, 'wrgroup'))).toContain('✅ orders.csv：13 个订单（新增 13 个）');
    expect(proxy.connects).toEqual([host, host]);
  });
});
