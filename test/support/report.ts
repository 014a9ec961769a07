import { ImportError } from '../../src/core/ingest/errors.js';
import { importOrders, type ImportOptions } from '../../src/core/ingest/import.js';
import { bufferSource, type ByteSource } from '../../src/core/ingest/source.js';
import type { Report } from '../../src/core/metrics/report.js';
import type { WindowSpec } from '../../src/core/metrics/window.js';
import type { Order } from '../../src/core/order.js';
import { reportFromFiles } from '../../src/use-cases/file-report.js';
import { describeImportError } from '../../src/core/render/text.js';
import type { Locale } from '../../src/core/render/translator.js';
import { translator } from '../../src/i18n.js';

/** A fixed "now" (2026-11-26 12:00 UTC) so relative windows are repeatable. */
export const NOW = Date.UTC(2026, 10, 26, 12);

export type FileInput = { name: string; data: string | Uint8Array };

export async function report(
  files: FileInput | FileInput[],
  opts: { window?: WindowSpec; timeZone?: string; locale?: Locale; importOptions?: ImportOptions; byProduct?: { minOrders: number } } = {},
): Promise<Report> {
  const list = Array.isArray(files) ? files : [files];
  const { report: r } = await reportFromFiles({
    sources: list.map((f) => bufferSource(f.name, f.data, 4096)),
    window: opts.window ?? { kind: 'all' },
    timeZone: opts.timeZone ?? 'Asia/Shanghai',
    now: NOW,
    tr: translator(opts.locale ?? 'en'),
    importOptions: opts.importOptions,
    ...(opts.byProduct ? { byProduct: opts.byProduct } : {}),
  });
  return r;
}

/** Every order an import yields, by id. */
export async function ordersOf(sources: ByteSource[], options?: ImportOptions): Promise<Map<string, Order>> {
  const orders = new Map<string, Order>();
  await importOrders(sources, (o) => { orders.set(o.id, o); }, options);
  return orders;
}

/** The error an import throws, for asserting its code and words. */
export async function importFailure(files: FileInput | FileInput[], options?: ImportOptions): Promise<{ code: string; params: Record<string, string | number>; text: string }> {
  const list = Array.isArray(files) ? files : [files];
  try {
    await importOrders(list.map((f) => bufferSource(f.name, f.data, 4096)), () => undefined, options);
  } catch (error) {
    if (error instanceof ImportError) return { code: error.code, params: error.params, text: describeImportError(translator('en'), error) };
    throw error;
  }
  throw new Error('import did not fail');
}
