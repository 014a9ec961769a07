import type { Insertable, Selectable } from 'kysely';
import { detach } from '../core/ingest/strings.js';
import { dayOfTime, REPORT_COLUMNS, type Order, type OrderLine, type ReportColumn } from '../core/order.js';
import { CATEGORIES, INITIATORS, type Category, type Initiator } from '../core/reasons/categories.js';
import type { RowEncoder } from './bulk.js';
import { CopyText, KnownTexts } from './copy-text.js';
import type { OrderTable } from './schema.js';

/** Stored orders have creation times: an import without order times is refused before it reaches the store. */
function createdAtOf(o: Order): string {
  if (o.createdAt === null) throw new Error(`order ${o.id} has no creation time`);
  return o.createdAt;
}

/** The day a stored order counts under: its created time's (`dayOfTime`). */
export const storedDayOf = (r: Pick<Selectable<OrderTable>, 'created_at'>): string => dayOfTime(r.created_at);

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

/** A text as a JSON string literal (see `quotesOnce`). */
export type Quote = (text: string) => string;

/** Texts an import's orders' lines quote once each: a shop's catalogue, a few hundred names and SKUs. */
const QUOTED_TEXTS = 4096;

/**
 * Quotes for one import's orders, each distinct name and SKU quoted once (up to QUOTED_TEXTS):
 * a shop's names recur on every order, and the quotes go with the import. Not the reader's
 * `memo`: its look at the last few texts first pays where a column repeats the row above, and
 * here four columns take turns.
 */
export function quotesOnce(): Quote {
  const quoted = new Map<string, string>();
  return (text) => {
    let literal = quoted.get(text);
    if (literal === undefined) {
      literal = JSON.stringify(text);
      // A text cut from a batch's joined texts must not keep the whole batch alive.
      if (quoted.size < QUOTED_TEXTS) quoted.set(detach(text), literal);
    }
    return literal;
  };
}

const literal = (text: string | null, quote: Quote): string => (text === null ? 'null' : quote(text));

/**
 * An order's lines as its row keeps them (see `OrderTable.lines`): a JSON array of
 * `[skuId, sellerSku, product, variation, quantity, cancelled 0|1]`. Written by hand rather than
 * by JSON.stringify of tuples, so that each text is quoted by `quote`, once per import.
 */
export function linesToJson(lines: readonly OrderLine[], quote: Quote): string {
  let json = '';
  for (const l of lines) {
    json += `${json === '' ? '[[' : ',['}${literal(l.skuId, quote)},${literal(l.sellerSku, quote)},${literal(l.product, quote)},`
      + `${literal(l.variation, quote)},${JSON.stringify(l.quantity)},${l.cancelled ? 1 : 0}]`;
  }
  return json === '' ? '[]' : `${json}]`;
}

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

/** An order as a row of the `orders` table (its texts quoted by `quote`) and back (its lines apart: `linesFromRow`). */
function orderToRow(shopId: number, o: Order, quote: Quote): Insertable<OrderTable> {
  return {
    shop_id: shopId, order_id: o.id, created_at: createdAtOf(o),
    paid: o.paid ? 1 : 0, cancelled: o.cancelled ? 1 : 0, partially_cancelled: o.partiallyCancelled ? 1 : 0,
    initiator: o.initiator, reason: o.reason, category: o.category, fbt: o.fulfilledByTikTok ? 1 : 0, sample: o.sample ? 1 : 0,
    amount_cents: o.amountCents, currency: o.currency,
    cod: o.cod ? 1 : 0, gaps: o.gaps.length > 0 ? JSON.stringify(o.gaps) : null,
    unrecognised: Object.keys(o.unrecognised).length > 0 ? JSON.stringify(o.unrecognised) : null,
    lines: o.lines ? linesToJson(o.lines, quote) : null,
  };
}

/** The columns an order's row is written with, in the order `orderEncoder` writes them as COPY text. */
export const ORDER_COLUMNS_WRITTEN = ['shop_id', 'order_id', 'created_at', 'paid', 'cancelled', 'partially_cancelled', 'initiator', 'reason', 'category',
  'fbt', 'sample', 'amount_cents', 'currency', 'cod', 'gaps', 'unrecognised', 'lines'] as const satisfies ReadonlyArray<keyof OrderTable>;

/**
 * One import's orders as rows of one shop: as `orderToRow` makes them, and
 * straight into COPY text, field by field in ORDER_COLUMNS_WRITTEN's order, without the row
 * object or a string per value between (see CopyText). Texts that recur over orders (reasons,
 * currencies, the gaps of a file, a shop's product names and SKUs as JSON) are encoded once.
 */
