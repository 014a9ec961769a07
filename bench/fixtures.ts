import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { csvLine, descriptionRow, orderStream, rng, shuffled, STANDARD_HEADERS } from '../test/fixtures/generate.js';

/**
 * Writes a synthetic export of `orders` orders to `path`. Sorted, an order's lines are
 * together and the file is streamed out; shuffled (the contract allows an order's lines
 * anywhere in the file), every line is held once to be shuffled.
 */
export async function writeExport(path: string, orders: number, options: { seed?: number; shuffle?: boolean } = {}): Promise<void> {
  const out = createWriteStream(path);
  out.write(`\ufeff${csvLine(STANDARD_HEADERS)}${csvLine(descriptionRow('en'))}`);
  // About 1.5 lines per order, as in real shops' exports.
  const stream = orderStream({ orders, seed: options.seed ?? 7, multiLine: 0.17, days: 60 });
  const lines: Iterable<string> = options.shuffle
    ? shuffled([...stream].flatMap((order) => order.rows.map((row) => csvLine(row))), rng(11))
    : (function* () { for (const order of stream) for (const row of order.rows) yield csvLine(row); })();
  let buffer = '';
  for (const line of lines) {
    buffer += line;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}
