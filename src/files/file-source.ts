import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ByteSource } from '../core/ingest/source.js';

export interface FileSourceOptions {
  /** Name to show the seller (an upload's original name); defaults to the file's own. */
  name?: string;
  /** Told how many bytes each streamed chunk held, for progress. */
  onBytes?: (bytes: number) => void;
}

/** A file on disk as a ByteSource. */
export async function fileSource(path: string, options: FileSourceOptions = {}): Promise<ByteSource> {
  const { size } = await stat(path);
  return {
    name: options.name ?? basename(path),
    size,
    location: path,
    async *stream(start = 0, end = size) {
      if (start >= end) return;
      // createReadStream's end is inclusive.
      for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024, start, end: end - 1 })) {
        const bytes = chunk as Buffer;
        options.onBytes?.(bytes.length);
        yield bytes;
      }
    },
    async read(start, end) {
      const handle = await open(path, 'r');
      try {
        const length = Math.max(0, Math.min(end, size) - start);
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, start);
        return buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
  };
}
