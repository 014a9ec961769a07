/** Worker-thread entry: renders trend pictures on request. */
import { parentPort, workerData } from 'node:worker_threads';
import type { TrendPoint } from '../core/metrics/trend.js';
import { errorMessage } from '../logger.js';
import { TrendChart, type TrendLabels } from './trend-chart.js';

interface Job { id: number; points: TrendPoint[]; threshold: number; labels: TrendLabels }

const chart = await TrendChart.create((workerData as { glyphs: string }).glyphs);
parentPort?.on('message', (job: Job) => {
  try {
    const png = chart.render(job.points, job.threshold, job.labels);
    parentPort?.postMessage({ id: job.id, png }, [png.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort?.postMessage({ id: job.id, error: errorMessage(error) });
  }
});
