import { ClaimLedger } from './claims.js';
import type { Db } from './types.js';

/** A chat whose daily summary is on. */
export interface Schedule {
  chatId: string;
  time: string;
  timeZone: string;
}

/**
 * The chats whose daily summary is on, and the ledger that sends each chat's summary once a
 * day. (The send time itself is a chat setting, written by the chat repository.)
 */
export class ScheduleRepository {
  /** A claim per (chat, local day). */
  readonly claims: ClaimLedger;

  constructor(private readonly db: Db) {
    this.claims = new ClaimLedger(db, 'summary');
  }

  /** Chats with the summary on and the bot still welcome. */
  async active(): Promise<Schedule[]> {
    const rows = await this.db.selectFrom('chats').select(['id', 'daily_time', 'time_zone'])
      .where('daily_time', 'is not', null).where('daily_paused', '=', 0).execute();
    return rows.map((r) => ({ chatId: r.id, time: r.daily_time ?? '', timeZone: r.time_zone }));
  }

  async deleteOfChat(chatId: string): Promise<void> {
    await this.claims.forget([chatId]);
  }
}
