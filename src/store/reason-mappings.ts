import { isCategory, type Category } from '../core/reasons/categories.js';
import type { Clock, Db } from './types.js';

/** A reason text a chat taught the bot, with its category. */
export interface ReasonMapping { key: string; text: string; category: Category; createdBy: string | null; createdAt: string }

const asCategory = (v: string): Category => (isCategory(v) ? v : 'other');

/** Each chat's taught reasons, keyed by the text as the classifier folds it. */
export class ReasonMappingRepository {
  constructor(private readonly db: Db, private readonly clock: Clock) {}

  async list(chatId: string): Promise<ReasonMapping[]> {
    const rows = await this.db.selectFrom('reason_mappings').selectAll().where('chat_id', '=', chatId).orderBy('created_at').orderBy('text_key').execute();
    return rows.map((r) => ({ key: r.text_key, text: r.text, category: asCategory(r.category), createdBy: r.created_by, createdAt: r.created_at }));
  }

  /** The chat's mappings as the classifier takes them: folded text → category. */
  async taughtOf(chatId: string): Promise<Map<string, Category>> {
    return new Map((await this.list(chatId)).map((m) => [m.key, m.category]));
  }

  async put(chatId: string, mapping: { key: string; text: string; category: Category; createdBy: string | null }): Promise<void> {
    const now = new Date(this.clock()).toISOString();
    await this.db.insertInto('reason_mappings').values({
      chat_id: chatId, text_key: mapping.key, text: mapping.text, category: mapping.category, created_by: mapping.createdBy, created_at: now,
    }).onConflict((oc) => oc.columns(['chat_id', 'text_key']).doUpdateSet({ text: mapping.text, category: mapping.category, created_by: mapping.createdBy, created_at: now })).execute();
  }

  /** Removes a mapping; false when the chat had none for that text. */
  async remove(chatId: string, key: string): Promise<boolean> {
    const result = await this.db.deleteFrom('reason_mappings').where('chat_id', '=', chatId).where('text_key', '=', key).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async moveChat(fromId: string, toId: string): Promise<void> {
    await this.db.deleteFrom('reason_mappings').where('chat_id', '=', toId)
      .where('text_key', 'in', this.db.selectFrom('reason_mappings').select('text_key').where('chat_id', '=', fromId)).execute();
    await this.db.updateTable('reason_mappings').set({ chat_id: toId }).where('chat_id', '=', fromId).execute();
  }

  async deleteOfChat(chatId: string): Promise<void> {
    await this.db.deleteFrom('reason_mappings').where('chat_id', '=', chatId).execute();
  }
}
