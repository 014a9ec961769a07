/**
 * `npm run demo`: the real bot against a fake Telegram server on 127.0.0.1, playing a seller
 * group's conversation, printed as a chat. No network, no token. The trend picture the bot
 * sends is saved under demo-output/.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, localDay } from '../src/core/metrics/days.js';
import { localeOfEnv } from '../src/core/render/translator.js';
import { translator } from '../src/i18n.js';
import { csvLine, descriptionRow, orderStream, STANDARD_HEADERS } from '../test/fixtures/generate.js';
import { BotProcess } from '../test/fakes/bot-process.js';
import { say, sendFile, type Person } from '../test/fakes/people.js';
import { FakeTelegram, type RecordedCall } from '../test/fakes/telegram-api.js';

const TOKEN = '4242:DEMO-token-not-a-real-one-abcdefghijk';
const GROUP = { id: -1001234567890, title: 'TikTok Shop sellers' };
const wang: Person = { id: 101, name: '王芳 (admin)', language_code: 'zh-hans' };
const lee: Person = { id: 102, name: 'Lee', language_code: 'en' };

const tr = translator(localeOfEnv(process.env));
const out = (text: string) => process.stdout.write(`${text}\n`);
const plain = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** An export of the last four weeks, so the demo's windows always hold data. */
function sampleExport(): Buffer {
  const today = localDay(Date.now(), 'Asia/Shanghai');
  const rows = [STANDARD_HEADERS, descriptionRow('zh')];
  for (const order of orderStream({ orders: 600, seed: 7, lang: 'zh', startDay: addDays(today, -27), days: 28, multiLine: 0.3 })) rows.push(...order.rows as never[]);
  return Buffer.from(`\ufeff${rows.map((r) => csvLine(r, '\r\n')).join('')}`);
}

async function main(): Promise<void> {
  const api = new FakeTelegram(TOKEN);
  const root = await api.listen();
  api.setMember(GROUP.id, wang.id, 'creator');
  const dir = mkdtempSync(join(tmpdir(), 'cancelwatch-demo-'));
  const bot = new BotProcess({ BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: root, DATABASE_URL: `sqlite:${join(dir, 'demo.sqlite')}` });
  const outputDir = join(process.cwd(), 'demo-output');
  mkdirSync(outputDir, { recursive: true });
  let pictures = 0;

  /** Runs one step, then prints what the bot sent in answer, once `done` has arrived. */
  async function step(act: () => void, done: (c: RecordedCall) => boolean): Promise<void> {
    const from = api.calls.length;
    act();
    await api.waitForCall(done, 60_000, from);
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
    out(tr.t('demo-done'));
  } finally {
    await bot.stop();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
