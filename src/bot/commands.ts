import type { Api } from 'grammy';
import type { BotCommand } from 'grammy/types';
import { LOCALES, type Translator } from '../core/render/translator.js';
import { translator } from '../i18n.js';

export const COMMANDS = ['rate', 'products', 'import', 'shops', 'daily', 'push', 'link', 'unlink', 'help', 'start', 'lang', 'tz', 'threshold', 'reason', 'forget'] as const;

const menu = (tr: Translator): BotCommand[] => COMMANDS.map((command) => ({ command, description: tr.t(`command-${command}`) }));

/**
 * The command menus Telegram shows, in English by default and in Chinese for Chinese-language
 * clients, in private chats and groups. Display only: handlers check permissions themselves.
 */
export async function setCommandMenus(api: Api): Promise<void> {
  for (const scope of [{ type: 'all_private_chats' as const }, { type: 'all_group_chats' as const }]) {
    for (const locale of LOCALES) {
      await api.setMyCommands(menu(translator(locale)), { scope, ...(locale === 'en' ? {} : { language_code: locale }) });
    }
  }
}

/** After /lang, the chat's own menu follows the chat's language for every member. */
export async function setChatCommandMenu(api: Api, chatId: string, tr: Translator): Promise<void> {
  await api.setMyCommands(menu(tr), { scope: { type: 'chat', chat_id: Number(chatId) } });
}
