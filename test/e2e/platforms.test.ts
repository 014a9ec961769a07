import { afterEach, describe, expect, it } from 'vitest';
import { BotProcess } from '../fakes/bot-process.js';
import { FakeDingtalkOpen } from '../fakes/dingtalk-open.js';
import { FakeFeishuOpen, fileEvent, textEvent } from '../fakes/feishu-open.js';
import { FakeWecomAibot, fileMessage, textMessage } from '../fakes/wecom-aibot.js';
import { say, sendFile } from '../fakes/people.js';
import { FakeTelegram } from '../fakes/telegram-api.js';
import { HAND_CSV } from '../fixtures/hand.js';
import { sqliteFile } from '../support/databases.js';
import { freePort } from '../support/ports.js';

const TOKEN = '4242:PLATFORMS-token-abcdefghijklmnopqrs';
/** A private chat: its person is its admin, so the test can set the shop's zone. */
const CHAT = { id: 12, title: 'Bo' };
const member = { id: 12, name: 'Bo', language_code: 'en' };
const WEEK = '2026-11-01..2026-11-07';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fake Telegram and a fake Feishu with the group `oc_shop` (owner `ou_owner`), closed after the test. */
async function telegramAndFeishu(): Promise<{ telegram: FakeTelegram; root: string; feishu: FakeFeishuOpen }> {
  const telegram = new FakeTelegram(TOKEN);
  const root = await telegram.listen();
  cleanups.push(() => telegram.close());
  const feishu = await FakeFeishuOpen.start();
  cleanups.push(() => feishu.close());
  feishu.setChat('oc_shop', { owner: 'ou_owner', name: 'Sellers on Feishu' });
  return { telegram, root, feishu };
}

