import { detach } from '../core/ingest/strings.js';
import type { Order, OrderLine, ReportColumn } from '../core/order.js';
import { CATEGORIES, INITIATORS, type Category } from '../core/reasons/categories.js';

/**
 * A batch of orders as it crosses from an import worker to the main thread: numbers and flags in
 * typed arrays (moved, not copied), and the texts joined in one string cut by end offsets, those
 * that repeat (a product's name and SKU, a reason) once a batch. Both threads of an upload are
 * busy, and this is cheaper to write, to cross and to read back than JSON or cloned objects.
 */
export interface OrderWire {
  /** ORDER_LANES per order. */
  orders: Int32Array<ArrayBuffer>;
  /** Order Amount in cents, per order (read only where the order's flags say it has one). */
  cents: Float64Array<ArrayBuffer>;
  /** LINE_LANES per order line, the orders' lines one after another (doubles: a quantity may be any whole number). */
  lines: Float64Array<ArrayBuffer>;
  /** The distinct texts joined, and where each ends. */
  texts: string;
  textEnds: Int32Array<ArrayBuffer>;
  /** The numbers of the texts that recur over orders (names, SKUs, reasons, currencies), which may be held long after the batch. */
  sharedTexts: Int32Array<ArrayBuffer>;
  /** Distinct lists of columns the source lacked (a file's orders share one or two). */
  gapLists: ReadonlyArray<readonly ReportColumn[]>;
  /** Values no table knows, rare: by the order's place in the batch. */
  unrecognised: Array<[order: number, values: Partial<Record<ReportColumn, string>>]>;
}

const ORDER_LANES = 10;
const [FLAGS, ID, CREATED_AT, INITIATOR, REASON, CATEGORY, CURRENCY, GAPS, FIRST_LINE, LINE_COUNT] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] as const;
const LINE_LANES = 6;
const [SKU_ID, SELLER_SKU, PRODUCT, VARIATION, QUANTITY, CANCELLED] = [0, 1, 2, 3, 4, 5] as const;
/** A text lane's value for null. */
const NULL = -1;

const PAID = 1;
const COD = 2;
const WHOLLY_CANCELLED = 4;
const PARTIALLY_CANCELLED = 8;
const FBT = 16;
const SAMPLE = 32;
const HAS_AMOUNT = 64;
/** Lines given, even none (an order without product columns has no `lines` at all). */
const HAS_LINES = 128;

const NO_GAPS: readonly ReportColumn[] = Object.freeze([]);
const NOTHING_UNRECOGNISED: Partial<Record<ReportColumn, string>> = Object.freeze({});
const categoryIndex = new Map<Category, number>(CATEGORIES.map((c, i) => [c, i]));
const initiatorIndex = new Map(INITIATORS.map((c, i) => [c, i]));

/** The batch's texts, numbered as they come: the repeated ones once. */
class TextTable {
  private readonly numbers = new Map<string, number>();
  private readonly texts: string[] = [];
  private readonly shared: number[] = [];

  /** A text that repeats over orders (a reason, a currency, a product's name or SKU): sent once. */
  numberOf(text: string | null): number {
    if (text === null) return NULL;
    let n = this.numbers.get(text);
    if (n === undefined) {
      n = this.add(text);
      this.numbers.set(text, n);
      this.shared.push(n);
    }
    return n;
  }

  /** A text of one order (its id, its creation time): looking it up would cost more than sending it. */
  add(text: string | null): number {
    if (text === null) return NULL;
    return this.texts.push(text) - 1;
  }

  joined(): { texts: string; textEnds: Int32Array<ArrayBuffer>; sharedTexts: Int32Array<ArrayBuffer> } {
    const textEnds = new Int32Array(this.texts.length);
    let end = 0;
    this.texts.forEach((t, i) => { textEnds[i] = end += t.length; });
    return { texts: this.texts.join(''), textEnds, sharedTexts: Int32Array.from(this.shared) };
  }
}

export function ordersToWire(batch: readonly Order[]): OrderWire {
  const table = new TextTable();
  const orders = new Int32Array(batch.length * ORDER_LANES);
  const cents = new Float64Array(batch.length);
  let lineCount = 0;
  for (const o of batch) lineCount += o.lines?.length ?? 0;
  const lines = new Float64Array(lineCount * LINE_LANES);
  const gapLists: Array<readonly ReportColumn[]> = [];
  const unrecognised: OrderWire['unrecognised'] = [];
  let line = 0;
  batch.forEach((o, n) => {
    const at = n * ORDER_LANES;
    orders[at + FLAGS] = (o.paid ? PAID : 0) | (o.cod ? COD : 0) | (o.cancelled ? WHOLLY_CANCELLED : 0) | (o.partiallyCancelled ? PARTIALLY_CANCELLED : 0)
      | (o.fulfilledByTikTok ? FBT : 0) | (o.sample ? SAMPLE : 0) | (o.amountCents !== null ? HAS_AMOUNT : 0) | (o.lines ? HAS_LINES : 0);
    orders[at + ID] = table.add(o.id);
    orders[at + CREATED_AT] = table.add(o.createdAt);
    orders[at + INITIATOR] = initiatorIndex.get(o.initiator) ?? NULL;
    orders[at + REASON] = table.numberOf(o.reason);
    orders[at + CATEGORY] = o.category === null ? NULL : categoryIndex.get(o.category) ?? NULL;
    orders[at + CURRENCY] = table.numberOf(o.currency);
    orders[at + GAPS] = o.gaps.length === 0 ? NULL : gapListOf(gapLists, o.gaps);
    orders[at + FIRST_LINE] = line;
    orders[at + LINE_COUNT] = o.lines?.length ?? 0;
    cents[n] = o.amountCents ?? 0;
    for (const l of o.lines ?? []) {
      const to = line++ * LINE_LANES;
      lines[to + SKU_ID] = table.numberOf(l.skuId);
      lines[to + SELLER_SKU] = table.numberOf(l.sellerSku);
      lines[to + PRODUCT] = table.numberOf(l.product);
      lines[to + VARIATION] = table.numberOf(l.variation);
      lines[to + QUANTITY] = l.quantity;
      lines[to + CANCELLED] = l.cancelled ? 1 : 0;
    }
    if (Object.keys(o.unrecognised).length > 0) unrecognised.push([n, o.unrecognised]);
  });
  return { orders, cents, lines, ...table.joined(), gapLists, unrecognised };
}

