import type { Locale } from '../core/render/translator.js';
import type { Db } from './db.js';

/** What a chat has chosen; every reply follows it. */
export interface ChatSettings {
  id: string;
  locale: Locale;
  timeZone: string;
  /** Seller-fault line the chat is warned at, as a fraction (0.025 = 2.5%). */
  threshold: number;
}

export type ChatPatch = Partial<Pick<ChatSettings, 'locale' | 'timeZone' | 'threshold'>>;

const now = () => new Date().toISOString();

export class ChatRepository {
  constructor(private readonly db: Db) {}

  async find(id: string): Promise<ChatSettings | null> {
    const row = await this.db.selectFrom('chats').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? { id: row.id, locale: row.locale === 'zh' ? 'zh' : 'en', timeZone: row.time_zone, threshold: row.threshold } : null;
  }

  /** The chat's settings, creating them from `defaults` the first time the chat is seen. */
  async ensure(id: string, defaults: Omit<ChatSettings, 'id'>): Promise<ChatSettings> {
    // Read first: a known chat (nearly every update) needs no write lock, so it is served even
    // while another process holds the SQLite file for writing.
    const known = await this.find(id);
    if (known) return known;
    const at = now();
    await this.db.insertInto('chats')
      .values({ id, locale: defaults.locale, time_zone: defaults.timeZone, threshold: defaults.threshold, created_at: at, updated_at: at })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const chat = await this.find(id);
    if (!chat) throw new Error(`chat ${id} vanished while being created`);
    return chat;
  }

  async update(id: string, patch: ChatPatch): Promise<void> {
    await this.db.updateTable('chats')
      .set({
        ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
        ...(patch.timeZone !== undefined ? { time_zone: patch.timeZone } : {}),
        ...(patch.threshold !== undefined ? { threshold: patch.threshold } : {}),
        updated_at: now(),
      })
      .where('id', '=', id)
      .execute();
  }

  /** Deletes the chat and, through the foreign keys, its shops, orders and import records. */
  async forget(id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const shops = tx.selectFrom('shops').select('id').where('chat_id', '=', id);
      await tx.deleteFrom('orders').where('shop_id', 'in', shops).execute();
      await tx.deleteFrom('imports').where('chat_id', '=', id).execute();
      await tx.deleteFrom('summaries').where('chat_id', '=', id).execute();
      await tx.deleteFrom('link_states').where('chat_id', '=', id).execute();
      await tx.deleteFrom('shops').where('chat_id', '=', id).execute();
      await tx.deleteFrom('chats').where('id', '=', id).execute();
    });
  }

  /**
   * A group became a supergroup and got a new id: its settings and data follow. Where the new
   * id already has a (fresh) row, the old chat's data joins it and the old settings win.
   */
  async move(fromId: string, toId: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const from = await tx.selectFrom('chats').selectAll().where('id', '=', fromId).executeTakeFirst();
      if (!from) return;
      await tx.insertInto('chats').values({ ...from, id: toId, updated_at: now() })
        .onConflict((oc) => oc.column('id').doUpdateSet({ locale: from.locale, time_zone: from.time_zone, threshold: from.threshold, updated_at: now() }))
        .execute();
      const taken = await tx.selectFrom('shops').select('name').where('chat_id', '=', toId).execute();
      const names = new Set(taken.map((s) => s.name));
      for (const shop of await tx.selectFrom('shops').select(['id', 'name']).where('chat_id', '=', fromId).execute()) {
        // Two shops of one name cannot live in one chat; the migrated one keeps its data under a marked name.
        const name = names.has(shop.name) ? `${shop.name} (${fromId})` : shop.name;
        await tx.updateTable('shops').set({ chat_id: toId, name }).where('id', '=', shop.id).execute();
      }
      await tx.updateTable('imports').set({ chat_id: toId }).where('chat_id', '=', fromId).execute();
      await tx.deleteFrom('summaries').where('chat_id', '=', fromId).execute();
      await tx.deleteFrom('chats').where('id', '=', fromId).execute();
    });
  }
}
