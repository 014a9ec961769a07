import { createWriteStream, existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import type { Api } from 'grammy';
import type { OutboundFetch } from '../net/outbound.js';

export class DownloadError extends Error {}

/**
 * Fetches a chat file to `dir`: `getFile`, then the file route of the Bot API server. A
 * self-hosted server in local mode answers with a path on its own disk, used as it is. The
 * URL holds the bot token, so it appears in no error or log. At most `maxBytes` are written.
 */
export async function downloadFile(api: Api, settings: { apiRoot: string; token: string; fetch?: OutboundFetch | undefined }, fileId: string, dir: string, maxBytes: number): Promise<{ path: string; temporary: boolean }> {
  const file = await api.getFile(fileId);
  const filePath = file.file_path;
  if (!filePath) throw new DownloadError('no file_path');
  if (isAbsolute(filePath) && existsSync(filePath)) return { path: filePath, temporary: false };
  const response = await (settings.fetch ?? fetch)(`${settings.apiRoot}/file/bot${settings.token}/${filePath}`);
  if (!response.ok || !response.body) throw new DownloadError(`file route answered ${response.status}`);
  const target = join(dir, `${file.file_unique_id}-${Date.now()}`);
  let written = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      written += chunk.length;
      done(written > maxBytes ? new DownloadError('file larger than announced') : null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body as ReadableStream<Uint8Array>), limit, createWriteStream(target));
  } catch (error) {
    // What was written holds buyer data: a failed download leaves nothing behind.
    await rm(target, { force: true });
    throw error;
  }
  return { path: target, temporary: true };
}
