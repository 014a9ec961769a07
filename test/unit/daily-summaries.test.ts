import { autoRetry } from '@grammyjs/auto-retry';
import { Api } from 'grammy';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Metrics } from '../../src/ops/metrics.js';
import { DailySummaries } from '../../src/schedule/daily-summaries.js';
import { Store } from '../../src/store/store.js';
import { FakeTelegram, type RecordedCall } from '../fakes/telegram-api.js';
import { renderTrend } from '../support/charts.js';
import { TEST_DATABASES } from '../support/databases.js';
import { ordersOver, seed } from '../support/orders.js';

const TOKEN = '4242:SUMMARY-token-abcdefghijklmnopqrstuvw';
const at = (iso: string) => Date.parse(iso);
const sends = (api: FakeTelegram, chatId?: string) =>
  api.calls.filter((c) => (c.method === 'sendPhoto' || c.method === 'sendMessage') && c.status === 200 && (chatId === undefined || String(c.params['chat_id']) === chatId));
const textOf = (c: RecordedCall | undefined) => String(c?.params['caption'] ?? c?.params['text'] ?? '');

for (const database of TEST_DATABASES) {
  describe(`daily summaries on ${database.name}`, () => {
    let api: FakeTelegram;
    let url: string;
    let store: Store;
    let now: number;
    const stores: Store[] = [];

    beforeEach(async () => {
      api = new FakeTelegram(TOKEN);
      url = await database.fresh();
      now = at('2026-11-26T00:00:00Z');
      // Uploads are stamped by the test's clock too: how old the last one is must not depend on today's date.
      store = await Store.open(url, () => now);
      stores.push(store);
    });
    afterEach(async () => {
      await api.close();
      await Promise.all(stores.splice(0).map((s) => s.close()));
    });

    /** One bot instance's summaries, with its own database connection and name. */
    async function instance(name: string, options: { transform?: Parameters<Api['config']['use']>[0]; metrics?: Metrics } = {}) {
      const own = await Store.open(url);
      stores.push(own);
      const client = new Api(TOKEN, { apiRoot: await rootOf() });
      client.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 5 }));
      if (options.transform) client.config.use(options.transform);
      return new DailySummaries({
        store: own, api: client, clock: () => now, logger: pino({ level: 'silent' }),
        renderTrend, instance: name, ...(options.metrics ? { metrics: options.metrics } : {}),
      });
    }
    let root: string | null = null;
    const rootOf = async () => (root ??= await api.listen());
    beforeEach(() => { root = null; });

    async function chatWithData(id: string, options: { time?: string; timeZone?: string; locale?: 'en' | 'zh'; cancelEvery?: number } = {}) {
      await store.chats.ensure(id, { locale: options.locale ?? 'en', timeZone: options.timeZone ?? 'Asia/Shanghai', threshold: 0.025 });
      await store.chats.setDaily(id, options.time ?? '09:00');
      await seed(store, id, ordersOver('2026-11-15', 12, 10, options.cancelEvery ?? 5, `c${id}`));
    }

    it('sends at the local time, once, with yesterday’s figures and the 7-day picture', async () => {
      await chatWithData('-1');
      const bot = await instance('a');
      now = at('2026-11-26T00:59:00Z'); // 08:59 in Shanghai
      expect((await bot.tick()).due).toBe(0);
      now = at('2026-11-26T01:00:00Z');
      expect(await bot.tick()).toMatchObject({ due: 1, sent: 1 });
      const [photo] = sends(api, '-1');
      expect(photo?.method).toBe('sendPhoto');
      expect(Object.values(photo?.files ?? {})[0]?.bytes.subarray(1, 4).toString()).toBe('PNG');
      const text = textOf(photo);
      expect(text).toContain('Daily summary for 2026-11-25');
      expect(text).toContain('10 paid orders, 2 cancelled · cancel rate 20.00% · SFCR 20.00%');
      expect(text).toContain('🚨 Seller-fault rate 20.00% has reached 10.00%');
      expect(text).toContain('Against the 7 days before: cancel rate 20.00% vs 20.00% (+0.00 pts)');
      expect(text).toContain('• Out of stock: 2 (100.00%)');
      expect(text).toContain('→ Sync stock with your warehouse');
      expect(text).toContain('Figures are provisional');
      expect(text).toContain('Newest order seen: 2026-11-26 12:00');
      now = at('2026-11-26T05:00:00Z');
      expect((await bot.tick()).due).toBe(0);
      expect(sends(api)).toHaveLength(1);
    });

    it('above the line, names the product behind yesterday’s seller-fault cancels, in both languages', async () => {
      const withLines = (prefix: string) => ordersOver('2026-11-19', 7, 10, 5, prefix).map((o) => ({
        ...o, lines: [{ skuId: '1730000000000000001', sellerSku: 'RED-L', product: 'Kaos Polos 👕', variation: 'Red, L', quantity: 1, cancelled: o.cancelled }],
      }));
      for (const [id, locale] of [['-1', 'en'], ['-2', 'zh']] as const) {
        await store.chats.ensure(id, { locale, timeZone: 'Asia/Shanghai', threshold: 0.025 });
        await store.chats.setDaily(id, '09:00');
        await seed(store, id, withLines(`p${id}`));
      }
      const bot = await instance('a');
      now = at('2026-11-26T01:00:00Z');
      expect(await bot.tick()).toMatchObject({ sent: 2 });
      const en = textOf(sends(api, '-1')[0]);
      expect(en).toContain('Driven by Kaos Polos 👕 · Red, L: 2 of 2 seller-fault cancels (Out of stock).');
      expect(en).toContain('→ RED-L: 2 of 2 seller-fault cancels were out of stock. Set it sold out or raise its safety stock.');
      const zh = textOf(sends(api, '-2')[0]);
      expect(zh).toContain('主要来自 Kaos Polos 👕 · Red, L：卖家责任取消 2 单中占 2 单（缺货）。');
    });

    it('within the line, names no product', async () => {
      await store.chats.ensure('-1', { locale: 'en', timeZone: 'Asia/Shanghai', threshold: 0.5 });
      await store.chats.setDaily('-1', '09:00');
      await seed(store, '-1', ordersOver('2026-11-19', 7, 10, 5, 'q').map((o) => ({
        ...o, lines: [{ skuId: null, sellerSku: 'RED-L', product: 'Kaos Polos', variation: null, quantity: 1, cancelled: o.cancelled }],
      })));
      const bot = await instance('a');
      now = at('2026-11-26T01:00:00Z');
      await bot.tick();
      expect(textOf(sends(api, '-1')[0])).not.toContain('Driven by');
    });

    it('a bot that was down at send time catches up the same local day, never the day after', async () => {
      await chatWithData('-1');
      await chatWithData('-2', { time: '23:30' });
      const bot = await instance('a');
      now = at('2026-11-26T07:00:00Z'); // 15:00 local: -1 is late and goes now
      expect(await bot.tick()).toMatchObject({ due: 1, sent: 1 });
      now = at('2026-11-27T00:00:00Z'); // 08:00 the next day: -2's 23:30 of yesterday is gone, -1 not yet due
      expect(await bot.tick()).toMatchObject({ due: 0 });
      expect(sends(api, '-2')).toHaveLength(0);
    });

    it('two instances on one database never post twice', async () => {
      for (let i = 1; i <= 30; i++) await chatWithData(`-${i}`);
      const [a, b] = [await instance('a'), await instance('b')];
      now = at('2026-11-26T01:05:00Z');
      const [ra, rb] = await Promise.all([a.tick(), b.tick()]);
      expect(ra.sent + rb.sent).toBe(30);
      for (let i = 1; i <= 30; i++) expect(sends(api, `-${i}`)).toHaveLength(1);
    });

    it('a kill during a run loses nothing and doubles nothing after the restart', async () => {
      for (let i = 1; i <= 12; i++) await chatWithData(`-${i}`);
      let delivered = 0;
      let died = () => undefined as void;
      const dead = new Promise<void>((resolve) => { died = resolve; });
      // After five summaries the process "dies" as it starts the sixth: that request never returns.
      const dying = await instance('dying', {
        transform: (prev, method, payload, signal) => {
          if (method !== 'sendPhoto' || ++delivered <= 5) return prev(method, payload, signal);
          died();
          return new Promise(() => undefined);
        },
      });
      now = at('2026-11-26T01:00:00Z');
      void dying.tick();
      await dead;
      expect(sends(api)).toHaveLength(5);
      const restarted = await instance('restarted');
      now = at('2026-11-26T01:01:00Z'); // restarted a minute later: the dead instance's claims still hold
      const first = await restarted.tick();
      expect(first).toMatchObject({ due: 7, sent: 0 });
      now = at('2026-11-26T01:15:00Z'); // past the lease: abandoned claims are taken over
      const second = await restarted.tick();
      expect(first.sent + second.sent).toBe(7);
      for (let i = 1; i <= 12; i++) expect(sends(api, `-${i}`)).toHaveLength(1);
    });

    it('follows daylight-saving changes, west and east of UTC', async () => {
      await chatWithData('-1', { time: '02:30', timeZone: 'America/New_York' });
      await chatWithData('-2', { time: '01:30', timeZone: 'America/New_York' });
      await chatWithData('-3', { time: '02:30', timeZone: 'Australia/Sydney' });
      const bot = await instance('a');
      // 2026-03-08: New York skips from 02:00 to 03:00; a 02:30 summary goes at 03:00.
      now = at('2026-03-08T06:59:00Z');
      await bot.tick();
      expect(sends(api, '-1')).toHaveLength(0);
      now = at('2026-03-08T07:00:00Z');
      await bot.tick();
      expect(textOf(sends(api, '-1')[0])).toContain('2026-03-07');
      // 2026-11-01: 01:30 happens twice in New York; the summary goes once.
      now = at('2026-11-01T05:30:00Z');
      await bot.tick();
      now = at('2026-11-01T06:30:00Z');
      await bot.tick();
      expect(sends(api, '-2').filter((c) => textOf(c).includes('2026-10-31'))).toHaveLength(1);
      // 2026-10-04: Sydney skips from 02:00 to 03:00 (UTC+10 → +11).
      now = at('2026-10-03T15:59:00Z');
      await bot.tick();
      expect(sends(api, '-3').filter((c) => textOf(c).includes('2026-10-03'))).toHaveLength(0);
      now = at('2026-10-03T16:00:00Z');
      await bot.tick();
      expect(sends(api, '-3').filter((c) => textOf(c).includes('2026-10-03'))).toHaveLength(1);
    });

    it('pauses a chat that blocked the bot, keeps going with the others', async () => {
      await chatWithData('-1');
      await chatWithData('-2');
      await chatWithData('-3');
      api.failNext('sendPhoto', { error_code: 403, description: 'Forbidden: bot was kicked from the supergroup chat' });
      const metrics = new Metrics();
      const bot = await instance('a', { metrics });
      now = at('2026-11-26T01:00:00Z');
      const result = await bot.tick();
      expect(result).toMatchObject({ due: 3, sent: 2, paused: 1 });
      const counted = await metrics.text();
      expect(counted).toMatch(/^cancelwatch_summaries_total\{result="sent"\} 2$/m);
      expect(counted).toMatch(/^cancelwatch_summaries_total\{result="paused"\} 1$/m);
      const paused = ['-1', '-2', '-3'].filter((id) => sends(api, id).length === 0);
      expect(paused).toHaveLength(1);
      expect((await store.chats.dailyTime(paused[0] ?? '')).paused).toBe(true);
      now = at('2026-11-27T01:00:00Z');
      expect(await bot.tick()).toMatchObject({ due: 2, sent: 2 });
      await store.chats.setPaused(paused[0] ?? '', false); // the bot was added back
      now = at('2026-11-28T01:00:00Z');
      expect(await bot.tick()).toMatchObject({ due: 3, sent: 3 });
    });

    it('retries a 429 and does not stop for one chat’s error', async () => {
      await chatWithData('-1');
      await chatWithData('-2');
      api.failNext('sendPhoto', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } },
        { error_code: 400, description: 'Bad Request: something odd' });
      const bot = await instance('a');
      now = at('2026-11-26T01:00:00Z');
      expect(await bot.tick()).toMatchObject({ due: 2, sent: 1, failed: 1 });
      now = at('2026-11-26T01:01:00Z');
      expect((await bot.tick()).due).toBe(0); // a 4xx is not retried every minute
    });

    it('one line per shop and a total; a reminder for a chat without data; Chinese for Chinese chats', async () => {
      await chatWithData('-1', { locale: 'zh' });
      await seed(store, '-1', ordersOver('2026-11-25', 1, 4, 2, 'th'), 'TH');
      await store.chats.ensure('-2', { locale: 'en', timeZone: 'Asia/Shanghai', threshold: 0.025 });
      await store.chats.setDaily('-2', '09:00');
      const bot = await instance('a');
      now = at('2026-11-26T01:00:00Z');
      await bot.tick();
      const zh = textOf(sends(api, '-1')[0]);
      expect(zh).toContain('2026-11-25 每日摘要');
      expect(zh).toContain('已付款订单 14，已取消 4');
      expect(zh).toContain('• TH：已付款订单 4，已取消 2');
      expect(zh).toContain('• main：已付款订单 10，已取消 2');
      expect(sends(api, '-2').map(textOf)).toEqual(['No orders yet for a daily summary: send an "All orders" export (CSV or XLSX) with /import as the caption.']);
    });

    it('says what the day’s data lacks or holds that no table knows', async () => {
      await store.chats.ensure('-1', { locale: 'en', timeZone: 'Asia/Shanghai', threshold: 0.025 });
      await store.chats.setDaily('-1', '09:00');
      const orders = ordersOver('2026-11-25', 1, 10, 5).map((o, i) => ({ ...o, gaps: ['Paid Time' as const], unrecognised: i === 0 ? { 'Order Status': 'Afgerond' } : {} }));
      await seed(store, '-1', orders);
      const bot = await instance('a');
      now = at('2026-11-26T01:00:00Z');
      await bot.tick();
      const text = textOf(sends(api, '-1')[0]);
      expect(text).toContain('⚠️ No Paid Time column: every order counts as placed except unpaid ones.');
      expect(text).toContain('⚠️ Unrecognised Order Status values: Afgerond ×1; cancelled or unpaid orders may be miscounted.');
    });

    it('nudges upload-only chats whose last upload is over a day old', async () => {
      await chatWithData('-1', { cancelEvery: 100 });
      const bot = await instance('a');
      now = at('2026-11-29T01:00:00Z');
      await bot.tick();
      const text = textOf(sends(api, '-1')[0]);
      expect(text).toContain('No paid orders that day.');
      expect(text).toMatch(/The last upload was \d+ days ago/);
    });
  });
}
