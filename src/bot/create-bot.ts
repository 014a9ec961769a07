import { Bot, GrammyError, type MiddlewareFn } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { DEFAULT_THRESHOLD } from '../core/render/text.js';
import { localeOf, type Locale } from '../core/render/translator.js';
import { translator } from '../i18n.js';
import { logError } from '../logger.js';
import { Metrics, updateKind } from '../ops/metrics.js';
import { WorkTracker } from '../ops/work.js';
import { adminCheck } from './admin.js';
import { allowedChats } from './allowed-chats.js';
import { ChatQueues, NoticeCooldown, type ChatQueueLimits, type DropReason } from '../conversation/chat-queues.js';
import { FloodGate } from './flood-gate.js';
import type { BotContext } from './context.js';
import type { BotDeps, BotSettings } from './deps.js';
import { chatInfoFeature } from './features/chat-info.js';
import { forgetFeature } from './features/forget.js';
import { linkFeature } from './features/link.js';
import { membershipFeature } from './features/membership.js';
import { migrateFeature } from './features/migrate.js';
import { pushFeature } from './features/push.js';
import { rateFeature } from './features/rate.js';
import { settingsFeature } from './features/settings.js';
import { retrying, telegramClientOptions } from './telegram.js';
import { telegramWatch } from './telegram-watch.js';
import { unknownCommandFeature } from './features/unknown.js';
import { uploadFeature } from './features/upload.js';

/**
 * A new chat's zone until an admin sets the shop's own with /tz: China's for Chinese-speaking
 * chats (most sell from there), UTC otherwise. /start says which, and how to change it.
 */
const DEFAULT_TIME_ZONE: Record<Locale, string> = { zh: 'Asia/Shanghai', en: 'UTC' };

/**
 * A person rarely has more than an upload and a command or two in flight; a group that sends
 * more is flooding, and what it sends beyond this is dropped rather than queued.
 */
export const CHAT_QUEUE_LIMITS: ChatQueueLimits = { perChat: 5, total: 300 };
/** A reply waits this long at most for its chat's flood wait to end; a longer one drops the reply. */
const FLOOD_WAIT_MAX_MS = 10_000;
/** A flooding chat is told to slow down, and a chat outside ALLOWED_CHATS that it is not served, at most this often. */
const NOTICE_EVERY_MS = 10 * 60_000;

/**
 * The bot, built from its settings and dependencies; nothing is read from the environment
 * here. Updates of one chat are handled one at a time (so two uploads never interleave),
 * different chats side by side, each chat within its share (`ChatQueues`), and a flood wait
 * Telegram sets for one chat holds only that chat (`FloodGate`).
 */
