import { z } from 'zod';
import { localeOfEnv } from './core/render/translator.js';
import { translator } from './i18n.js';
import { proxiesFromEnv, type ProxySettings } from './net/outbound.js';

/**
 * The bot's settings, read once from the environment at start-up and validated here, so a
 * wrong value stops the bot with one line naming the variable instead of failing later.
 * Every variable is listed, with a comment, in `.env.example`. Error texts are locale keys.
 */
const url = (key: string) => z.url({ error: key, protocol: /^https?$/ });
const encryptionKey = z.string().refine((v) => /^[0-9a-fA-F]{64}$/.test(v) || Buffer.from(v, 'base64').length === 32, { error: 'config-encryption-key' });
const Schema = z.object({
  // Telegram; optional when another platform is configured.
  BOT_TOKEN: z.string().regex(/^\d+:[\w-]{30,}$/, { error: 'config-bot-token-format' }).optional(),
  // Feishu/Lark: an app's id and secret; events by the SDK's long connection, or over HTTP.
  FEISHU_APP_ID: z.string().regex(/^cli_\w{4,64}$/, { error: 'config-feishu-app-id' }).optional(),
  FEISHU_APP_SECRET: z.string().min(8, { error: 'config-secret' }).max(256, { error: 'config-secret' }).optional(),
  FEISHU_ENCRYPT_KEY: z.string().min(1).max(256, { error: 'config-secret' }).optional(),
  FEISHU_VERIFICATION_TOKEN: z.string().min(1).max(256, { error: 'config-secret' }).optional(),
  FEISHU_DOMAIN: z.string().default('feishu').refine((v) => v === 'feishu' || v === 'lark' || /^https?:\/\/[^/]+/.test(v), { error: 'config-feishu-domain' })
    .transform((v) => (v === 'feishu' ? 'https://open.feishu.cn' : v === 'lark' ? 'https://open.larksuite.com' : v.replace(/\/+$/, ''))),
  FEISHU_EVENTS: z.enum(['ws', 'http'], { error: 'config-feishu-events' }).default('ws'),
  // DingTalk: an internal app's ClientID (AppKey) and ClientSecret; messages by the SDK's stream, or HTTP callbacks.
  DINGTALK_CLIENT_ID: z.string().regex(/^[\w-]{6,128}$/, { error: 'config-dingtalk-client-id' }).optional(),
  DINGTALK_CLIENT_SECRET: z.string().min(8, { error: 'config-secret' }).max(256, { error: 'config-secret' }).optional(),
  DINGTALK_API_ROOT: url('config-url').default('https://api.dingtalk.com').transform((v) => v.replace(/\/+$/, '')),
  DINGTALK_OAPI_ROOT: url('config-url').default('https://oapi.dingtalk.com').transform((v) => v.replace(/\/+$/, '')),
  DINGTALK_EVENTS: z.enum(['stream', 'http'], { error: 'config-dingtalk-events' }).default('stream'),
  // WeCom smart bot (API mode, long connection): the bot's id and secret from the admin console.
  WECOM_BOT_ID: z.string().regex(/^[\w-]{4,128}$/, { error: 'config-wecom-bot-id' }).optional(),
  WECOM_BOT_SECRET: z.string().min(8, { error: 'config-secret' }).max(256, { error: 'config-secret' }).optional(),
  WECOM_WS_URL: z.string().default('wss://openws.work.weixin.qq.com').refine((v) => /^wss?:\/\/[^/\s]+/.test(v), { error: 'config-wecom-ws-url' }),
  // People made admins of every group, as platform:id (feishu:ou_…, telegram:12345).
  OPERATOR_ADMINS: z.string().default('').transform((v) => v.split(',').map((a) => a.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^(telegram|feishu|dingtalk|wecom):[\w$:=@.+-]{1,128}$/, { error: 'config-operator-admins' }))),
  TELEGRAM_API_ROOT: url('config-url').default('https://api.telegram.org').transform((v) => v.replace(/\/+$/, '')),
  DATABASE_URL: z.string().default('sqlite:./data/cancelwatch.sqlite')
    .refine((v) => /^(sqlite:.+|postgres(ql)?:\/\/.+)/.test(v), { error: 'config-database-url' }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'config-log-level' }).default('info'),
  MAX_UPLOAD_MB: z.coerce.number({ error: 'config-megabytes' }).min(1, { error: 'config-megabytes' }).max(2000, { error: 'config-megabytes' }).default(20),
  WEBHOOK_URL: url('config-url').optional(),
  WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, { error: 'config-webhook-secret-format' }).optional(),
  // Set: the HTTP server (health, metrics, webhook, TikTok callback) listens here. Unset: only
  // when the webhook or the TikTok callback needs it, on DEFAULT_PORT.
  PORT: z.coerce.number({ error: 'config-port' }).int({ error: 'config-port' }).min(1, { error: 'config-port' }).max(65535, { error: 'config-port' }).optional(),
  // Set: GET /metrics asks for `Authorization: Bearer <token>`, for a port strangers can reach. Unset: open.
  METRICS_TOKEN: z.string().regex(/^[A-Za-z0-9._~+/=-]{16,256}$/, { error: 'config-metrics-token' }).optional(),
  TELEGRAM_TIMEOUT_SECONDS: z.coerce.number({ error: 'config-seconds' }).int({ error: 'config-seconds' }).min(1, { error: 'config-seconds' }).max(600, { error: 'config-seconds' }).default(60),
  TELEGRAM_START_ATTEMPTS: z.coerce.number({ error: 'config-count' }).int({ error: 'config-count' }).min(1, { error: 'config-count' }).max(100, { error: 'config-count' }).default(6),
  STOP_TIMEOUT_SECONDS: z.coerce.number({ error: 'config-seconds' }).int({ error: 'config-seconds' }).min(1, { error: 'config-seconds' }).max(600, { error: 'config-seconds' }).default(30),
  TIKTOK_APP_KEY: z.string().optional(),
  TIKTOK_APP_SECRET: z.string().optional(),
  TIKTOK_SERVICE_ID: z.string().optional(),
  TIKTOK_API_BASE: url('config-url').default('https://open-api.tiktokglobalshop.com').transform((v) => v.replace(/\/+$/, '')),
  TIKTOK_AUTH_BASE: url('config-url').default('https://auth.tiktok-shops.com').transform((v) => v.replace(/\/+$/, '')),
  TIKTOK_AUTHORIZE_URL: url('config-url').default('https://services.tiktokshop.com/open/authorize'),
  PUBLIC_URL: url('config-url').optional().transform((v) => v?.replace(/\/+$/, '')),
  TOKEN_ENCRYPTION_KEY: encryptionKey.optional(),
  TOKEN_ENCRYPTION_KEY_PREVIOUS: encryptionKey.optional(),
  SYNC_MINUTES: z.coerce.number({ error: 'config-minutes' }).int({ error: 'config-minutes' }).min(1, { error: 'config-minutes' }).max(1440, { error: 'config-minutes' }).default(30),
  // How long /rate or a summary waits for its own chat's shops to sync before answering from stored data (0: never waits).
  SYNC_WAIT_SECONDS: z.coerce.number({ error: 'config-sync-wait' }).int({ error: 'config-sync-wait' }).min(0, { error: 'config-sync-wait' }).max(60, { error: 'config-sync-wait' }).default(5),
  // Group robots: hosts beyond the services' own that a group may name (a relay, a test server).
  ROBOT_HOSTS: z.string().default('').transform((v) => v.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[a-z0-9.-]+(:\d{1,5})?$/, { error: 'config-robot-hosts' }))),
  // Chats the bot serves: Telegram's by id or @username, other platforms' as platform:id. A platform with none listed serves every chat.
  ALLOWED_CHATS: z.string().default('').transform((v) => v.split(',').map((c) => c.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^(-?\d{1,20}|@\w{4,64}|(feishu|dingtalk|wecom):[\w$:=@.+-]{1,128})$/, { error: 'config-allowed-chats' }))),
  // Orders a chat may keep stored; an upload that would pass it is refused whole.
  MAX_ORDERS_PER_CHAT: z.coerce.number({ error: 'config-order-cap' }).int({ error: 'config-order-cap' }).min(1000, { error: 'config-order-cap' }).max(1_000_000_000, { error: 'config-order-cap' }).default(5_000_000),
  // Products: placed orders a product needs in a window before it gets a rate.
  PRODUCT_MIN_ORDERS: z.coerce.number({ error: 'config-product-min-orders' }).int({ error: 'config-product-min-orders' }).min(1, { error: 'config-product-min-orders' }).max(100_000, { error: 'config-product-min-orders' }).default(20),
}).superRefine((c, ctx) => {
  // At least one platform; a platform's settings all present or none.
  const platforms = [c.BOT_TOKEN, c.FEISHU_APP_ID, c.FEISHU_APP_SECRET, c.DINGTALK_CLIENT_ID, c.DINGTALK_CLIENT_SECRET, c.WECOM_BOT_ID, c.WECOM_BOT_SECRET];
  if (platforms.every((v) => !v)) ctx.addIssue({ code: 'custom', path: ['BOT_TOKEN'], message: 'config-bot-token-missing' });
  const pairs = [['FEISHU_APP_ID', 'FEISHU_APP_SECRET'], ['DINGTALK_CLIENT_ID', 'DINGTALK_CLIENT_SECRET'], ['WECOM_BOT_ID', 'WECOM_BOT_SECRET']] as const;
  for (const [given, needed] of pairs.flatMap(([a, b]) => [[a, b], [b, a]] as const)) {
    if (c[given] && !c[needed]) ctx.addIssue({ code: 'custom', path: [needed], message: 'config-platform-incomplete' });
  }
  // Over HTTP anyone could post events: the verification token tells Feishu's from a stranger's.
  if (c.FEISHU_APP_ID && c.FEISHU_EVENTS === 'http' && !c.FEISHU_VERIFICATION_TOKEN) ctx.addIssue({ code: 'custom', path: ['FEISHU_VERIFICATION_TOKEN'], message: 'config-feishu-http-token' });
  if (c.WEBHOOK_URL && !c.WEBHOOK_SECRET) ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET'], message: 'config-webhook-secret-missing' });
  // Linking is on only with everything it needs; an app key alone is a half-done setup worth stopping for.
  if (c.TIKTOK_APP_KEY) {
    for (const name of ['TIKTOK_APP_SECRET', 'TIKTOK_SERVICE_ID', 'TOKEN_ENCRYPTION_KEY'] as const) {
      if (!c[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'config-linking-incomplete' });
    }
  }
});

