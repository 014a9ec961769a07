import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { pipeIntoFile, saveDownload } from '../../src/use-cases/save-download.js';
import { FetchError } from '../../src/use-cases/import-upload.js';
import { testDir } from '../support/temp-dirs.js';

/** A source that fails at once. */
const failingAtOnce = () => new Readable({ read() { this.destroy(new Error('the connection broke')); } });
/** A stage that passes bytes on and fails at the end, as a decryption whose padding is wrong. */
const failingAtEnd = () => new Transform({ transform(chunk: Buffer, _encoding, done) { done(null, chunk); }, flush(done) { done(new Error('bad padding')); } });

describe('a download written to disk', () => {
  const dir = testDir('cancelwatch-download-');

  it('leaves no file behind when its source fails at once or a stage fails after bytes went through, many at a time', async () => {
    const targets = Array.from({ length: 40 }, (_, i) => join(dir, `failed-${i}`));
    const results = await Promise.allSettled(targets.map((target, i) => pipeIntoFile(
      i % 2 === 0 ? [failingAtOnce()] : [Readable.from([Buffer.from('Order ID\n1\n')]), failingAtEnd()], target,
    )));
    expect(results.map((r) => r.status)).toEqual(targets.map(() => 'rejected'));
    expect(targets.filter((target) => existsSync(target))).toEqual([]);
  });

  it('keeps a whole file, and removes one past the limit or broken off', async () => {
    const whole = join(dir, 'whole.csv');
    await saveDownload(new Response('Order ID\n1\n'), whole, 100);
    expect(readFileSync(whole, 'utf8')).toBe('Order ID\n1\n');

    const large = join(dir, 'large.csv');
    await expect(saveDownload(new Response('x'.repeat(200)), large, 100)).rejects.toBeInstanceOf(FetchError);
    expect(existsSync(large)).toBe(false);

    const broken = join(dir, 'broken.csv');
    const stream = new ReadableStream<Uint8Array>({ pull(controller) { controller.error(new Error('reset')); } });
    await expect(saveDownload(new Response(stream), broken, 100)).rejects.toMatchObject({ stage: 'transfer' });
    expect(existsSync(broken)).toBe(false);
  });
});
