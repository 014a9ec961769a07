import { readFileSync } from 'node:fs';
import { Api, InputFile } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadFile } from '../../src/bot/download.js';
import { outbound, proxiesFromEnv, type Outbound } from '../../src/net/outbound.js';
import { TikTokClient } from '../../src/tiktok/client.js';
import { CountingProxy } from '../fakes/counting-proxy.js';
import { FakeTelegram } from '../fakes/telegram-api.js';
import { FakeTikTok } from '../fakes/tiktok-api.js';
import { testDir } from '../support/temp-dirs.js';

const TOKEN = '4242:PROXY-token-abcdefghijklmnopqrstuvwxyz';

/**
 * Every outbound call goes through the one fetch of src/net/outbound.ts: the Bot API (JSON and
 * multipart), file downloads and the TikTok Partner API all pass the proxy the environment
 * names, and the hosts NO_PROXY names do not.
 */
describe('outbound calls and proxies', () => {
  let proxy: CountingProxy;
  let proxyUrl: string;
  let telegram: FakeTelegram;
  let telegramRoot: string;
  let tiktok: FakeTikTok;
  let tiktokBase: string;
  let net: Outbound | null = null;

  beforeEach(async () => {
    proxy = new CountingProxy();
    proxyUrl = await proxy.listen();
    telegram = new FakeTelegram(TOKEN);
    telegramRoot = await telegram.listen();
    tiktok = new FakeTikTok('app-key', 'app-secret');
    tiktokBase = await tiktok.listen();
  });
  afterEach(async () => {
    await net?.close();
    await Promise.all([proxy.close(), telegram.close(), tiktok.close()]);
  });

  const hostOf = (url: string) => new URL(url).host;
  const tiktokClient = (n: Outbound) => new TikTokClient({ appKey: 'app-key', appSecret: 'app-secret', apiBase: tiktokBase, authBase: tiktokBase }, { now: () => Date.now() / 1000, fetch: n.fetch });

  it('sends the Bot API, a file download and the Partner API through http_proxy (lower case)', async () => {
    net = outbound(proxiesFromEnv({ http_proxy: proxyUrl }));
    const api = new Api(TOKEN, { apiRoot: telegramRoot, fetch: net.fetch as never });
    expect((await api.getMe()).username).toBe('cancelwatch_bot');
    await api.sendPhoto(5, new InputFile(Buffer.from('picture'), 'p.png'), { caption: 'trend' });
    const photo = await telegram.waitForCall((c) => c.method === 'sendPhoto');
    expect(Object.values(photo.files)[0]?.bytes.toString()).toBe('picture');

    const file = telegram.storeFile('orders.csv', Buffer.from('a,b\n1,2\n'));
    const saved = await downloadFile(api, { apiRoot: telegramRoot, token: TOKEN, fetch: net.fetch }, file.file_id, testDir('cw-dl-'), 1024);
    expect(readFileSync(saved.path, 'utf8')).toBe('a,b\n1,2\n');

    await tiktokClient(net).getAccessToken(tiktok.issueCode());
    // Tunnelled with CONNECT: the proxy never sees a path (the Bot API's carry the token).
    expect(proxy.connects.filter((t) => t === hostOf(telegramRoot)).length).toBeGreaterThanOrEqual(1);
    expect(proxy.connects).toContain(hostOf(tiktokBase));
    expect(proxy.forwards).toEqual([]);
  });

  it('reaches the hosts NO_PROXY names directly, and the others through HTTP_PROXY (upper case)', async () => {
    net = outbound(proxiesFromEnv({ HTTP_PROXY: proxyUrl, NO_PROXY: `localhost,${hostOf(tiktokBase)}` }));
    const api = new Api(TOKEN, { apiRoot: telegramRoot, fetch: net.fetch as never });
    await api.getMe();
    await tiktokClient(net).getAccessToken(tiktok.issueCode());
    expect(tiktok.requests.length).toBe(1);
    expect(proxy.targets()).toContain(hostOf(telegramRoot));
    expect(proxy.targets()).not.toContain(hostOf(tiktokBase));
  });

  it('uses ALL_PROXY when no scheme has its own, and connects directly with no proxy set', async () => {
    net = outbound(proxiesFromEnv({ ALL_PROXY: proxyUrl }));
    await new Api(TOKEN, { apiRoot: telegramRoot, fetch: net.fetch as never }).getMe();
    expect(proxy.targets()).toEqual([hostOf(telegramRoot)]);
    await net.close();

    net = outbound(proxiesFromEnv({}));
    await new Api(TOKEN, { apiRoot: telegramRoot, fetch: net.fetch as never }).getMe();
    expect(proxy.targets()).toEqual([hostOf(telegramRoot)]);
  });

  it('does not send http traffic to the https proxy, as curl does not', async () => {
    net = outbound(proxiesFromEnv({ HTTPS_PROXY: proxyUrl }));
    await new Api(TOKEN, { apiRoot: telegramRoot, fetch: net.fetch as never }).getMe();
    expect(proxy.targets()).toEqual([]);
  });
});
