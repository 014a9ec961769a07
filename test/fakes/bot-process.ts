import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstMatch } from './events.js';
import { childEnv } from '../support/child-env.js';

/** The compiled bot, whether this file runs from test/ (vitest) or dist/test/ (the demo). */
const ROOT = import.meta.dirname.includes('/dist/') ? join(import.meta.dirname, '..', '..', '..') : join(import.meta.dirname, '..', '..');
/** `npm start`'s node flags and script (`node [flags] dist/src/main.js`), so the bot runs here as operators run it. */
const START = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start
  .split(' ').slice(1).map((arg) => (arg.startsWith('-') ? arg : join(ROOT, arg)));

/** The built bot as a separate process (`npm start`), with its log lines collected. */
export class BotProcess {
  readonly logs: string[] = [];
  private child: ChildProcess | null = null;
  private exitCode: Promise<number | null> | null = null;
  private readonly events = new EventEmitter();

  constructor(private readonly env: Record<string, string>) {
    this.events.setMaxListeners(0);
  }

  /** The process id while it runs (for its peak memory in /proc). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process; resolves once it logs "bot_started" (so LOG_LEVEL must be info or more detailed). */
  async start(): Promise<void> {
    this.launch();
    const exited = this.exited().then((code) => { throw new Error(`bot exited with ${code}: ${this.logs.join('\n')}`); });
    await Promise.race([this.waitForLog((l) => l.includes('"event":"bot_started"'), 60_000), exited]);
  }

  /** Starts the process without waiting for anything. */
  launch(): void {
    const child = spawn(process.execPath, START, { env: { ...childEnv(), LOG_LEVEL: 'info', ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.exitCode = once(child, 'exit').then(([code]) => code as number | null);
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        this.logs.push(line);
        this.events.emit('line', line);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  }

  /** Resolves with the first log line (past or future) that matches. */
  waitForLog(match: (line: string) => boolean, timeoutMs = 30_000): Promise<string> {
    return firstMatch(this.events, 'line', this.logs, match, timeoutMs, () => `timed out waiting for a log line:\n${this.logs.join('\n')}`);
  }

  /** The log lines that are JSON objects with this event. */
  logged(event: string): Array<Record<string, unknown>> {
    return this.logs.filter((l) => l.includes(`"event":"${event}"`)).map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  signal(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  /** The exit code, once the process has exited. */
  exited(): Promise<number | null> {
    return this.exitCode ?? Promise.resolve(null);
  }

  /** SIGTERM, and the exit code once the bot has stopped. */
  async stop(): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null) return child?.exitCode ?? null;
    child.kill('SIGTERM');
    return this.exited();
  }
}
