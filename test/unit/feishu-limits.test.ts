import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Conversation } from '../../src/conversation/conversation.js';
import { FeishuApi, FeishuError } from '../../src/feishu/api.js';
import { FeishuPlatform } from '../../src/feishu/feishu.js';
import { NO_PROXY, outbound, type ProxySettings } from '../../src/net/outbound.js';
import { Metrics } from '../../src/ops/metrics.js';
import { WorkTracker } from '../../src/ops/work.js';
import { Store } from '../../src/store/store.js';
import { daySummary } from '../../src/use-cases/day-summary.js';
import { importFile } from '../../src/use-cases/read-export.js';
import { Turns } from '../../src/use-cases/turns.js';
import { CountingProxy } from '../fakes/counting-proxy.js';
import { FakeFeishuOpen, textEvent } from '../fakes/feishu-open.js';
import { renderProducts, renderTrend } from '../support/charts.js';
import { testDir } from '../support/temp-dirs.js';

const logger = pino({ level: 'silent' });
const NOW = Date.UTC(2026, 10, 26, 12);

describe('Feishu limits and failures', () => {
  let fake: FakeFeishuOpen;
  let dir: string;
  const closing: Array<() => Promise<void>> = [];

  beforeEach(async () => {
    fake = await FakeFeishuOpen.start();
    fake.setChat('oc_g', { owner: 'ou_owner' });
    dir = testDir('cancelwatch-feishu-limits-');
  });
  afterEach(async () => {
    for (const close of closing.splice(0).reverse()) await close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const apiFor = (metrics = new Metrics(), fetch: typeof globalThis.fetch = globalThis.fetch) =>
    new FeishuApi({ appId: fake.appId, appSecret: fake.appSecret, baseUrl: fake.url, fetch, clock: () => NOW, metrics });

  async function platform(proxies: ProxySettings = NO_PROXY, fetch: typeof globalThis.fetch = globalThis.fetch) {
    const store = await Store.open(`sqlite:${join(dir, 'bot.sqlite')}`, () => NOW);
    const metrics = new Metrics();
    const work = new WorkTracker();
    const conversation = new Conversation({ store, logger, clock: () => NOW, importFile, turns: new Turns(1), renderTrend, renderProducts, tempDir: dir, metrics });
    const feishu = new FeishuPlatform({ appId: fake.appId, appSecret: fake.appSecret, baseUrl: fake.url, events: 'ws', encryptKey: null, verificationToken: null },
      { conversation, store, logger, metrics, work, clock: () => NOW, tempDir: dir, fetch, proxies, maxUploadMb: 20, queueLimits: { perChat: 5, total: 300 } });
    closing.push(async () => {
      await feishu.stop();
      await work.idle();
      await store.close();
    });
    return { feishu, store };
  }

  it('keeps a group to 5 sends a second, so a burst of answers is never refused', async () => {
    const api = apiFor();
    await Promise.all(Array.from({ length: 8 }, (_, i) => api.send('oc_g', 'text', { text: `answer ${i}` })));
    expect(fake.sentTo('oc_g')).toHaveLength(8);
    expect(fake.calls.filter((c) => c.code === 230020)).toEqual([]);
    const times = fake.sentTo('oc_g').map((m) => m.at);
    expect(times[5]! - times[0]!).toBeGreaterThanOrEqual(900);
  });

  it('waits out a short gateway limit (429, x-ogw-ratelimit-reset) once, and counts it; a long one fails the send as rate-limited', async () => {
    const metrics = new Metrics();
    const api = apiFor(metrics);
    fake.gatewayLimit(1);
    await api.send('oc_g', 'text', { text: 'after a second' });
    expect(fake.sentTo('oc_g')).toHaveLength(1);
    expect(await metrics.text()).toMatch(/cancelwatch_rate_limited_total\{api="feishu"\} 1/);

    fake.gatewayLimit(3600);
    const refused = await api.send('oc_g', 'text', { text: 'an hour later' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(FeishuError);
    expect(refused).toMatchObject({ status: 429, rateLimited: true, retryAfterSeconds: 3600 });
  });

  it('renews a token Feishu no longer takes, once', async () => {
    const api = apiFor();
    await api.send('oc_g', 'text', { text: 'first' });
    fake.expireTokens();
    await api.send('oc_g', 'text', { text: 'second' });
    expect(fake.sentTo('oc_g').map((m) => (m.content as { text: string }).text)).toEqual(['first', 'second']);
    expect(fake.calls.filter((c) => c.path.endsWith('/tenant_access_token/internal'))).toHaveLength(2);
  });

  it('a daily summary: sent; paused when the bot is out of the group (230002); retried after a long rate limit', async () => {
    const { feishu, store } = await platform();
    await feishu.start();
    await store.chats.ensure('feishu:oc_g', { locale: 'en', timeZone: 'Asia/Shanghai', threshold: 0.025 });
    const built = await daySummary({ store, renderTrend }, 'feishu:oc_g', '2026-11-26', NOW, { picture: true });
    if (!built) throw new Error('no summary');
    expect(await feishu.postSummary('oc_g', built)).toEqual({ outcome: 'sent' });
    fake.gatewayLimit(3600);
    expect(await feishu.postSummary('oc_g', built)).toMatchObject({ outcome: 'retry' });
    fake.removeBotFrom('oc_g');
    expect(await feishu.postSummary('oc_g', built)).toMatchObject({ outcome: 'gone', code: 230002 });
  });

  it('goes through the operator\'s proxy: the open API calls and the long connection', async () => {
    const proxy = new CountingProxy();
    const proxyUrl = await proxy.listen();
    closing.push(() => proxy.close());
    const proxies: ProxySettings = { http: proxyUrl, https: proxyUrl, noProxy: '' };
    const net = outbound(proxies);
    closing.push(() => net.close());
    const { feishu } = await platform(proxies, net.fetch);
    await feishu.start();
    await fake.connected();
    await fake.deliverWs(textEvent({ chatId: 'oc_g', chatType: 'group', sender: 'ou_owner', text: 'help' }));
    await fake.waitForSent(1, 'oc_g');
    const host = new URL(fake.url).host;
    // The open API through undici's tunnels, the long connection through the proxy agent's CONNECT.
    expect(proxy.targets().filter((t) => t === host).length).toBeGreaterThanOrEqual(2);
  });
});
