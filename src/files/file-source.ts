import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ByteSource } from '../core/ingest/source.js';

export interface FileSourceOptions {
  /** Name to show the seller (an upload's original name); defaults to the file's own. */
  name?: string;
  /** Told how many bytes each streamed chunk held, for progress. */
  onBytes?: (bytes: number) => void;
  /** Bytes read from disk at once (tests make it small to cross many block boundaries). */
  blockBytes?: number;
}

/**
 * The file is read in blocks, the next one already being read while the reader takes the
 * current one, so the reader never waits on the disk between chunks. Larger blocks are no
 * faster and raise the peak: a block lives until the collector finds it.
 */
const BLOCK_BYTES = 256 * 1024;
/** Blocks are handed on in chunks of this size: the reader is slower on larger text chunks. */
const CHUNK_BYTES = 64 * 1024;

/** A file on disk as a ByteSource. */
export async function fileSource(path: string, options: FileSourceOptions = {}): Promise<ByteSource> {
  const { size } = await stat(path);
  const blockBytes = options.blockBytes ?? BLOCK_BYTES;
  return {
    name: options.name ?? basename(path),
    size,
    location: path,
    async *stream(start = 0, end = size) {
      if (start >= end) return;
      const handle = await open(path, 'r');
      const ahead = (from: number): Promise<Uint8Array> => {
        const read = readAt(handle, from, Math.min(end, from + blockBytes));
        // Thrown to the reader when it asks for the block; until then its failure must not count as unheard of.
        read.catch(() => undefined);
        return read;
      };
      let next: Promise<Uint8Array> | null = ahead(start);
      try {
        for (let at = start; next !== null;) {
          const block: Uint8Array = await next;
          at += block.length;
          // A file cut short since its size was read ends here.
          next = block.length > 0 && at < end ? ahead(at) : null;
          for (let i = 0; i < block.length; i += CHUNK_BYTES) {
            const chunk = block.subarray(i, Math.min(i + CHUNK_BYTES, block.length));
            options.onBytes?.(chunk.length);
            yield chunk;
          }
        }
      } finally {
        // A reader that stops early leaves a block being read: the handle closes after it.
        await next?.catch(() => undefined);
        await handle.close();
      }
    },
    async read(start, end) {
      const handle = await open(path, 'r');
      try {
        return await readAt(handle, start, Math.min(end, size));
      } finally {
        await handle.close();
      }
    },
  };
}

/** Bytes [start, end) of an open file, fewer where it ends first. */
async function readAt(handle: FileHandle, start: number, end: number): Promise<Uint8Array> {
  const buffer = Buffer.allocUnsafe(Math.max(0, end - start));
  let filled = 0;
  while (filled < buffer.length) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, start + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}
