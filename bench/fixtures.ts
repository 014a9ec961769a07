import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { csvLine, descriptionRow, orderStream, STANDARD_HEADERS } from '../test/fixtures/generate.js';

/** Writes a synthetic export of `orders` orders to `path` without holding it in memory. */
export async function writeExport(path: string, orders: number, seed = 7): Promise<void> {
  const out = createWriteStream(path);
  out.write(`\ufeff${csvLine(STANDARD_HEADERS)}${csvLine(descriptionRow('en'))}`);
  let buffer = '';
  // About 1.5 lines per order, as in real shops' exports.
  for (const order of orderStream({ orders, seed, multiLine: 0.17, days: 60 })) {
    for (const row of order.rows) buffer += csvLine(row);
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}
