import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAND_CSV } from '../fixtures/hand.js';
import { say, sendFile } from '../fakes/people.js';
import { FakeTelegram, type RecordedCall } from '../fakes/telegram-api.js';
import { BotProcess } from '../fakes/bot-process.js';
import { sqliteFile } from '../support/databases.js';

const TOKEN = '4242:E2E-secret-token-abcdefghijklmnopqrstu';
const FLOODED = { id: -100901, title: 'Flooded' };
const QUIET = { id: -100902, title: 'Quiet' };
const spammer = { id: 31, name: 'Spam', language_code: 'en' };
const seller = { id: 32, name: 'Sue', language_code: 'en' };
const SLOW_DOWN = 'This chat is sending commands faster than the bot can answer.';

/**
 * One group floods the bot while Telegram holds every group to 20 messages a minute (429 with
 * retry_after, as Telegram does); another group keeps asking /rate and is answered as if
 * nothing happened.
 */
describe('a group that floods the bot', () => {
  let api: FakeTelegram;
  let bot: BotProcess;

  beforeAll(async () => {
    api = new FakeTelegram(TOKEN);
    const root = await api.listen();
    bot = new BotProcess({ BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: root, DATABASE_URL: await sqliteFile.fresh() });
    await bot.start();
    const from = api.calls.length;
    sendFile(api, QUIET, seller, 'OrderSKUList.csv', Buffer.from(HAND_CSV), { caption: '/import' });
    await api.waitForCall((c) => c.method === 'sendPhoto' && Number(c.params['chat_id']) === QUIET.id, 20_000, from);
    api.limitGroupSends(20);
  });
  afterAll(async () => {
    await bot.stop();
    await api.close();
  });

  const toChat = (chat: { id: number }, from = 0) => api.calls.slice(from).filter((c) => Number(c.params['chat_id']) === chat.id);

  it('slows no other group, tells the flooding one once, and gives up its replies instead of retrying them', async () => {
    const floodFrom = api.calls.length;
    for (let i = 0; i < 500; i++) say(api, FLOODED, spammer, '/rate');

    const latencies: number[] = [];
    // Nine asks of two messages each keep the quiet group itself under Telegram's 20 a minute.
    for (let ask = 0; ask < 9; ask++) {
      const askedAt = Date.now();
      const from = api.calls.length;
      say(api, QUIET, seller, '/rate 2026-11-01..2026-11-07');
      const answered: RecordedCall = await api.waitForCall((c) => c.method === 'sendPhoto' && Number(c.params['chat_id']) === QUIET.id, 30_000, from);
      latencies.push(answered.at - askedAt);
      // Once a second, as a person tapping /rate would; never faster.
      const next = askedAt + 1000 - Date.now();
      if (next > 0) await new Promise((resolve) => setTimeout(resolve, next));
    }
    latencies.sort((a, b) => a - b);
    const p95 = latencies[Math.ceil(latencies.length * 0.95) - 1] ?? Infinity;
    expect(p95).toBeLessThan(1000);

    // Every flooded update is settled (answered or dropped) while the quiet group was served.
    const handled = await bot.waitForLog((l) => l.includes('"event":"chat_flooding"'));
    expect(JSON.parse(handled)).toMatchObject({ chat: String(FLOODED.id) });
    const flooded = toChat(FLOODED, floodFrom).filter((c) => c.method.startsWith('send'));
    const notices = flooded.filter((c) => String(c.params['text']).startsWith(SLOW_DOWN));
    expect(notices.length).toBeLessThanOrEqual(1);
    // Telegram's 20 a minute, plus the few refused before the bot stopped trying: no retry storm.
    expect(flooded.filter((c) => c.status === 429).length).toBeLessThanOrEqual(3);
    expect(flooded.length).toBeLessThanOrEqual(25);
  }, 90_000);
});
