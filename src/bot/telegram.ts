import { autoRetry } from '@grammyjs/auto-retry';
import { Api, InlineKeyboard, type ApiClientOptions } from 'grammy';
import type { OutboundFetch } from '../net/outbound.js';
import type { Translator } from '../core/render/translator.js';
import type { CompleteResult, LinkNotices } from '../use-cases/shop-linking.js';
import type { BotSettings } from './deps.js';
import { FloodGate } from './flood-gate.js';

/** A linking notice is worth waiting a little longer for than a reply: it is sent once, to one person. */
const NOTICE_FLOOD_WAIT_MAX_MS = 30_000;

/**
 * Passing network and server errors are retried a few times by every Bot API client the process
 * makes. Flood waits are not retried here (a retry_after above 0 s is passed on): they are the
 * flood gate's, which holds only the chat they belong to and never for minutes.
 */
export const retrying = () => autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 0 });

/** grammY's client settings: the Bot API root, the request time limit, and the process's outbound fetch (proxies). */
export function telegramClientOptions(settings: Pick<BotSettings, 'TELEGRAM_API_ROOT' | 'TELEGRAM_TIMEOUT_SECONDS'>, fetch?: OutboundFetch): ApiClientOptions {
  return {
    apiRoot: settings.TELEGRAM_API_ROOT,
    ...(fetch ? { fetch: fetch as NonNullable<ApiClientOptions['fetch']> } : {}),
    ...(settings.TELEGRAM_TIMEOUT_SECONDS ? { timeoutSeconds: settings.TELEGRAM_TIMEOUT_SECONDS } : {}),
  };
}

/** A Bot API client for messages sent outside an update (linking notices). */
export function telegramApi(settings: Pick<BotSettings, 'BOT_TOKEN' | 'TELEGRAM_API_ROOT' | 'TELEGRAM_TIMEOUT_SECONDS'>, fetch?: OutboundFetch): Api {
  const api = new Api(settings.BOT_TOKEN, telegramClientOptions(settings, fetch));
  api.config.use(retrying());
  api.config.use(new FloodGate({ clock: () => Date.now(), maxWaitMs: NOTICE_FLOOD_WAIT_MAX_MS }).transformer);
  return api;
}

/** The callback data of a shop button: `ls:<state>:<shop ref>`. */
export const CHOOSE = 'ls';

/** Linking's notices, worded and sent by the bot. */
export function linkNotices(api: Api): LinkNotices {
  return {
    offerShops: (userId, tr, result) => offerShops(api, tr, userId, result),
    async linkBroken(chatId, tr, shop, reason) {
      await api.sendMessage(chatId, tr.t('bot-link-broken', { shop, reason }));
    },
    async linkUnreadable(chatId, tr, shop) {
      await api.sendMessage(chatId, tr.t('bot-link-unreadable', { shop }));
    },
  };
}

/**
 * After a code was exchanged (by the callback page or by /code), the admin gets, in private,
 * one button per authorized shop; failures get a clear answer instead.
 */
export async function offerShops(api: Api, tr: Translator, userId: string, result: CompleteResult): Promise<void> {
  if (!result.ok) {
    const key = result.reason === 'invalid-state' ? 'bot-link-invalid' : result.reason === 'no-shops' ? 'bot-link-no-shops' : 'bot-link-failed';
    await api.sendMessage(userId, tr.t(key));
    return;
  }
  const keyboard = new InlineKeyboard();
  for (const shop of result.shops) keyboard.text(shop.name, `${CHOOSE}:${result.state}:${shop.id}`).row();
  await api.sendMessage(userId, tr.t('bot-link-choose'), { reply_markup: keyboard });
}
