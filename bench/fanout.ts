/**
 * The morning fan-out: N chats with data, all due at once, against the fake Bot API server
 * enforcing 30 messages a second (429 with retry_after above it). Figures: total time against
 * the N/30 s floor that limit allows, duplicates and missed chats (both must be 0).
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from 'grammy';
import { pino } from 'pino';
import { translator } from '../src/i18n.js';
import { ChartPool } from '../src/chart/chart-pool.js';
import { chartGlyphs } from '../src/chart/trend-chart.js';
import { LOCALES } from '../src/core/render/translator.js';
import { addDays } from '../src/core/metrics/days.js';
import type { Order } from '../src/core/order.js';
import { DailySummaries } from '../src/schedule/daily-summaries.js';
import { ratePacer } from '../src/schedule/pacer.js';
import { Store } from '../src/store/store.js';
import { FakeTelegram } from '../test/fakes/telegram-api.js';

const TOKEN = '4242:BENCH-token-abcdefghijklmnopqrstuvwxy';
const LIMIT_PER_SECOND = 30;

function ordersFor(chat: number, day: string): Order[] {
  const orders: Order[] = [];
  for (let d = -7; d <= 0; d++) {
    const date = addDays(day, d);
    for (let i = 0; i < 6; i++) {
      const cancelled = (i + chat + d) % 5 === 0;
      orders.push({
        id: `${chat}-${date}-${i}`, createdAt: `${date}T10:00:00`, paid: true, cancelled, partiallyCancelled: false,
        initiator: cancelled ? (i % 2 ? 'seller' : 'buyer') : 'unknown', reason: cancelled ? (i % 2 ? 'Out of stock' : 'No longer needed') : null,
        category: cancelled ? (i % 2 ? 'out_of_stock' : 'changed_mind') : null, fulfilledByTikTok: false, sample: false, amountCents: 1999, currency: 'USD',
        cod: false, gaps: [], unrecognised: {},
      });
    }
  }
  return orders;
}

export async function fanOut(chats: number): Promise<{ seconds: number; floor: number; duplicates: number; missed: number; retried429: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'cancelwatch-fanout-'));
  const store = await Store.open(`sqlite:${join(dir, 'fanout.sqlite')}`);
  const api = new FakeTelegram(TOKEN);
  const charts = new ChartPool(chartGlyphs(LOCALES.map(translator)));
  try {
    const yesterday = '2026-11-25';
    for (let c = 1; c <= chats; c++) {
      const id = String(-1_000_000 - c);
      await store.chats.ensure(id, { locale: c % 2 ? 'zh' : 'en', timeZone: 'Asia/Shanghai', threshold: 0.025 });
      await store.chats.setDaily(id, '09:00');
      await store.saveImport({
        chatId: id, shopName: 'main', fileName: 'seed.csv', userId: null, orders: ordersFor(c, yesterday),
        summary: { files: [], rows: 48, orders: 48, skipped: { rows: 0, samples: [] }, firstDay: addDays(yesterday, -7), lastDay: yesterday, undated: { orders: 0, file: null } },
      });
    }
    const client = new Api(TOKEN, { apiRoot: await api.listen() });
    client.config.use(autoRetry({ maxRetryAttempts: 10, maxDelaySeconds: 60 }));
    api.limitSends(LIMIT_PER_SECOND);
    const summaries = new DailySummaries({
      store, api: client, clock: () => Date.parse('2026-11-26T01:00:00Z'), logger: pino({ level: 'silent' }),
      renderTrend: charts.render, instance: 'bench', pacer: ratePacer(29),
    });
    const started = performance.now();
    await summaries.tick();
    const seconds = (performance.now() - started) / 1000;
    const perChat = new Map<string, number>();
    let retried429 = 0;
    for (const call of api.calls) {
      if (!call.method.startsWith('send')) continue;
      if (call.status === 429) retried429++;
      if (call.status !== 200) continue;
      const chat = String(call.params['chat_id']);
      perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
    }
    return {
      seconds, floor: chats / LIMIT_PER_SECOND,
      duplicates: [...perChat.values()].filter((n) => n > 1).length,
      missed: chats - perChat.size,
      retried429,
    };
  } finally {
    await charts.close();
    await api.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
