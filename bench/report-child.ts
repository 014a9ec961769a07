/**
 * One full report in a fresh process, so its peak memory is its own. Prints a JSON line:
 * seconds for the report (import + metrics), peak RSS in MB, and the headline figures.
 * With `--by-product`, the report rates products too, reading the product cells as an upload does.
 */
import { DEFAULT_MIN_PRODUCT_ORDERS } from '../src/core/metrics/products.js';
import { reportFromFiles } from '../src/use-cases/file-report.js';
import { diskSpill } from '../src/files/disk-spill.js';
import { fileSource } from '../src/files/file-source.js';
import { secondPartOnWorker } from '../src/files/second-part.js';
import { translator } from '../src/i18n.js';

const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const byProduct = process.argv.includes('--by-product');
const started = performance.now();
const cpuStarted = process.cpuUsage();
const { report } = await reportFromFiles({
  sources: await Promise.all(files.map((f) => fileSource(f))),
  window: { kind: 'all' },
  timeZone: 'Asia/Shanghai',
  now: Date.now(),
  tr: translator('en'),
  importOptions: { holding: { spill: () => diskSpill(), secondPart: secondPartOnWorker() } },
  ...(byProduct ? { byProduct: { minOrders: DEFAULT_MIN_PRODUCT_ORDERS } } : {}),
});
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStarted);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
process.stdout.write(`${JSON.stringify({ seconds, cpuSeconds, peakRssMb: process.resourceUsage().maxRSS / 1024, orders: report.orders, cancelled: report.cancelled })}\n`);
