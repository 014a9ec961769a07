import { z } from 'zod';

/**
 * The bot's settings, read once from the environment at start-up and validated here, so a
 * wrong value stops the bot with one line naming the variable instead of failing later.
 * Every variable is listed, with a comment, in `.env.example`.
 */
const Schema = z.object({
  BOT_TOKEN: z.string({ error: 'is not set: get a token from @BotFather and put it in the environment or .env' })
    .regex(/^\d+:[\w-]{30,}$/, { error: 'does not look like a bot token (digits, a colon, then 30+ letters)' }),
  TELEGRAM_API_ROOT: z.url({ error: 'must be a URL such as https://api.telegram.org' }).default('https://api.telegram.org'),
  DATABASE_URL: z.string().min(1).default('sqlite:./data/cancelwatch.sqlite')
    .refine((v) => /^(sqlite:|postgres(ql)?:\/\/)/.test(v), { error: 'must start with sqlite: or postgres://' }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MAX_UPLOAD_MB: z.coerce.number({ error: 'must be a number of megabytes' }).positive().max(2000).default(20),
  WEBHOOK_URL: z.url({ error: 'must be an https URL' }).optional(),
  WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, { error: 'must be 16–256 letters, digits, _ or -' }).optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
}).superRefine((c, ctx) => {
  if (c.WEBHOOK_URL && !c.WEBHOOK_SECRET) ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET'], message: 'is required with WEBHOOK_URL, so only Telegram can post updates' });
});

export type Config = z.infer<typeof Schema>;

export class ConfigError extends Error {}

/** Parses settings from an environment; throws ConfigError naming the first bad variable. */
export function readConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = Schema.safeParse(present);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = String(issue?.path[0] ?? 'configuration');
  throw new ConfigError(`${name} ${issue?.message ?? 'is invalid'}`);
}
