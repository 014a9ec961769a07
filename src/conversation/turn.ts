import type { Translator } from '../core/render/translator.js';
import type { ChatSettings } from '../store/chats.js';
import type { Person, Platform, Replies } from './platform.js';

/**
 * One message being answered, on whatever platform: the chat's settings, its language, who
 * sent it, and where answers go. Every command handler takes one.
 */
export interface Turn {
  platform: Platform;
  chat: ChatSettings;
  /** The chat's translator (it follows `chat.locale`). */
  readonly tr: Translator;
  /** Null where the platform does not say (a channel post). */
  sender: Person | null;
  replies: Replies;
  /** Whether the sender may change the chat's settings. */
  isAdmin(): Promise<boolean>;
  /** Called after /lang changed the chat's language (Telegram refreshes the chat's command menu). */
  languageChanged?: (() => Promise<void>) | undefined;
}
