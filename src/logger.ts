import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs, one line per event. Secrets never reach a log line: the paths below
 * are censored wherever they appear in a logged object, and URLs carrying the bot token are
 * never logged (see redactToken).
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({
    level,
    base: { app: 'cancelwatch' },
    redact: {
      paths: ['token', 'botToken', 'accessToken', 'refreshToken', 'appSecret', '*.token', '*.accessToken', '*.refreshToken', '*.appSecret', 'config.BOT_TOKEN'],
      censor: '[secret]',
    },
  }, destination ?? pino.destination(1));
}

/** A text with the bot token (which Telegram puts in API and file URLs) masked. */
export function redactToken(text: string, token: string): string {
  return token ? text.split(token).join('[bot-token]') : text;
}
