import { existsSync } from 'node:fs';
import { startBot } from './app.js';
import { ConfigError, readConfig } from './config.js';
import { localeOfEnv } from './core/render/translator.js';
import { translator } from './i18n.js';
import { createLogger, errorMessage, redactToken } from './logger.js';

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
  try {
    const bot = await startBot(config, logger);
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        logger.info({ event: 'signal', signal }, 'signal received');
        void bot.stop().then(resolve);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  } catch (error) {
    const reason = redactToken(errorMessage(error), config.BOT_TOKEN);
    logger.fatal({ event: 'startup_failed', error: reason }, 'start-up failed');
    process.stderr.write(`${tr.t('startup-failed', { reason })}\n`);
    return 1;
  }
}

process.exitCode = await main();
