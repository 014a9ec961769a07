import type { Locale } from '../core/render/translator.js';
import type { Clock, Db } from './types.js';

/** What a chat has chosen; every reply follows it. */
export interface ChatSettings {
  id: string;
  locale: Locale;
  timeZone: string;
  /** Seller-fault line the chat is warned at, as a fraction (0.025 = 2.5%). */
  threshold: number;
}

export type ChatPatch = Partial<Pick<ChatSettings, 'locale' | 'timeZone' | 'threshold'>>;

/** The `chats` table, its only writer: each chat's settings and its daily-summary time. */
export class ChatRepository {
  /** `reader` serves lookups outside transactions, so they never wait behind an import (see openReader). */
  constructor(private readonly db: Db, private readonly clock: Clock, private readonly reader: Db = db) {}

  private now(): string {
    return new Date(this.clock()).toISOString();
  }

  async find(id: string, db: Db = this.reader): Promise<ChatSettings | null> {
    const row = await db.selectFrom('chats').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? { id: row.id, locale: row.locale === 'zh' ? 'zh' : 'en', timeZone: row.time_zone, threshold: row.threshold } : null;
  }

  /** The chat's settings, creating them from `defaults` the first time the chat is seen. */
  async ensure(id: string, defaults: Omit<ChatSettings, 'id'>): Promise<ChatSettings> {
    // Read first: a known chat (nearly every update) needs no write lock, so it is served even
    // while another process holds the SQLite file for writing.
    const known = await this.find(id);
    if (known) return known;
    const at = this.now();
    await this.db.insertInto('chats')
      .values({ id, locale: defaults.locale, time_zone: defaults.timeZone, threshold: defaults.threshold, created_at: at, updated_at: at })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const chat = await this.find(id, this.db);
    if (!chat) throw new Error(`chat ${id} vanished while being created`);
    return chat;
  }

  async update(id: string, patch: ChatPatch): Promise<void> {
    await this.db.updateTable('chats')
      .set({
        ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
        ...(patch.timeZone !== undefined ? { time_zone: patch.timeZone } : {}),
        ...(patch.threshold !== undefined ? { threshold: patch.threshold } : {}),
        updated_at: this.now(),
      })
      .where('id', '=', id)
      .execute();
  }

  /** The daily summary's local time (`HH:MM`), or null to turn it off. */
  async setDaily(chatId: string, time: string | null): Promise<void> {
    await this.db.updateTable('chats').set({ daily_time: time, updated_at: this.now() }).where('id', '=', chatId).execute();
  }

  async dailyTime(chatId: string): Promise<{ time: string | null; paused: boolean }> {
    const row = await this.db.selectFrom('chats').select(['daily_time', 'daily_paused']).where('id', '=', chatId).executeTakeFirst();
    return { time: row?.daily_time ?? null, paused: row?.daily_paused === 1 };
  }

  /** Blocked or removed: summaries stop until the bot is back in the chat. */
  async setPaused(chatId: string, paused: boolean): Promise<void> {
    await this.db.updateTable('chats').set({ daily_paused: paused ? 1 : 0 }).where('id', '=', chatId).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('chats').where('id', '=', id).execute();
  }

  /**
   * The chat's row under a new id (a group that became a supergroup). Where the new id already
   * has a (fresh) row, the old settings win. False when there is no chat to copy.
   */
  async copyTo(fromId: string, toId: string): Promise<boolean> {
    const from = await this.db.selectFrom('chats').selectAll().where('id', '=', fromId).executeTakeFirst();
    if (!from) return false;
    await this.db.insertInto('chats').values({ ...from, id: toId, updated_at: this.now() })
      .onConflict((oc) => oc.column('id').doUpdateSet({ locale: from.locale, time_zone: from.time_zone, threshold: from.threshold, updated_at: this.now() }))
      .execute();
    return true;
  }
}
