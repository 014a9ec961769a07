import type { Insertable, Selectable } from 'kysely';
import { dayOf, type Order } from '../core/order.js';
import { changedTally, countOrder, emptyTally, type Tally } from '../core/metrics/tally.js';
import { tallyFromJson, tallyToJson } from '../core/metrics/tally-json.js';
import type { Db } from './types.js';
import type { DailyRollupTable } from './schema.js';
import { ORDER_COLUMNS, orderFromRow, storedDayOf } from './order-rows.js';

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

/** Removes the rollups of days left without orders. */
async function deleteDays(tx: Db, shopId: number, days: readonly string[]): Promise<void> {
  for (let i = 0; i < days.length; i += BATCH) {
    await tx.deleteFrom('daily_rollups').where('shop_id', '=', shopId).where('day', 'in', days.slice(i, i + BATCH)).execute();
  }
}

/** An order as stored before a write, with the day it is stored under. */
export interface StoredOrder {
  order: Order;
  day: string;
}

/** What one write does to a day: the orders it counts in, and the stored versions it takes back out. */
interface DayChange {
  added: DayRollup;
  removed: DayRollup;
}

/** A day's rollup after a change, or null where only counting the day's orders again can tell (see `changedTally`). */
function changedDay(held: DayRollup | undefined, { added, removed }: DayChange): DayRollup | null {
  // Orders stored under a day without a rollup: only counting the day again can mend it.
  if (held === undefined) return removed.stored > 0 ? null : added;
  const stored = held.stored + added.stored - removed.stored;
  // The newest time cannot be taken back out: when it left, only the day's orders know the next one.
  if (stored < 0 || (removed.stored > 0 && removed.newest >= held.newest && added.newest < held.newest)) return null;
  const tally = changedTally(held.tally, added.tally, removed.tally);
  if (tally === null) return null;
  if (stored === 0 && (tally.orders !== 0 || tally.unpaidExpired !== 0 || tally.uncertainCod !== 0 || tally.gaps.size > 0)) return null;
  return { tally, stored, newest: added.newest > held.newest ? added.newest : held.newest };
}

/** Applies a write's changes to the stored rollups of their days; returns the days that must be counted again. */
async function applyChanges(tx: Db, shopId: number, changes: ReadonlyMap<string, DayChange>): Promise<Set<string>> {
  const days = [...changes.keys()];
  const recount = new Set<string>();
  const merged: Array<[string, DayRollup]> = [];
  const emptied: string[] = [];
  for (let i = 0; i < days.length; i += BATCH) {
    const chunk = days.slice(i, i + BATCH);
    const held = await tx.selectFrom('daily_rollups').select(['day', 'tally', 'stored_orders', 'newest_created_at'])
      .where('shop_id', '=', shopId).where('day', 'in', chunk).execute();
    const stored = new Map(held.map((row) => [row.day, rollupOf(row)]));
    for (const day of chunk) {
      const change = changes.get(day);
      if (!change) continue;
      const next = changedDay(stored.get(day), change);
      if (next === null) recount.add(day);
      else if (next.stored === 0) emptied.push(day);
      else merged.push([day, next]);
    }
  }
  await putRollups(tx, shopId, merged);
  await deleteDays(tx, shopId, emptied);
  return recount;
}

/** Orders read per query when a shop's stored orders are counted again. */
const SCAN_PAGE = 5_000;

/**
 * Counts the shop's stored orders of the days `wanted` keeps, in order-id order (which reason
 * texts a day keeps, the first hundred, must not hang on where the engine put the rows). One
 * pass over the shop in id pages: orders are not indexed by day, which made every write slower.
 */
async function countStoredDays(tx: Db, shopId: number, wanted: (day: string) => boolean): Promise<Map<string, DayRollup>> {
  const days = new Map<string, DayRollup>();
  let after = '';
  for (;;) {
    const rows = await tx.selectFrom('orders').select(ORDER_COLUMNS).where('shop_id', '=', shopId).where('order_id', '>', after)
      .orderBy('order_id').limit(SCAN_PAGE).execute();
    for (const row of rows) {
      const day = storedDayOf(row);
      if (!wanted(day)) continue;
      let rollup = days.get(day);
      if (!rollup) days.set(day, (rollup = emptyDay()));
      countIntoDay(rollup, orderFromRow(row));
    }
    const last = rows.at(-1);
    if (rows.length < SCAN_PAGE || last === undefined) return days;
    after = last.order_id;
  }
}

/** Counts the shop's days again from its stored orders; a day left without orders loses its row. */
export async function recountDays(tx: Db, shopId: number, days: ReadonlySet<string>): Promise<void> {
  if (days.size === 0) return;
  const counted = await countStoredDays(tx, shopId, (day) => days.has(day));
  await putRollups(tx, shopId, [...counted]);
  await deleteDays(tx, shopId, [...days].filter((day) => !counted.has(day)));
}

/** Every day of the shop counted again from its orders: a rollup that matches the orders whatever it held. */
export async function rebuildShopRollups(tx: Db, shopId: number): Promise<number> {
  const counted = await countStoredDays(tx, shopId, () => true);
  await tx.deleteFrom('daily_rollups').where('shop_id', '=', shopId).execute();
  await putRollups(tx, shopId, [...counted]);
  return counted.size;
}

/**
 * Writes orders of one shop inside the caller's transaction, keeping the rollups exact: an
 * order is counted into its day, and an order stored before (a re-upload, an overlapping export,
 * a re-synced order) is taken back out of the day it was stored under. When the writer finishes,
 * each day's change is applied to its stored rollup; the rare day whose change cannot be told
 * from the tallies alone (see `changedTally`) is counted again from its stored orders.
 */
export class RollupTracker {
  private readonly changes = new Map<string, DayChange>();
  newOrders = 0;

  /** `previous` is the order as stored before this write, with the day it is stored under; undefined when it is new. */
  note(order: Order, previous: StoredOrder | undefined): void {
    const day = dayOf(order);
    // Stored orders have days (an import without order times is refused before its orders are written).
    if (day === null) throw new Error(`order ${order.id} has no creation time`);
    countIntoDay(this.change(day).added, order);
    if (previous) countIntoDay(this.change(previous.day).removed, previous.order);
    else this.newOrders++;
  }

  private change(day: string): DayChange {
    let change = this.changes.get(day);
    if (!change) this.changes.set(day, (change = { added: emptyDay(), removed: emptyDay() }));
    return change;
  }

  async apply(tx: Db, shopId: number): Promise<void> {
    await recountDays(tx, shopId, await applyChanges(tx, shopId, this.changes));
  }
}
