import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { run, type RunnerHandle } from '@grammyjs/runner';
import { GrammyError } from 'grammy';
import { ChartPool } from './chart/chart-pool.js';
import { openUploadFolder, removeAbandonedUploadFolders } from './files/upload-folders.js';
import { chartGlyphs } from './chart/trend-chart.js';
import { LOCALES } from './core/render/translator.js';
import { translator } from './i18n.js';
import { setCommandMenus } from './bot/commands.js';
import { CHAT_QUEUE_LIMITS, createBot } from './bot/create-bot.js';
import { linkNotices, telegramApi } from './bot/telegram.js';
import type { TelegramWatch } from './bot/telegram-watch.js';
import { DEFAULT_PORT, dingtalkSettings, feishuSettings, robotSettings, wecomSettings, type Config } from './config.js';
import { Conversation } from './conversation/conversation.js';
import { chatOfKey } from './conversation/platform.js';
import type { PlatformDeps } from './conversation/inbox.js';
import type { DaySummary } from './use-cases/day-summary.js';
import { workerImporter } from './use-cases/read-export-in-worker.js';
import { logError, type Logger } from './logger.js';
import { describeFailure } from './net/failure.js';
import { outbound, proxyForLog } from './net/outbound.js';
import { Metrics } from './ops/metrics.js';
import { loggedReadiness } from './ops/readiness.js';
import { WorkTracker } from './ops/work.js';
import { startDailyTicks, type DailyTicks } from './schedule/cron.js';
import { DailySummaries } from './schedule/daily-summaries.js';
import { RobotSummaries } from './schedule/robot-summaries.js';
import { RobotClient, postJsonWith } from './robots/client.js';
import { ratePacer } from './schedule/pacer.js';
import { httpServer } from './server/http.js';
import { dialectOf, type DbTrouble } from './store/db.js';
import { Store } from './store/store.js';
import { startTikTok } from './tiktok/service.js';
import { Turns } from './use-cases/turns.js';
import { BEAT_MS as UNANSWERED_BEAT_MS, UnansweredUploads } from './use-cases/unanswered-uploads.js';
import { TokenCrypto } from './tiktok/token-crypto.js';
import { resealRobots, type RobotDeps } from './use-cases/robot-targets.js';

const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;
const SUMMARIES_PER_SECOND = 29;
/** One start-up attempt to reach the Bot API may take this long; then it is retried after a pause. */
const START_ATTEMPT_MS = 10_000;
const START_PAUSE_MAX_MS = 30_000;
/** In webhook mode nothing calls Telegram while no one writes: a light call keeps /readyz honest. */
const HEARTBEAT_MS = 60_000;
const LONG_POLL_SECONDS = 30;
/** Imports at once: one per core, but Node does not see a container's CPU quota, and each worker may take ~200 MB. */
const MAX_IMPORTS_AT_ONCE = 4;
/**
 * Each import worker may hold this much of a file's orders before parking them on disk: with
 * one worker per core, a Monday morning of uploads stays within a few hundred MB, and a
 * million-order upload within the bot's 300 MB (the worker is about 115 MB at this budget).
 */
const IMPORT_MEMORY_BUDGET_BYTES = 32 * 1024 * 1024;

/** The log's event for each kind of database trouble. */
const TROUBLE_EVENTS: Record<DbTrouble['kind'], string> = {
  'sqlite-busy': 'database_busy',
  'sqlite-checkpoints-stopped': 'database_checkpoints_stopped',
  'pg-connection-lost': 'database_connection_lost',
  'pg-analyze-failed': 'database_analyze_failed',
};

export interface RunningBot {
  /**
   * Stops fetching updates, waits for the ones under way (an import finishes, or rolls back, and
   * is answered) and for ticks and syncs, confirms the handled updates to Telegram, then closes
   * the database.
   */
  stop(): Promise<void>;
  /** What is under way now: what a forced stop cuts short. */
  underWay(): Array<{ kind: string; label: string; ms: number }>;
  /** A forced stop: the uploads under way will not be answered here; the next start tells their chats. */
  cutShort(): Promise<void>;
  /** Resolves with a reason if the bot can no longer take updates (Telegram refused the polling). */
  broken: Promise<string>;
}

/**
 * Starts the bot in a fixed order: outbound network (proxies), database (migrated), bot identity
 * (retried with backoff a bounded number of times), command menus, the HTTP server, updates by
 * long polling (or by webhook when WEBHOOK_URL is set), then the daily-summary ticks.
 */
