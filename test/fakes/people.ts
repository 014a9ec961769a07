import type { FakeTelegram } from './telegram-api.js';

/** A Telegram user in a scripted conversation. */
export interface Person { id: number; name: string; language_code?: string }

export interface ChatRef { id: number; title?: string }

const chatOf = (chat: ChatRef) => (chat.id > 0
  ? { id: chat.id, type: 'private', first_name: chat.title ?? 'me' }
  : { id: chat.id, type: 'supergroup', title: chat.title ?? 'Sellers' });
const userOf = (p: Person) => ({ id: p.id, is_bot: false, first_name: p.name, ...(p.language_code ? { language_code: p.language_code } : {}) });

/** Builds the updates a person's actions produce, and queues them on the fake server. */
export function say(api: FakeTelegram, chat: ChatRef, who: Person, text: string): number {
  const command = /^\/\S+/.exec(text)?.[0];
  return api.pushUpdate({
    message: {
      message_id: api.newMessageId(), date: Math.floor(Date.now() / 1000), chat: chatOf(chat), from: userOf(who), text,
      ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] } : {}),
    },
  });
}

export function sendFile(api: FakeTelegram, chat: ChatRef, who: Person, name: string, bytes: Buffer, options: { caption?: string; announcedSize?: number } = {}): number {
  return sendDocument(api, chat, who, api.storeFile(name, bytes, options.announcedSize), options);
}

/** A file that a self-hosted Bot API server in local mode keeps on this machine's disk. */
export function sendLocalFile(api: FakeTelegram, chat: ChatRef, who: Person, name: string, path: string, size: number, options: { caption?: string } = {}): number {
  return sendDocument(api, chat, who, api.storeLocalFile(name, path, size), options);
}

function sendDocument(api: FakeTelegram, chat: ChatRef, who: Person, document: ReturnType<FakeTelegram['storeFile']>, options: { caption?: string }): number {
  const command = options.caption ? /^\/\S+/.exec(options.caption)?.[0] : undefined;
  return api.pushUpdate({
    message: {
      message_id: api.newMessageId(), date: Math.floor(Date.now() / 1000), chat: chatOf(chat), from: userOf(who), document,
      ...(options.caption ? { caption: options.caption } : {}),
      ...(command ? { caption_entities: [{ type: 'bot_command', offset: 0, length: command.length }] } : {}),
    },
  });
}
