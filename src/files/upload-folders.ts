import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
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

/** Removes the upload folders in `parent` left by processes no longer running; returns their names. */
export async function removeAbandonedUploadFolders(parent: string, own: string, now: number, isRunning = processIsRunning): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    if (!name.startsWith(PREFIX) || join(parent, name) === own) continue;
    const pid = /^(\d+)-/.exec(name.slice(PREFIX.length))?.[1];
    // A process id can be reused (in a container the bot is often process 1): our own id on another folder is a crashed predecessor's.
    const abandoned = pid !== undefined
      ? Number(pid) === process.pid || !isRunning(Number(pid))
      : now - (await stat(join(parent, name)).then((s) => s.mtimeMs, () => now)) >= UNNAMED_AFTER_MS;
    if (!abandoned) continue;
    await rm(join(parent, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
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