export type Config = z.infer<typeof Schema> & {
  /** HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY (either case), for every outbound call. */
  proxies: ProxySettings;
};

/** The HTTP server's port when PORT is unset but the webhook or the TikTok callback needs one. */
export const DEFAULT_PORT = 8080;

/** The TikTok settings when linking is enabled, else null. */
export function linkingSettings(c: Config) {
  if (!c.TIKTOK_APP_KEY || !c.TIKTOK_APP_SECRET || !c.TIKTOK_SERVICE_ID || !c.TOKEN_ENCRYPTION_KEY) return null;
  return {
    app: { appKey: c.TIKTOK_APP_KEY, appSecret: c.TIKTOK_APP_SECRET, apiBase: c.TIKTOK_API_BASE, authBase: c.TIKTOK_AUTH_BASE },
    serviceId: c.TIKTOK_SERVICE_ID, authorizeUrl: c.TIKTOK_AUTHORIZE_URL, publicUrl: c.PUBLIC_URL ?? null,
    encryptionKey: c.TOKEN_ENCRYPTION_KEY, previousEncryptionKey: c.TOKEN_ENCRYPTION_KEY_PREVIOUS ?? null, syncMinutes: c.SYNC_MINUTES,
    syncWaitSeconds: c.SYNC_WAIT_SECONDS,
  };
}
export type LinkingSettings = NonNullable<ReturnType<typeof linkingSettings>>;