export async function startBot(config: Config, logger: Logger): Promise<RunningBot> {
  const token = config.BOT_TOKEN;
  const feishuConfig = feishuSettings(config);
  const dingtalkConfig = dingtalkSettings(config);
  const wecomConfig = wecomSettings(config);
  const apiHost = new URL(config.TELEGRAM_API_ROOT).host;
  const proxy = config.TELEGRAM_API_ROOT.startsWith('https:') ? config.proxies.https : config.proxies.http;
  logger.info({
    event: 'connecting', platforms: [...(token ? ['telegram'] : []), ...(feishuConfig ? ['feishu'] : []), ...(dingtalkConfig ? ['dingtalk'] : []), ...(wecomConfig ? ['wecom'] : [])],
    telegram: token ? apiHost : undefined,
    feishu: feishuConfig ? new URL(feishuConfig.baseUrl).host : undefined, proxy: proxyForLog(proxy) ?? 'none', noProxy: config.proxies.noProxy || undefined,
    database: dialectOf(config.DATABASE_URL),
  }, token ? `connecting to the Bot API at ${apiHost}${proxy ? ` through the proxy ${proxyForLog(proxy)}` : ''}` : 'starting without Telegram');

  const clock = () => Date.now();
  /** This process among the instances sharing the database. */
  const instance = `bot-${randomUUID()}`;
  const metrics = new Metrics({ processMetrics: true });
  const work = new WorkTracker();
  const net = outbound(config.proxies);
  const store = await Store.open(config.DATABASE_URL, clock, {
    onTrouble: ({ kind, detail }) => logger.warn({ event: TROUBLE_EVENTS[kind], detail }, 'database trouble'),
  });
  const tempDir = await openUploadFolder(tmpdir());
  const abandoned = await removeAbandonedUploadFolders(tmpdir(), tempDir, clock());
  if (abandoned.removed.length > 0) logger.info({ event: 'upload_folders_removed', folders: abandoned.removed.length, uploadsCutShort: abandoned.cutShort.length }, 'removed the upload folders of a process that did not stop cleanly');
  // Told to their chats by the first sweep, below, once the bot can send.
  await store.uploadsUnderWay.markCutShort(abandoned.cutShort);
  const charts = new ChartPool(chartGlyphs(LOCALES.map(translator)));
  const release = async () => {
    await store.close();
    await charts.close();
    await net.close();
    await rm(tempDir, { recursive: true, force: true });
  };

  // Linking and group robots are set up and answered in Telegram chats: without Telegram they stay off.
  const telegramSettings = token ? { ...config, BOT_TOKEN: token } : null;
  if (!telegramSettings && (config.TIKTOK_APP_KEY || config.TOKEN_ENCRYPTION_KEY)) logger.warn({ event: 'telegram_features_off' }, 'shop linking and group robots need Telegram (BOT_TOKEN): they are off');
  const tiktok = telegramSettings ? startTikTok(config, store, logger, linkNotices(telegramApi(telegramSettings, net.fetch)), clock, { fetch: net.fetch, metrics, work }) : null;
  const robotConfig = telegramSettings ? robotSettings(config) : null;
  // Robots wait for no rate limit inside a send: the tick comes back for a throttled robot later.
  const robots: RobotDeps | null = robotConfig ? {
    store, renderTrend: charts.render, refreshChat: tiktok?.botDeps.refreshChat, crypto: new TokenCrypto(robotConfig.encryptionKey, robotConfig.previousEncryptionKey),
    client: new RobotClient({ maxRateWaitMs: 0, post: postJsonWith(net.fetch) }), hosts: { kind: 'official', extraHosts: robotConfig.extraHosts },
  } : null;
  // Shared by every platform: imports across them take the same turns.
  const importFile = workerImporter({ memoryBudgetBytes: IMPORT_MEMORY_BUDGET_BYTES });
  const importTurns = new Turns(Math.min(availableParallelism(), MAX_IMPORTS_AT_ONCE));
  const telegram = telegramSettings ? createBot(telegramSettings, {
    store, logger, clock, importFile, importTurns,
    renderTrend: charts.render, renderProducts: charts.renderProducts,
    productMinOrders: config.PRODUCT_MIN_ORDERS, tempDir, linking: tiktok?.botDeps ?? null, robots,
    fetch: net.fetch, metrics, work, instance,
  }) : null;
  const conversation = new Conversation({
    store, logger, clock, importFile, turns: importTurns, renderTrend: charts.render, renderProducts: charts.renderProducts,
    productMinOrders: config.PRODUCT_MIN_ORDERS, tempDir, metrics, instance, maxChatOrders: config.MAX_ORDERS_PER_CHAT,
    refreshChat: tiktok?.botDeps.refreshChat, operatorAdmins: new Set(config.OPERATOR_ADMINS), allowedChats: config.ALLOWED_CHATS,
  });
  const platformDeps: PlatformDeps = {
    conversation, store, logger, metrics, work, clock, tempDir, fetch: net.fetch, proxies: config.proxies, maxUploadMb: config.MAX_UPLOAD_MB, queueLimits: CHAT_QUEUE_LIMITS,
  };
  // Each platform's SDK loads only where the platform is set up: Feishu's alone holds about 70 MB.
  const feishu = feishuConfig ? new (await import('./feishu/feishu.js')).FeishuPlatform(feishuConfig, platformDeps) : null;
  const dingtalk = dingtalkConfig ? new (await import('./dingtalk/dingtalk.js')).DingtalkPlatform(dingtalkConfig, platformDeps) : null;
  const wecom = wecomConfig ? new (await import('./wecom/wecom.js')).WecomPlatform(wecomConfig, platformDeps) : null;
  /** The platforms spoken through the one conversation, by name (Telegram's bot has its own routing). */
  const groupPlatforms = { ...(feishu ? { feishu } : {}), ...(dingtalk ? { dingtalk } : {}), ...(wecom ? { wecom } : {}) };

  let runner: RunnerHandle | null = null;
  let server: Server | null = null;
  let ticks: DailyTicks | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  const startedAt = clock();
  const webhook = telegram && config.WEBHOOK_URL && config.WEBHOOK_SECRET ? { bot: telegram.bot, secretToken: config.WEBHOOK_SECRET } : undefined;
  const feishuRoute = feishu && feishuConfig?.events === 'http' ? feishu.httpRoute() : undefined;
  const dingtalkRoute = dingtalk && dingtalkConfig?.events === 'http' ? dingtalk.httpRoute() : undefined;
  let broken: (reason: string) => void = () => undefined;
  const brokenPromise = new Promise<string>((resolve) => { broken = resolve; });
  try {
    if (telegram) {
      const { bot, watch } = telegram;
      // grammY types its signal as the abort-controller polyfill's; the platform's signal works the same.
      await connectTelegram(() => bot.init(AbortSignal.timeout(START_ATTEMPT_MS) as Parameters<typeof bot.init>[0]), watch, logger, { host: apiHost, attempts: config.TELEGRAM_START_ATTEMPTS });
      await setCommandMenus(bot.api);
    }
    await tiktok?.resealTokens();
    if (robots) await resealRobots(robots, logger);

    const port = config.PORT ?? (webhook || tiktok?.callback || feishuRoute || dingtalkRoute ? DEFAULT_PORT : null);
    if (port !== null) {
      server = httpServer({
        ...(webhook ? { webhook } : {}), ...(tiktok?.callback ? { tiktokCallback: tiktok.callback } : {}), ...(feishuRoute ? { feishuEvents: feishuRoute } : {}), ...(dingtalkRoute ? { dingtalkEvents: dingtalkRoute } : {}),
        metrics, metricsToken: config.METRICS_TOKEN ?? null,
        readiness: loggedReadiness({
          database: () => store.ping(), ticksAliveAt: () => ticks?.lastAliveAt() ?? startedAt,
          ...(telegram ? { telegramOkAt: () => telegram.watch.state().lastOkAt } : {}),
        }, logger),
      });
      await listen(server, port);
    }
    // After the server: HTTP events may come as soon as an app is identified.
    for (const platform of Object.values(groupPlatforms)) await platform.start();
    if (telegram && webhook && config.WEBHOOK_URL) {
      const { bot, watch } = telegram;
      await bot.api.setWebhook(config.WEBHOOK_URL, { secret_token: webhook.secretToken, allowed_updates: [...ALLOWED_UPDATES] });
      heartbeat = setInterval(() => {
        const okAt = watch.state().lastOkAt ?? 0;
        if (Date.now() - okAt >= HEARTBEAT_MS) bot.api.getMe().catch(() => undefined);
      }, HEARTBEAT_MS);
      heartbeat.unref();
    } else if (telegram) {
      const { bot } = telegram;
      await bot.api.deleteWebhook();
      // Silent: fetch errors reach the log through the Bot API watch, not the runner's console.error.
      // A long poll must end before the client gives up on it: Telegram holds it at most one second less than the time limit (30 s at most).
      const pollSeconds = Math.max(1, Math.min(LONG_POLL_SECONDS, config.TELEGRAM_TIMEOUT_SECONDS - 1));
      runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES], timeout: pollSeconds }, silent: true } });
      runner.task()?.catch((error: unknown) => {
        const reason = error instanceof GrammyError ? `${error.error_code} ${error.description}` : describeFailure(error).words;
        logger.fatal({ event: 'polling_stopped', host: apiHost, reason }, 'Telegram refused long polling');
        broken(reason);
      });
    }
  } catch (error) {
    server?.close();
    for (const platform of Object.values(groupPlatforms)) await platform.stop();
    await release();
    throw error;
  }
  // Telegram allows about 30 messages a second in all; summaries keep a little under it. Feishu paces each group's sends itself.
  const summaries = new DailySummaries({
    store, ...(telegram ? { api: telegram.bot.api } : {}), clock, logger, renderTrend: charts.render, refreshChat: tiktok?.botDeps.refreshChat, metrics,
    instance, pacer: ratePacer(SUMMARIES_PER_SECOND),
    posters: Object.fromEntries(Object.entries(groupPlatforms).map(([name, platform]) => [name, (chatId: string, summary: DaySummary) => platform.postSummary(chatId, summary)])),
  });
  const mirrored = robots && telegram ? new RobotSummaries({ ...robots, api: telegram.bot.api, clock, logger, instance }) : null;
  ticks = startDailyTicks(summaries, logger, { work, robots: mirrored });
  tiktok?.startBackgroundSync();
  const unanswered = new UnansweredUploads({
    store, instance, clock, logger,
    async tell(upload) {
      const chat = await store.chats.find(upload.chatId);
      const tr = translator(chat?.locale ?? 'en');
      const text = tr.t(upload.stored ? 'bot-upload-stored-unanswered' : 'bot-upload-not-imported', { file: upload.fileName });
      const { platform, id } = chatOfKey(upload.chatId);
      if (platform === 'telegram') await telegram?.bot.api.sendMessage(id, text);
      else await groupPlatforms[platform]?.to(id).text(text);
    },
  });
  const sweepUnanswered = () => {
    if (work.isStopping) return;
    void work.track('sweep', 'unanswered uploads', () => unanswered.sweep())
      .catch((error: unknown) => logger.error({ event: 'upload_sweep_failed', err: logError(error) }, 'could not look for unanswered uploads'));
  };
  sweepUnanswered();
  const sweeping = setInterval(sweepUnanswered, UNANSWERED_BEAT_MS);
  sweeping.unref();
  logger.info({ event: 'bot_started', username: telegram?.bot.botInfo.username, platforms: [...(telegram ? ['telegram'] : []), ...Object.keys(groupPlatforms)], mode: webhook ? 'webhook' : 'polling', port: server ? config.PORT ?? DEFAULT_PORT : undefined, linking: tiktok !== null, robots: robots !== null }, 'bot started');

  return {
    broken: brokenPromise,
    underWay: () => work.underWay(),
    cutShort: () => unanswered.cutShort(),
    async stop() {
      logger.info({ event: 'bot_stopping', underWay: work.underWay() }, 'stopping');
      work.beginStop();
      if (heartbeat) clearInterval(heartbeat);
      clearInterval(sweeping);
      if (runner?.isRunning()) await runner.stop();
      for (const platform of Object.values(groupPlatforms)) await platform.stop();
      // No new webhook requests; the ones being handled are tracked work.
      const closed = server ? new Promise<void>((resolve) => server?.close(() => resolve())) : Promise.resolve();
      await Promise.all([ticks?.stop(), tiktok?.stop(), work.idle()]);
      // As grammY's own stop does: tell Telegram which updates were handled, so a restart does not see them again.
      const handled = telegram?.highestHandled() ?? null;
      if (runner && handled !== null) {
        await telegram?.bot.api.getUpdates({ offset: handled + 1, limit: 1, timeout: 0 })
          .catch((error: unknown) => logger.warn({ event: 'confirm_failed', reason: describeFailure(error).words }, 'could not confirm handled updates'));
      }
      server?.closeAllConnections();
      await closed;
      await release();
      logger.info({ event: 'bot_stopped' }, 'stopped');
    },
  };
}

/**
 * The first call to Telegram, tried `attempts` times with growing pauses. A revoked token is not
 * retried. Each failure is logged by the watch (host and cause); the retry plan is logged here.
 */
async function connectTelegram(init: () => Promise<void>, watch: TelegramWatch, logger: Logger, options: { host: string; attempts: number }): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await init();
      return;
    } catch (error) {
      if (error instanceof GrammyError && error.error_code === 401) {
        throw new Error(`the Bot API at ${options.host} refused the bot token (401 Unauthorized): it was revoked or is wrong`);
      }
      const failure = watch.state().lastFailure ?? describeFailure(error);
      if (attempt >= options.attempts) throw new Error(`cannot reach the Bot API at ${options.host} after ${attempt} attempts: ${failure.words}`);
      const pauseMs = Math.min(START_PAUSE_MAX_MS, 1000 * 2 ** attempt);
      logger.warn({ event: 'telegram_start_retry', host: options.host, attempt, attempts: options.attempts, cause: failure.cause, reason: failure.words, retryInSeconds: pauseMs / 1000 }, `cannot reach the Bot API at ${options.host} (${failure.words}); trying again`);
      await sleep(pauseMs);
    }
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
