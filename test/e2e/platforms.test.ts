import { afterEach, describe, expect, it } from 'vitest';
import { BotProcess } from '../fakes/bot-process.js';
import { FakeFeishuOpen, fileEvent, textEvent } from '../fakes/feishu-open.js';
import { say, sendFile } from '../fakes/people.js';
import { FakeTelegram } from '../fakes/telegram-api.js';
import { HAND_CSV } from '../fixtures/hand.js';
import { sqliteFile } from '../support/databases.js';

const TOKEN = '4242:PLATFORMS-token-abcdefghijklmnopqrs';
/** A private chat: its person is its admin, so the test can set the shop's zone. */
const CHAT = { id: 12, title: 'Bo' };
const member = { id: 12, name: 'Bo', language_code: 'en' };
const WEEK = '2026-11-01..2026-11-07';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('one process, several platforms', () => {
  it('serves a Telegram group and a Feishu group at once, from one database, with the same figures for the same file', async () => {
    const telegram = new FakeTelegram(TOKEN);
    const root = await telegram.listen();
    cleanups.push(() => telegram.close());
    const feishu = await FakeFeishuOpen.start();
    cleanups.push(() => feishu.close());
    feishu.setChat('oc_shop', { owner: 'ou_owner', name: 'Sellers on Feishu' });

    const bot = new BotProcess({
      BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: root, DATABASE_URL: await sqliteFile.fresh(),
      FEISHU_APP_ID: feishu.appId, FEISHU_APP_SECRET: feishu.appSecret, FEISHU_DOMAIN: feishu.url,
    });
    cleanups.push(() => bot.stop());
    await bot.start();
    expect(bot.logged('bot_started')[0]).toMatchObject({ username: expect.any(String), feishu: true });
    await feishu.connected();

    // Telegram: the shop's zone (the hand-counted days are Shanghai's), the file, then /rate.
    say(telegram, CHAT, member, '/tz Asia/Shanghai');
    await telegram.waitForCall((c) => c.method === 'sendMessage' && String(c.params['text']).includes('Asia/Shanghai'));
    sendFile(telegram, CHAT, member, 'orders.csv', Buffer.from(HAND_CSV));
    await telegram.waitForCall((c) => c.method === 'sendMessage' && String(c.params['text']).startsWith('✅ orders.csv:'));
    say(telegram, CHAT, member, `/rate ${WEEK}`);
    const telegramReport = await telegram.waitForCall((c) => c.method === 'sendMessage' && String(c.params['text']).includes(`Window: 2026-11-01 – 2026-11-07`));

    // Feishu: the same file in the group, then rate without the slash.
    await feishu.deliverWs(textEvent({ chatId: 'oc_shop', chatType: 'group', sender: 'ou_owner', text: '/lang en' }));
    await feishu.waitForSent(1, 'oc_shop');
    feishu.addFile({ messageId: 'om_f', fileKey: 'file_v3_f', name: 'orders.csv', bytes: Buffer.from(HAND_CSV), chatId: 'oc_shop' });
    await feishu.deliverWs(fileEvent({ chatId: 'oc_shop', chatType: 'group', sender: 'ou_owner', fileKey: 'file_v3_f', fileName: 'orders.csv', messageId: 'om_f' }));
    await feishu.waitForSent(4, 'oc_shop');
    await feishu.deliverWs(textEvent({ chatId: 'oc_shop', chatType: 'group', sender: 'ou_owner', text: `rate ${WEEK}` }));
    const feishuReport = feishu.cardText(await feishu.waitForSent(5, 'oc_shop'));

    const figures = ['Paid orders: 10', 'Cancelled: 8 · cancel rate 80.00%', 'Seller-fault cancellations: 3 of 9 · SFCR 33.33%'];
    for (const line of figures) {
      expect(String(telegramReport.params['text'])).toContain(line);
      expect(feishuReport).toContain(line);
    }
    expect(await bot.stop()).toBe(0);
  }, 120_000);

  it('starts on Feishu alone, and refuses a half-set platform with one line naming what is missing', async () => {
    const feishu = await FakeFeishuOpen.start();
    cleanups.push(() => feishu.close());
    const alone = new BotProcess({ DATABASE_URL: await sqliteFile.fresh(), FEISHU_APP_ID: feishu.appId, FEISHU_APP_SECRET: feishu.appSecret, FEISHU_DOMAIN: feishu.url });
    cleanups.push(() => alone.stop());
    await alone.start();
    await feishu.connected();
    await feishu.deliverWs(textEvent({ chatId: 'oc_g', chatType: 'group', sender: 'ou_a', text: 'help' }));
    expect(feishu.cardText(await feishu.waitForSent(1, 'oc_g'))).toContain('在群里 @ 我并加上命令');
    expect(await alone.stop()).toBe(0);

    const half = new BotProcess({ DATABASE_URL: await sqliteFile.fresh(), FEISHU_APP_ID: feishu.appId });
    cleanups.push(() => half.stop());
    half.launch();
    expect(await half.exited()).toBe(1);
    expect(half.logs.join('\n')).toContain('FEISHU_APP_SECRET is required too');
  }, 60_000);
});
