import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/core/render/text.js';
import { translator } from '../../src/i18n.js';
import { exportCsv } from '../fixtures/generate.js';
import { HAND_CSV } from '../fixtures/hand.js';
import { say, sendFile } from '../fakes/people.js';
import { FakeTelegram, type RecordedCall } from '../fakes/telegram-api.js';
import { BotProcess } from '../fakes/bot-process.js';
import { sqliteFile } from '../support/databases.js';
import { report } from '../support/report.js';
import { freePort } from '../support/ports.js';

const TOKEN = '4242:E2E-secret-token-abcdefghijklmnopqrstu';
const GROUP = { id: -100777, title: 'Sellers' };
const admin = { id: 11, name: 'Ana', language_code: 'en' };
const member = { id: 12, name: 'Bo', language_code: 'en' };

/**
 * The built bot as a separate process against the fake Bot API over HTTP: uploads go through
 * getFile and the file route, replies through real requests, restarts through SIGTERM.
 */
describe('the bot over HTTP', () => {
  let api: FakeTelegram;
  let bot: BotProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    api = new FakeTelegram(TOKEN);
    const root = await api.listen();
    api.setMember(GROUP.id, admin.id, 'administrator');
    env = { BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: root, DATABASE_URL: await sqliteFile.fresh() };
    bot = new BotProcess(env);
    await bot.start();
  });
  afterAll(async () => {
    await bot.stop();
    await api.close();
  });

  /** Everything the bot sent to a chat after call number `from`, once `until` has arrived. */
  async function conversation(from: number, until: (c: RecordedCall) => boolean): Promise<RecordedCall[]> {
    await api.waitForCall(until, 20_000, from);
    return api.calls.slice(from).filter((c) => Number(c.params['chat_id']) === GROUP.id);
  }
  const textsOf = (calls: RecordedCall[]) => calls.filter((c) => c.method === 'sendMessage').map((c) => String(c.params['text']));

  it('sets its command menus in English and Chinese at start', () => {
    const menus = api.calls.filter((c) => c.method === 'setMyCommands');
    expect(menus.map((m) => [(m.params['scope'] as { type: string }).type, m.params['language_code'] ?? 'default'])).toEqual([
      ['all_private_chats', 'default'], ['all_private_chats', 'zh'], ['all_group_chats', 'default'], ['all_group_chats', 'zh'],
    ]);
  });

  it('a group upload is imported, and /rate gives the core’s numbers for the same file', async () => {
    const from = api.calls.length;
    sendFile(api, GROUP, member, 'OrderSKUList.csv', Buffer.from(HAND_CSV), { caption: '/import' });
    const calls = await conversation(from, (c) => c.method === 'sendPhoto');
    expect(textsOf(calls)[1]).toContain('✅ OrderSKUList.csv: 13 orders (13 new), 2026-10-28 – 2026-11-07.');
    expect(api.calls.slice(from).some((c) => c.method === 'getFile')).toBe(true);
    const photo = calls.find((c) => c.method === 'sendPhoto');
    const png = Object.values(photo?.files ?? {})[0]?.bytes;
    expect(png?.subarray(1, 4).toString('latin1')).toBe('PNG');

    const rateFrom = api.calls.length;
    say(api, GROUP, member, '/rate 2026-11-01..2026-11-07');
    const rate = textsOf(await conversation(rateFrom, (c) => c.method === 'sendPhoto'));
    const expected = renderReport(
      await report({ name: 'OrderSKUList.csv', data: HAND_CSV }, { window: { kind: 'range', from: '2026-11-01', to: '2026-11-07' }, timeZone: 'UTC' }),
      translator('en'), { html: true },
    ).map((m) => m.replace(/\n\nRows skipped[\s\S]*?(?=\n\n)/, ''));
    expect(rate).toEqual(expected);
  });

  it('re-uploading the same file does not change the numbers', async () => {
    // A fixed range: the fixture's days stay where they are whatever today is.
    const before = api.calls.length;
    say(api, GROUP, member, '/rate 2026-10-28..2026-11-07');
    const first = textsOf(await conversation(before, (c) => c.method === 'sendPhoto'));
    const upload = api.calls.length;
    sendFile(api, GROUP, member, 'OrderSKUList.csv', Buffer.from(HAND_CSV), { caption: '/import' });
    const again = textsOf(await conversation(upload, (c) => c.method === 'sendPhoto'));
    expect(again[1]).toContain('13 orders (0 new)');
    const after = api.calls.length;
    say(api, GROUP, member, '/rate 2026-10-28..2026-11-07');
    expect(textsOf(await conversation(after, (c) => c.method === 'sendPhoto'))).toEqual(first);
  });

  it('refuses a 25 MB file without downloading it', async () => {
    const from = api.calls.length;
    sendFile(api, GROUP, member, 'huge.csv', Buffer.from('x'), { caption: '/import', announcedSize: 25 * 1024 * 1024 });
    const calls = await conversation(from, (c) => c.method === 'sendMessage');
    expect(textsOf(calls)).toEqual(['❌ huge.csv is 25.0 MB; the bot accepts files up to 20 MB. Export a shorter period, or split it.']);
    expect(api.calls.slice(from).some((c) => c.method === 'getFile')).toBe(false);
  });

  it('retries a sendMessage that Telegram answers with 429 and retry_after', async () => {
    api.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    const from = api.calls.length;
    say(api, GROUP, member, '/help');
    const delivered = await api.waitForCall((c) => c.method === 'sendMessage' && c.status === 200, 20_000, from);
    const attempts = api.calls.slice(from).filter((c) => c.method === 'sendMessage');
    expect(attempts.map((a) => a.status)).toEqual([429, 200]);
    expect(attempts[1]?.params['text']).toBe(attempts[0]?.params['text']);
    expect(delivered.at - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it('keeps settings and data across a restart', async () => {
    const from = api.calls.length;
    say(api, GROUP, admin, '/lang zh');
    await api.waitForCall((c) => c.method === 'sendMessage' && c.params['text'] === '已切换为中文。', 20_000, from);
    expect(await bot.stop()).toBe(0);
    bot = new BotProcess(env);
    await bot.start();
    const after = api.calls.length;
    say(api, GROUP, member, '/rate 2026-11-01..2026-11-07');
    const texts = textsOf(await conversation(after, (c) => c.method === 'sendPhoto'));
    expect(texts[0]).toContain('已付款订单：10');
    expect(texts[0]).toContain('卖家责任取消：3 / 9');
  });

  it('never writes the bot token to its logs', () => {
    expect(bot.logs.length).toBeGreaterThan(0);
    for (const line of bot.logs) expect(line).not.toContain(TOKEN.split(':')[1]);
  });
});

describe('a large import', () => {
  it('does not hold up answers to other chats, and is stored whole', async () => {
    const api = new FakeTelegram(TOKEN, 2000);
    const root = await api.listen();
    const bot = new BotProcess({ BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: root, MAX_UPLOAD_MB: '200', DATABASE_URL: await sqliteFile.fresh() });
    await bot.start();
    try {
      const big = Buffer.from(exportCsv({ orders: 100_000, seed: 9 }).text);
      const other = { id: 31, name: 'Cy' };
      sendFile(api, GROUP, member, 'big.csv', big, { caption: '/import' });
      await api.waitForCall((c) => c.method === 'getFile');
      say(api, other, other, '/help');
      const help = await api.waitForCall((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === other.id);
      const done = await api.waitForCall((c) => c.method === 'sendMessage' && String(c.params['text']).startsWith('✅ big.csv: 100,000 orders (100,000 new)'), 60_000);
      expect(help.at).toBeLessThan(done.at);
      expect(api.calls.indexOf(help)).toBeLessThan(api.calls.indexOf(done));
      // An export's lines of one order are together: its orders were stored while it was read.
      const stored = JSON.parse(await bot.waitForLog((line) => line.includes('"event":"import"'))) as Record<string, unknown>;
      expect(stored).toMatchObject({ streamed: true, orders: 100_000 });
      expect(bot.logs.some((line) => line.includes('import_stream_abandoned'))).toBe(false);
    } finally {
      await bot.stop();
      await api.close();
    }
  }, 90_000);
});

describe('webhook mode', () => {
  it('serves updates posted with Telegram’s secret token, and refuses others', async () => {
    const api = new FakeTelegram(TOKEN);
    const root = await api.listen();
    const port = await freePort();
    const secret = 'webhook-secret-0123456789';
    const bot = new BotProcess({
      BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: root, WEBHOOK_URL: `https://bot.example/telegram`, WEBHOOK_SECRET: secret, PORT: String(port),
      DATABASE_URL: await sqliteFile.fresh(),
    });
    await bot.start();
    try {
      const set = await api.waitForCall((c) => c.method === 'setWebhook');
      expect(set.params).toMatchObject({ url: 'https://bot.example/telegram', secret_token: secret });
      const update = { update_id: 1, message: { message_id: 1, date: 0, chat: { id: 5, type: 'private', first_name: 'x' }, from: { id: 5, is_bot: false, first_name: 'x' }, text: '/help', entities: [{ type: 'bot_command', offset: 0, length: 5 }] } };
      const post = (headers: Record<string, string>) => fetch(`http://127.0.0.1:${port}/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(update) });
      expect((await post({})).status).toBe(401);
      expect((await post({ 'x-telegram-bot-api-secret-token': 'wrong' })).status).toBe(401);
      expect(api.calls.some((c) => c.method === 'sendMessage')).toBe(false);
      expect((await post({ 'x-telegram-bot-api-secret-token': secret })).status).toBe(200);
      const reply = await api.waitForCall((c) => c.method === 'sendMessage');
      expect(String(reply.params['text'])).toContain('cancelwatch');
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      expect(await bot.stop()).toBe(0);
      await api.close();
    }
  });
});
