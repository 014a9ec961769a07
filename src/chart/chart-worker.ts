/** Worker-thread entry: renders trend pictures on request. */
import { parentPort } from 'node:worker_threads';
import type { TrendPoint } from '../core/metrics/trend.js';
import { renderTrendPng, type TrendLabels } from './trend-chart.js';

interface Job { id: number; points: TrendPoint[]; threshold: number; labels: TrendLabels }

parentPort?.on('message', (job: Job) => {
  try {
    const png = renderTrendPng(job.points, job.threshold, job.labels);
    parentPort?.postMessage({ id: job.id, png }, [png.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort?.postMessage({ id: job.id, error: (error as Error).message });
  }
});
