/**
 * Where the import parks partly merged orders once too many are in memory, so memory stays
 * flat however large the file: orders are cut into buckets by their ids (accumulate.ts), each
 * written as runs of packed states (spill-codec.ts), and each bucket is merged on its own at the end. The disk
 * implementation lives in src/files; tests use the in-memory one.
 */
export interface Spill {
  append(bucket: number, run: Uint8Array): Promise<void>;
  /** Runs of one bucket, in the order they were appended. */
  read(bucket: number): AsyncIterable<Uint8Array>;
  dispose(): Promise<void>;
}

export type SpillFactory = () => Promise<Spill>;

export function memorySpill(): Spill {
  const buckets = new Map<number, Uint8Array[]>();
  return {
    append(bucket, run) {
      const list = buckets.get(bucket) ?? [];
      list.push(run);
      buckets.set(bucket, list);
      return Promise.resolve();
    },
    async *read(bucket) {
      yield* buckets.get(bucket) ?? [];
    },
    dispose() {
      buckets.clear();
      return Promise.resolve();
    },
  };
}
