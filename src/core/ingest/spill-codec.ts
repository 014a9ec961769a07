import type { OrderLine } from '../order.js';
import type { HeldStates } from './packed-states.js';

/**
 * A run: the held states of one bucket as bytes, their numbers as the typed arrays hold them
 * and their texts as one JSON document. Writing a run copies memory; reading one back costs a
 * JSON parse of its ids and texts, not a parse per order.
 *
 *   header   4 × u32: slots, int lanes, order-line lanes, JSON bytes
 *   cents    f64 per slot
 *   lines    f64 × LINE_LANES per order line: slot, four text numbers (-1: none), quantity, cancelled
 *            (f64: a quantity is any whole number; the eight-byte lanes come first, aligned)
 *   ints     i32 lanes (packed-states.ts)
 *   JSON     { ids, texts, unknown, lineTexts }
 */
const HEADER_BYTES = 16;
const LINE_LANES = 7;

interface RunTexts {
  ids: string[];
  texts: string[];
  unknown: HeldStates['unknown'];
  lineTexts: string[];
}

export function encodeRun(held: HeldStates): Uint8Array {
  const lineTexts: string[] = [];
  const numbered = new Map<string, number>();
  const number = (text: string | null): number => {
    if (text === null) return -1;
    let n = numbered.get(text);
    if (n === undefined) {
      n = lineTexts.length;
      lineTexts.push(text);
      numbered.set(text, n);
    }
    return n;
  };
  let lineCount = 0;
  for (const [, lines] of held.items) lineCount += lines.length;
  const lines = new Float64Array(lineCount * LINE_LANES);
  let at = 0;
  for (const [slot, items] of held.items) {
    for (const l of items) {
      lines[at++] = slot;
      lines[at++] = number(l.skuId);
      lines[at++] = number(l.sellerSku);
      lines[at++] = number(l.product);
      lines[at++] = number(l.variation);
      lines[at++] = l.quantity;
      lines[at++] = l.cancelled ? 1 : 0;
    }
  }
  const texts: RunTexts = { ids: held.ids, texts: held.texts, unknown: held.unknown, lineTexts };
  const json = new TextEncoder().encode(JSON.stringify(texts));
  const slots = held.ids.length;
  const centsBytes = slots * 8;
  const intsBytes = held.ints.length * 4;
  const bytes = new Uint8Array(HEADER_BYTES + centsBytes + lines.byteLength + intsBytes + json.byteLength);
  new Uint32Array(bytes.buffer, 0, 4).set([slots, held.ints.length, lines.length, json.byteLength]);
  let offset = HEADER_BYTES;
  bytes.set(new Uint8Array(held.cents.buffer, held.cents.byteOffset, centsBytes), offset);
  offset += centsBytes;
  bytes.set(new Uint8Array(lines.buffer), offset);
  offset += lines.byteLength;
  bytes.set(new Uint8Array(held.ints.buffer, held.ints.byteOffset, intsBytes), offset);
  offset += intsBytes;
  bytes.set(json, offset);
  return bytes;
}

export function decodeRun(bytes: Uint8Array): HeldStates {
  // Copied out: a run read from disk may start anywhere in a shared buffer, and typed arrays need their own alignment.
  // (A Buffer's slice is a view, not a copy: the constructor copies whatever the bytes are.)
  const copy = (from: number, length: number) => new Uint8Array(bytes.subarray(from, from + length)).buffer;
  const [slots = 0, intLanes = 0, lineLanes = 0, jsonBytes = 0] = new Uint32Array(copy(0, HEADER_BYTES));
  let offset = HEADER_BYTES;
  const cents = new Float64Array(copy(offset, slots * 8));
  offset += slots * 8;
  const lines = new Float64Array(copy(offset, lineLanes * 8));
  offset += lineLanes * 8;
  const ints = new Int32Array(copy(offset, intLanes * 4));
  offset += intLanes * 4;
  const texts = JSON.parse(new TextDecoder().decode(bytes.subarray(offset, offset + jsonBytes))) as RunTexts;
  const text = (n: number): string | null => (n < 0 ? null : texts.lineTexts[n] ?? null);
  const items: Array<[number, OrderLine[]]> = [];
  let current: OrderLine[] | null = null;
  let currentSlot = -1;
  for (let at = 0; at < lines.length; at += LINE_LANES) {
    const slot = lines[at] ?? 0;
    if (slot !== currentSlot || current === null) {
      current = [];
      currentSlot = slot;
      items.push([slot, current]);
    }
    current.push({
      skuId: text(lines[at + 1] ?? -1), sellerSku: text(lines[at + 2] ?? -1), product: text(lines[at + 3] ?? -1), variation: text(lines[at + 4] ?? -1),
      quantity: lines[at + 5] ?? 0, cancelled: lines[at + 6] === 1,
    });
  }
  return { ids: texts.ids, ints, cents, texts: texts.texts, unknown: texts.unknown, items };
}
