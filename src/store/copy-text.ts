import { detach } from '../core/ingest/strings.js';

/**
 * Rows in PostgreSQL COPY's text format, written straight into bytes: fields separated by tabs,
 * rows ended by line feeds, null as `\N`, and backslash, tab, line feed and carriage return
 * escaped with a backslash: no string per value, per row or per batch, and what is sent is the
 * bytes written, not a string to be encoded.
 */
export class CopyText {
  private bytes: Buffer;
  private at = 0;

  constructor(expectedBytes = 64 * 1024) {
    this.bytes = Buffer.allocUnsafe(expectedBytes);
  }

  /** Makes room for `n` more bytes. */
  private room(n: number): void {
    if (this.at + n <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.at + n));
    this.bytes.copy(grown, 0, 0, this.at);
    this.bytes = grown;
  }

  private byte(b: number): void {
    this.room(1);
    this.bytes[this.at++] = b;
  }

  /** Between two fields of a row. */
  tab(): void {
    this.byte(TAB);
  }

  /** After a row's last field. */
  endRow(): void {
    this.byte(LF);
  }

  /** A character inside a field (such as JSON's punctuation): never one that needs escaping. */
  char(code: number): void {
    this.byte(code);
  }

  nullValue(): void {
    this.room(2);
    this.bytes[this.at++] = BACKSLASH;
    this.bytes[this.at++] = N;
  }

  /** A text, escaped: ASCII byte by byte, the rest of a text from its first other character as UTF-8. */
  text(s: string): void {
    this.room(s.length * 2);
    const bytes = this.bytes;
    let at = this.at;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 128) {
        this.at = at;
        this.wideText(s.slice(i));
        return;
      }
      const escaped = ESCAPED[c] as number;
      if (escaped === 0) {
        bytes[at++] = c;
      } else {
        bytes[at++] = BACKSLASH;
        bytes[at++] = escaped;
      }
    }
    this.at = at;
  }

  private wideText(s: string): void {
    const escaped = SPECIAL.test(s) ? s.replace(SPECIALS, (c) => `\\${String.fromCharCode(ESCAPED[c.charCodeAt(0)] ?? 0)}`) : s;
    this.room(escaped.length * 3);
    this.at += this.bytes.write(escaped, this.at, 'utf8');
  }

  /** A text that recurs over rows, as `texts` makes it from `key`: its bytes copied once they are known. */
  known(texts: KnownTexts, key: string): void {
    const encoded = texts.bytes.get(key);
    if (encoded === undefined) {
      const start = this.at;
      this.text(texts.textOf(key));
      texts.remember(key, this.bytes.subarray(start, this.at));
    } else {
      this.encoded(encoded);
    }
  }

  /** A field's bytes as `encode` made them. */
  encoded(encoded: Uint8Array): void {
    this.room(encoded.length);
    const bytes = this.bytes;
    let at = this.at;
    for (let i = 0; i < encoded.length; i++) bytes[at++] = encoded[i] as number;
    this.at = at;
  }

  /** A number as `String` writes it (one digit without making a string). */
  number(n: number): void {
    if (n >= 0 && n <= 9 && Number.isInteger(n)) this.byte(DIGIT_0 + n);
    else this.text(String(n));
  }

  /** Any field value of a row: null or undefined as null, a number as `number`, anything else as its text. */
  value(v: unknown): void {
    if (v === null || v === undefined) this.nullValue();
    else if (typeof v === 'number') this.number(v);
    else this.text(String(v));
  }

  /** The bytes written so far (not copied: write no more, and do not `reset`, until they are sent). */
  written(): Buffer {
    return this.bytes.subarray(0, this.at);
  }

  /** Starts over empty, in the room it has. */
  reset(): void {
    this.at = 0;
  }

  /** A text's bytes as a field, for a text every row has (`encoded` writes them). */
  static encode(text: string): Uint8Array {
    const out = new CopyText(text.length * 3 + 2);
    out.text(text);
    return new Uint8Array(out.written());
  }
}

const TAB = 9;
const LF = 10;
const BACKSLASH = 92;
const N = 78;
const DIGIT_0 = 48;
/** What follows the backslash for each ASCII character COPY's text format escapes (0: none). */
const ESCAPED = new Uint8Array(128);
ESCAPED[BACKSLASH] = BACKSLASH;
ESCAPED[TAB] = 't'.charCodeAt(0);
ESCAPED[LF] = 'n'.charCodeAt(0);
ESCAPED[13] = 'r'.charCodeAt(0);
const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
/** Distinct recurring texts whose bytes are kept: a shop's catalogue, a few hundred names and SKUs. */
const KNOWN_TEXTS = 4096;

/**
 * Texts that recur over an import's rows (a shop's product names and SKUs, reasons, currencies),
 * as one function makes them from a key, escaped and encoded once each (up to KNOWN_TEXTS).
 */
export class KnownTexts {
  readonly bytes = new Map<string, Uint8Array>();

  constructor(readonly textOf: (key: string) => string = (key) => key) {}

  remember(key: string, encoded: Uint8Array): void {
    // A text cut from a batch's joined texts must not keep the whole batch alive.
    if (this.bytes.size < KNOWN_TEXTS) this.bytes.set(detach(key), new Uint8Array(encoded));
  }
}
