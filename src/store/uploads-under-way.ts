import type { Clock, Db } from './types.js';

/** An upload under way: its chat, file and who sent it. */
export interface UploadUnderWay { chatId: string; fileName: string; userId: string | null }

/** An upload nobody answered, and whether its orders were stored before it was cut short. */
export interface UnansweredUpload extends UploadUnderWay { stored: boolean }

/**
 * Uploads between their start and their answer, per instance. A running instance beats for its
 * own every minute; a row whose instance stopped beating, or which a forced stop marked as cut
 * short, is an upload nobody will answer.
 */
export class UploadsUnderWayRepository {
  constructor(private readonly db: Db, private readonly clock: Clock) {}

  async begin(upload: UploadUnderWay, instance: string): Promise<number> {
    const now = new Date(this.clock()).toISOString();
    const row = await this.db.insertInto('uploads_under_way').values({
      chat_id: upload.chatId, file_name: upload.fileName, user_id: upload.userId, instance, started_at: now, heartbeat_at: now, cut_short: 0, stored: 0,
    }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  /** Called inside the import's transaction, so "stored" is true exactly when the orders are. */
  async markStored(id: number): Promise<void> {
    await this.db.updateTable('uploads_under_way').set({ stored: 1 }).where('id', '=', id).execute();
  }

  async answered(id: number): Promise<void> {
    await this.db.deleteFrom('uploads_under_way').where('id', '=', id).execute();
  }

  /** This instance's uploads are still under way. */
  async beat(instance: string): Promise<void> {
    await this.db.updateTable('uploads_under_way').set({ heartbeat_at: new Date(this.clock()).toISOString() }).where('instance', '=', instance).execute();
  }

  /** A forced stop: this instance's uploads will not be answered. */
  async cutShort(instance: string): Promise<void> {
    await this.db.updateTable('uploads_under_way').set({ cut_short: 1 }).where('instance', '=', instance).execute();
  }

  /** Uploads a process that is gone had under way (known from what it left on this machine). */
  async markCutShort(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.updateTable('uploads_under_way').set({ cut_short: 1 }).where('id', 'in', [...ids]).execute();
  }

  /**
   * Removes and returns the uploads nobody will answer: cut short, or of an instance silent
   * since `silentBefore`. One statement, so two instances never both tell a chat.
   */
  async takeUnanswered(silentBefore: number): Promise<UnansweredUpload[]> {
    const rows = await this.db.deleteFrom('uploads_under_way')
      .where((eb) => eb.or([eb('cut_short', '=', 1), eb('heartbeat_at', '<', new Date(silentBefore).toISOString())]))
      .returning(['chat_id', 'file_name', 'user_id', 'stored']).execute();
    return rows.map((r) => ({ chatId: r.chat_id, fileName: r.file_name, userId: r.user_id, stored: r.stored === 1 }));
  }

  async moveChat(fromId: string, toId: string): Promise<void> {
    await this.db.updateTable('uploads_under_way').set({ chat_id: toId }).where('chat_id', '=', fromId).execute();
  }

  async deleteOfChat(chatId: string): Promise<void> {
    await this.db.deleteFrom('uploads_under_way').where('chat_id', '=', chatId).execute();
  }
}
