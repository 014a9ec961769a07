import { z } from 'zod';
import type { Db } from './types.js';

const SessionShops = z.array(z.object({ id: z.string(), cipher: z.string(), name: z.string(), region: z.string().nullable() }));

export interface LinkSession { chatId: string; userId: string; tokens: string; shops: z.infer<typeof SessionShops> }

/** Authorizations in progress: each `state` is used once, by the chat and admin it was made for. */
export class LinkStateRepository {
  constructor(private readonly db: Db) {}

  async create(state: string, chatId: string, userId: string, expiresAt: string): Promise<void> {
    await this.db.insertInto('link_states').values({ state, chat_id: chatId, user_id: userId, expires_at: expiresAt, used_at: null, tokens: null, shops: null }).execute();
  }

  /**
   * Uses a state once: it must exist, be unused and unexpired (and, when `userId` is given,
   * belong to that admin). One statement, so a replayed callback finds it used.
   */
  async consume(state: string, now: string, userId?: string): Promise<{ chatId: string; userId: string } | null> {
    let query = this.db.updateTable('link_states').set({ used_at: now })
      .where('state', '=', state).where('used_at', 'is', null).where('expires_at', '>', now);
    if (userId !== undefined) query = query.where('user_id', '=', userId);
    const row = await query.returning(['chat_id', 'user_id']).executeTakeFirst();
    return row ? { chatId: row.chat_id, userId: row.user_id } : null;
  }

  /** The admin's newest unused, unexpired state: for a code pasted into the private chat. */
  async latestOpen(userId: string, now: string): Promise<string | null> {
    const row = await this.db.selectFrom('link_states').select('state').where('user_id', '=', userId).where('used_at', 'is', null)
      .where('expires_at', '>', now).orderBy('expires_at', 'desc').executeTakeFirst();
    return row?.state ?? null;
  }

  async saveSession(state: string, sealedTokens: string, shops: LinkSession['shops']): Promise<void> {
    await this.db.updateTable('link_states').set({ tokens: sealedTokens, shops: JSON.stringify(shops) }).where('state', '=', state).execute();
  }

  /** The exchanged tokens and shops of a state, for the admin it belongs to, while it has not expired. */
  async session(state: string, userId: string, now: string): Promise<LinkSession | null> {
    const row = await this.db.selectFrom('link_states').selectAll().where('state', '=', state).where('user_id', '=', userId).where('expires_at', '>', now).executeTakeFirst();
    if (!row?.tokens || !row.shops) return null;
    return { chatId: row.chat_id, userId: row.user_id, tokens: row.tokens, shops: SessionShops.parse(JSON.parse(row.shops)) };
  }

  /** The session's tokens and shops are dropped once a shop was chosen: the state stays, used, so a replay finds nothing. */
  async endSession(state: string): Promise<void> {
    await this.db.updateTable('link_states').set({ tokens: null, shops: null }).where('state', '=', state).execute();
  }

  /** States past their time are of no use to anyone, and may hold a seller's tokens: deleted. */
  async deleteExpired(now: string): Promise<number> {
    const result = await this.db.deleteFrom('link_states').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** A shop was unlinked: sessions of its chat whose tokens open it go too, so none of its tokens are kept. */
  async deleteSessionsOfShop(chatId: string, shopRef: string): Promise<void> {
    const rows = await this.db.selectFrom('link_states').select(['state', 'shops']).where('chat_id', '=', chatId).where('tokens', 'is not', null).execute();
    const states = rows.filter((r) => r.shops === null || SessionShops.parse(JSON.parse(r.shops)).some((s) => s.id === shopRef)).map((r) => r.state);
    if (states.length > 0) await this.db.deleteFrom('link_states').where('state', 'in', states).execute();
  }

  /** Every state holding sealed tokens (for sealing them again after a key rotation). */
  async sealed(): Promise<Array<{ state: string; tokens: string }>> {
    const rows = await this.db.selectFrom('link_states').select(['state', 'tokens']).where('tokens', 'is not', null).execute();
    return rows.flatMap((r) => (r.tokens === null ? [] : [{ state: r.state, tokens: r.tokens }]));
  }

  async reseal(state: string, sealedTokens: string): Promise<void> {
    await this.db.updateTable('link_states').set({ tokens: sealedTokens }).where('state', '=', state).execute();
  }

  async deleteOfChat(chatId: string): Promise<void> {
    await this.db.deleteFrom('link_states').where('chat_id', '=', chatId).execute();
  }
}
