import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportError } from '../core/ingest/errors.js';
import type { ByteSource } from '../core/ingest/source.js';
import { isDay, isTimeZone } from '../core/metrics/days.js';
import { DEFAULT_MIN_PRODUCT_ORDERS } from '../core/metrics/products.js';
import { parseWindowSpec, type WindowSpec } from '../core/metrics/window.js';
import type { Category } from '../core/reasons/categories.js';
import { productListLines } from '../core/render/products.js';
import { DEFAULT_THRESHOLD, describeImportError, parseThreshold, renderReport } from '../core/render/text.js';
import { isLocale, type Locale, type Translator } from '../core/render/translator.js';
import { diskSpill } from '../files/disk-spill.js';
import { fileSource } from '../files/file-source.js';
import { secondPartOnWorker } from '../files/second-part.js';
import { translator } from '../i18n.js';
import type { RobotTarget } from '../robots/target.js';
import { reportFromFiles } from '../use-cases/file-report.js';
import { EXIT, UsageError, type CliIo, type CliLine } from './io.js';
import { readReasonMappings } from './reason-mappings.js';

/** A `report` or `push` command line, checked: export files read into the report, printed or sent to robots. */
export interface ReportArgs {
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
  /** `--reasons FILE`: reason texts the seller mapped to categories, applied to every order. */
  reasonsFile: string | null;
}

/** The command line's values, checked; a bad one throws a UsageError. */
export async function reportArgs(line: CliLine, envLocale: Locale): Promise<ReportArgs> {
  const { values, positionals } = line;
  const [command, ...files] = positionals;
  if (command !== 'report' && command !== 'push') throw new UsageError('cli-error-unknown-command', { command: command ?? '' });
  if (files.length === 0) throw new UsageError('cli-error-no-files');
  const locale = values.lang !== undefined && isLocale(values.lang) ? values.lang : envLocale;
  // The robots' modules load only for `push`: a report that sends nothing starts without them.
  const targets = command === 'push' ? (await import('./push.js')).targetsOf(values.target ?? [], translator(locale)) : [];
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
    reasonsFile: values.reasons ?? null,
  };
}

export async function runReport(args: ReportArgs, io: CliIo): Promise<number> {
  const tr = translator(args.locale);
  for (const file of args.files) {
    try {
      await access(file);
    } catch {
      io.stderr(`${tr.t('cli-error-file-missing', { file })}\n`);
      return EXIT.badInput;
    }
  }
  let taught: ReadonlyMap<string, Category> | undefined;
  if (args.reasonsFile !== null) {
    const mappings = await readReasonMappings(args.reasonsFile);
    if (!mappings.ok) {
      io.stderr(`${tr.t(mappings.problem.key, mappings.problem.args)}\n`);
      return EXIT.badInput;
    }
    taught = mappings.taught;
  }
  const progress = args.json || !io.stderrIsTty ? null : new Progress(io, tr);
  const sources: ByteSource[] = [];
  for (const file of args.files) {
    const source = await fileSource(file, { onBytes: (n) => progress?.advance(n) });
    progress?.expect(source.size, source.name);
    sources.push(source);
  }
  // Whatever the reader parks on disk, on either thread, is in one folder of this run's, removed
  // however the run ends (a second thread stopped half-way cannot remove its own).
  const parked = await mkdtemp(join(tmpdir(), 'cancelwatch-'));
  try {
    const { report, hasLines } = await reportFromFiles({
      sources, window: args.window, timeZone: args.timeZone, now: io.now(), tr,
      importOptions: { holding: { spill: () => diskSpill(parked), secondPart: secondPartOnWorker({ onBytes: (n) => progress?.advance(n), spillDir: parked }) } },
      onReadAgain: () => progress?.restart(),
      ...(args.byProduct ? { byProduct: args.byProduct } : {}),
      ...(taught ? { taught } : {}),
    });
    progress?.done();
    const products = args.byProduct && report.products ? { window: report.window, products: report.products, minOrders: args.byProduct.minOrders, hasLines } : null;
    if (args.command === 'push') return await (await import('./push.js')).push(report, products, args, io);
    if (args.json) {
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      return EXIT.ok;
    }
    const text = renderReport(report, tr, { html: false, maxLength: Infinity, topProducts: false });
    if (products) text.push('', ...productListLines(products, tr, { html: false }));
    io.stdout(`${text.join('\n')}\n`);
    return EXIT.ok;
  } catch (error) {
    progress?.done();
    if (!(error instanceof ImportError)) throw error;
    io.stderr(`${describeImportError(tr, error, true)}\n`);
    return EXIT.badInput;
  } finally {
    await rm(parked, { recursive: true, force: true });
  }
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
