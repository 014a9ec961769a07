import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { csvLine, descriptionRow, orderStream, rng, shuffled, STANDARD_HEADERS } from '../test/fixtures/generate.js';

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

/**
 * The same orders with their lines shuffled across the whole file, as the contract allows: the
 * hard shape for a reader that merges lines by order id. Holds the rows in memory (bench sizes).
 */
export async function writeShuffledExport(path: string, orders: number, seed = 7): Promise<void> {
  const rows: string[] = [];
  for (const order of orderStream({ orders, seed, multiLine: 0.17, days: 60 })) for (const row of order.rows) rows.push(csvLine(row));
  const out = createWriteStream(path);
  out.write(`\ufeff${csvLine(STANDARD_HEADERS)}${csvLine(descriptionRow('en'))}`);
  const lines = shuffled(rows, rng(seed + 101));
  for (let i = 0; i < lines.length; i += 10_000) {
    if (!out.write(lines.slice(i, i + 10_000).join(''))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
