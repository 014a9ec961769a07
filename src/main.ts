import { existsSync } from 'node:fs';
import { startBot } from './app.js';
import { ConfigError, readConfig } from './config.js';
import { localeOfEnv } from './core/render/translator.js';
import { translator } from './i18n.js';
import { createLogger, errorMessage, redactToken } from './logger.js';

/** How long a forced stop may take to note the uploads it cut short. */
const CUT_SHORT_NOTE_MS = 2_000;

/** `npm start`: the bot, configured from the environment (and .env when there is one). */
async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const tr = translator(localeOfEnv(process.env));
  let config;
  try {
    config = readConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${tr.t('startup-failed', { reason: error.message })}\n`);
    return 1;
  }
  const logger = createLogger(config.LOG_LEVEL);
  let bot;
  try {
    bot = await startBot(config, logger);
  } catch (error) {
    const reason = redactToken(errorMessage(error), config.BOT_TOKEN ?? '');
    logger.fatal({ event: 'startup_failed', error: reason }, 'start-up failed');
    process.stderr.write(`${tr.t('startup-failed', { reason })}\n`);
    return 1;
  }
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const cause = await new Promise<string>((resolve) => {
    for (const signal of signals) process.once(signal, () => resolve(signal));
    void bot.broken.then((reason) => resolve(`polling refused: ${reason}`));
  });
  logger.info({ event: 'signal', signal: cause }, 'stopping');
  // A second signal, or the time limit, ends the wait: the log line says what was cut short.
  const forced = new Promise<string>((resolve) => {
    const timer = setTimeout(() => resolve(`no clean stop within ${config.STOP_TIMEOUT_SECONDS} s`), config.STOP_TIMEOUT_SECONDS * 1000);
    timer.unref();
    for (const signal of signals) process.once(signal, () => resolve(`second ${signal}`));
  });
  const outcome = await Promise.race([bot.stop().then(() => null), forced]);
  if (outcome !== null) {
    logger.error({ event: 'stop_forced', reason: outcome, cut: bot.underWay() }, 'stop forced: work under way was cut short');
    // Noted for the next start, which tells the chats; bounded, as the database may be what hangs.
    await Promise.race([bot.cutShort(), new Promise((resolve) => setTimeout(resolve, CUT_SHORT_NOTE_MS).unref())])
      .catch((error: unknown) => logger.warn({ event: 'cut_short_not_noted', error: errorMessage(error) }, 'could not note the uploads cut short'));
    return 1;
  }
  return cause.startsWith('SIG') ? 0 : 1;
}

process.exitCode = await main();
// Whatever handle might linger (a connection a library keeps), the process ends once main has.
setTimeout(() => process.exit(), 1000).unref();
