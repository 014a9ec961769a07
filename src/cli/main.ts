import { access } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ImportError } from '../core/ingest/errors.js';
import type { ByteSource } from '../core/ingest/source.js';
import { isDay, isTimeZone } from '../core/metrics/days.js';
import type { Report } from '../core/metrics/report.js';
import { parseWindowSpec, type WindowSpec } from '../core/metrics/window.js';
import { DEFAULT_MIN_PRODUCT_ORDERS } from '../core/metrics/products.js';
import { productListLines } from '../core/render/products.js';
import { reportFromFiles } from '../use-cases/file-report.js';
import { robotContentOfReport, robotMessages } from '../core/render/robots.js';
import { DEFAULT_THRESHOLD, describeImportError, parseThreshold, renderReport } from '../core/render/text.js';
import { isLocale, localeOfEnv, type Locale, type Translator } from '../core/render/translator.js';
import { diskSpill } from '../files/disk-spill.js';
import { fileSource } from '../files/file-source.js';
import { secondPartOnWorker } from '../files/second-part.js';
import { translator } from '../i18n.js';
import { errorMessage } from '../logger.js';
import type { RobotClient } from '../robots/client.js';
import { maskTarget, parseTargetSpec, type RobotTarget } from '../robots/target.js';
import { describeAnswer } from '../use-cases/robot-targets.js';

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

const processIo = (): CliIo => ({
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stderrIsTty: Boolean(process.stderr.isTTY),
  now: () => Date.now(),
  env: process.env,
});

export const EXIT = { ok: 0, badInput: 1, usage: 2, notDelivered: 3 } as const;

class UsageError extends Error {
  constructor(readonly key: string, readonly args: Record<string, string> = {}) {
    super(key);
  }
}

interface ReportArgs {
  command: 'report' | 'push';
  files: string[];
  window: WindowSpec;
  timeZone: string;
  locale: Locale;
  json: boolean;
  /** `push` only: where the report goes, and the seller-fault line its alert is drawn at. */
  targets: RobotTarget[];
  threshold: number;
  /** `--by product`: the per-product figures too, rated from this many orders. */
  byProduct: { minOrders: number } | null;
}

/** A rate-limited robot is waited for up to DingTalk's ten-minute throttle: a cron job can wait. */
const CLI_RATE_WAIT_MS = 11 * 60_000;

/** `cancelwatch report|push FILE… [options]`; returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const envLocale = localeOfEnv(io.env);
  const tr = translator(messageLocale(argv, envLocale));
  let args: ReportArgs | 'help';
  try {
    args = parseReportArgs(argv, envLocale);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`${tr.t(error.key, error.args)}\n`);
    return EXIT.usage;
  }
  if (args === 'help') {
    io.stdout(`${tr.t('cli-usage')}\n${tr.t('cli-usage-push')}\n`);
    return EXIT.ok;
  }
  return runReport(args, io);
}

/** The report, rendered for each robot and sent; one line per robot says how it went. */
async function push(report: Report, args: ReportArgs, io: CliIo): Promise<number> {
  const tr = translator(args.locale);
  // The network modules load only here: a report that sends nothing starts without them.
  const { outbound, proxiesFromEnv } = await import('../net/outbound.js');
  const { RobotClient, postJsonWith } = await import('../robots/client.js');
  // Robot posts honour HTTPS_PROXY / NO_PROXY as the bot's do.
  const net = io.robots ? null : outbound(proxiesFromEnv(process.env));
  const client = io.robots ?? new RobotClient({ maxRateWaitMs: CLI_RATE_WAIT_MS, post: postJsonWith(net?.fetch ?? globalThis.fetch) });
  try {
    return await pushTo(client, report, args, tr, io);
  } finally {
    await net?.close();
  }
}

