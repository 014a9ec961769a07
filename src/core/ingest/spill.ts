/**
 * Where the import parks partly merged orders once too many are in memory, so memory stays
 * flat however large the file: orders are hashed into buckets, each bucket later merged on
 * its own. The disk implementation lives in src/files; tests use the in-memory one.
 */
export interface Spill {
  append(bucket: number, records: readonly string[]): Promise<void>;
  /** Records of one bucket, in the order they were appended. */
  read(bucket: number): AsyncIterable<string>;
  dispose(): Promise<void>;
}

export type SpillFactory = () => Promise<Spill>;

export function memorySpill(): Spill {
  const buckets = new Map<number, string[]>();
  return {
    append(bucket, records) {
      const list = buckets.get(bucket) ?? [];
      list.push(...records);
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
