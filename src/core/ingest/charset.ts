import { Buffer, isAscii } from 'node:buffer';
import { ImportError } from './errors.js';
import type { ByteSource } from './source.js';

export type Charset = 'utf-8' | 'gb18030';

const BOM = [0xef, 0xbb, 0xbf];

/**
 * UTF-8 unless the opening bytes are not valid UTF-8 (Excel on Chinese Windows re-saves as
 * GB18030/GBK). A sample that happens to be pure ASCII is settled later: see decodeText.
 */
export function guessCharset(sample: Uint8Array): Charset {
  if (BOM.every((b, i) => sample[i] === b)) return 'utf-8';
  // Cut the sample back to a character boundary so a split multi-byte character is not taken for GBK.
  let end = sample.length;
  let back = 0;
  while (end > 0 && back < 4 && ((sample[end - 1] ?? 0) & 0xc0) === 0x80) { end--; back++; }
  if (end > 0 && (sample[end - 1] ?? 0) >= 0xc0) end--;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

/** Thrown inside decodeText when UTF-8 turns out wrong past the sample; the import restarts as GB18030. */
export class CharsetMismatch extends Error {}

/**
 * The file as text chunks, BOM removed. Invalid bytes are never replaced silently. A chunk of
 * plain ASCII (most of an export: ids, dates, amounts) is the same in both charsets and is
 * copied without the decoder; a multi-byte character cut by a chunk boundary makes the next
 * chunk non-ASCII, so it still reaches the decoder that holds the character's first bytes.
 */
export async function* decodeText(source: ByteSource, charset: Charset): AsyncGenerator<string> {
  const decoder = new TextDecoder(charset, { fatal: true, ignoreBOM: false });
  let first = true;
  try {
    for await (const chunk of source.stream()) {
      const text = !first && isAscii(chunk) ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1') : decoder.decode(chunk, { stream: true });
      first = false;
      if (text) yield text;
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    if (charset === 'utf-8') throw new CharsetMismatch();
    throw new ImportError('encoding', { file: source.name });
  }
}
