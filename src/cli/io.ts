import type { parseArgs } from 'node:util';
import type { RobotClient } from '../robots/client.js';

/** What the CLI reads and writes; tests hand in their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal a progress line can redraw. */
  stderrIsTty: boolean;
  now: () => number;
  env: Record<string, string | undefined>;
  /** Sends robot messages (`push`); tests hand in one on a fake clock. */
  robots?: RobotClient;
}

export const processIo = (): CliIo => ({
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stderrIsTty: Boolean(process.stderr.isTTY),
  now: () => Date.now(),
  env: process.env,
});

export const EXIT = { ok: 0, badInput: 1, usage: 2, notDelivered: 3 } as const;

/** A command line the CLI cannot run: `key` names the message in the locale files. */
export class UsageError extends Error {
  constructor(readonly key: string, readonly args: Record<string, string> = {}) {
    super(key);
  }
}

/** Every option of every command, for node's `parseArgs` (strict: an unknown option is a usage error). */
export const CLI_OPTIONS = {
  window: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, tz: { type: 'string' },
  lang: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' },
  target: { type: 'string', multiple: true }, threshold: { type: 'string' },
  by: { type: 'string' }, 'min-orders': { type: 'string' }, reasons: { type: 'string' },
} as const;

/** The command line as `parseArgs` read it, before any value is checked. */
export type CliLine = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: typeof CLI_OPTIONS }>>;
