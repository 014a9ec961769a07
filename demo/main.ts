/**
 * `npm run demo`: the real bot against a fake Telegram server on 127.0.0.1, playing a seller
 * group's conversation, printed as a chat. No network, no token. The trend picture the bot
 * sends is saved under demo-output/.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, localDateTime, localDay } from '../src/core/metrics/days.js';
import { localeOfEnv } from '../src/core/render/translator.js';
import { translator } from '../src/i18n.js';
import { csvLine, descriptionRow, orderStream, STANDARD_HEADERS } from '../test/fixtures/generate.js';
import { BotProcess } from '../test/fakes/bot-process.js';
import { say, sendFile, type Person } from '../test/fakes/people.js';
import { FakeDingtalk } from '../test/fakes/dingtalk-robot.js';
import { FakeFeishu } from '../test/fakes/feishu-robot.js';
import { FakeFeishuOpen, fileEvent, textEvent, type SentMessage } from '../test/fakes/feishu-open.js';
import type { FakeRobotService } from '../test/fakes/robot-server.js';
import { FakeTelegram, type RecordedCall } from '../test/fakes/telegram-api.js';
import { FakeWecom } from '../test/fakes/wecom-robot.js';

const TOKEN = '4242:DEMO-token-not-a-real-one-abcdefghijk';
/** Seals the demo robots' addresses in the throwaway database. */
const DEMO_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const ROBOT_SECRET = 'SECdemo0123456789abcdef';
const GROUP = { id: -1001234567890, title: 'TikTok Shop sellers' };
const wang: Person = { id: 101, name: '王芳 (admin)', language_code: 'zh-hans' };
const lee: Person = { id: 102, name: 'Lee', language_code: 'en' };

const tr = translator(localeOfEnv(process.env));
const out = (text: string) => process.stdout.write(`${text}\n`);
const plain = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/**
 * A body as the service received it, pretty-printed; a picture's base64 is shortened on screen
 * (the whole body is saved beside the trend pictures).
 */
function shown(body: Record<string, unknown> | null): string {
  return JSON.stringify(body, (key, value: unknown) => (key === 'base64' && typeof value === 'string' ? `${value.slice(0, 48)}… (${value.length} characters)` : value), 2);
}

/**
 * An export of the four weeks up to yesterday, so the demo's windows always hold data and no
 * order is dated later in the day than the moment the demo runs.
 */
function sampleExport(): Buffer {
  const today = localDay(Date.now(), 'Asia/Shanghai');
  const rows = [STANDARD_HEADERS, descriptionRow('zh')];
  for (const order of orderStream({ orders: 600, seed: 7, lang: 'zh', startDay: addDays(today, -28), days: 28, multiLine: 0.3 })) rows.push(...order.rows as never[]);
  return Buffer.from(`\ufeff${rows.map((r) => csvLine(r, '\r\n')).join('')}`);
}

