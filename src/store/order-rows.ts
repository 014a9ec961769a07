import type { Insertable, Selectable } from 'kysely';
import { detach } from '../core/ingest/strings.js';
import { dayOf, REPORT_COLUMNS, type Order, type OrderLine, type ReportColumn } from '../core/order.js';
import { CATEGORIES, INITIATORS, type Category, type Initiator } from '../core/reasons/categories.js';
import type { OrderTable } from './schema.js';

/** Stored orders have days: an import without order times is refused before it reaches the store. */
function datedOf(o: Order): { createdAt: string; day: string } {
  const day = dayOf(o);
  if (o.createdAt === null || day === null) throw new Error(`order ${o.id} has no creation time`);
  return { createdAt: o.createdAt, day };
}

const isColumn = (v: string): v is ReportColumn => (REPORT_COLUMNS as readonly string[]).includes(v);

/** The stored JSON of an order's gaps and unknown values, read back strictly (anything else is dropped). */
function gapsOf(text: string | null): ReportColumn[] {
  if (!text) return [];
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed.filter((v): v is ReportColumn => typeof v === 'string' && isColumn(v)) : [];
}

function unrecognisedOf(text: string | null): Partial<Record<ReportColumn, string>> {
  if (!text) return {};
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null) return {};
  return Object.fromEntries(Object.entries(parsed).filter((e): e is [ReportColumn, string] => isColumn(e[0]) && typeof e[1] === 'string'));
}

const textOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * An order's lines as its row keeps them (see `OrderTable.lines`): a JSON array of
 * `[skuId, sellerSku, product, variation, quantity, cancelled 0|1]`. Written by hand rather than
 * by JSON.stringify of tuples: a shop's few hundred names and SKUs recur on every order, and
 * each is quoted once (JSONLiterals): about half the time, measured apart on 200k orders.
 */
export function linesToJson(lines: readonly OrderLine[]): string {
  let json = '';
  for (const l of lines) {
    json += `${json === '' ? '[[' : ',['}${literals.of(l.skuId)},${literals.of(l.sellerSku)},${literals.of(l.product)},${literals.of(l.variation)},`
      + `${JSON.stringify(l.quantity)},${l.cancelled ? 1 : 0}]`;
  }
  return json === '' ? '[]' : `${json}]`;
}

/**
 * Texts as JSON string literals, each quoted once. Held across imports, so bounded: texts up to
 * `maxLength` characters (a name longer than that is quoted each time), and once `capacity` are
 * held they are dropped for the texts that come next (another shop's catalogue).
 */
class JSONLiterals {
  private readonly quoted = new Map<string, string>();
  constructor(private readonly capacity: number, private readonly maxLength: number) {}

  of(text: string | null): string {
    if (text === null) return 'null';
    let literal = this.quoted.get(text);
    if (literal === undefined) {
      literal = JSON.stringify(text);
      if (text.length <= this.maxLength) {
        if (this.quoted.size >= this.capacity) this.quoted.clear();
        // A text cut from a batch's joined texts must not keep the whole batch alive.
        this.quoted.set(detach(text), literal);
      }
    }
    return literal;
  }
}

/** At most 4,096 texts of 256 characters: a few MB at worst. */
const literals = new JSONLiterals(4096, 256);

/** A row's lines read back, or undefined when it has none; an entry of another shape is dropped. */
export function linesFromRow(r: Pick<Selectable<OrderTable>, 'lines'>): OrderLine[] | undefined {
  if (r.lines === null) return undefined;
  const parsed: unknown = JSON.parse(r.lines);
  if (!Array.isArray(parsed)) return undefined;
  return parsed.filter((l): l is unknown[] => Array.isArray(l) && l.length === 6).map((l) => ({
    skuId: textOrNull(l[0]), sellerSku: textOrNull(l[1]), product: textOrNull(l[2]), variation: textOrNull(l[3]),
    quantity: Number(l[4]), cancelled: l[5] === 1 || l[5] === true,
  }));
}

/** An order as a row of the `orders` table and back (its lines apart: `linesFromRow`). */
export const orderToRow = (shopId: number, o: Order, at: string, { createdAt, day } = datedOf(o)): Insertable<OrderTable> => ({
  shop_id: shopId, order_id: o.id, created_at: createdAt, day,
  paid: o.paid ? 1 : 0, cancelled: o.cancelled ? 1 : 0, partially_cancelled: o.partiallyCancelled ? 1 : 0,
  initiator: o.initiator, reason: o.reason, category: o.category, fbt: o.fulfilledByTikTok ? 1 : 0, sample: o.sample ? 1 : 0,
  amount_cents: o.amountCents, currency: o.currency, updated_at: at,
  cod: o.cod ? 1 : 0, gaps: o.gaps.length > 0 ? JSON.stringify(o.gaps) : null,
  unrecognised: Object.keys(o.unrecognised).length > 0 ? JSON.stringify(o.unrecognised) : null,
  lines: o.lines ? linesToJson(o.lines) : null,
});

const asInitiator = (v: string): Initiator => ((INITIATORS as readonly string[]).includes(v) ? (v as Initiator) : 'unknown');
const asCategory = (v: string | null): Category | null => (v !== null && (CATEGORIES as readonly string[]).includes(v) ? (v as Category) : null);

/** An order's row as it is read back: every column but the lines (`linesFromRow`), which only products need. */
export const ORDER_COLUMNS = ['order_id', 'created_at', 'day', 'paid', 'cancelled', 'partially_cancelled', 'initiator', 'reason', 'category',
  'fbt', 'sample', 'amount_cents', 'currency', 'cod', 'gaps', 'unrecognised'] as const satisfies ReadonlyArray<keyof OrderTable>;

export const orderFromRow = (r: Pick<Selectable<OrderTable>, (typeof ORDER_COLUMNS)[number]>): Order => ({
  id: r.order_id, createdAt: r.created_at, paid: r.paid === 1, cancelled: r.cancelled === 1, partiallyCancelled: r.partially_cancelled === 1,
  initiator: asInitiator(r.initiator), reason: r.reason, category: asCategory(r.category), fulfilledByTikTok: r.fbt === 1, sample: r.sample === 1,
  amountCents: r.amount_cents === null ? null : Number(r.amount_cents), currency: r.currency,
  cod: r.cod === 1, gaps: gapsOf(r.gaps), unrecognised: unrecognisedOf(r.unrecognised),
});
