import type { Clock, Db } from './types.js';

/** A person's next private file goes to this group's shop. */
export interface PendingImport {
  chatId: string;
  shopName: string;
}

/** A file sent privately before its group was named. */
export interface WaitingFile {
  ref: string;
  name: string;
  size: number | null;
}

export interface PersonGroup {
  chatId: string;
  title: string | null;
}

/**
 * The `private_uploads` and `chat_people` tables, their only writer: uploads made in a private
 * chat for a group. On platforms that deliver no files in groups (DingTalk, often Feishu), a
 * person says `/import` in the group and sends the file privately; a file sent first waits
 * while the bot asks which of the person's groups it is for.
 */
export class PrivateUploadRepository {
  constructor(private readonly db: Db, private readonly clock: Clock) {}

  private at(ms = 0): string {
    return new Date(this.clock() + ms).toISOString();
  }

  /** The person's next private file, within `forMs`, goes to `chatId`'s shop (a later /import replaces it). */
  async expect(platform: string, userId: string, pending: PendingImport, forMs: number): Promise<void> {
    const values = { chat_id: pending.chatId, shop_name: pending.shopName, file_ref: null, file_name: null, file_size: null, expires_at: this.at(forMs) };
    await this.db.insertInto('private_uploads').values({ platform, user_id: userId, ...values })
      .onConflict((oc) => oc.columns(['platform', 'user_id']).doUpdateSet(values)).execute();
  }

  /** Keeps a file that came before its group was named, for `forMs`. */
  async keepFile(platform: string, userId: string, file: WaitingFile, forMs: number): Promise<void> {
    const values = { chat_id: null, shop_name: null, file_ref: file.ref, file_name: file.name, file_size: file.size, expires_at: this.at(forMs) };
    await this.db.insertInto('private_uploads').values({ platform, user_id: userId, ...values })
      .onConflict((oc) => oc.columns(['platform', 'user_id']).doUpdateSet(values)).execute();
  }

  /** What the person's private upload is waiting for, taken (a file is imported once), or null when nothing is pending or it expired. */
  async take(platform: string, userId: string): Promise<{ kind: 'group'; pending: PendingImport } | { kind: 'file'; file: WaitingFile } | null> {
    const row = await this.db.deleteFrom('private_uploads').where('platform', '=', platform).where('user_id', '=', userId)
      .returningAll().executeTakeFirst();
    if (!row || row.expires_at <= this.at()) return null;
    if (row.chat_id !== null) return { kind: 'group', pending: { chatId: row.chat_id, shopName: row.shop_name ?? '' } };
    if (row.file_ref !== null) return { kind: 'file', file: { ref: row.file_ref, name: row.file_name ?? '', size: row.file_size === null ? null : Number(row.file_size) } };
    return null;
  }

  /** Notes that the person used the bot in a group (its title refreshed). */
  async seen(platform: string, userId: string, group: PersonGroup): Promise<void> {
    const values = { chat_title: group.title, seen_at: this.at() };
    await this.db.insertInto('chat_people').values({ platform, user_id: userId, chat_id: group.chatId, ...values })
      .onConflict((oc) => oc.columns(['platform', 'user_id', 'chat_id']).doUpdateSet(values)).execute();
  }

  /** The groups the person used the bot in, most recent first. */
  async groupsOf(platform: string, userId: string, limit = 10): Promise<PersonGroup[]> {
    const rows = await this.db.selectFrom('chat_people').select(['chat_id', 'chat_title']).where('platform', '=', platform).where('user_id', '=', userId)
      .orderBy('seen_at', 'desc').limit(limit).execute();
    return rows.map((r) => ({ chatId: r.chat_id, title: r.chat_title }));
  }

  async deleteOfChat(chatId: string): Promise<void> {
    await this.db.deleteFrom('chat_people').where('chat_id', '=', chatId).execute();
    await this.db.deleteFrom('private_uploads').where('chat_id', '=', chatId).execute();
  }
}