async function main(): Promise<void> {
  const api = new FakeTelegram(TOKEN);
  const root = await api.listen();
  api.setMember(GROUP.id, wang.id, 'creator');
  const robots: Array<[string, FakeRobotService]> = [['wecom', new FakeWecom()], ['feishu', new FakeFeishu()], ['dingtalk', new FakeDingtalk()]];
  const hosts = await Promise.all(robots.map(async ([, fake]) => new URL(await fake.listen()).host));
  const dir = mkdtempSync(join(tmpdir(), 'cancelwatch-demo-'));
  // The same process serves a Feishu group too, through a fake Feishu open platform.
  const feishu = await FakeFeishuOpen.start();
  feishu.setChat(FEISHU_GROUP, { owner: 'ou_zhang', name: '飞书卖家群' });
  feishu.setPerson('ou_zhang', '张伟');
  feishu.setPerson('ou_li', '李娜');
  const bot = new BotProcess({
    BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: root, DATABASE_URL: `sqlite:${join(dir, 'demo.sqlite')}`,
    TOKEN_ENCRYPTION_KEY: DEMO_KEY, ROBOT_HOSTS: hosts.join(','),
    FEISHU_APP_ID: feishu.appId, FEISHU_APP_SECRET: feishu.appSecret, FEISHU_DOMAIN: feishu.url,
  });
  const outputDir = join(process.cwd(), 'demo-output');
  mkdirSync(outputDir, { recursive: true });
  let pictures = 0;

  /** Runs one step, then prints what the bot sent in answer, once `done` has arrived. */
  async function step(act: () => void, done: (c: RecordedCall) => boolean, timeoutMs = 60_000): Promise<void> {
    const from = api.calls.length;
    act();
    await api.waitForCall(done, timeoutMs, from);
    for (const call of api.calls.slice(from)) {
      if (call.method === 'sendMessage') out(`${tr.t('demo-bot')}\n${plain(String(call.params['text']))}\n`);
      if (call.method === 'sendPhoto') {
        const png = Object.values(call.files)[0]?.bytes;
        if (!png) continue;
        const path = join(outputDir, pictures === 0 ? 'trend.png' : `trend-${pictures}.png`);
        pictures++;
        writeFileSync(path, png);
        out(`${tr.t('demo-picture', { path })}\n`);
      }
    }
  }
  const said = (who: Person, text: string) => () => { out(tr.t('demo-person', { name: who.name, text })); say(api, GROUP, who, text); };
  const isText = (c: RecordedCall) => c.method === 'sendMessage';

  try {
    out(`${tr.t('demo-intro')}\n`);
    await bot.start();
    await step(said(wang, '/start'), isText);
    await step(said(wang, '/lang zh'), (c) => c.method === 'setMyCommands' && (c.params['scope'] as { type?: string } | undefined)?.type === 'chat');
    await step(() => {
      out(tr.t('demo-upload', { name: lee.name, file: 'OrderSKUList.csv', caption: '/import' }));
      sendFile(api, GROUP, lee, 'OrderSKUList.csv', sampleExport(), { caption: '/import' });
    }, (c) => c.method === 'sendPhoto');
    await step(said(lee, '/rate'), (c) => c.method === 'sendPhoto');
    await step(said(lee, '/rate 30d'), (c) => c.method === 'sendPhoto');
    await step(said(lee, '/products 30d'), (c) => c.method === 'sendPhoto');
    await step(said(lee, '/threshold 5'), isText);

    // Wang adds the team's robots in a private chat, so no address is ever pasted in the group.
    const me = { id: wang.id, title: wang.name };
    for (const [service, fake] of robots) {
      const robot = await fake.addRobot(service === 'wecom' ? {} : { secret: ROBOT_SECRET, keyword: 'cancelwatch' });
      const secret = robot.secret ? ` ${robot.secret}` : '';
      await step(() => {
        out(tr.t('demo-person-private', { name: wang.name, text: `/push ${GROUP.id} add ${service} ${robot.url}${secret}` }));
        say(api, me, wang, `/push ${GROUP.id} add ${service} ${robot.url}${secret}`);
      }, isText);
    }
    // The morning summary, due now: the group gets it, and each robot its own copy at the same minute.
    const now = localDateTime(Date.now(), 'Asia/Shanghai').slice(11, 16);
    await step(() => {
      said(wang, `/daily ${now}`)();
      out(tr.t('demo-wait-summary'));
    }, (c) => c.method === 'sendPhoto', 150_000);
    for (const [service, fake] of robots) {
      // WeCom gets the trend picture as a second message, right after the text.
      const received = await fake.waitFor((r) => r.accepted);
      if (service === 'wecom') await fake.waitFor((r) => r.accepted && r.body?.['msgtype'] === 'image');
      out(tr.t('demo-robot-received', { service: tr.t(`robot-service-${service}`), query: Object.keys(received.query).join(', ') || '—' }));
      for (const request of fake.requests.filter((r) => r.accepted)) {
        out(`${shown(request.body)}\n`);
        writeFileSync(join(outputDir, `${service}-${fake.requests.indexOf(request) + 1}.json`), `${JSON.stringify(request.body, null, 2)}\n`);
      }
    }
    await feishuGroup(feishu);
    out(tr.t('demo-done'));
  } finally {
    await bot.stop();
    await feishu.close();
    await api.close();
    await Promise.all(robots.map(([, fake]) => fake.close()));
    rmSync(dir, { recursive: true, force: true });
  }
}

const FEISHU_GROUP = 'oc_demo_group';

/**
 * The same conversation in a Feishu group: commands as @-mentions (with or without the slash),
 * `import` in the group and the export sent privately, answers as cards, shown as text the way
 * the Feishu client lays them out (a folded panel as ▸).
 */
async function feishuGroup(feishu: FakeFeishuOpen): Promise<void> {
  out(`${tr.t('demo-feishu-intro')}\n`);
  await feishu.connected();
  const show = (m: SentMessage) => (m.msgType === 'text' ? (m.content as { text: string }).text : feishu.cardText(m));
  const answered = async (chat: string, count: number, act: () => Promise<unknown>) => {
    const from = feishu.sentTo(chat).length;
    await act();
    await feishu.waitForSent(from + count, chat, 120_000);
    for (const m of feishu.sentTo(chat).slice(from)) out(`${tr.t('demo-bot')}\n${show(m)}\n`);
  };
  const mention = (who: string, name: string, text: string, count = 1) => answered(FEISHU_GROUP, count, () => {
    out(tr.t('demo-feishu-person', { name, text }));
    return feishu.deliverWs(textEvent({ chatId: FEISHU_GROUP, chatType: 'group', sender: who, text }));
  });
  await mention('ou_zhang', '张伟 (群主)', '/start');
  await mention('ou_li', '李娜', 'import');
  // The export, sent to the bot privately: the person is told there, the group gets the answer.
  feishu.addFile({ messageId: 'om_demo_file', fileKey: 'file_v3_demo', name: 'OrderSKUList.csv', bytes: sampleExport(), chatId: 'oc_demo_dm' });
  out(tr.t('demo-person-private', { name: '李娜', text: 'OrderSKUList.csv' }));
  await answered(FEISHU_GROUP, 4, () => feishu.deliverWs(fileEvent({ chatId: 'oc_demo_dm', chatType: 'p2p', sender: 'ou_li', fileKey: 'file_v3_demo', fileName: 'OrderSKUList.csv', messageId: 'om_demo_file' })));
  out(`${tr.t('demo-bot')}\n${show(feishu.sentTo('oc_demo_dm')[0] as SentMessage)}\n`);
  await mention('ou_li', '李娜', 'rate 30d');
  await mention('ou_li', '李娜', '/products 30d');
  await mention('ou_li', '李娜', '/threshold 5');
}

await main();
