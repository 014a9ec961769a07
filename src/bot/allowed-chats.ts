/**
 * ALLOWED_CHATS: the chats an operator lets the bot serve, by id or @username (case-insensitive,
 * as Telegram treats usernames). A private chat is also served when the person writing is listed,
 * so an operator can name the people of an allowed group who may send exports privately.
 */
export interface Someone { id: number; username?: string | undefined }

export function allowedChats(list: readonly string[]): (chat: Someone | undefined, from: Someone | undefined) => boolean {
  // Other platforms' entries (`feishu:oc_…`) are theirs: Telegram is open when it has none.
  const own = list.filter((entry) => !/^[a-z]+:/.test(entry));
  if (own.length === 0) return () => true;
  const names = new Set(own.map((entry) => entry.toLowerCase()));
  const listed = (who: Someone | undefined) =>
    who !== undefined && (names.has(String(who.id)) || (who.username !== undefined && names.has(`@${who.username.toLowerCase()}`)));
  return (chat, from) => chat === undefined || listed(chat) || (chat.id > 0 && listed(from));
}
