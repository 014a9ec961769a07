import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { childEnv } from './child-env.js';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'cancelwatch.js');

/**
 * The CLI as a seller (or a cron job) runs it; the build comes from `npm test` (or `npm ci`).
 * `nodeFlags` go to node itself (a module hook, say).
 */
export async function cli(args: string[], env: Record<string, string> = {}, nodeFlags: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...nodeFlags, BIN, ...args], { env: { ...childEnv(), LANG: 'C', TZ: 'UTC', ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
