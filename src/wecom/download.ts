import { createDecipheriv, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { OutboundFetch } from '../net/outbound.js';
import { FetchError } from '../use-cases/import-upload.js';
import { capped, pipeIntoFile } from '../use-cases/save-download.js';
import { fileOfRef } from './incoming.js';

/**
 * A file a person sent the smart bot: fetched from its encrypted URL through the process's
 * outbound fetch (so the proxy settings apply, which the SDK's own `downloadFile` with its bare
 * axios would not honour) and decrypted as it streams to disk, never held whole in memory.
 */

/** WeCom pads to 32-byte blocks (PKCS#7), so a file grows by at most this much encrypted. */
const PAD_BLOCK = 32;
/** A URL lives five minutes; a download still going after this long will not finish usefully. */
const DOWNLOAD_TIMEOUT_MS = 120_000;

/**
 * AES-256-CBC with the IV the key's first 16 bytes, auto-padding off (Node would strip 16-byte
 * padding and refuse WeCom's 32-byte one): the padding is checked and cut here, at the end.
 */
function decryptor(aeskey: string): Transform {
  const key = Buffer.from(aeskey, 'base64');
  if (key.length !== 32) throw new FetchError('telegram', 'the file key is not an AES-256 key');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  let held = Buffer.alloc(0);
  const keep = (out: Buffer, push: (b: Buffer) => void) => {
    // The last block may be padding: it is held back until the stream ends.
    held = Buffer.concat([held, out]);
    if (held.length > PAD_BLOCK) {
      push(held.subarray(0, held.length - PAD_BLOCK));
      held = held.subarray(held.length - PAD_BLOCK);
    }
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      try {
        keep(decipher.update(chunk), (b) => this.push(b));
        done();
      } catch (error) {
        done(new FetchError('transfer', 'the file could not be decrypted', { cause: error }));
      }
    },
    flush(done: TransformCallback) {
      try {
        keep(decipher.final(), (b) => this.push(b));
      } catch (error) {
        return done(new FetchError('transfer', 'the file could not be decrypted', { cause: error }));
      }
      const pad = held[held.length - 1] ?? 0;
      if (pad < 1 || pad > PAD_BLOCK || pad > held.length || !held.subarray(held.length - pad).every((b) => b === pad)) {
        return done(new FetchError('transfer', 'the file could not be decrypted (bad padding)'));
      }
      this.push(held.subarray(0, held.length - pad));
      done();
    },
  });
}

/**
 * The file's name where the download states one (Content-Disposition, RFC 5987 or plain), as a
 * bare name. WeCom's file message carries none, so this is the only place a real name can come
 * from. The conversation names a file before fetching it, so the import does not use it yet.
 */
export function dispositionName(header: string | null): string | undefined {
  if (!header) return undefined;
  let name: string | undefined;
  try {
    const star = /filename\*\s*=\s*UTF-8''([^;\s]+)/i.exec(header)?.[1];
    name = star !== undefined ? decodeURIComponent(star) : /filename\s*=\s*"?([^";]+)"?/i.exec(header)?.[1];
  } catch {
    return undefined;
  }
  const bare = name?.split(/[\\/]/).at(-1)?.trim();
  return bare ? bare : undefined;
}

/**
 * The file behind `ref`, decrypted to a file of its own in `dir`, at most `maxBytes`, with the
 * name the download gave, if any.
 * FetchError 'telegram' (the platform's stage, whichever platform) when WeCom would not hand it
 * out (an expired URL, a ref or key that is no good), 'transfer' when the transfer broke, the file
 * is too large or does not decrypt.
 */
export async function downloadFile(fetch: OutboundFetch, ref: string, maxBytes: number, dir: string): Promise<{ path: string; temporary: boolean; name?: string }> {
  const file = fileOfRef(ref);
  if (!file) throw new FetchError('telegram', 'not a WeCom file');
  const decrypt = file.aeskey ? decryptor(file.aeskey) : null;
  let response: Response;
  try {
    response = await fetch(file.url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch (error) {
    throw new FetchError('transfer', 'the file could not be fetched', { cause: error });
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw new FetchError('telegram', `WeCom would not hand the file out (${response.status})`);
  }
  const announced = Number(response.headers.get('content-length') ?? NaN);
  if (announced > maxBytes + (decrypt ? PAD_BLOCK : 0)) {
    await response.body.cancel().catch(() => undefined);
    throw new FetchError('transfer', 'the file is larger than the upload limit');
  }
  // A file of its own in `dir`, no folder: the importer removes the file, and nothing is left behind.
  const path = join(dir, `wecom-${randomUUID()}`);
  const tooLarge = 'the file is larger than the upload limit';
  const stages = decrypt ? [capped(maxBytes + PAD_BLOCK, tooLarge), decrypt, capped(maxBytes, tooLarge)] : [capped(maxBytes, tooLarge)];
  try {
    await pipeIntoFile([Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), ...stages], path);
  } catch (error) {
    if (error instanceof FetchError || (error as NodeJS.ErrnoException).code === 'ENOSPC') throw error;
    throw new FetchError('transfer', 'the transfer broke', { cause: error });
  }
  const name = dispositionName(response.headers.get('content-disposition'));
  return { path, temporary: true, ...(name ? { name } : {}) };
}
