import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { markUploadUnderWay, openUploadFolder, removeAbandonedUploadFolders } from '../../src/files/upload-folders.js';
import { testDir } from '../support/temp-dirs.js';

const NOW = Date.UTC(2026, 10, 26, 12);

describe('upload folders left by a crash', () => {
  let parent = '';
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  it('are removed at the next start; a live process’s folder, our own and anything else are kept', async () => {
    parent = testDir('cw-folders-');
    // A process that has ended: its id names no running process now.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const crashed = join(parent, `cancelwatch-uploads-${dead}-a1b2c3`);
    mkdirSync(join(crashed, 'import-x'), { recursive: true });
    writeFileSync(join(crashed, 'import-x', 'bucket-1.jsonl'), '{"address":"12 Buyer Street"}\n');
    await markUploadUnderWay(crashed, 41);
    await markUploadUnderWay(crashed, 42);
    const neighbour = join(parent, `cancelwatch-uploads-${process.ppid}-d4e5f6`);
    mkdirSync(neighbour);
    const oldStyle = join(parent, 'cancelwatch-uploads-Zx81Qq');
    mkdirSync(oldStyle);
    utimesSync(oldStyle, new Date(NOW - 25 * 3_600_000), new Date(NOW - 25 * 3_600_000));
    const recentOldStyle = join(parent, 'cancelwatch-uploads-Yy72Pp');
    mkdirSync(recentOldStyle);
    utimesSync(recentOldStyle, new Date(NOW - 3_600_000), new Date(NOW - 3_600_000));
    mkdirSync(join(parent, 'someone-elses'));
    const own = await openUploadFolder(parent);

    await markUploadUnderWay(neighbour, 43);
    const { removed, cutShort } = await removeAbandonedUploadFolders(parent, own, NOW);
    expect(removed.sort()).toEqual([`cancelwatch-uploads-${dead}-a1b2c3`, 'cancelwatch-uploads-Zx81Qq']);
    // The uploads the dead process had under way; a live one's are its own business.
    expect(cutShort.sort()).toEqual([41, 42]);
    expect(readdirSync(parent).sort()).toEqual([own.slice(parent.length + 1), `cancelwatch-uploads-${process.ppid}-d4e5f6`, 'cancelwatch-uploads-Yy72Pp', 'someone-elses'].sort());
  });

  it('a folder with our own process id that is not ours is a predecessor’s (ids are reused, in containers above all)', async () => {
    parent = testDir('cw-folders-');
    const predecessor = join(parent, `cancelwatch-uploads-${process.pid}-old000`);
    mkdirSync(predecessor);
    const own = await openUploadFolder(parent);
    expect(await removeAbandonedUploadFolders(parent, own, NOW)).toEqual({ removed: [`cancelwatch-uploads-${process.pid}-old000`], cutShort: [] });
    expect(readdirSync(parent)).toEqual([own.slice(parent.length + 1)]);
  });
});
