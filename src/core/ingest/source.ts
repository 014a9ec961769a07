/**
 * Bytes of one uploaded or local file. The core reads files only through this, so it never
 * touches the file system or the network itself (see src/files for the disk adapter).
 */
export interface ByteSource {
  /** The name the seller gave the file; used in every message about it. */
  readonly name: string;
  readonly size: number;
  /** The file's bytes [start, end) (the whole file by default), in chunks; may be called more than once. */
  stream(start?: number, end?: number): AsyncIterable<Uint8Array>;
  /** Bytes [start, end), for formats that need random access (XLSX's zip directory). */
  read(start: number, end: number): Promise<Uint8Array>;
  /** Where another thread can open the same bytes (a file's path), when it can. */
  readonly location?: string;
}

/** A source over bytes already in memory: tests, and small files from chat. */
export function bufferSource(name: string, bytes: Uint8Array | string, chunkSize = 64 * 1024): ByteSource {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  return {
    name,
    size: data.length,
    async *stream(start = 0, end = data.length) {
      const stop = Math.min(end, data.length);
      for (let i = start; i < stop; i += chunkSize) yield data.subarray(i, Math.min(i + chunkSize, stop));
    },
    read: (start, end) => Promise.resolve(data.subarray(start, Math.min(end, data.length))),
  };
}

/** The first `n` bytes of a source (fewer if the file is shorter). */
export async function head(source: ByteSource, n: number): Promise<Uint8Array> {
  return source.read(0, Math.min(n, source.size));
}
