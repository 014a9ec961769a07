import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';
import { localDay } from '../../src/core/metrics/days.js';
import { productLines, ProductRollup } from '../../src/core/metrics/products.js';
import { buildReport } from '../../src/core/metrics/report.js';
import { DailyTallies } from '../../src/core/metrics/tally.js';
import { resolveWindow } from '../../src/core/metrics/window.js';
import { strategyItems } from '../../src/core/render/strategies.js';
import { renderReport } from '../../src/core/render/text.js';
import { translator } from '../../src/i18n.js';
import { httpServer } from '../../src/server/http.js';
import { orderFromApi } from '../../src/tiktok/map-order.js';
import { apiOrders, FakeTikTok } from '../fakes/tiktok-api.js';
import { botHarness, texts, TOKEN, type Call } from '../support/bot-harness.js';
import { testDir } from '../support/temp-dirs.js';

const GROUP = -100321;
const admin = { id: 51, language_code: 'en' };
const member = { id: 52, language_code: 'en' };

describe('linking a TikTok shop', () => {
  let tiktok: FakeTikTok;
  let h: Awaited<ReturnType<typeof botHarness>>;

  beforeEach(async () => {
    tiktok = new FakeTikTok('app-key', 'app-secret');
    const base = await tiktok.listen();
    tiktok.orders = apiOrders(900, Math.floor(Date.now() / 1000));
    const config = readConfig({
      BOT_TOKEN: TOKEN.replace('TEST', 'TESTTESTTEST'), TIKTOK_APP_KEY: 'app-key', TIKTOK_APP_SECRET: 'app-secret', TIKTOK_SERVICE_ID: '7123',
      TIKTOK_API_BASE: base, TIKTOK_AUTH_BASE: base, TIKTOK_AUTHORIZE_URL: 'https://services.tiktokshop.com/open/authorize',
      PUBLIC_URL: 'https://bot.example', TOKEN_ENCRYPTION_KEY: 'cd'.repeat(32),
    });
    // The fake Partner API checks request times against the real clock, so this conversation runs on it; the orders are dated from it too.
    h = await botHarness({ tiktok: config, clock: () => Date.now() });
    h.makeAdmin(GROUP, admin.id);
  });
  afterEach(async () => {
    await h.close();
    await tiktok.close();
  });

  const to = (calls: Call[], chatId: number) => calls.filter((c) => Number(c.payload['chat_id']) === chatId);
  const keyboard = (call: Call | undefined) => (call?.payload['reply_markup'] as { inline_keyboard: Array<Array<{ text: string; url?: string; callback_data?: string }>> }).inline_keyboard.flat();

  it('/link → consent → callback → shop chosen → sync → /rate shows the core’s figures for the same orders', async () => {
    expect(texts(await h.text(GROUP, member, '/link'))).toEqual(['Sorry, only group admins can change this.']);
    const asked = await h.text(GROUP, admin, '/link');
    expect(texts(to(asked, GROUP))).toEqual(['I have sent you a private message with the authorization link.']);
    const dm = to(asked, admin.id)[0];
    const url = new URL(keyboard(dm)[0]?.url ?? '');
    expect(url.origin + url.pathname).toBe('https://services.tiktokshop.com/open/authorize');
    expect(url.searchParams.get('service_id')).toBe('7123');
    const state = url.searchParams.get('state') ?? '';

    // The seller consents; TikTok redirects to our callback page.
    const service = h.tiktok;
    if (!service?.callback) throw new Error('no callback');
    const server = httpServer({ tiktokCallback: service.callback });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const page = (code: string, s: string) => fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/tiktok/callback?code=${code}&state=${s}`);
    try {
      const before = h.calls.length;
      const ok = await page(tiktok.issueCode(), state);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('Authorized. Go back to Telegram');
      const offer = h.calls.slice(before).find((c) => c.method === 'sendMessage');
      expect(offer?.payload['chat_id']).toBe(String(admin.id));
      const [button] = keyboard(offer);
      expect(button?.text).toBe('Sunny Mugs US');

      // A replayed or forged state changes nothing.
      const replay = await page(tiktok.issueCode(), state);
      expect(replay.status).toBe(400);
      expect(await replay.text()).toContain('expired, already used');
      expect((await page(tiktok.issueCode(), 'forged-state')).status).toBe(400);
      expect(await h.store.shops.list(String(GROUP))).toEqual([]);

      // Someone else pressing the button links nothing; the admin's press links the shop to the group.
      expect(texts(await h.press(member.id, member, button?.callback_data ?? ''))).toEqual(['This authorization is expired, already used, or not yours. Use /link again in the group.']);
      const chosen = await h.press(admin.id, admin, button?.callback_data ?? '');
      expect(texts(to(chosen, GROUP))).toEqual(['🔗 Sunny Mugs US is now linked: /rate and the daily summary use its live orders.']);
      await service.idle();
    } finally {
      server.close();
    }

    const rate = texts(await h.text(GROUP, member, '/rate 30d'));
    const window = resolveWindow({ kind: 'last', days: 30 }, () => localDay(Date.now(), 'UTC'), null);
    const tallies = new DailyTallies();
    const since = Math.floor(Date.now() / 1000) - 30 * 86400;
    const mapped = tiktok.orders.filter((o) => o.update_time >= since).map((o) => orderFromApi(o, 'UTC'));
    const products = new ProductRollup();
    for (const o of mapped) {
      tallies.add(o);
      products.add(o);
    }
    const dataFrom = mapped.map((o) => o.createdAt?.slice(0, 10) ?? '').sort()[0] ?? null;
    const tr = translator('en');
    const core = buildReport({
      tallies, window, timeZone: 'UTC', dataFrom, strategies: (c, p) => strategyItems(tr, c, p),
      products: productLines(products.between(window.from, window.to)),
    });
    expect(core.orders).toBeGreaterThan(300);
    expect(rate).toEqual(renderReport(core, tr, { html: true }));

    const shops = texts(await h.text(GROUP, member, '/shops')).join('\n');
    expect(shops).toMatch(/• Sunny Mugs US \(linked\): \d+ orders, last sync \d{4}-\d\d-\d\d \d\d:\d\d UTC, access until/);
    expect(shops).not.toMatch(/at-|rt-/);

    // A second sync (the data is fresh) fetches nothing; /unlink removes the shop.
    const searches = tiktok.requests.filter((r) => r.path.endsWith('/search')).length;
    await h.text(GROUP, member, '/rate');
    expect(tiktok.requests.filter((r) => r.path.endsWith('/search')).length).toBe(searches);
    const confirm = await h.text(GROUP, admin, '/unlink Sunny Mugs US');
    const drop = keyboard(confirm.find((c) => c.method === 'sendMessage')).find((b) => b.callback_data?.endsWith(':drop'));
    expect(texts(await h.press(GROUP, admin, drop?.callback_data ?? ''))).toEqual(['Sunny Mugs US is unlinked.']);
    expect(await h.store.shops.list(String(GROUP))).toEqual([]);
  });

  it('an expired or used code gets a clear page and changes nothing', async () => {
    const asked = await h.text(GROUP, admin, '/link');
    const state = new URL(keyboard(to(asked, admin.id)[0])[0]?.url ?? '').searchParams.get('state') ?? '';
    const result = await h.tiktok?.callback?.('code-never-issued', state);
    expect(result).toEqual({ ok: false, lines: [translator('en').t('link-page-failed'), translator('zh').t('link-page-failed')] });
    expect(await h.store.shops.list(String(GROUP))).toEqual([]);
  });

  /** A harness of its own, on a database file the test names, with linking configured as `extra` says. */
  const harness = async (databaseUrl: string, extra: Record<string, string> = {}) => {
    await h.close();
    const base = tiktok.url();
    h = await botHarness({
      databaseUrl, clock: () => Date.now(),
      tiktok: readConfig({
        BOT_TOKEN: TOKEN.replace('TEST', 'TESTTESTTEST'), TIKTOK_APP_KEY: 'app-key', TIKTOK_APP_SECRET: 'app-secret', TIKTOK_SERVICE_ID: '7123',
        TIKTOK_API_BASE: base, TIKTOK_AUTH_BASE: base, PUBLIC_URL: 'https://bot.example', TOKEN_ENCRYPTION_KEY: 'cd'.repeat(32), ...extra,
      }),
    });
    h.makeAdmin(GROUP, admin.id);
    return h;
  };
  /** /link by the admin and the seller's consent: the shops offered to the admin, in private. */
  const consent = async () => {
    const asked = await h.text(GROUP, admin, '/link');
    const state = new URL(keyboard(to(asked, admin.id)[0])[0]?.url ?? '').searchParams.get('state') ?? '';
    const before = h.calls.length;
    expect(await h.tiktok?.callback?.(tiktok.issueCode(), state)).toMatchObject({ ok: true });
    return keyboard(h.calls.slice(before).find((c) => c.method === 'sendMessage'));
  };

  it('/rate does not wait past SYNC_WAIT_SECONDS for a shop TikTok holds: it answers from stored data and says so', async () => {
    await harness(`sqlite:${join(testDir('cancelwatch-link-'), 'bot.sqlite')}`, { SYNC_WAIT_SECONDS: '0' });
    // The first sync after linking hangs on TikTok.
    const held = tiktok.holdNextSearch();
    const [button] = await consent();
    await h.press(admin.id, admin, button?.callback_data ?? '');
    await held.arrived;
    expect(texts(await h.text(GROUP, member, '/rate'))).toEqual([
      'Sunny Mugs US is still being fetched for the first time; its orders will follow.',
      translator('en').t('bot-no-data'),
    ]);
    held.release();
    await h.tiktok?.idle();
  });

  it('/unlink leaves none of the shop’s tokens in the database file, nor in an authorization still open', async () => {
    const dir = testDir('cancelwatch-link-');
    const file = join(dir, 'bot.sqlite');
    await harness(`sqlite:${file}`);
    const [button] = await consent();
    await h.press(admin.id, admin, button?.callback_data ?? '');
    await h.tiktok?.idle();
    // A second authorization the admin never finished: the seller's tokens, sealed, wait in it.
    await consent();
    const shopId = await h.store.shops.byName(String(GROUP), 'Sunny Mugs US');
    const shop = await h.store.shops.find(shopId ?? 0);
    const sealed = [shop?.accessToken, shop?.refreshToken, ...(await h.store.linkStates.sealed()).map((s) => s.tokens)];
    expect(sealed.every((s) => typeof s === 'string' && s.length > 20)).toBe(true);
    expect(sealed).toHaveLength(3);

    const confirm = await h.text(GROUP, admin, '/unlink Sunny Mugs US');
    const keep = keyboard(confirm.find((c) => c.method === 'sendMessage')).find((b) => b.callback_data?.endsWith(':keep'));
    expect(texts(await h.press(GROUP, admin, keep?.callback_data ?? ''))).toEqual(['Sunny Mugs US is unlinked.']);
    expect(await h.store.linkStates.sealed()).toEqual([]);
    // Closed, the file is all there is (the log is folded back in and removed).
    await h.close();
    const bytes = readFileSync(file);
    expect(existsSync(`${file}-wal`)).toBe(false);
    for (const value of sealed) expect(bytes.includes(value ?? ''), 'a sealed token is still in the file').toBe(false);
    h = await botHarness();
  });

  it('without a public URL, the admin pastes the code in the private chat', async () => {
    await h.close();
    const base = tiktok.url();
    h = await botHarness({
      tiktok: readConfig({
        BOT_TOKEN: TOKEN.replace('TEST', 'TESTTESTTEST'), TIKTOK_APP_KEY: 'app-key', TIKTOK_APP_SECRET: 'app-secret', TIKTOK_SERVICE_ID: '7123',
        TIKTOK_API_BASE: base, TIKTOK_AUTH_BASE: base, TOKEN_ENCRYPTION_KEY: 'cd'.repeat(32),
      }),
      clock: () => Date.now(),
    });
    h.makeAdmin(GROUP, admin.id);
    const asked = await h.text(GROUP, admin, '/link');
    expect(String(to(asked, admin.id)[0]?.payload['text'])).toContain('send it here as: /code THE_CODE');
    expect(h.tiktok?.callback).toBeUndefined();
    expect(texts(await h.text(admin.id, admin, '/code wrong-code'))).toEqual(['TikTok did not accept the authorization code (it may be used, or older than 30 minutes). Use /link again.']);
    await h.text(GROUP, admin, '/link');
    const offer = (await h.text(admin.id, admin, `/code ${tiktok.issueCode()}`)).find((c) => c.method === 'sendMessage');
    expect(keyboard(offer).map((b) => b.text)).toEqual(['Sunny Mugs US']);
  });
});
