/** The commands the conversation answers on every platform. */
export const CHAT_COMMANDS = ['start', 'help', 'rate', 'products', 'import', 'shops', 'daily', 'lang', 'tz', 'threshold', 'reason', 'admins'] as const;
export type ChatCommand = (typeof CHAT_COMMANDS)[number];

/** Telegram's commands that need its buttons or its own flows, not yet spoken elsewhere. */
const TELEGRAM_ONLY = ['link', 'unlink', 'push', 'forget'];

const isChatCommand = (word: string): word is ChatCommand => (CHAT_COMMANDS as readonly string[]).includes(word);

export interface ParsedCommand {
  name: ChatCommand;
  /** The rest of the text, trimmed. */
  args: string;
}

/**
 * A command in a message's words (the bot's mention already taken out): `/rate 7d`, `rate 7d`
 * (typing the slash on a phone after an @-mention is a chore), `/rate@bot 7d`, any case.
 * `{ unknown }` for a slash command the bot does not have, `{ unavailable }` for one spoken in
 * Telegram only; null for words that are no command.
 */
export function parseCommand(text: string): ParsedCommand | { unknown: string } | { unavailable: string } | null {
  const m = /^(\/)?([A-Za-z]+)(?:@\S+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!m) return null;
  const name = (m[2] ?? '').toLowerCase();
  if (isChatCommand(name)) return { name, args: (m[3] ?? '').trim() };
  if (TELEGRAM_ONLY.includes(name)) return { unavailable: name };
  return m[1] ? { unknown: `/${name}` } : null;
}

/** The words of a command's arguments (`30d US` → ['30d', 'US']). */
export function words(args: string): string[] {
  return args.trim().split(/\s+/).filter(Boolean);
}
