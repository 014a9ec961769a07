import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Spill } from '../core/ingest/spill.js';

/** A spill whose runs live in a folder another thread can open again (see spilledAt). */
export interface DiskSpill extends Spill { readonly dir: string }

/** Spill buckets as files in a private temporary folder, removed when the spill is disposed of. */
export async function diskSpill(parent = tmpdir()): Promise<DiskSpill> {
  return spilledAt(await mkdtemp(join(parent, 'cancelwatch-')));
}

/** The spill whose runs are in `dir` (one that another thread wrote and handed over): read, then removed, here. */
export function spilledAt(dir: string): DiskSpill {
  const path = (bucket: number) => join(dir, `bucket-${bucket}.runs`);
  return {
    dir,
    async append(bucket, run) {
      // Each run is preceded by its length, so the bucket's file reads back run by run; the two
      // are written together rather than copied into one buffer (a spill writes its orders' worth).
      const length = new Uint8Array(4);
      new DataView(length.buffer).setUint32(0, run.byteLength, true);
      const file = await open(path(bucket), 'a');
      try {
        const { bytesWritten } = await file.writev([length, run]);
        // A regular file takes a write whole unless the disk is full: a run cut short would read back as another.
        if (bytesWritten !== length.byteLength + run.byteLength) throw new Error(`a spilled run was written short (${bytesWritten} bytes): is the disk full?`);
      } finally {
        await file.close();
      }
    },
    async *read(bucket) {
      // A bucket holds about 1/64 of the orders in packed runs: a few MB even for a 1 GB export.
      let bytes: Buffer;
      try {
        bytes = await readFile(path(bucket));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let at = 0; at < bytes.byteLength;) {
        const length = view.getUint32(at, true);
        yield bytes.subarray(at + 4, at + 4 + length);
        at += 4 + length;
      }
    },
    async dispose() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}
