import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

/** The compiled bot, whether this file runs from test/ (vitest) or dist/test/ (the demo). */
const ROOT = import.meta.dirname.includes('/dist/') ? join(import.meta.dirname, '..', '..', '..') : join(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');

/** The built bot as a separate process (`npm start`), with its log lines collected. */
export class BotProcess {
  readonly logs: string[] = [];
  private child: ChildProcess | null = null;
  private started: Promise<void> | null = null;

  constructor(private readonly env: Record<string, string>) {}

  /** The process id while it runs (for its peak memory in /proc). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): Promise<void> {
    const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'info', ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.started = new Promise((resolve, reject) => {
      let buffer = '';
      const onData = (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let nl: number;
        while ((nl = buffer.indexOf('\n')) !== -1) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          this.logs.push(line);
          if (line.includes('"event":"bot_started"')) resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`bot exited with ${code}: ${this.logs.join('\n')}`)));
    });
    return this.started;
  }

  /** SIGTERM, and the exit code once the bot has stopped cleanly. (Start waits for the bot's
   * "bot_started" log line, so LOG_LEVEL must be info or more detailed.) */
  async stop(): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null) return child?.exitCode ?? null;
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    return code;
  }
}
