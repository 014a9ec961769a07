import { ITEM_LANES, type HeldStates } from './packed-states.js';

/**
 * A run: the held states of one bucket as bytes, their numbers as the typed arrays hold them
 * and their texts as one JSON document. Writing a run copies memory; reading one back costs a
 * JSON parse of its ids and texts, not a parse per order.
 *
 *   header      4 × u32: slots, int lanes, order lines, JSON bytes
 *   cents       f64 per slot
 *   quantities  f64 per order line (the eight-byte lanes come first, aligned)
 *   ints        i32 lanes per slot (packed-states.ts)
 *   items       i32 lanes per order line (packed-states.ts)
 *   JSON        { ids, texts, unknown }
 */
const HEADER_BYTES = 16;

interface RunTexts {
  ids: string[];
  texts: string[];
  unknown: HeldStates['unknown'];
}

export function encodeRun(held: HeldStates): Uint8Array {
  const texts: RunTexts = { ids: held.ids, texts: held.texts, unknown: held.unknown };
  const json = new TextEncoder().encode(JSON.stringify(texts));
  const parts = [held.cents, held.quantities, held.ints, held.items];
  const bytes = new Uint8Array(HEADER_BYTES + parts.reduce((sum, part) => sum + part.byteLength, 0) + json.byteLength);
  new Uint32Array(bytes.buffer, 0, 4).set([held.ids.length, held.ints.length, held.quantities.length, json.byteLength]);
  let offset = HEADER_BYTES;
  for (const part of parts) {
    bytes.set(new Uint8Array(part.buffer, part.byteOffset, part.byteLength), offset);
    offset += part.byteLength;
  }
  bytes.set(json, offset);
  return bytes;
}

export function decodeRun(bytes: Uint8Array): HeldStates {
  // Copied out: a run read from disk may start anywhere in a shared buffer, and typed arrays need their own alignment.
  // (A Buffer's slice is a view, not a copy: the constructor copies whatever the bytes are.)
  let offset = 0;
  const take = (length: number) => {
    const part = new Uint8Array(bytes.subarray(offset, offset + length)).buffer;
    offset += length;
    return part;
  };
  const [slots = 0, intLanes = 0, items = 0, jsonBytes = 0] = new Uint32Array(take(HEADER_BYTES));
  // A run cut short or grown on disk would read as other orders: it fails the import instead.
  const length = HEADER_BYTES + slots * 8 + items * 8 + intLanes * 4 + items * ITEM_LANES * 4 + jsonBytes;
  if (bytes.length !== length) throw new Error(`a run of held orders read back ${bytes.length} bytes, its header says ${length}`);
  const cents = new Float64Array(take(slots * 8));
  const quantities = new Float64Array(take(items * 8));
  const ints = new Int32Array(take(intLanes * 4));
  const itemLanes = new Int32Array(take(items * ITEM_LANES * 4));
  const texts = JSON.parse(new TextDecoder().decode(bytes.subarray(offset, offset + jsonBytes))) as RunTexts;
  return { ids: texts.ids, ints, cents, texts: texts.texts, unknown: texts.unknown, items: itemLanes, quantities };
}
