/** Worker-thread entry: renders pictures on request. */
import { parentPort, workerData } from 'node:worker_threads';
import type { ChartJob } from './chart-pool.js';
import { errorMessage } from '../logger.js';
import { ProductChart } from './product-chart.js';
import { TrendChart } from './trend-chart.js';

const chart = await TrendChart.create((workerData as { glyphs: string }).glyphs);
let products: ProductChart | null = null;

parentPort?.on('message', (message: { id: number; job: ChartJob }) => {
  const { id, job } = message;
  const draw = async () => (job.kind === 'trend'
    ? chart.render(job.points, job.threshold, job.labels)
    : (products ??= ProductChart.create()).render(job.input));
  draw().then(
    (png) => parentPort?.postMessage({ id, png }, [png.buffer as ArrayBuffer]),
    (error: unknown) => parentPort?.postMessage({ id, error: errorMessage(error) }),
  );
});