/** The group-robot settings when robots are enabled (their addresses need the encryption key), else null. */
export function robotSettings(c: Config) {
  if (!c.TOKEN_ENCRYPTION_KEY) return null;
  return { encryptionKey: c.TOKEN_ENCRYPTION_KEY, previousEncryptionKey: c.TOKEN_ENCRYPTION_KEY_PREVIOUS ?? null, extraHosts: c.ROBOT_HOSTS };
}

/** The Feishu settings when Feishu is configured, else null. */
export function feishuSettings(c: Config) {
  if (!c.FEISHU_APP_ID || !c.FEISHU_APP_SECRET) return null;
  return {
    appId: c.FEISHU_APP_ID, appSecret: c.FEISHU_APP_SECRET, baseUrl: c.FEISHU_DOMAIN, events: c.FEISHU_EVENTS,
    encryptKey: c.FEISHU_ENCRYPT_KEY ?? null, verificationToken: c.FEISHU_VERIFICATION_TOKEN ?? null,
  };
}

/** The DingTalk settings when DingTalk is configured, else null. */
export function dingtalkSettings(c: Config) {
  if (!c.DINGTALK_CLIENT_ID || !c.DINGTALK_CLIENT_SECRET) return null;
  return { clientId: c.DINGTALK_CLIENT_ID, clientSecret: c.DINGTALK_CLIENT_SECRET, apiRoot: c.DINGTALK_API_ROOT, oapiRoot: c.DINGTALK_OAPI_ROOT, events: c.DINGTALK_EVENTS };
}

/** The WeCom smart-bot settings when WeCom is configured, else null. */
export function wecomSettings(c: Config) {
  if (!c.WECOM_BOT_ID || !c.WECOM_BOT_SECRET) return null;
  return { botId: c.WECOM_BOT_ID, botSecret: c.WECOM_BOT_SECRET, wsUrl: c.WECOM_WS_URL };
}

export class ConfigError extends Error {}

/**
 * Parses settings from an environment; throws ConfigError naming the first bad variable, in
 * the operator's language (from LANG). Values are never repeated in the message: one may be a secret.
 */
export function readConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const tr = translator(localeOfEnv(env));
  const result = Schema.safeParse(present);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue?.path[0] ?? '');
    const key = issue?.message.startsWith('config-') ? issue.message : 'config-invalid';
    throw new ConfigError(tr.t(key, { name }));
  }
  const { sources, ...proxies } = proxiesFromEnv(env);
  // undici's proxy agent speaks to http and https proxies only (not SOCKS).
  const bad = sources.find((s) => !/^https?:\/\/[^/]+/.test(s.value) || !URL.canParse(s.value));
  if (bad) throw new ConfigError(tr.t('config-proxy', { name: bad.name }));
  return { ...result.data, proxies };
}