async function pushTo(client: RobotClient, report: Report, args: ReportArgs, tr: Translator, io: CliIo): Promise<number> {
  const content = robotContentOfReport(report, tr, args.threshold);
  let code: number = EXIT.ok;
  for (const target of args.targets) {
    const { result } = await client.sendAll(target, robotMessages(target.service, content, tr, null));
    const named = { service: tr.t(`robot-service-${target.service}`), address: maskTarget(target) };
    if (result.ok) {
      io.stdout(`${tr.t('cli-push-sent', named)}\n`);
    } else {
      io.stderr(`${tr.t('cli-push-failed', { ...named, why: tr.t(`robot-failure-${result.reason}`), answer: describeAnswer(result) })}\n`);
      code = EXIT.notDelivered;
    }
  }
  return code;
}

async function runReport(args: ReportArgs, io: CliIo): Promise<number> {
  const tr = translator(args.locale);
  for (const file of args.files) {
    try {
      await access(file);
    } catch {
      io.stderr(`${tr.t('cli-error-file-missing', { file })}\n`);
      return EXIT.badInput;
    }
  }
  const progress = args.json || !io.stderrIsTty ? null : new Progress(io, tr);
  const sources: ByteSource[] = [];
  for (const file of args.files) {
    const source = await fileSource(file, { onBytes: (n) => progress?.advance(n) });
    progress?.expect(source.size, source.name);
    sources.push(source);
  }
  try {
    const { report, hasLines } = await reportFromFiles({
      sources, window: args.window, timeZone: args.timeZone, now: io.now(), tr,
      importOptions: { spill: () => diskSpill(), secondPart: secondPartOnWorker({ onBytes: (n) => progress?.advance(n) }) },
      onReadAgain: () => progress?.restart(),
      ...(args.byProduct ? { byProduct: args.byProduct } : {}),
    });
    progress?.done();
    if (args.command === 'push') return await push(report, args, io);
    if (args.json) {
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      return EXIT.ok;
    }
    const text = renderReport(report, tr, { html: false, maxLength: Infinity, topProducts: false });
    if (args.byProduct && report.products) {
      const view = { window: report.window, products: report.products, minOrders: args.byProduct.minOrders, hasLines };
      text.push('', ...productListLines(view, tr, { html: false }));
    }
    io.stdout(`${text.join('\n')}\n`);
    return EXIT.ok;
  } catch (error) {
    progress?.done();
    if (!(error instanceof ImportError)) throw error;
    io.stderr(`${describeImportError(tr, error, true)}\n`);
    return EXIT.badInput;
  }
}

/** Messages follow --lang when it is given and valid, else the environment's language. */
function messageLocale(argv: readonly string[], envLocale: Locale): Locale {
  const i = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  const value = i === -1 ? undefined : argv[i]?.includes('=') ? argv[i]?.split('=')[1] : argv[i + 1];
  return value && isLocale(value) ? value : envLocale;
}

function parseReportArgs(argv: readonly string[], envLocale: Locale): ReportArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        window: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, tz: { type: 'string' },
        lang: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
        target: { type: 'string', multiple: true }, threshold: { type: 'string' },
        by: { type: 'string' }, 'min-orders': { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError('cli-error-bad-option', { message: errorMessage(error) });
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) return 'help';
  const [command, ...files] = positionals;
  if (command !== 'report' && command !== 'push') throw new UsageError('cli-error-unknown-command', { command: command ?? '' });
  if (files.length === 0) throw new UsageError('cli-error-no-files');
  const locale = values.lang !== undefined && isLocale(values.lang) ? values.lang : envLocale;
  const targets = command === 'push' ? targetsOf(values.target ?? [], translator(locale)) : [];
  if (values.lang !== undefined && !isLocale(values.lang)) throw new UsageError('cli-error-bad-lang', { value: values.lang });
  const timeZone = values.tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!isTimeZone(timeZone)) throw new UsageError('cli-error-bad-tz', { value: timeZone });
  return {
    command,
    files,
    window: windowOf(values),
    timeZone,
    locale,
    json: values.json ?? false,
    targets,
    threshold: thresholdOf(values.threshold),
    byProduct: byProductOf(values.by, values['min-orders']),
  };
}

