import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The folders this test file made, removed once its tests are done (see cleanup.ts). */
const made: string[] = [];

/**
 * A new, empty folder for a test's files, named after `prefix`. Every run of the suite used to
 * leave its folders behind: a few hundred megabytes a run (the CLI's million-order export alone
 * is 111 MB), until the disk was full.
 */
export function testDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes the folders made so far; a file still open in one is unlinked all the same. */
export function removeTestDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
