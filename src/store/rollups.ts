import type { Insertable, Selectable } from 'kysely';
import { dayOf, type Order } from '../core/order.js';
import { addTally, countOrder, emptyTally, type Tally } from '../core/metrics/tally.js';
import { tallyFromJson, tallyToJson } from '../core/metrics/tally-json.js';
import type { Db } from './db.js';
import type { DailyRollupTable } from './schema.js';
import { orderFromRow } from './order-rows.js';

/** One shop's day as the rollup keeps it. */
export interface DayRollup {
  tally: Tally;
  stored: number;
  newest: string;
}

/** Rows per statement: 9 columns × 500 stays far below both engines' parameter limits. */
const BATCH = 500;

export function emptyDay(): DayRollup {
  return { tally: emptyTally(), stored: 0, newest: '' };
}

export function countIntoDay(day: DayRollup, order: Order): void {
  countOrder(day.tally, order);
  day.stored++;
  if (order.createdAt !== null && order.createdAt > day.newest) day.newest = order.createdAt;
}

function addDay(into: DayRollup, other: DayRollup): void {
  addTally(into.tally, other.tally);
  into.stored += other.stored;
  if (other.newest > into.newest) into.newest = other.newest;
}

export const rollupOf = (row: Pick<Selectable<DailyRollupTable>, 'tally' | 'stored_orders' | 'newest_created_at'>): DayRollup =>
  ({ tally: tallyFromJson(row.tally), stored: Number(row.stored_orders), newest: row.newest_created_at });

const toRow = (shopId: number, day: string, r: DayRollup): Insertable<DailyRollupTable> => ({
  shop_id: shopId, day, stored_orders: r.stored, orders: r.tally.orders, cancelled: r.tally.cancelled,
  seller_fault_orders: r.tally.sellerFaultOrders, seller_fault_cancelled: r.tally.sellerFaultCancelled,
  newest_created_at: r.newest, tally: tallyToJson(r.tally),
});

async function putRollups(tx: Db, shopId: number, days: ReadonlyArray<[string, DayRollup]>): Promise<void> {
  for (let i = 0; i < days.length; i += BATCH) {
    const rows = days.slice(i, i + BATCH).map(([day, r]) => toRow(shopId, day, r));
    await tx.insertInto('daily_rollups').values(rows).onConflict((oc) => oc.columns(['shop_id', 'day']).doUpdateSet((eb) => ({
      stored_orders: eb.ref('excluded.stored_orders'), orders: eb.ref('excluded.orders'), cancelled: eb.ref('excluded.cancelled'),
      seller_fault_orders: eb.ref('excluded.seller_fault_orders'), seller_fault_cancelled: eb.ref('excluded.seller_fault_cancelled'),
      newest_created_at: eb.ref('excluded.newest_created_at'), tally: eb.ref('excluded.tally'),
    }))).execute();
  }
}

/** Adds orders new to the shop to their days' rollups. */
export async function addToRollups(tx: Db, shopId: number, added: ReadonlyMap<string, DayRollup>): Promise<void> {
  const days = [...added.keys()];
  const merged: Array<[string, DayRollup]> = [];
  for (let i = 0; i < days.length; i += BATCH) {
    const chunk = days.slice(i, i + BATCH);
    const held = await tx.selectFrom('daily_rollups').select(['day', 'tally', 'stored_orders', 'newest_created_at'])
      .where('shop_id', '=', shopId).where('day', 'in', chunk).execute();
    const stored = new Map(held.map((row) => [row.day, rollupOf(row)]));
    for (const day of chunk) {
      const delta = added.get(day);
      if (!delta) continue;
      const into = stored.get(day);
      if (into) addDay(into, delta);
      merged.push([day, into ?? delta]);
    }
  }
  await putRollups(tx, shopId, merged);
}

/**
 * Counts the shop's days again from its stored orders, one day at a time (a day of a big shop
 * is tens of thousands of orders, never the whole shop). A day left without orders loses its row.
 */
export async function recountDays(tx: Db, shopId: number, days: Iterable<string>): Promise<void> {
  for (const day of days) {
    const rollup = emptyDay();
    // In id order: which reason texts a day keeps (the first hundred) must not hang on where the engine put the rows.
    const rows = await tx.selectFrom('orders').selectAll().where('shop_id', '=', shopId).where('day', '=', day).orderBy('order_id').execute();
    for (const row of rows) countIntoDay(rollup, orderFromRow(row));
    if (rollup.stored === 0) await tx.deleteFrom('daily_rollups').where('shop_id', '=', shopId).where('day', '=', day).execute();
    else await putRollups(tx, shopId, [[day, rollup]]);
  }
}

/** Every day of the shop counted again from its orders: a rollup that matches the orders whatever it held. */
export async function rebuildShopRollups(tx: Db, shopId: number): Promise<number> {
  const days = await tx.selectFrom('orders').select('day').distinct().where('shop_id', '=', shopId).execute();
  await tx.deleteFrom('daily_rollups').where('shop_id', '=', shopId).execute();
  await recountDays(tx, shopId, days.map((d) => d.day));
  return days.length;
}

/**
 * Writes orders of one shop inside the caller's transaction, keeping the rollups exact: an
 * order new to the shop is added to its day; for an order stored before (a re-upload, an
 * overlapping export, a re-synced order) the old and the new day are counted again from the
 * stored orders when the writer finishes.
 */
export class RollupTracker {
  private readonly added = new Map<string, DayRollup>();
  private readonly touched = new Set<string>();
  newOrders = 0;

  /** `previousDay` is the stored order's day before this write, or undefined when it is new. */
  note(order: Order, previousDay: string | undefined): void {
    const day = dayOf(order);
    // Stored orders have days (an import without order times is refused before its orders are written).
    if (day === null) throw new Error(`order ${order.id} has no creation time`);
    if (previousDay === undefined) {
      this.newOrders++;
      let rollup = this.added.get(day);
      if (!rollup) this.added.set(day, (rollup = emptyDay()));
      countIntoDay(rollup, order);
      return;
    }
    this.touched.add(previousDay);
    this.touched.add(day);
  }

  async apply(tx: Db, shopId: number): Promise<void> {
    // Recounted days include the new orders already stored on them; only the others take deltas.
    for (const day of this.touched) this.added.delete(day);
    await addToRollups(tx, shopId, this.added);
    await recountDays(tx, shopId, this.touched);
  }
}
