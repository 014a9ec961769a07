import { ClaimLedger } from './claims.js';
import type { Db } from './types.js';
import type { RobotTargetTable } from './schema.js';

/** A robot as stored: address and secret still sealed. */
export interface StoredRobot {
  id: number;
  chatId: string;
  service: RobotTargetTable['service'];
  sealedUrl: string;
  sealedSecret: string | null;
  /** Masked, for showing. */
  address: string;
  paused: 'security' | 'gone' | null;
  retryAt: string | null;
  lastError: string | null;
}

/** A robot whose chat has its daily summary on, with the chat's send time and zone. */
export interface ScheduledRobot extends StoredRobot {
  time: string;
  timeZone: string;
}

type Row = { id: number; chat_id: string; service: StoredRobot['service']; url: string; secret: string | null; address: string; paused: StoredRobot['paused']; retry_at: string | null; last_error: string | null };

const robotOf = (r: Row): StoredRobot => ({
  id: r.id, chatId: r.chat_id, service: r.service, sealedUrl: r.url, sealedSecret: r.secret, address: r.address,
  paused: r.paused, retryAt: r.retry_at, lastError: r.last_error,
});

const COLUMNS = ['robot_targets.id', 'robot_targets.chat_id', 'service', 'url', 'secret', 'address', 'paused', 'retry_at', 'last_error'] as const;

/**
 * The robots each chat mirrors its daily summary into, and the ledger that sends each robot's
 * summary once a day, as ScheduleRepository's does for the chat itself.
 */
export class RobotTargetRepository {
  /** A claim per (robot, local day). */
  readonly claims: ClaimLedger;

  constructor(private readonly db: Db) {
    this.claims = new ClaimLedger(db, 'robot');
  }

  async add(chatId: string, robot: { service: StoredRobot['service']; sealedUrl: string; sealedSecret: string | null; address: string; createdBy: string | null }, at: string): Promise<number> {
    const row = await this.db.insertInto('robot_targets').values({
      chat_id: chatId, service: robot.service, url: robot.sealedUrl, secret: robot.sealedSecret, address: robot.address, created_by: robot.createdBy, created_at: at,
    }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  /** The chat's robots in the order they were added (the numbers /push list shows). */
  async list(chatId: string): Promise<StoredRobot[]> {
    const rows = await this.db.selectFrom('robot_targets').select(COLUMNS).where('chat_id', '=', chatId).orderBy('id').execute();
    return rows.map(robotOf);
  }

  /** Every robot of every chat (for sealing them again after a key rotation). */
  async all(): Promise<StoredRobot[]> {
    const rows = await this.db.selectFrom('robot_targets').select(COLUMNS).orderBy('id').execute();
    return rows.map(robotOf);
  }

  async reseal(id: number, sealedUrl: string, sealedSecret: string | null): Promise<void> {
    await this.db.updateTable('robot_targets').set({ url: sealedUrl, secret: sealedSecret }).where('id', '=', id).execute();
  }

  /** The chat's robots and their claims go with it (/forget). */
  async deleteOfChat(chatId: string): Promise<void> {
    const gone = await this.db.deleteFrom('robot_targets').where('chat_id', '=', chatId).returning('id').execute();
    await this.claims.forget(gone.map((r) => r.id));
  }

  /** A group upgraded to a supergroup keeps its robots under the new id. */
  async moveChat(fromId: string, toId: string): Promise<void> {
    await this.db.updateTable('robot_targets').set({ chat_id: toId }).where('chat_id', '=', fromId).execute();
  }

  /** Removes a robot with its claims. */
  async remove(chatId: string, id: number): Promise<boolean> {
    const row = await this.db.deleteFrom('robot_targets').where('chat_id', '=', chatId).where('id', '=', id).returning('id').executeTakeFirst();
    if (row !== undefined) await this.claims.forget([row.id]);
    return row !== undefined;
  }

  /** Robots not paused, of chats whose daily summary is on and whose bot is still in the group. */
  async scheduled(): Promise<ScheduledRobot[]> {
    const rows = await this.db.selectFrom('robot_targets').innerJoin('chats', 'chats.id', 'robot_targets.chat_id')
      .select([...COLUMNS, 'chats.daily_time', 'chats.time_zone'])
      .where('chats.daily_time', 'is not', null).where('chats.daily_paused', '=', 0).where('robot_targets.paused', 'is', null)
      .execute();
    return rows.map((r) => ({ ...robotOf(r), time: r.daily_time ?? '', timeZone: r.time_zone }));
  }

  /**
   * Stops sends to a robot that refused for good. True only for the caller that paused it, so
   * the group is told once however many instances saw the refusal.
   */
  async pause(id: number, reason: 'security' | 'gone', lastError: string): Promise<boolean> {
    const row = await this.db.updateTable('robot_targets').set({ paused: reason, last_error: lastError })
      .where('id', '=', id).where('paused', 'is', null).returning('id').executeTakeFirst();
    return row !== undefined;
  }

  async resume(id: number): Promise<void> {
    await this.db.updateTable('robot_targets').set({ paused: null, retry_at: null, last_error: null }).where('id', '=', id).execute();
  }

  /** A rate-limited robot is left alone until `at`; a later success clears it. */
  async retryAt(id: number, at: string | null, lastError: string | null): Promise<void> {
    await this.db.updateTable('robot_targets').set({ retry_at: at, last_error: lastError }).where('id', '=', id).execute();
  }
}
