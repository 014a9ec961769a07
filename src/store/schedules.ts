import type { Db } from './db.js';

/** A chat whose daily summary is on. */
export interface Schedule {
  chatId: string;
  time: string;
  timeZone: string;
}

/**
 * The `summaries` table, its only writer: the per-day claims that make each summary go out
 * once, however many bot instances share the database and however often they restart. (The
 * send time itself is a chat setting, written by the chat repository.)
 */
export class ScheduleRepository {
  constructor(private readonly db: Db) {}

  /** Chats with the summary on and the bot still welcome. */
  async active(): Promise<Schedule[]> {
    const rows = await this.db.selectFrom('chats').select(['id', 'daily_time', 'time_zone'])
      .where('daily_time', 'is not', null).where('daily_paused', '=', 0).execute();
    return rows.map((r) => ({ chatId: r.id, time: r.daily_time ?? '', timeZone: r.time_zone }));
  }

  /** (chat, local day) pairs whose summary is settled (sent, or given up), from `fromDate` on. */
  async settledSince(fromDate: string): Promise<Set<string>> {
    const rows = await this.db.selectFrom('summaries').select(['chat_id', 'local_date'])
      .where('local_date', '>=', fromDate).where('status', 'in', ['sent', 'failed']).execute();
    return new Set(rows.map((r) => `${r.chat_id}|${r.local_date}`));
  }

  /**
   * Claims a chat's summary for a local day in one statement: it inserts the claim, or takes
   * over a claim whose instance stopped answering (older than `staleBefore`) and was never
   * sent. True only for the one caller whose statement wrote the row.
   */
  async claim(chatId: string, localDate: string, instance: string, at: string, staleBefore: string): Promise<boolean> {
    const row = await this.db.insertInto('summaries')
      .values({ chat_id: chatId, local_date: localDate, status: 'claimed', instance, claimed_at: at, sent_at: null })
      .onConflict((oc) => oc.columns(['chat_id', 'local_date'])
        .doUpdateSet({ instance, claimed_at: at })
        .where('summaries.status', '=', 'claimed')
        .where('summaries.claimed_at', '<', staleBefore))
      .returning('chat_id')
      .executeTakeFirst();
    return row !== undefined;
  }

  async markSent(chatId: string, localDate: string, at: string): Promise<void> {
    await this.db.updateTable('summaries').set({ status: 'sent', sent_at: at })
      .where('chat_id', '=', chatId).where('local_date', '=', localDate).execute();
  }

  /** Gives up on the day's summary (a permanent error): it is not tried again that day. */
  async markFailed(chatId: string, localDate: string): Promise<void> {
    await this.db.updateTable('summaries').set({ status: 'failed' })
      .where('chat_id', '=', chatId).where('local_date', '=', localDate).execute();
  }

  /** Lets go of a claim that was not sent (a passing error, or a stop), so the next tick tries again. */
  async release(chatId: string, localDate: string, instance: string): Promise<void> {
    await this.db.deleteFrom('summaries')
      .where('chat_id', '=', chatId).where('local_date', '=', localDate).where('status', '=', 'claimed').where('instance', '=', instance)
      .execute();
  }

  async deleteOfChat(chatId: string): Promise<void> {
    await this.db.deleteFrom('summaries').where('chat_id', '=', chatId).execute();
  }
}
