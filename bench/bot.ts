/**
 * The bot as sellers meet it, as its own process against the fake Bot API acting as a
 * self-hosted server in local mode: a big upload (time, peak memory), `/rate` over what it
 * stored, and a Monday morning of twelve groups uploading at once while another group asks.
 */
import { readFileSync, statSync } from 'node:fs';
import { translator } from '../src/i18n.js';
import { Store } from '../src/store/store.js';
import { chatReport } from '../src/use-cases/chat-report.js';
import { BotProcess } from '../test/fakes/bot-process.js';
import { say, sendLocalFile } from '../test/fakes/people.js';
import { FakeTelegram, type RecordedCall } from '../test/fakes/telegram-api.js';

const TOKEN = '4242:BENCH-token-abcdefghijklmnopqrstuvwxy';
const seller = { id: 7, name: 'Mai' };
const asker = { id: 8, name: 'Lin' };
const OTHER_GROUP = { id: -200_999 };

/** The bot process's peak resident memory so far (Linux /proc), in MB. */
function peakRssMb(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(hwm?.[1] ?? NaN) / 1024;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? NaN;

const isReplyTo = (chatId: number) => (c: RecordedCall) => (c.method === 'sendMessage' || c.method === 'sendPhoto') && Number(c.params['chat_id']) === chatId;
const isImportDone = (chatId: number) => (c: RecordedCall) => c.method === 'sendMessage' && Number(c.params['chat_id']) === chatId && String(c.params['text']).startsWith('✅');

async function withBot<T>(databaseUrl: string, run: (api: FakeTelegram, bot: BotProcess) => Promise<T>): Promise<T> {
  const api = new FakeTelegram(TOKEN, 2000);
  const bot = new BotProcess({ BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: await api.listen(), MAX_UPLOAD_MB: '2000', DATABASE_URL: databaseUrl, LOG_LEVEL: 'info' });
  await bot.start();
  try {
    return await run(api, bot);
  } finally {
    await bot.stop();
    await api.close();
  }
}

/**
 * Milliseconds from `/rate …` reaching the fake server's update queue to the bot's first reply.
 * The trend picture that follows is awaited before returning (unmeasured), so the next question
 * does not wait behind this one's picture in the chat's queue.
 */
async function rateLatency(api: FakeTelegram, chatId: number, text: string): Promise<number> {
  const after = api.calls.length;
  const started = performance.now();
  say(api, { id: chatId }, asker, text);
  await api.waitForCall(isReplyTo(chatId), 60_000, after);
  const latency = performance.now() - started;
  // A window of fewer than three days has no picture: then nothing comes, and the wait ends.
  await api.waitForCall((c) => c.method === 'sendPhoto' && Number(c.params['chat_id']) === chatId, 10_000, after).catch(() => undefined);
  return latency;
}

export interface BigImport { seconds: number; peakRssMb: number; rateWeekMs: number; rateAllMs: number; reply: string }

/** One group uploads `path`; then `/rate 7d` and `/rate all` are asked five times each. */
export async function bigUpload(path: string, databaseUrl: string): Promise<BigImport> {
  return withBot(databaseUrl, async (api, bot) => {
    const group = { id: -100_001 };
    const started = performance.now();
    const after = api.calls.length;
    sendLocalFile(api, group, seller, 'OrderSKUList.csv', path, statSync(path).size, { caption: '/import' });
    const done = await api.waitForCall(isImportDone(group.id), 3_600_000, after);
    const seconds = (performance.now() - started) / 1000;
    const peak = peakRssMb(bot.pid);
    // The report that follows the import, so /rate is not measured against it.
    await api.waitForCall((c) => isReplyTo(group.id)(c) && c.method === 'sendPhoto', 120_000, after);
    const week: number[] = [];
    const all: number[] = [];
    for (let i = 0; i < 5; i++) {
      week.push(await rateLatency(api, group.id, '/rate 7d'));
      all.push(await rateLatency(api, group.id, '/rate all'));
    }
    return { seconds, peakRssMb: peak, rateWeekMs: median(week), rateAllMs: median(all), reply: String(done.params['text']) };
  });
}

export interface MondayMorning { seconds: number; peakRssMb: number; exact: number; groups: number; rateP50Ms: number; rateP95Ms: number; rateAsked: number }

/**
 * Twelve groups upload at once (one file each); meanwhile another group asks `/rate` again
 * and again. Exact: each group's stored report equals the one the core makes of its file.
 */
export async function mondayMorning(files: readonly string[], askerFile: string, databaseUrl: string, expected: (file: string) => Promise<unknown>): Promise<MondayMorning> {
  const groups = files.map((_, i) => ({ id: -300_000 - i }));
  const result = await withBot(databaseUrl, async (api, bot) => {
    // The asking group has data of its own, so each /rate reads and reports it.
    sendLocalFile(api, OTHER_GROUP, asker, 'own.csv', askerFile, statSync(askerFile).size, { caption: '/import' });
    await api.waitForCall((c) => isReplyTo(OTHER_GROUP.id)(c) && c.method === 'sendPhoto', 300_000);
    const started = performance.now();
    const after = api.calls.length;
    files.forEach((file, i) => sendLocalFile(api, groups[i] ?? { id: 0 }, seller, `orders-${i}.csv`, file, statSync(file).size, { caption: '/import' }));
    const allDone = Promise.all(groups.map((g) => api.waitForCall(isImportDone(g.id), 1_800_000, after)));
    let finished = false;
    void allDone.then(() => { finished = true; });
    const latencies: number[] = [];
    while (!finished) latencies.push(await rateLatency(api, OTHER_GROUP.id, '/rate'));
    const seconds = (performance.now() - started) / 1000;
    // Let the reports after the imports go out before the bot stops.
    await Promise.all(groups.map((g) => api.waitForCall((c) => isReplyTo(g.id)(c) && c.method === 'sendPhoto', 300_000, after)));
    return { seconds, peakRssMb: peakRssMb(bot.pid), latencies };
  });
  const store = await Store.open(databaseUrl);
  let exact = 0;
  try {
    for (const [i, file] of files.entries()) {
      const chat = await store.chats.find(String(groups[i]?.id));
      if (!chat) continue;
      const stored = await chatReport(store, chat, { kind: 'all' }, translator(chat.locale), Date.now());
      if (JSON.stringify(stored.report) === JSON.stringify(await expected(file))) exact++;
    }
  } finally {
    await store.close();
  }
  return {
    seconds: result.seconds, peakRssMb: result.peakRssMb, exact, groups: files.length,
    rateP50Ms: quantile(result.latencies, 0.5), rateP95Ms: quantile(result.latencies, 0.95), rateAsked: result.latencies.length,
  };
}