describe('one process, several platforms', () => {
  it('serves a Telegram group and a Feishu group at once, from one database, with the same figures for the same file', async () => {
    const { telegram, root, feishu } = await telegramAndFeishu();

    const bot = new BotProcess({
      BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: root, DATABASE_URL: await sqliteFile.fresh(),
      FEISHU_APP_ID: feishu.appId, FEISHU_APP_SECRET: feishu.appSecret, FEISHU_DOMAIN: feishu.url,
    });
    cleanups.push(() => bot.stop());
    await bot.start();
    expect(bot.logged('bot_started')[0]).toMatchObject({ username: expect.any(String), platforms: ['telegram', 'feishu'] });
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

  it('serves all four platforms at once: the same /rate figures in Telegram, Feishu, DingTalk and WeCom', async () => {
    const { telegram, root, feishu } = await telegramAndFeishu();
    const dingtalk = await FakeDingtalkOpen.start();
    cleanups.push(() => dingtalk.close());
    const wecom = await FakeWecomAibot.start();
    cleanups.push(() => wecom.close());
    const port = await freePort();

    const bot = new BotProcess({
      BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: root, DATABASE_URL: await sqliteFile.fresh(), PORT: String(port),
      FEISHU_APP_ID: feishu.appId, FEISHU_APP_SECRET: feishu.appSecret, FEISHU_DOMAIN: feishu.url,
      // DingTalk's stream gateway is written into its SDK: in another process its callbacks come over HTTP.
      DINGTALK_CLIENT_ID: dingtalk.clientId, DINGTALK_CLIENT_SECRET: dingtalk.clientSecret, DINGTALK_API_ROOT: dingtalk.url, DINGTALK_OAPI_ROOT: dingtalk.url, DINGTALK_EVENTS: 'http',
      WECOM_BOT_ID: wecom.botId, WECOM_BOT_SECRET: wecom.botSecret, WECOM_WS_URL: wecom.wsUrl,
    });
    cleanups.push(() => bot.stop());
    await bot.start();
    expect(bot.logged('bot_started')[0]).toMatchObject({ platforms: ['telegram', 'feishu', 'dingtalk', 'wecom'] });
    await Promise.all([feishu.connected(), wecom.connected()]);
    const figures = ['Paid orders: 10', 'Cancelled: 8 · cancel rate 80.00%', 'Seller-fault cancellations: 3 of 9 · SFCR 33.33%'];
    const answers: Record<string, string> = {};

    say(telegram, CHAT, member, '/tz Asia/Shanghai');
    await telegram.waitForCall((c) => c.method === 'sendMessage' && String(c.params['text']).includes('Asia/Shanghai'));
    sendFile(telegram, CHAT, member, 'orders.csv', Buffer.from(HAND_CSV));
    await telegram.waitForCall((c) => c.method === 'sendMessage' && String(c.params['text']).startsWith('✅ orders.csv:'));
    say(telegram, CHAT, member, `/rate ${WEEK}`);
    answers['telegram'] = String((await telegram.waitForCall((c) => c.method === 'sendMessage' && String(c.params['text']).includes('Window: 2026-11-01 – 2026-11-07'))).params['text']);

    // Feishu: a file in the group.
    await feishu.deliverWs(textEvent({ chatId: 'oc_shop', chatType: 'group', sender: 'ou_owner', text: '/lang en' }));
    feishu.addFile({ messageId: 'om_f', fileKey: 'file_v3_f', name: 'orders.csv', bytes: Buffer.from(HAND_CSV), chatId: 'oc_shop' });
    await feishu.deliverWs(fileEvent({ chatId: 'oc_shop', chatType: 'group', sender: 'ou_owner', fileKey: 'file_v3_f', fileName: 'orders.csv', messageId: 'om_f' }));
    await feishu.waitForSent(4, 'oc_shop');
    await feishu.deliverWs(textEvent({ chatId: 'oc_shop', chatType: 'group', sender: 'ou_owner', text: `rate ${WEEK}` }));
    answers['feishu'] = feishu.cardText(await feishu.waitForSent(5, 'oc_shop'));

    // DingTalk: `import` in the group, the file in the one-to-one chat (where DingTalk delivers files).
    const events = `http://127.0.0.1:${port}/dingtalk/events`;
    dingtalk.addConversation('cid_group', { type: '2', title: 'DingTalk sellers' });
    dingtalk.addConversation('cid_dm', { type: '1', staffId: 'staff_li' });
    const inGroup = (text: string) => dingtalk.textCallback({ conversationId: 'cid_group', conversationType: '2', sender: 'staff_li', text });
    expect((await dingtalk.postCallback(events, inGroup('lang en'))).status).toBe(200);
    await dingtalk.waitForSent(1, 'cid_group');
    await dingtalk.postCallback(events, inGroup('import'));
    await dingtalk.waitForSent(2, 'cid_group');
    dingtalk.addFile({ downloadCode: 'dc_1', name: 'orders.csv', bytes: Buffer.from(HAND_CSV) });
    await dingtalk.postCallback(events, dingtalk.fileCallback({ conversationId: 'cid_dm', sender: 'staff_li', downloadCode: 'dc_1', fileName: 'orders.csv' }));
    await dingtalk.waitForMessage((m) => dingtalk.shown(m).includes('✅ orders.csv:'));
    await dingtalk.postCallback(events, inGroup(`rate ${WEEK}`));
    answers['dingtalk'] = dingtalk.shown(await dingtalk.waitForMessage((m) => dingtalk.shown(m).includes('2026-11-01 – 2026-11-07')));

    // WeCom: a file in the group.
    await wecom.deliver(textMessage({ chatid: 'wr_group', chattype: 'group', from: 'li', text: 'lang en' }));
    await wecom.waitForSent(1, 'wr_group');
    await wecom.deliver(fileMessage({ chatid: 'wr_group', chattype: 'group', from: 'li', file: wecom.addFile(Buffer.from(HAND_CSV)), filename: 'orders.csv' }));
    await wecom.waitForSent(4, 'wr_group');
    await wecom.deliver(textMessage({ chatid: 'wr_group', chattype: 'group', from: 'li', text: `rate ${WEEK}` }));
    const shown = async () => wecom.sentTo('wr_group').map((m) => FakeWecomAibot.shown(m)).find((text) => text.includes('2026-11-01 – 2026-11-07'));
    for (let n = wecom.sentTo('wr_group').length + 1; !(await shown()); n++) await wecom.waitForSent(n, 'wr_group');
    answers['wecom'] = (await shown()) ?? '';

    for (const [platform, answer] of Object.entries(answers)) {
      for (const line of figures) expect(answer, platform).toContain(line);
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
