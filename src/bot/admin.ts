import type { Api } from 'grammy';
import type { BotContext } from './context.js';

const ADMIN_STATUSES = new Set(['creator', 'administrator']);
/** Admin lists change rarely; a minute's cache saves a Bot API call per settings command. */
const CACHE_MS = 60_000;
/** Past this many cached answers, expired ones are dropped. */
const MAX_CACHED = 10_000;

/**
 * Whether the sender may change the chat's settings: anyone in a private chat; in a group, its
 * creator and administrators, including an anonymous admin posting as the group itself.
 */
export function adminCheck(clock: () => number) {
  const cache = new Map<string, { admin: boolean; at: number }>();
  /** Whether a user is an admin of a group, asked of Telegram (or remembered for a minute). */
  async function isAdminOf(api: Api, chatId: number | string, userId: number): Promise<boolean> {
    const key = `${chatId}:${userId}`;
    const held = cache.get(key);
    if (held && clock() - held.at < CACHE_MS) return held.admin;
    const member = await api.getChatMember(chatId, userId);
    const admin = ADMIN_STATUSES.has(member.status);
    if (cache.size > MAX_CACHED) for (const [k, v] of cache) if (clock() - v.at >= CACHE_MS) cache.delete(k);
    cache.set(key, { admin, at: clock() });
    return admin;
  }
  async function isAdmin(ctx: BotContext): Promise<boolean> {
    const chat = ctx.chat;
    if (!chat) return false;
    if (chat.type === 'private') return true;
    if (ctx.senderChat?.id === chat.id) return true;
    const userId = ctx.from?.id;
    if (userId === undefined) return false;
    return isAdminOf(ctx.api, chat.id, userId);
  }
  return Object.assign(isAdmin, { of: isAdminOf });
}

export type AdminCheck = ReturnType<typeof adminCheck>;
