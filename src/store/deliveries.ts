import type { Clock, Db } from './types.js';

/** Platforms redeliver for hours at most (Feishu's last retry comes after six): a day is kept. */
const KEEP_MS = 24 * 60 * 60_000;
/** Old deliveries are swept now and then, not on every insert. */
const SWEEP_EVERY = 500;

/**
 * The `deliveries` table, its only writer: what each platform delivered and was handled, so a
 * redelivery (an unacknowledged event pushed again, a retry after a slow answer) is answered
 * once, whichever instance it reaches.
 */
export class DeliveryRepository {
  private inserts = 0;

  constructor(private readonly db: Db, private readonly clock: Clock) {}

  /** True for the first caller of a delivery, false for every later one (in one statement). */
  async first(platform: string, deliveryId: string): Promise<boolean> {
    const now = this.clock();
    const row = await this.db.insertInto('deliveries').values({ platform, delivery_id: deliveryId, seen_at: new Date(now).toISOString() })
      .onConflict((oc) => oc.columns(['platform', 'delivery_id']).doNothing())
      .returning('delivery_id').executeTakeFirst();
    if (++this.inserts % SWEEP_EVERY === 0) {
      await this.db.deleteFrom('deliveries').where('seen_at', '<', new Date(now - KEEP_MS).toISOString()).execute();
    }
    return row !== undefined;
  }
}
