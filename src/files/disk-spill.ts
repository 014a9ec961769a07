import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Spill } from '../core/ingest/spill.js';

/** Spill buckets as files in a private temporary folder, removed when the import ends. */
export async function diskSpill(parent = tmpdir()): Promise<Spill> {
  const dir = await mkdtemp(join(parent, 'cancelwatch-'));
  const written = new Set<number>();
  const path = (bucket: number) => join(dir, `bucket-${bucket}.jsonl`);
  return {
    async append(bucket, records) {
      written.add(bucket);
      await appendFile(path(bucket), records.join('\n') + '\n', 'utf8');
    },
    async *read(bucket) {
      if (!written.has(bucket)) return;
      // A bucket holds about 1/64 of the orders in compact records: a few MB even for a 1 GB export.
      const records = (await readFile(path(bucket), 'utf8')).split('\n');
      for (const record of records) if (record) yield record;
    },
    async dispose() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}
