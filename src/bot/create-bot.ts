import { sequentialize } from '@grammyjs/runner';
import { Bot, GrammyError, type MiddlewareFn } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { DEFAULT_THRESHOLD } from '../core/render/text.js';
import { localeOf, type Locale } from '../core/render/translator.js';
import { translator } from '../i18n.js';
import { logError } from '../logger.js';
import { adminCheck } from './admin.js';
import type { BotContext } from './context.js';
import type { BotDeps, BotSettings } from './deps.js';
import { forgetFeature } from './features/forget.js';
import { linkFeature } from './features/link.js';
import { membershipFeature } from './features/membership.js';
import { migrateFeature } from './features/migrate.js';
import { productsFeature } from './features/products.js';
import { pushFeature } from './features/push.js';
import { rateFeature } from './features/rate.js';
import { settingsFeature } from './features/settings.js';
import { shopsFeature } from './features/shops.js';
import { startFeature } from './features/start.js';
import { retrying } from './telegram.js';
import { unknownCommandFeature } from './features/unknown.js';
import { uploadFeature } from './features/upload.js';

/**
 * A new chat's zone until an admin sets the shop's own with /tz: China's for Chinese-speaking
 * chats (most sell from there), UTC otherwise. /start says which, and how to change it.
 */
const DEFAULT_TIME_ZONE: Record<Locale, string> = { zh: 'Asia/Shanghai', en: 'UTC' };

/**
 * The bot, built from its settings and dependencies; nothing is read from the environment
 * here. Updates of one chat are handled one at a time (so two uploads never interleave),
 * different chats side by side.
 */
export function createBot(settings: BotSettings, deps: BotDeps, options: { botInfo?: UserFromGetMe } = {}) {
  const bot = new Bot<BotContext>(settings.BOT_TOKEN, {
    client: { apiRoot: settings.TELEGRAM_API_ROOT },
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });
  bot.api.config.use(retrying());
  const isAdmin = adminCheck(deps.clock);

  bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
  bot.use(chatLanguage);
  bot.use(loadChatSettings(deps));

  bot.use(migrateFeature(deps));
  bot.use(membershipFeature(deps));
  bot.use(startFeature());
  bot.use(rateFeature(deps));
  bot.use(productsFeature(deps));
  bot.use(uploadFeature(settings, deps));
  bot.use(settingsFeature(deps, isAdmin));
  bot.use(shopsFeature(deps));
  bot.use(forgetFeature(deps, isAdmin));
  bot.use(linkFeature(deps, isAdmin, deps.linking ?? null));
  bot.use(pushFeature(deps, isAdmin));
  bot.use(unknownCommandFeature());

  bot.catch(async ({ ctx, error }) => {
    deps.logger.error({ event: 'handler_error', chat: ctx.chat?.id, update: ctx.update.update_id, err: logError(error, settings.BOT_TOKEN) }, 'update failed');
    // A chat that blocked or removed the bot cannot be told anything.
    if (error instanceof GrammyError && error.error_code === 403) return;
    try {
      if (ctx.chat) await ctx.reply(ctx.tr.t('bot-busy'));
    } catch {
      // Already logged above; nothing more to tell anyone.
    }
  });
  return { bot };
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
