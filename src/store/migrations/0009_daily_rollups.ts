import { sql, type Kysely } from 'kysely';

/*
 * The orders stored before rollups existed are counted here, with the metric contract and the
 * rollup's text as they were when 0009 was written (src/core/metrics/tally.ts, tally-json.ts and
 * src/store/rollups.ts then). A copy, not an import: a later change to how orders are counted
 * must not change what this migration wrote, nor what it writes for a database upgraded late.
 * A rollup the code would count otherwise needs a migration of its own that counts again.
 */

const INITIATORS = ['buyer', 'seller', 'system', 'platform', 'unknown'] as const;
type Initiator = (typeof INITIATORS)[number];

const CATEGORIES = [
  'out_of_stock', 'pricing_error', 'price_or_promotion', 'late_fulfilment', 'delivery_failure', 'description_mismatch',
  'changed_mind', 'order_details', 'risk_control', 'unpaid', 'other',
] as const;
type Category = (typeof CATEGORIES)[number];

/** Seller-initiated cancels that only carried out the buyer's wish. */
const BUYER_ASKED: ReadonlySet<Category> = new Set<Category>(['changed_mind', 'order_details', 'price_or_promotion', 'description_mismatch']);

/** The export columns an order's `gaps` and `unrecognised` may name; anything else stored there is dropped. */
const REPORT_COLUMNS: readonly string[] = [
  'Order Status', 'Order Substatus', 'Cancelation/Return Type', 'Created Time', 'Paid Time', 'Payment Method',
  'Cancel By', 'Cancel Reason', 'Fulfillment Type', 'Order Amount',
];

const MAX_TEXTS = 100;
const UNKNOWN_CURRENCY = 'XXX';

/** Rows per statement: 9 columns × 500 stays far below both engines' parameter limits. */
const BATCH = 500;
/** Orders read per query. */
const SCAN_PAGE = 5_000;

/** The `orders` columns read, as the table was after 0008. */
interface OrderRow {
  order_id: string;
  created_at: string;
  paid: number;
  cancelled: number;
  partially_cancelled: number;
  initiator: string;
  reason: string | null;
  category: string | null;
  fbt: number;
  sample: number;
  amount_cents: number | string | null;
  currency: string | null;
  gaps: string | null;
  unrecognised: string | null;
}

interface ReasonTally {
  cancelled: number;
  sellerFault: number;
  texts: Map<string, number>;
}

/** Its fields in this order: the stored text is their JSON. */
interface Tally {
  orders: number;
  cancelled: number;
  sellerFaultOrders: number;
  sellerFaultCancelled: number;
  partiallyCancelled: number;
  unpaidExpired: number;
  byInitiator: Record<Initiator, number>;
  reasons: Map<Category, ReasonTally>;
  lostCents: Map<string, number>;
  gaps: Map<string, number>;
  unrecognised: Map<string, Map<string, number>>;
}

interface Day {
  tally: Tally;
  stored: number;
  newest: string;
}

const emptyDay = (): Day => ({
  tally: {
    orders: 0, cancelled: 0, sellerFaultOrders: 0, sellerFaultCancelled: 0, partiallyCancelled: 0, unpaidExpired: 0,
    byInitiator: Object.fromEntries(INITIATORS.map((i) => [i, 0])) as Record<Initiator, number>,
    reasons: new Map(), lostCents: new Map(), gaps: new Map(), unrecognised: new Map(),
  },
  stored: 0,
  newest: '',
});

function isSellerFault(initiator: Initiator, category: Category): boolean {
  if (initiator === 'seller') return !BUYER_ASKED.has(category) && category !== 'unpaid';
  if (initiator === 'system') return category === 'late_fulfilment';
  return false;
}

function countText(texts: Map<string, number>, text: string): void {
  const held = texts.get(text);
  if (held !== undefined) texts.set(text, held + 1);
  else if (texts.size < MAX_TEXTS) texts.set(text, 1);
}

function gapsOf(text: string | null): string[] {
  if (!text) return [];
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string' && REPORT_COLUMNS.includes(v)) : [];
}

function unrecognisedOf(text: string | null): Array<[string, string]> {
  if (!text) return [];
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null) return [];
  return Object.entries(parsed).filter((e): e is [string, string] => REPORT_COLUMNS.includes(e[0]) && typeof e[1] === 'string');
}