export function createBot(settings: BotSettings, deps: BotDeps, options: { botInfo?: UserFromGetMe; queueLimits?: ChatQueueLimits } = {}) {
  const metrics = deps.metrics ?? new Metrics();
  const work = deps.work ?? new WorkTracker();
  const bot = new Bot<BotContext>(settings.BOT_TOKEN, {
    client: telegramClientOptions(settings, deps.fetch),
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });
  // Installed first, so it sits next to the network and sees each of auto-retry's attempts.
  const watch = telegramWatch({ host: new URL(settings.TELEGRAM_API_ROOT).host, logger: deps.logger, metrics, clock: deps.clock });
  bot.api.config.use(watch.transformer);
  bot.api.config.use(retrying());
  const floodGate = new FloodGate({ clock: deps.clock, maxWaitMs: FLOOD_WAIT_MAX_MS });
  bot.api.config.use(floodGate.transformer);
  const isAdmin = adminCheck(deps.clock);
  const queues = new ChatQueues(options.queueLimits ?? CHAT_QUEUE_LIMITS);
  const slowDownNotices = new NoticeCooldown(deps.clock, NOTICE_EVERY_MS);
  const overloadLogs = new NoticeCooldown(deps.clock, 60_000);

  /** An update not handled: counted, logged once per flood, and the chat told once to slow down. */
  async function dropped(ctx: BotContext, reason: DropReason | 'flood-wait'): Promise<void> {
    metrics.updatesDropped.inc({ reason });
    const chatId = String(ctx.chat?.id);
    if (reason === 'bot-queue-full') {
      if (overloadLogs.take('bot')) deps.logger.warn({ event: 'bot_overloaded', waiting: queues.waiting }, 'too many updates waiting: dropping new ones');
      return;
    }
    if (reason === 'flood-wait' || !slowDownNotices.take(chatId)) return;
    deps.logger.warn({ event: 'chat_flooding', chat: chatId, update: ctx.update.update_id }, 'a chat sends faster than it is answered: dropping its updates');
    const known = await deps.store.chats.find(chatId).catch(() => null);
    const tr = translator(known?.locale ?? localeOf(ctx.from?.language_code));
    await ctx.reply(tr.t('bot-slow-down')).catch((error: unknown) => {
      deps.logger.warn({ event: 'slow_down_not_sent', chat: chatId, err: logError(error, settings.BOT_TOKEN) }, 'could not tell a flooding chat');
    });
  }

  /** Tells the chat that its update failed on our side, so nothing fails silently. */
  async function answerFailure(ctx: BotContext, error: unknown): Promise<void> {
    if (error instanceof GrammyError && error.error_code === 429) {
      // The chat is in a flood wait longer than a reply may wait: the reply is dropped, nothing failed.
      metrics.updatesDropped.inc({ reason: 'flood-wait' });
      deps.logger.warn({ event: 'reply_dropped', chat: ctx.chat?.id, update: ctx.update.update_id, retryAfter: error.parameters.retry_after }, 'reply dropped: the chat is in a flood wait');
      return;
    }
    metrics.handlerErrors.inc();
    deps.logger.error({ event: 'handler_error', chat: ctx.chat?.id, update: ctx.update.update_id, err: logError(error, settings.BOT_TOKEN) }, 'update failed');
    // A chat that blocked or removed the bot cannot be told anything.
    if (error instanceof GrammyError && error.error_code === 403) return;
    try {
      // The chat's language when its settings were read, else the sender's (the database may be what failed).
      const tr = (ctx as Partial<BotContext>).tr ?? translator(localeOf(ctx.from?.language_code));
      if (ctx.chat) await ctx.reply(tr.t('bot-busy'));
    } catch (replyError) {
      deps.logger.warn({ event: 'busy_reply_failed', chat: ctx.chat?.id, update: ctx.update.update_id, err: logError(replyError, settings.BOT_TOKEN) }, 'could not tell the chat');
    }
  }

  // First of all: every update is counted and tracked until it is answered, errors included, so
  // a stop waits for it (whatever feature handles it, and whether or not that calls next()).
  let highestHandled: number | null = null;
  bot.use(async (ctx, next) => {
    const kind = updateKind(ctx.update);
    metrics.updates.inc({ kind });
    await work.track('update', `${kind} ${ctx.update.update_id}${ctx.chat ? ` chat ${ctx.chat.id}` : ''}`, async () => {
      try {
        await next();
      } catch (error) {
        await answerFailure(ctx, error);
      } finally {
        // Noted before the work counts as done, so a stop that waited for it confirms it.
        highestHandled = Math.max(highestHandled ?? 0, ctx.update.update_id);
      }
    });
  });
  const isAllowed = allowedChats(settings.ALLOWED_CHATS ?? []);
  const refusalNotices = new NoticeCooldown(deps.clock, NOTICE_EVERY_MS);
  bot.use(async (ctx, next) => {
    if (isAllowed(ctx.chat, ctx.from)) return next();
    metrics.updatesDropped.inc({ reason: 'not-allowed' });
    const chatId = String(ctx.chat?.id);
    // A stranger can send without end: one log line and one refusal per chat every ten minutes.
    if (!refusalNotices.take(chatId)) return;
    deps.logger.warn({ event: 'chat_not_allowed', chat: chatId, kind: ctx.chat?.type }, 'a chat outside ALLOWED_CHATS was refused');
    await ctx.reply(translator(localeOf(ctx.from?.language_code)).t('bot-chat-not-allowed')).catch(() => undefined);
  });
  bot.use(async (ctx, next) => {
    const chatId = ctx.chat?.id.toString();
    // Checked again at the update's turn: its chat may have been held meanwhile.
    let held = floodGate.isFlooded(chatId);
    const refused = held ? null : await queues.run(chatId, async () => {
      held = floodGate.isFlooded(chatId);
      if (!held) await next();
    });
    if (held || refused) await dropped(ctx, refused ?? 'flood-wait');
  });
  bot.use(chatLanguage);
  bot.use(loadChatSettings(deps));

  bot.use(migrateFeature(deps));
  bot.use(membershipFeature(deps));
  bot.use(chatInfoFeature(deps, isAdmin));
  bot.use(rateFeature(deps, isAdmin));
  bot.use(uploadFeature(settings, deps, metrics, isAdmin));
  bot.use(settingsFeature(deps, isAdmin));
  bot.use(forgetFeature(deps, isAdmin));
  bot.use(linkFeature(deps, isAdmin, deps.linking ?? null));
  bot.use(pushFeature(deps, isAdmin));
  bot.use(unknownCommandFeature());

  // Errors are answered by the first middleware; this catches what escapes even that.
  bot.catch(({ ctx, error }) => answerFailure(ctx, error));
  return {
    bot, watch,
    /** The newest update id whose handling finished (the offset a stop confirms to Telegram), or null. */
    highestHandled: () => highestHandled,
  };
}

/**
 * `ctx.tr`, read from the chat's settings each time it is used: replies follow the chat's
 * language, not the sender's (a group shares one, set with /lang).
 */
const chatLanguage: MiddlewareFn<BotContext> = (ctx, next) => {
  ctx.chatSettings = null;
  Object.defineProperty(ctx, 'tr', { get: () => translator(ctx.chatSettings?.locale ?? localeOf(ctx.from?.language_code)) });
  return next();
};

/** The chat's settings on every update that has a chat, created the first time a chat is seen. */
function loadChatSettings(deps: BotDeps): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    if (ctx.chat) {
      // The person who sets the bot up decides the first language; /lang changes it for everyone.
      const locale = localeOf(ctx.from?.language_code);
      ctx.chatSettings = await deps.store.chats.ensure(String(ctx.chat.id), { locale, timeZone: DEFAULT_TIME_ZONE[locale], threshold: DEFAULT_THRESHOLD });
    }
    await next();
  };
}