/** The number of `gaps` in `lists`, added if new: orders of one file share the same list, often the same array. */
function gapListOf(lists: Array<readonly ReportColumn[]>, gaps: readonly ReportColumn[]): number {
  let n = lists.indexOf(gaps);
  if (n === -1) n = lists.findIndex((l) => l.length === gaps.length && l.every((c, i) => c === gaps[i]));
  if (n === -1) n = lists.push(gaps) - 1;
  return n;
}

/** The buffers a wire's typed arrays hold, to be moved with it to the other thread. */
export const wireBuffers = (wire: OrderWire): ArrayBuffer[] => [wire.orders.buffer, wire.cents.buffer, wire.lines.buffer, wire.textEnds.buffer, wire.sharedTexts.buffer];

/** Only for a wire `ordersToWire` made (the import worker's own batches): it is not checked. */
export function ordersFromWire(wire: OrderWire): Order[] {
  const { orders: lanes, cents, lines: lineLanes, texts: joined, textEnds } = wire;
  const texts = new Array<string>(textEnds.length);
  for (let i = 0, start = 0; i < textEnds.length; i++) {
    const end = textEnds[i] ?? start;
    texts[i] = joined.slice(start, end);
    start = end;
  }
  // A text cut from the batch's joined texts keeps all of them alive, and the recurring ones are
  // held long after the batch (a product's name on its per-product row until the counts are
  // written, a reason in its day's tally): those are copied out.
  for (const n of wire.sharedTexts) texts[n] = detach(texts[n] ?? '');
  const text = (n: number): string | null => (n === NULL ? null : texts[n] ?? null);
  const unrecognised = new Map(wire.unrecognised);
  const count = lanes.length / ORDER_LANES;
  const orders = new Array<Order>(count);
  for (let n = 0; n < count; n++) {
    const at = n * ORDER_LANES;
    const flags = lanes[at + FLAGS] ?? 0;
    const category = lanes[at + CATEGORY] ?? NULL;
    const gaps = lanes[at + GAPS] ?? NULL;
    const order: Order = {
      id: text(lanes[at + ID] ?? NULL) ?? '', createdAt: text(lanes[at + CREATED_AT] ?? NULL),
      paid: (flags & PAID) !== 0, cod: (flags & COD) !== 0, cancelled: (flags & WHOLLY_CANCELLED) !== 0, partiallyCancelled: (flags & PARTIALLY_CANCELLED) !== 0,
      initiator: INITIATORS[lanes[at + INITIATOR] ?? NULL] ?? 'unknown', reason: text(lanes[at + REASON] ?? NULL),
      category: category === NULL ? null : CATEGORIES[category] ?? null,
      fulfilledByTikTok: (flags & FBT) !== 0, sample: (flags & SAMPLE) !== 0,
      amountCents: (flags & HAS_AMOUNT) !== 0 ? cents[n] ?? 0 : null, currency: text(lanes[at + CURRENCY] ?? NULL),
      gaps: gaps === NULL ? NO_GAPS : wire.gapLists[gaps] ?? NO_GAPS, unrecognised: unrecognised.get(n) ?? NOTHING_UNRECOGNISED,
    };
    if ((flags & HAS_LINES) !== 0) {
      const first = lanes[at + FIRST_LINE] ?? 0;
      const lines = new Array<OrderLine>(lanes[at + LINE_COUNT] ?? 0);
      for (let i = 0; i < lines.length; i++) {
        const from = (first + i) * LINE_LANES;
        lines[i] = {
          skuId: text(lineLanes[from + SKU_ID] ?? NULL), sellerSku: text(lineLanes[from + SELLER_SKU] ?? NULL),
          product: text(lineLanes[from + PRODUCT] ?? NULL), variation: text(lineLanes[from + VARIATION] ?? NULL),
          quantity: lineLanes[from + QUANTITY] ?? 1, cancelled: lineLanes[from + CANCELLED] === 1,
        };
      }
      order.lines = lines;
    }
    orders[n] = order;
  }
  return orders;
}