function countOrder(day: Day, row: OrderRow): void {
  const t = day.tally;
  day.stored++;
  if (row.created_at > day.newest) day.newest = row.created_at;
  const initiator: Initiator = (INITIATORS as readonly string[]).includes(row.initiator) ? (row.initiator as Initiator) : 'unknown';
  const known = row.category !== null && (CATEGORIES as readonly string[]).includes(row.category) ? (row.category as Category) : null;
  const placed = row.paid === 1 && known !== 'unpaid';
  const countsForSellerFault = placed && row.fbt !== 1 && row.sample !== 1;
  const category = known ?? 'other';
  const cancelled = row.cancelled === 1;
  const sellerFault = countsForSellerFault && cancelled && isSellerFault(initiator, category);
  // What the source could not say counts for every order, placed or not.
  for (const column of gapsOf(row.gaps)) t.gaps.set(column, (t.gaps.get(column) ?? 0) + 1);
  for (const [column, value] of unrecognisedOf(row.unrecognised)) {
    let values = t.unrecognised.get(column);
    if (!values) t.unrecognised.set(column, (values = new Map()));
    countText(values, value);
  }
  if (!placed) {
    if (cancelled) t.unpaidExpired++;
    return;
  }
  t.orders++;
  if (countsForSellerFault) t.sellerFaultOrders++;
  if (row.partially_cancelled === 1) t.partiallyCancelled++;
  if (!cancelled) return;
  t.cancelled++;
  t.byInitiator[initiator]++;
  if (sellerFault) t.sellerFaultCancelled++;
  let reason = t.reasons.get(category);
  if (!reason) t.reasons.set(category, (reason = { cancelled: 0, sellerFault: 0, texts: new Map() }));
  reason.cancelled++;
  if (sellerFault) reason.sellerFault++;
  if (row.reason) countText(reason.texts, row.reason);
  if (row.amount_cents !== null) {
    const currency = row.currency ?? UNKNOWN_CURRENCY;
    t.lostCents.set(currency, (t.lostCents.get(currency) ?? 0) + Number(row.amount_cents));
  }
}

/** Maps as tagged entry lists (`{"$map": [[key, value], …]}`), which the rollups' reader turns back into maps. */
const tallyText = (t: Tally): string => JSON.stringify(t, (_key, value: unknown) => (value instanceof Map ? { $map: [...value] } : value));

/**
 * A shop's days from its orders, read in order-id order (the hundred texts a day keeps must not
 * hang on where the engine put the rows), one page at a time. An order's day is its created
 * time's first ten characters, as the `day` column says (0015 drops that column as a copy).
 */
async function countShop(db: Kysely<unknown>, shopId: number): Promise<Map<string, Day>> {
  const days = new Map<string, Day>();
  let after = '';
  for (;;) {
    const { rows } = await sql<OrderRow>`select order_id, created_at, paid, cancelled, partially_cancelled, initiator, reason,
      category, fbt, sample, amount_cents, currency, gaps, unrecognised
      from orders where shop_id = ${shopId} and order_id > ${after} order by order_id limit ${SCAN_PAGE}`.execute(db);
    for (const row of rows) {
      const key = row.created_at.slice(0, 10);
      let day = days.get(key);
      if (!day) days.set(key, (day = emptyDay()));
      countOrder(day, row);
    }
    const last = rows.at(-1);
    if (rows.length < SCAN_PAGE || last === undefined) return days;
    after = last.order_id;
  }
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('daily_rollups')
    .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('stored_orders', 'integer', (c) => c.notNull())
    .addColumn('orders', 'integer', (c) => c.notNull())
    .addColumn('cancelled', 'integer', (c) => c.notNull())
    .addColumn('seller_fault_orders', 'integer', (c) => c.notNull())
    .addColumn('seller_fault_cancelled', 'integer', (c) => c.notNull())
    .addColumn('newest_created_at', 'text', (c) => c.notNull())
    .addColumn('tally', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('daily_rollups_pk', ['shop_id', 'day'])
    .execute();
  // Orders stored before rollups existed are counted now, shop by shop.
  const { rows: shops } = await sql<{ id: number }>`select id from shops order by id`.execute(db);
  for (const { id } of shops) {
    const days = [...await countShop(db, id)];
    for (let i = 0; i < days.length; i += BATCH) {
      const rows = days.slice(i, i + BATCH).map(([day, { tally: t, stored, newest }]) =>
        sql`(${id}, ${day}, ${stored}, ${t.orders}, ${t.cancelled}, ${t.sellerFaultOrders}, ${t.sellerFaultCancelled}, ${newest}, ${tallyText(t)})`);
      await sql`insert into daily_rollups (shop_id, day, stored_orders, orders, cancelled, seller_fault_orders, seller_fault_cancelled,
        newest_created_at, tally) values ${sql.join(rows)}`.execute(db);
    }
  }
}