export function orderEncoder(shopId: number): RowEncoder<'orders', Order> {
  const quote = quotesOnce();
  const texts = new KnownTexts();
  const literals = new KnownTexts(JSON.stringify);
  const shop = CopyText.encode(String(shopId));
  const flag = (out: CopyText, on: boolean) => out.number(on ? 1 : 0);
  const knownOrNull = (out: CopyText, text: string | null) => (text === null ? out.nullValue() : out.known(texts, text));
  const literal = (out: CopyText, text: string | null) => (text === null ? out.encoded(NULL_LITERAL) : out.known(literals, text));
  /** Orders of one file share one list of gaps, often the same array. */
  let gaps: { of: readonly ReportColumn[]; json: string } = { of: [], json: '[]' };
  return {
    row: (o) => orderToRow(shopId, o, quote),
    copy(out, o) {
      const createdAt = createdAtOf(o);
      out.encoded(shop); out.tab();
      out.text(o.id); out.tab();
      out.text(createdAt); out.tab();
      flag(out, o.paid); out.tab();
      flag(out, o.cancelled); out.tab();
      flag(out, o.partiallyCancelled); out.tab();
      out.known(texts, o.initiator); out.tab();
      knownOrNull(out, o.reason); out.tab();
      knownOrNull(out, o.category); out.tab();
      flag(out, o.fulfilledByTikTok); out.tab();
      flag(out, o.sample); out.tab();
      out.value(o.amountCents); out.tab();
      knownOrNull(out, o.currency); out.tab();
      flag(out, o.cod); out.tab();
      if (o.gaps.length === 0) {
        out.nullValue();
      } else {
        if (gaps.of !== o.gaps) gaps = { of: o.gaps, json: JSON.stringify(o.gaps) };
        out.known(texts, gaps.json);
      }
      out.tab();
      if (Object.keys(o.unrecognised).length === 0) out.nullValue();
      else out.text(JSON.stringify(o.unrecognised));
      out.tab();
      if (!o.lines) {
        out.nullValue();
      } else if (o.lines.length === 0) {
        out.known(texts, '[]');
      } else {
        // As `linesToJson` writes them.
        for (let i = 0; i < o.lines.length; i++) {
          const l = o.lines[i] as OrderLine;
          out.char(i === 0 ? OPEN : COMMA);
          out.char(OPEN);
          literal(out, l.skuId); out.char(COMMA);
          literal(out, l.sellerSku); out.char(COMMA);
          literal(out, l.product); out.char(COMMA);
          literal(out, l.variation); out.char(COMMA);
          if (Number.isSafeInteger(l.quantity)) out.number(l.quantity);
          else out.text(JSON.stringify(l.quantity));
          out.char(COMMA);
          out.char(l.cancelled ? ONE : ZERO);
          out.char(CLOSE);
        }
        out.char(CLOSE);
      }
      out.endRow();
    },
  };
}

const NULL_LITERAL = CopyText.encode('null');
const [OPEN, CLOSE, COMMA, ZERO, ONE] = ['[', ']', ',', '0', '1'].map((c) => c.charCodeAt(0)) as [number, number, number, number, number];

const asInitiator = (v: string): Initiator => ((INITIATORS as readonly string[]).includes(v) ? (v as Initiator) : 'unknown');
const asCategory = (v: string | null): Category | null => (v !== null && (CATEGORIES as readonly string[]).includes(v) ? (v as Category) : null);

/** An order's row as it is read back: every column but the lines (`linesFromRow`), which only products need. */
export const ORDER_COLUMNS = ['order_id', 'created_at', 'paid', 'cancelled', 'partially_cancelled', 'initiator', 'reason', 'category',
  'fbt', 'sample', 'amount_cents', 'currency', 'cod', 'gaps', 'unrecognised'] as const satisfies ReadonlyArray<keyof OrderTable>;

export const orderFromRow = (r: Pick<Selectable<OrderTable>, (typeof ORDER_COLUMNS)[number]>): Order => ({
  id: r.order_id, createdAt: r.created_at, paid: r.paid === 1, cancelled: r.cancelled === 1, partiallyCancelled: r.partially_cancelled === 1,
  initiator: asInitiator(r.initiator), reason: r.reason, category: asCategory(r.category), fulfilledByTikTok: r.fbt === 1, sample: r.sample === 1,
  amountCents: r.amount_cents === null ? null : Number(r.amount_cents), currency: r.currency,
  cod: r.cod === 1, gaps: gapsOf(r.gaps), unrecognised: unrecognisedOf(r.unrecognised),
});
