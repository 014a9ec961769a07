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
  return async function isAdmin(ctx: BotContext): Promise<boolean> {
    const chat = ctx.chat;
    if (!chat) return false;
    if (chat.type === 'private') return true;
    if (ctx.senderChat?.id === chat.id) return true;
    const userId = ctx.from?.id;
    if (userId === undefined) return false;
    const key = `${chat.id}:${userId}`;
    const held = cache.get(key);
    if (held && clock() - held.at < CACHE_MS) return held.admin;
    const member = await ctx.api.getChatMember(chat.id, userId);
    const admin = ADMIN_STATUSES.has(member.status);
    if (cache.size > MAX_CACHED) for (const [k, v] of cache) if (clock() - v.at >= CACHE_MS) cache.delete(k);
    cache.set(key, { admin, at: clock() });
    return admin;
  };
}

export type AdminCheck = ReturnType<typeof adminCheck>;
