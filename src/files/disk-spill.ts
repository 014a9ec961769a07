import { createReadStream } from 'node:fs';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
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
      for await (const line of createInterface({ input: createReadStream(path(bucket), 'utf8'), crlfDelay: Infinity })) {
        if (line) yield line;
      }
    },
    async dispose() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}
