import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TrendPoint } from '../core/metrics/trend.js';
import { ProductChart, type ProductChartInput } from './product-chart.js';
import { TrendChart, type TrendLabels } from './trend-chart.js';

export type AsyncTrendRenderer = (points: readonly TrendPoint[], threshold: number, labels: TrendLabels) => Promise<Buffer>;
export type AsyncProductRenderer = (input: ProductChartInput) => Promise<Buffer>;

/** What a worker is asked to draw. */
export type ChartJob =
  | { kind: 'trend'; points: readonly TrendPoint[]; threshold: number; labels: TrendLabels }
  | { kind: 'products'; input: ProductChartInput };

const WORKER = new URL('./chart-worker.js', import.meta.url);

function remove<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i !== -1) list.splice(i, 1);
}

/**
 * Pictures (trends, products) rendered on worker threads (one per core, at most `size`): a picture takes tens
 * of milliseconds of CPU, which would otherwise stall the bot and a morning's fan-out of
 * summaries. Run from TypeScript sources (unit tests), pictures render on the calling thread.
 */
export class ChartPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: Array<() => void> = [];
  private readonly pending = new Map<number, { worker: Worker; resolve: (png: Buffer) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private readonly useWorkers = existsSync(fileURLToPath(WORKER));
  private local: Promise<TrendChart> | null = null;
  private localProducts: ProductChart | null = null;

  /** `glyphs`: every character chart labels may hold (see chartGlyphs). */
  constructor(private readonly glyphs: string, private readonly size = Math.max(1, Math.min(2, availableParallelism()))) {}

  readonly render: AsyncTrendRenderer = async (points, threshold, labels) => {
    if (!this.useWorkers) return (await (this.local ??= TrendChart.create(this.glyphs))).render(points, threshold, labels);
    return this.run({ kind: 'trend', points, threshold, labels });
  };

  readonly renderProducts: AsyncProductRenderer = async (input) => {
    if (!this.useWorkers) return (this.localProducts ??= ProductChart.create()).render(input);
    return this.run({ kind: 'products', input });
  };

  private async run(job: ChartJob): Promise<Buffer> {
    const worker = await this.acquire();
    const id = this.nextId++;
    // An idle worker does not keep the process alive; one rendering does (during a stop, the
    // picture may be all that is left to wait for).
    worker.ref();
    try {
      return await new Promise<Buffer>((resolve, reject) => {
        this.pending.set(id, { worker, resolve, reject });
        worker.postMessage({ id, job });
      });
    } finally {
      worker.unref();
      this.release(worker);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
    this.idle.length = 0;
  }

  private async acquire(): Promise<Worker> {
    const free = this.idle.pop();
    if (free) return free;
    if (this.workers.length < this.size) return this.spawn();
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    return this.acquire();
  }

  private release(worker: Worker): void {
    if (this.workers.includes(worker)) this.idle.push(worker);
    this.waiting.shift()?.();
  }

  /** A worker that failed is dropped (its jobs fail); the next render starts a fresh one. */
  private discard(worker: Worker, error: Error): void {
    for (const [id, job] of this.pending) {
      if (job.worker !== worker) continue;
      this.pending.delete(id);
      job.reject(error);
    }
    remove(this.workers, worker);
    remove(this.idle, worker);
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER, { workerData: { glyphs: this.glyphs } });
    worker.on('message', (m: { id: number; png?: Uint8Array; error?: string }) => {
      const job = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.png) job?.resolve(Buffer.from(m.png.buffer, m.png.byteOffset, m.png.byteLength));
      else job?.reject(new Error(m.error ?? 'chart worker failed'));
    });
    worker.on('error', (error) => this.discard(worker, error));
    worker.on('exit', (code) => this.discard(worker, new Error(`chart worker stopped with code ${code}`)));
    worker.unref();
    this.workers.push(worker);
    return worker;
  }
}
