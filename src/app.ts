import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, type RunnerHandle } from '@grammyjs/runner';
import { ChartPool } from './chart/chart-pool.js';
import { chartGlyphs } from './chart/trend-chart.js';
import { LOCALES } from './core/render/translator.js';
import { translator } from './i18n.js';
import { setCommandMenus } from './bot/commands.js';
import { createBot } from './bot/create-bot.js';
import { linkNotices, telegramApi } from './bot/telegram.js';
import { robotSettings, type Config } from './config.js';
import { importInWorker } from './use-cases/read-export-in-worker.js';
import type { Logger } from './logger.js';
import { startDailyTicks } from './schedule/cron.js';
import { DailySummaries } from './schedule/daily-summaries.js';
import { RobotSummaries } from './schedule/robot-summaries.js';
import { RobotClient } from './robots/client.js';
import { ratePacer } from './schedule/pacer.js';
import { httpServer } from './server/http.js';
import { Store } from './store/store.js';
import { startTikTok } from './tiktok/service.js';
import { TokenCrypto } from './tiktok/token-crypto.js';
import type { RobotDeps } from './use-cases/robot-targets.js';

const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;
const SUMMARIES_PER_SECOND = 29;

export interface RunningBot {
  /** Stops taking updates, lets the ones under way finish, then closes the database. */
  stop(): Promise<void>;
}

/**
 * Starts the bot in a fixed order: database (migrated), bot identity, command menus, updates
 * by long polling (or by webhook when WEBHOOK_URL is set), then the daily-summary ticks.
 */
export async function startBot(config: Config, logger: Logger): Promise<RunningBot> {
  const clock = () => Date.now();
  const store = await Store.open(config.DATABASE_URL, clock);
  const tempDir = await mkdtemp(join(tmpdir(), 'cancelwatch-uploads-'));
  const charts = new ChartPool(chartGlyphs(LOCALES.map(translator)));
  const tiktok = startTikTok(config, store, logger, linkNotices(telegramApi(config)), clock);
  const robotConfig = robotSettings(config);
  // Robots wait for no rate limit inside a send: the tick comes back for a throttled robot later.
  const robots: RobotDeps | null = robotConfig ? {
    store, renderTrend: charts.render, refreshChat: tiktok?.botDeps.refreshChat, crypto: new TokenCrypto(robotConfig.encryptionKey),
    client: new RobotClient({ maxRateWaitMs: 0 }), hosts: { kind: 'official', extraHosts: robotConfig.extraHosts },
  } : null;
  const { bot } = createBot(config, {
    store, logger, clock, importFile: importInWorker, renderTrend: charts.render, renderProducts: charts.renderProducts,
    productMinOrders: config.PRODUCT_MIN_ORDERS, tempDir, linking: tiktok?.botDeps ?? null, robots,
  });

  // Counts updates being handled, so a stop can wait for them (an import finishes or rolls back).
  let inFlight = 0;
  let drained: (() => void) | null = null;
  bot.use(async (_ctx, next) => {
    inFlight++;
    try {
      await next();
    } finally {
      inFlight--;
      if (inFlight === 0) drained?.();
    }
  });

  await bot.init();
  await setCommandMenus(bot.api);

  let runner: RunnerHandle | null = null;
  let server: Server | null = null;
  const webhook = config.WEBHOOK_URL && config.WEBHOOK_SECRET ? { bot, secretToken: config.WEBHOOK_SECRET } : undefined;
  if (webhook || tiktok?.callback) {
    server = httpServer({ ...(webhook ? { webhook } : {}), ...(tiktok?.callback ? { tiktokCallback: tiktok.callback } : {}) });
    await new Promise<void>((resolve) => server?.listen(config.PORT, resolve));
  }
  if (webhook && config.WEBHOOK_URL) {
    await bot.api.setWebhook(config.WEBHOOK_URL, { secret_token: webhook.secretToken, allowed_updates: [...ALLOWED_UPDATES] });
  } else {
    await bot.api.deleteWebhook();
    runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
  }
  // Telegram allows about 30 messages a second in all; summaries keep a little under it.
  const summaries = new DailySummaries({
    store, api: bot.api, clock, logger, renderTrend: charts.render, refreshChat: tiktok?.botDeps.refreshChat,
    instance: `${bot.botInfo.username}-${randomUUID()}`, pacer: ratePacer(SUMMARIES_PER_SECOND),
  });
  const mirrored = robots ? new RobotSummaries({ ...robots, api: bot.api, clock, logger, instance: `${bot.botInfo.username}-${randomUUID()}` }) : null;
  const ticks = startDailyTicks(summaries, logger, mirrored);
  tiktok?.startBackgroundSync();
  logger.info({ event: 'bot_started', username: bot.botInfo.username, mode: webhook ? 'webhook' : 'polling', port: server ? config.PORT : undefined, linking: tiktok !== null, robots: robots !== null }, 'bot started');

  return {
    async stop() {
      logger.info({ event: 'bot_stopping', inFlight }, 'stopping');
      await ticks.stop();
      await tiktok?.stop();
      if (runner?.isRunning()) await runner.stop();
      if (server) await new Promise<void>((resolve) => server?.close(() => resolve()));
      if (inFlight > 0) await new Promise<void>((resolve) => { drained = resolve; });
      await store.close();
      await charts.close();
      await rm(tempDir, { recursive: true, force: true });
      logger.info({ event: 'bot_stopped' }, 'stopped');
    },
  };
}

