import { sql } from 'kysely';
import type { Clock, Db } from './types.js';

export interface ChatAdmin {
  userId: string;
  name: string | null;
}

/**
 * The `chat_admins` table, its only writer: a group's admins where its platform does not say
 * who manages it. The first person to set such a group up becomes its admin, and adds others.
 */
export class ChatAdminRepository {
  constructor(private readonly db: Db, private readonly clock: Clock) {}

  async list(chatId: string): Promise<ChatAdmin[]> {
    const rows = await this.db.selectFrom('chat_admins').select(['user_id', 'user_name']).where('chat_id', '=', chatId).orderBy('added_at').execute();
    return rows.map((r) => ({ userId: r.user_id, name: r.user_name }));
  }

  async isAdmin(chatId: string, userId: string): Promise<boolean> {
    const row = await this.db.selectFrom('chat_admins').select('user_id').where('chat_id', '=', chatId).where('user_id', '=', userId).executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Makes `person` the group's first admin if it has none yet, in one statement. True when
   * `person` is now an admin (it was made one, or already was).
   */
  async claimFirst(chatId: string, person: ChatAdmin): Promise<boolean> {
    const at = new Date(this.clock()).toISOString();
    await sql`insert into chat_admins (chat_id, user_id, user_name, added_by, added_at)
      select ${chatId}, ${person.userId}, ${person.name}, null, ${at}
      where not exists (select 1 from chat_admins where chat_id = ${chatId})
      on conflict do nothing`.execute(this.db);
    return this.isAdmin(chatId, person.userId);
  }

  async add(chatId: string, person: ChatAdmin, addedBy: string): Promise<void> {
    await this.db.insertInto('chat_admins')
      .values({ chat_id: chatId, user_id: person.userId, user_name: person.name, added_by: addedBy, added_at: new Date(this.clock()).toISOString() })
      .onConflict((oc) => oc.columns(['chat_id', 'user_id']).doUpdateSet({ user_name: person.name }))
      .execute();
  }

  /** Removes one admin; a group keeps at least one, so the last cannot be removed. False when nothing changed. */
  async remove(chatId: string, userId: string): Promise<boolean> {
    const admins = await this.list(chatId);
    if (admins.length <= 1 || !admins.some((a) => a.userId === userId)) return false;
    await this.db.deleteFrom('chat_admins').where('chat_id', '=', chatId).where('user_id', '=', userId).execute();
    return true;
  }

  async deleteOfChat(chatId: string): Promise<void> {
    await this.db.deleteFrom('chat_admins').where('chat_id', '=', chatId).execute();
  }
}
