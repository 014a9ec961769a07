import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import { isNoSpace } from '../net/failure.js';
import { FetchError } from './import-upload.js';

/**
 * A platform's answer to a file download, written to `target`, at most `maxBytes`. What was
 * written holds buyer data: a failed download leaves nothing behind. A full disk is said as such
 * (the operator's to fix); any other failure is a FetchError naming only its kind, since the
 * message of a failed fetch can hold the URL, and some URLs hold a token.
 */
export async function saveDownload(response: Response, target: string, maxBytes: number): Promise<void> {
  try {
    if (!response.ok || !response.body) throw new FetchError('transfer', `the file route answered ${response.status}`);
    await pipeIntoFile([Readable.fromWeb(response.body as ReadableStream<Uint8Array>), capped(maxBytes, 'the file is larger than announced or allowed')], target);
  } catch (error) {
    if (error instanceof FetchError || isNoSpace(error)) throw error;
    throw new FetchError('transfer', `transfer failed (${(error as Error).name})`);
  }
}

/** Passes bytes on until more than `max` went by, then fails with `message`. */
export function capped(max: number, message: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      seen += chunk.length;
      done(seen > max ? new FetchError('transfer', message) : null, chunk);
    },
  });
}

/**
 * `stages` piped into a new file at `target`. On a failure the file is removed once its stream has
 * closed: a stage may fail while the file is still being opened, and a file removed before its
 * open completed would be made afterwards and left behind.
 */
export async function pipeIntoFile(stages: ReadonlyArray<NodeJS.ReadableStream | NodeJS.ReadWriteStream>, target: string): Promise<void> {
  const file = createWriteStream(target);
  try {
    await pipeline([...stages, file]);
  } catch (error) {
    if (!file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()));
    await rm(target, { force: true });
    throw error;
  }
}
