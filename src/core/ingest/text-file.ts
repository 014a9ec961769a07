import type { OrderAccumulator } from './accumulate.js';
import { CharsetMismatch, decodeText, LEGACY_CHARSETS, type Charset } from './charset.js';
import { CsvParser, csvRows, FieldTooLarge, MAX_ROW_CHARS, UnterminatedQuote } from './csv.js';
import { ImportError } from './errors.js';
import { planOf, readRows, type FileResult, type FileTarget, type PlanHolder } from './file-rows.js';
import type { ByteSource } from './source.js';
import { splitRead, type SplitPlan } from './split-read.js';
import { chooseLayout, legacyCharsetAfter, type TextLayout } from './text-layout.js';

/** A split read's plan and the held orders its second part joins; null where orders are streamed, which are not held. */
export interface HeldSplit { plan: SplitPlan; held: OrderAccumulator }

/**
 * A text file, decode and layout stages: its charset and separator chosen once from the opening
 * bytes (text-layout.ts), then its rows read (csv.ts, readRows). When UTF-8 held for the
 * opening bytes but not further on, or a legacy charset meets a byte it cannot read, the file
 * is read again in the next best charset; the retry's orders replace the first attempt's,
 * which had another attempt number.
 */
export async function readTextFile(source: ByteSource, first: Uint8Array, target: FileTarget, split: HeldSplit | null): Promise<FileResult> {
  const { fallbacks, ...layout } = chooseLayout(first);
  let charsets: Charset[] = [];
  try {
    return await readText(source, layout, target, split);
  } catch (error) {
    if (error instanceof CharsetMismatch) {
      const best = legacyCharsetAfter(first, error.bytes, layout.separator, error.atEnd);
      charsets = [best, ...LEGACY_CHARSETS.filter((c) => c !== best)];
    } else if (error instanceof ImportError && error.code === 'encoding') {
      // A legacy charset that read the opening bytes as well as another but meets a byte it
      // cannot read further on (`José,` in GB18030): the next best is tried, in the same way.
      charsets = fallbacks;
    } else {
      throw error;
    }
  }
  for (const [i, charset] of charsets.entries()) {
    try {
      return await readText(source, { ...layout, charset }, target, split);
    } catch (retry) {
      if (!(retry instanceof ImportError && retry.code === 'encoding') || i === charsets.length - 1) throw retry;
    }
  }
  throw new ImportError('encoding', { file: source.name });
}

async function readText(source: ByteSource, layout: TextLayout, target: FileTarget, split: HeldSplit | null): Promise<FileResult> {
  const holder: PlanHolder = { plan: null, dates: '1900' };
  const select = (header: readonly string[]) => (holder.plan = planOf(source, header, target.settings.productLines)).mask;
  const parser = new CsvParser(select, layout.separator, layout.sepLine ? 2 : 1);
  const parts = split ? await splitRead(source, layout, parser, split.held, split.plan) : null;
  let text = decodeText(parts?.source ?? source, layout.charset);
  if (layout.sepLine) text = withoutFirstLine(text);
  try {
    return await readRows(source, csvRows(text, parser), holder, target, parts?.taken);
  } catch (error) {
    parts?.cancel();
    if (error instanceof UnterminatedQuote) throw new ImportError('unterminated-quote', { file: source.name, line: error.line });
    if (error instanceof FieldTooLarge) throw new ImportError('field-too-large', { file: source.name, line: error.line, limit: MAX_ROW_CHARS });
    throw error;
  }
}

/** The text after Excel's `sep=;` line. */
async function* withoutFirstLine(text: AsyncIterable<string>): AsyncGenerator<string> {
  let skipping = true;
  for await (const chunk of text) {
    if (!skipping) { yield chunk; continue; }
    const end = chunk.indexOf('\n');
    if (end === -1) continue;
    skipping = false;
    if (end + 1 < chunk.length) yield chunk.slice(end + 1);
  }
}