function byProductOf(by: string | undefined, minOrders: string | undefined): ReportArgs['byProduct'] {
  if (by === undefined) {
    if (minOrders !== undefined) throw new UsageError('cli-error-bad-by', { value: '' });
    return null;
  }
  if (by !== 'product') throw new UsageError('cli-error-bad-by', { value: by });
  if (minOrders === undefined) return { minOrders: DEFAULT_MIN_PRODUCT_ORDERS };
  const n = Number(minOrders);
  if (!/^\d+$/.test(minOrders) || n < 1) throw new UsageError('cli-error-bad-min-orders', { value: minOrders });
  return { minOrders: n };
}

/** Each `--target`, checked; an error names the target by its number, never by its address (a secret). */
function targetsOf(specs: readonly string[], tr: Translator): RobotTarget[] {
  if (specs.length === 0) throw new UsageError('cli-error-no-target');
  return specs.map((spec, i) => {
    // Whoever runs the command line chooses the host: a relay or a local test server is theirs to name.
    const parsed = parseTargetSpec(spec, { kind: 'any' });
    if (parsed.ok) return parsed.target;
    const service = spec.slice(0, Math.max(0, spec.indexOf(':'))).toLowerCase();
    const why = tr.t(`robot-target-${parsed.problem}`, { service: tr.has(`robot-service-${service}`) ? tr.t(`robot-service-${service}`) : service });
    throw new UsageError('cli-error-bad-target', { n: String(i + 1), why });
  });
}

/** `--threshold 2.5` (percent) → 0.025; the default line otherwise. */
function thresholdOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_THRESHOLD;
  const threshold = parseThreshold(value);
  if (threshold === null) throw new UsageError('cli-error-bad-threshold', { value });
  return threshold;
}

function windowOf(values: { window?: string; from?: string; to?: string }): WindowSpec {
  const { window, from, to } = values;
  if (from !== undefined || to !== undefined) {
    if (window !== undefined || from === undefined || to === undefined) throw new UsageError('cli-error-from-to');
    if (!isDay(from)) throw new UsageError('cli-error-bad-day', { option: 'from', value: from });
    if (!isDay(to)) throw new UsageError('cli-error-bad-day', { option: 'to', value: to });
    if (from > to) throw new UsageError('cli-error-from-to');
    return { kind: 'range', from, to };
  }
  if (window === undefined) return { kind: 'all' };
  const spec = parseWindowSpec(window);
  if (!spec) throw new UsageError('cli-error-bad-window', { value: window });
  return spec;
}

/** A one-line progress figure on a terminal's stderr, shown only once reading takes a moment. */
class Progress {
  private total = 0;
  private read = 0;
  private name = '';
  private shownAt = 0;
  private readonly startedAt: number;
  constructor(private readonly io: CliIo, private readonly tr: Translator) {
    this.startedAt = io.now();
  }
  expect(bytes: number, name: string): void {
    this.total += bytes;
    this.name = name;
  }
  /** The files are read again from their start. */
  restart(): void {
    this.read = 0;
  }
  /** Bytes read, or (negative) bytes a second part read that are to be read again. */
  advance(bytes: number): void {
    this.read = Math.max(0, this.read + bytes);
    const now = this.io.now();
    if (now - this.startedAt < 700 || now - this.shownAt < 200 || this.total === 0) return;
    this.shownAt = now;
    const percent = Math.min(100, Math.floor((this.read / this.total) * 100));
    this.io.stderr(`\r${this.tr.t('cli-progress', { file: this.name, percent })}`);
  }
  done(): void {
    if (this.shownAt > 0) this.io.stderr('\r\x1b[K');
  }
}
