import type { I18nFlavor } from '@grammyjs/i18n';
import type { Context } from 'grammy';
import type { Translator } from '../core/render/translator.js';
import type { ChatSettings } from '../store/chats.js';

/** What every handler gets beside the update: the chat's settings and its language. */
export interface CancelwatchFlavor {
  /** Null only for updates without a chat (inline queries and the like, which we ignore). */
  chatSettings: ChatSettings | null;
  /** The chat's translator, for the core's renderers. */
  tr: Translator;
}

export type BotContext = Context & I18nFlavor & CancelwatchFlavor;
