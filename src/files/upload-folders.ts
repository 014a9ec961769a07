import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The running bot's folder for downloads and parked orders, named after its process so that a
 * later start can tell a crashed process's folder (buyers' addresses inside) from a live
 * neighbour's on the same machine, and remove it.
 */
const PREFIX = 'cancelwatch-uploads-';
/** Folders of the naming before the process id was in it: removed once surely abandoned. */
const UNNAMED_AFTER_MS = 24 * 3_600_000;

export async function openUploadFolder(parent: string, pid = process.pid): Promise<string> {
  return mkdtemp(join(parent, `${PREFIX}${pid}-`));
}

/** An upload's mark in the process's folder while it is under way (its record's id in the database). */
const MARK = /^under-way-(\d+)$/;
const markOf = (dir: string, id: number) => join(dir, `under-way-${id}`);

/**
 * Marks an upload under way in the process's folder. A process that dies with it (a forced stop
 * whose database was busy, a kill, a crash) leaves the mark, and the next start on this machine
 * knows at once which uploads were cut short, without waiting for their heartbeat to go silent.
 */
export async function markUploadUnderWay(dir: string, id: number): Promise<void> {
  await writeFile(markOf(dir, id), '');
}

export async function clearUploadUnderWay(dir: string, id: number): Promise<void> {
  await rm(markOf(dir, id), { force: true });
}

/**
 * Removes the upload folders in `parent` left by processes no longer running; returns their
 * names and the uploads they had under way (see `markUploadUnderWay`).
 */
export async function removeAbandonedUploadFolders(parent: string, own: string, now: number, isRunning = processIsRunning): Promise<{ removed: string[]; cutShort: number[] }> {
  const removed: string[] = [];
  const cutShort: number[] = [];
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    if (!name.startsWith(PREFIX) || join(parent, name) === own) continue;
    const pid = /^(\d+)-/.exec(name.slice(PREFIX.length))?.[1];
    // A process id can be reused (in a container the bot is often process 1): our own id on another folder is a crashed predecessor's.
    const abandoned = pid !== undefined
      ? Number(pid) === process.pid || !isRunning(Number(pid))
      : now - (await stat(join(parent, name)).then((s) => s.mtimeMs, () => now)) >= UNNAMED_AFTER_MS;
    if (!abandoned) continue;
    for (const entry of await readdir(join(parent, name)).catch(() => [] as string[])) {
      const id = MARK.exec(entry)?.[1];
      if (id !== undefined) cutShort.push(Number(id));
    }
    await rm(join(parent, name), { recursive: true, force: true });
    removed.push(name);
  }
  return { removed, cutShort };
}

function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
