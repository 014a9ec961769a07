import { z } from 'zod';
import { localeOf } from './core/render/translator.js';
import { translator } from './i18n.js';

/**
 * The bot's settings, read once from the environment at start-up and validated here, so a
 * wrong value stops the bot with one line naming the variable instead of failing later.
 * Every variable is listed, with a comment, in `.env.example`. Error texts are locale keys.
 */
const url = (key: string) => z.url({ error: key, protocol: /^https?$/ });
const Schema = z.object({
  BOT_TOKEN: z.string({ error: 'config-bot-token-missing' }).regex(/^\d+:[\w-]{30,}$/, { error: 'config-bot-token-format' }),
  TELEGRAM_API_ROOT: url('config-url').default('https://api.telegram.org').transform((v) => v.replace(/\/+$/, '')),
  DATABASE_URL: z.string().default('sqlite:./data/cancelwatch.sqlite')
    .refine((v) => /^(sqlite:.+|postgres(ql)?:\/\/.+)/.test(v), { error: 'config-database-url' }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'config-log-level' }).default('info'),
  MAX_UPLOAD_MB: z.coerce.number({ error: 'config-megabytes' }).min(1, { error: 'config-megabytes' }).max(2000, { error: 'config-megabytes' }).default(20),
  WEBHOOK_URL: url('config-url').optional(),
  WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, { error: 'config-webhook-secret-format' }).optional(),
  PORT: z.coerce.number({ error: 'config-port' }).int({ error: 'config-port' }).min(1, { error: 'config-port' }).max(65535, { error: 'config-port' }).default(8080),
}).superRefine((c, ctx) => {
  if (c.WEBHOOK_URL && !c.WEBHOOK_SECRET) ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET'], message: 'config-webhook-secret-missing' });
});

export type Config = z.infer<typeof Schema>;

export class ConfigError extends Error {}

/**
 * Parses settings from an environment; throws ConfigError naming the first bad variable, in
 * the operator's language (from LANG). Values are never repeated in the message: one may be a secret.
 */
export function readConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = Schema.safeParse(present);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = String(issue?.path[0] ?? '');
  const tr = translator(localeOf(env['LC_ALL'] || env['LC_MESSAGES'] || env['LANG']));
  const key = issue?.message.startsWith('config-') ? issue.message : 'config-invalid';
  throw new ConfigError(tr.t(key, { name }));
}
