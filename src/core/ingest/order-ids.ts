import { detach } from './strings.js';

/** A typed array twice as long, starting with `values`. */
export function doubled(values: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer>;
export function doubled(values: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer>;
export function doubled(values: Int32Array<ArrayBuffer> | Float64Array<ArrayBuffer>): Int32Array<ArrayBuffer> | Float64Array<ArrayBuffer> {
  const longer = values instanceof Int32Array ? new Int32Array(values.length * 2) : new Float64Array(values.length * 2);
  longer.set(values);
  return longer;
}

/** FNV-1a of an id's characters: what OrderIds works out of a digits-only id as it keys it, for any id. */
export function idHash(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return hash;
}

/**
 * A digits-only id as a number, NaN for any other id. Ids of 16 digits and more lose their last
 * digits to rounding: the key orders ids (near ids get near keys), it never tells them apart.
 */
export function idRangeKey(id: string): number {
  const length = id.length;
  if (length === 0 || length > MAX_NUMERIC_ID) return Number.NaN;
  let high = 0;
  let low = 0;
  const split = length - LOW_DIGITS;
  for (let i = 0; i < length; i++) {
    const d = id.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    if (i < split) high = high * 10 + d;
    else low = low * 10 + d;
  }
  return high * 1e9 + low;
}

/** Digits of an id beyond which it is no longer held as two numbers (see OrderIds). */
const MAX_NUMERIC_ID = 19;
const LOW_DIGITS = 9;

/**
 * Held order ids → their slots, in the order they came. TikTok's ids are 18–19 digits: such an id
 * is held as two numbers in typed arrays, so finding a line's order hashes a few integers
 * instead of a freshly cut string and compares no strings, and no string per order stays on
 * the heap for the collector to copy (the id is written out again when the order is drained).
 * Any other id is held as text, in a Map.
 */
export class OrderIds {
  private count = 0;
  /** Per slot: the digits before the last nine, times 32, plus the id's length; and the last nine digits. -1: not numeric. */
  private high = new Float64Array(4096);
  private low = new Int32Array(4096);
  private hashes = new Int32Array(4096);
  /** Open addressing: slot + 1, 0 where free. */
  private table = new Int32Array(8192);
  private others = new Map<string, number>();
  private otherIds = new Map<number, string>();
  /** key()'s results, kept here rather than in an object per line; and the id they are of (see keyAgain). */
  private keyHigh = 0;
  private keyLow = 0;
  private keyHash = 0;
  private keyedId: string | null = null;
  private keyedNumeric = false;

  get size(): number {
    return this.count;
  }

  idOf(slot: number): string {
    const key = this.high[slot] ?? -1;
    if (key < 0) return this.otherIds.get(slot) ?? '';
    const length = key % 32;
    const low = String(this.low[slot] ?? 0);
    if (length <= LOW_DIGITS) return low.padStart(length, '0');
    return String((key - length) / 32).padStart(length - LOW_DIGITS, '0') + low.padStart(LOW_DIGITS, '0');
  }

  /** idRangeKey of the id in `slot`. */
  rangeKeyOf(slot: number): number {
    const key = this.high[slot] ?? -1;
    return key < 0 ? Number.NaN : Math.floor(key / 32) * 1e9 + (this.low[slot] ?? 0);
  }

  /** idHash of the id in `slot`. */
  hashOf(slot: number): number {
    return (this.high[slot] ?? -1) < 0 ? idHash(this.otherIds.get(slot) ?? '') : this.hashes[slot] ?? 0;
  }

  slotOf(id: string): number | undefined {
    if (!this.key(id)) return this.others.get(id);
    const mask = this.table.length - 1;
    for (let at = this.keyHash & mask; ; at = (at + 1) & mask) {
      const held = this.table[at] ?? 0;
      if (held === 0) return undefined;
      if (this.high[held - 1] === this.keyHigh && this.low[held - 1] === this.keyLow) return held - 1;
    }
  }

  add(id: string): void {
    const slot = this.count++;
    if (slot >= this.high.length) {
      this.high = doubled(this.high);
      this.low = doubled(this.low);
      this.hashes = doubled(this.hashes);
    }
    if (!this.keyAgain(id)) {
      this.high[slot] = -1;
      const held = detach(id);
      this.others.set(held, slot);
      this.otherIds.set(slot, held);
      return;
    }
    this.high[slot] = this.keyHigh;
    this.low[slot] = this.keyLow;
    this.hashes[slot] = this.keyHash;
    if ((slot + 1) * 2 > this.table.length) this.rehash();
    else this.place(slot, this.keyHash);
  }

  /** Forgets every id, keeping the arrays at the size they grew to (see PackedStates.clear). */
  clear(): void {
    this.count = 0;
    this.table.fill(0);
    this.others = new Map();
    this.otherIds = new Map();
  }

  private place(slot: number, hash: number): void {
    const mask = this.table.length - 1;
    let at = hash & mask;
    while ((this.table[at] ?? 0) !== 0) at = (at + 1) & mask;
    this.table[at] = slot + 1;
  }

  private rehash(): void {
    this.table = new Int32Array(this.table.length * 2);
    for (let slot = 0; slot < this.count; slot++) if ((this.high[slot] ?? -1) >= 0) this.place(slot, this.hashes[slot] ?? 0);
  }

  /**
   * key(id), where a new order's id was keyed when it was looked for: the same string, so
   * comparing is at once. (Comparing each line's id with the line before's was not: two
   * different ids of one length are compared character by character.)
   */
  private keyAgain(id: string): boolean {
    return id === this.keyedId ? this.keyedNumeric : this.key(id);
  }

  /** Reads `id` as a numeric key into keyHigh, keyLow and keyHash; false when it is not one. */
  private key(id: string): boolean {
    this.keyedId = id;
    this.keyedNumeric = false;
    const length = id.length;
    if (length === 0 || length > MAX_NUMERIC_ID) return false;
    let high = 0;
    let low = 0;
    let hash = 0x811c9dc5;
    const split = length - LOW_DIGITS;
    for (let i = 0; i < length; i++) {
      const c = id.charCodeAt(i);
      const d = c - 48;
      if (d < 0 || d > 9) return false;
      if (i < split) high = high * 10 + d;
      else low = low * 10 + d;
      hash = Math.imul(hash ^ c, 0x01000193);
    }
    this.keyHigh = high * 32 + length;
    this.keyLow = low;
    this.keyHash = hash;
    this.keyedNumeric = true;
    return true;
  }
}
