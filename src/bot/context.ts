import type { Context } from 'grammy';
import type { Translator } from '../core/render/translator.js';
import type { ChatSettings } from '../store/chats.js';

/** What every handler gets beside the update: the chat's settings and its language. */
export interface CancelwatchFlavor {
  /** Null only for updates without a chat (inline queries and the like, which we ignore). */
  chatSettings: ChatSettings | null;
  /**
   * The chat's translator: `ctx.tr.t('key', args)` for a reply, `ctx.tr` itself for the core's
   * renderers. It always follows `chatSettings.locale` (the sender's language before the chat
   * has settings), so /lang changes that one field and nothing else.
   */
  readonly tr: Translator;
}

export type BotContext = Context & CancelwatchFlavor;

/** The context of an update from a chat (every message and most button presses): settings loaded. */
export type ChatContext = BotContext & { chatSettings: ChatSettings };

/** For `composer.filter(fromChat)`: narrows once per feature instead of checking in every handler. */
export const fromChat = (ctx: BotContext): ctx is ChatContext => ctx.chatSettings !== null;
