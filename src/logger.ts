import { createRequire } from 'node:module';
import type * as Pino from 'pino';

export type Logger = Pino.Logger;

/** pino loads with the first logger: the CLI, which only needs the helpers below, never pays for it. */
const pinoOf = () => (createRequire(import.meta.url)('pino') as typeof Pino).pino;

/**
 * Structured JSON logs, one line per event. Secrets never reach a log line: the paths below
 * are censored wherever they appear in a logged object, and URLs carrying the bot token are
 * never logged (see redactToken).
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const pino = pinoOf();
  return pino({
    level,
    base: { app: 'cancelwatch' },
    redact: {
      paths: ['token', 'botToken', 'accessToken', 'refreshToken', 'appSecret', '*.token', '*.accessToken', '*.refreshToken', '*.appSecret', 'config.BOT_TOKEN', 'botSecret', 'clientSecret', 'encryptKey', 'verificationToken', '*.botSecret', '*.clientSecret', '*.encryptKey', '*.verificationToken'],
      censor: '[secret]',
    },
  }, destination ?? pino.destination(1));
}

/** A text with the bot token (which Telegram puts in API and file URLs) masked. */
export function redactToken(text: string, token: string): string {
  return token ? text.split(token).join('[bot-token]') : text;
}

/** An error's message, whatever was thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A thrown value as a log line's `err` field: its type, message and stack, so a failure can be
 * traced from the log. The bot token (in Telegram's API and file URLs) is masked wherever it appears.
 */
export function logError(error: unknown, token = ''): { type: string; message: string; stack?: string } {
  if (!(error instanceof Error)) return { type: typeof error, message: redactToken(String(error), token) };
  return { type: error.name, message: redactToken(error.message, token), ...(error.stack ? { stack: redactToken(error.stack, token) } : {}) };
}
