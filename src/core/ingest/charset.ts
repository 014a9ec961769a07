import { Buffer, isAscii } from 'node:buffer';
import { createRequire } from 'node:module';
import type * as Iconv from 'iconv-lite';
import { ImportError } from './errors.js';
import type { ByteSource } from './source.js';

/**
 * The encodings sellers' files arrive in: Seller Center's UTF-8 (with BOM), Excel's "Unicode
 * text" (UTF-16 with BOM), and Excel's "CSV" on Chinese (GB18030/GBK), Japanese (Shift_JIS)
 * and European (Windows-1252) Windows. Decoding is iconv-lite's (UTF-8 is the platform's own
 * strict decoder, so a wrong guess is noticed rather than replaced).
 */
/** iconv-lite loads with the first file that is not UTF-8: most files are, and a report starts sooner without it. */
let iconvModule: typeof Iconv | null = null;
const iconv = () => (iconvModule ??= createRequire(import.meta.url)('iconv-lite') as typeof Iconv);

export const CHARSETS = ['utf-8', 'utf-16le', 'utf-16be', 'gb18030', 'shift_jis', 'windows-1252'] as const;
export type Charset = (typeof CHARSETS)[number];

/** Encodings without a byte-order mark, in the order a tie goes to. */
export const LEGACY_CHARSETS = ['gb18030', 'shift_jis', 'windows-1252'] as const satisfies readonly Charset[];

/** The charset a byte-order mark names, if the file opens with one. */
export function bomCharset(sample: Uint8Array): Charset | null {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
  return null;
}

/**
 * UTF-16 without a mark: text that is mostly ASCII has a zero in every other byte. Which half
 * holds the zeros says the byte order.
 */
export function unmarkedUtf16(sample: Uint8Array): Charset | null {
  const n = Math.min(sample.length, 4096) & ~1;
  if (n < 4) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (sample[i] === 0) even++;
    if (sample[i + 1] === 0) odd++;
  }
  const pairs = n / 2;
  if (odd > pairs * 0.5 && even < pairs * 0.05) return 'utf-16le';
  if (even > pairs * 0.5 && odd < pairs * 0.05) return 'utf-16be';
  return null;
}

/** True when the sample is valid UTF-8 (a character cut off at its end is allowed). */
export function isUtf8(sample: Uint8Array): boolean {
  let end = sample.length;
  let back = 0;
  while (end > 0 && back < 4 && ((sample[end - 1] ?? 0) & 0xc0) === 0x80) { end--; back++; }
  if (end > 0 && (sample[end - 1] ?? 0) >= 0xc0) end--;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** A sample as text in `charset`; bytes that are not text in it become U+FFFD, for the caller to count. */
export function decodeSample(sample: Uint8Array, charset: Charset): string {
  const bytes = Buffer.from(sample.buffer, sample.byteOffset, sample.byteLength);
  // What iconv-lite's UTF-8 does (the platform's decoder, the mark dropped), without loading it.
  if (charset === 'utf-8') return bytes.toString('utf8').replace(/^\ufeff/, '');
  return iconv().decode(bytes, charset);
}

export const REPLACEMENT = '\ufffd';

export function countReplacements(text: string): number {
  let n = 0;
  for (let i = text.indexOf(REPLACEMENT); i !== -1; i = text.indexOf(REPLACEMENT, i + 1)) n++;
  return n;
}

/** Thrown inside decodeText when UTF-8 turns out wrong past the sample; `bytes` is where, for choosing again. */
export class CharsetMismatch extends Error {
  /** `atEnd`: the bytes are the file's last, not cut at a chunk's end. */
  constructor(readonly bytes: Uint8Array, readonly atEnd = false) {
    super('not UTF-8 past the opening bytes');
  }
}

/**
 * The file as text chunks, BOM removed. Invalid bytes are never replaced silently: UTF-8 that
 * fails throws CharsetMismatch (the caller chooses again), any other charset that meets bytes
 * it cannot read refuses the file. So does a NUL character: no text a seller exports holds
 * one, and PostgreSQL cannot store one in a text (an upload failed on it with no word why).
 */
export async function* decodeText(source: ByteSource, charset: Charset): AsyncGenerator<string> {
  for await (const text of decodeChunks(source, charset)) {
    if (text.includes('\u0000')) throw new ImportError('encoding', { file: source.name });
    yield text;
  }
}

/**
 * A chunk of plain ASCII (most of an export: ids, dates, amounts) is the same in every charset
 * read here but UTF-16, and is copied without the decoder when no multi-byte character can be
 * waiting for its last bytes.
 */
async function* decodeChunks(source: ByteSource, charset: Charset): AsyncGenerator<string> {
  if (charset === 'utf-8') return yield* decodeUtf8(source);
  const decoder = iconv().getDecoder(charset);
  const wide = charset === 'utf-16le' || charset === 'utf-16be';
  let settled = false;
  for await (const chunk of source.stream()) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const text = !wide && settled && isAscii(bytes) ? bytes.toString('latin1') : decoder.write(bytes);
    // GB18030's four-byte characters carry ASCII digits in their second and fourth bytes.
    settled = bytes.length >= 2 && (bytes[bytes.length - 1] ?? 0) < 0x80 && (bytes[bytes.length - 2] ?? 0) < 0x80;
    if (text.includes(REPLACEMENT)) throw new ImportError('encoding', { file: source.name });
    if (text) yield text;
  }
  const rest = decoder.end() ?? '';
  if (rest.includes(REPLACEMENT)) throw new ImportError('encoding', { file: source.name });
  if (rest) yield rest;
}

async function* decodeUtf8(source: ByteSource): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let first = true;
  /** Whether UTF-8 has already read a character beyond ASCII: then the file is UTF-8 for certain. */
  let multibyte = false;
  let last: Uint8Array = new Uint8Array();
  for await (const chunk of source.stream()) {
    let text: string;
    try {
      // A UTF-8 character cut by a chunk boundary makes the next chunk non-ASCII, so it still reaches the decoder.
      const ascii = isAscii(chunk);
      text = !first && ascii ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1') : decoder.decode(chunk, { stream: true });
      // A BOM or a pending cut-off character is not yet a character UTF-8 read.
      if (!ascii && /[\u0080-\ufefe\uff00-\uffff]/.test(text)) multibyte = true;
    } catch (error) {
      if (error instanceof TypeError) throw new CharsetMismatch(chunk);
      throw error;
    }
    first = false;
    last = chunk;
    if (text) yield text;
  }
  try {
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch (error) {
    // The last bytes are a UTF-8 character cut short. After other characters UTF-8 read well, the
    // file is UTF-8 cut off: refused rather than guessed. Otherwise the last bytes themselves
    // choose the legacy charset (`José` at the very end is Windows-1252), never a default.
    if (!(error instanceof TypeError)) throw error;
    if (multibyte) throw new ImportError('encoding', { file: source.name });
    throw new CharsetMismatch(last.subarray(Math.max(0, last.length - 4096)), true);
  }
}
