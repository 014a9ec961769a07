import type { Db } from './types.js';
import type { ClaimTable } from './schema.js';

/**
 * What is sent once a day per subject, each with its own ledger: a Telegram chat's summary (the
 * chat's id), a robot's copy (the robot's id). A platform that comes later adds its kind here.
 */
export type ClaimKind = ClaimTable['kind'];

/** A claim this instance holds on one subject's send for one local day, until it settles it. */
export interface Claim {
  /** The send went out: it is not made again that day. */
  sent(at: string): Promise<void>;
  /** Given up for the day (a permanent error): it is not tried again that day. */
  failed(): Promise<void>;
  /** Let go unsent (a passing error, or a stop), so a later tick tries again. */
  release(): Promise<void>;
}

/**
 * The `claims` table, its only writer, one kind of send at a time: the per-(subject, local day)
 * claims that make each daily send go out once, however many bot instances share the database
 * and however often they restart.
 */
export class ClaimLedger {
  constructor(private readonly db: Db, readonly kind: ClaimKind) {}

  /** `subject|local day` of every send settled (sent, or given up) from `fromDate` on. */
  async settledSince(fromDate: string): Promise<Set<string>> {
    const rows = await this.db.selectFrom('claims').select(['subject', 'local_date'])
      .where('kind', '=', this.kind).where('local_date', '>=', fromDate).where('status', 'in', ['sent', 'failed']).execute();
    return new Set(rows.map((r) => `${r.subject}|${r.local_date}`));
  }

  /**
   * Claims a subject's send for a local day in one statement: it inserts the claim, or takes
   * over a claim whose instance stopped answering (older than `staleBefore`) and was never
   * settled. The claim only for the one caller whose statement wrote the row; null for the rest.
   */
  async claim(subject: string | number, localDate: string, instance: string, at: string, staleBefore: string): Promise<Claim | null> {
    const key = String(subject);
    const row = await this.db.insertInto('claims')
      .values({ kind: this.kind, subject: key, local_date: localDate, status: 'claimed', instance, claimed_at: at, sent_at: null })
      .onConflict((oc) => oc.columns(['kind', 'subject', 'local_date'])
        .doUpdateSet({ instance, claimed_at: at })
        .where('claims.status', '=', 'claimed')
        .where('claims.claimed_at', '<', staleBefore))
      .returning('subject')
      .executeTakeFirst();
    if (row === undefined) return null;
    return {
      sent: (sentAt) => this.settle(key, localDate, 'sent', sentAt),
      failed: () => this.settle(key, localDate, 'failed', null),
      release: () => this.release(key, localDate, instance),
    };
  }

  /** Forgets every claim of these subjects (their chat or robot is gone). */
  async forget(subjects: ReadonlyArray<string | number>): Promise<void> {
    if (subjects.length === 0) return;
    await this.db.deleteFrom('claims').where('kind', '=', this.kind).where('subject', 'in', subjects.map(String)).execute();
  }

  private async settle(subject: string, localDate: string, status: 'sent' | 'failed', at: string | null): Promise<void> {
    await this.db.updateTable('claims').set({ status, sent_at: at })
      .where('kind', '=', this.kind).where('subject', '=', subject).where('local_date', '=', localDate).execute();
  }

  private async release(subject: string, localDate: string, instance: string): Promise<void> {
    await this.db.deleteFrom('claims')
      .where('kind', '=', this.kind).where('subject', '=', subject).where('local_date', '=', localDate)
      .where('status', '=', 'claimed').where('instance', '=', instance)
      .execute();
  }
}
