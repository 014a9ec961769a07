/**
 * Why a file cannot be imported. `code` is a locale key suffix (`import-error-<code>`) and
 * `params` its arguments, so every surface (CLI, bot) words it in the reader's language.
 */
export const IMPORT_ERROR_CODES = [
  'empty', 'no-data', 'not-a-table', 'legacy-xls', 'xlsx-damaged', 'xlsx-too-large', 'other-platform', 'no-header',
  'missing-columns', 'too-many-bad-rows', 'mixed-date-styles', 'encoding', 'unterminated-quote', 'field-too-large',
  'excel-ids', 'excel-ids-rounded', 'no-order-times', 'no-order-times-window', 'ambiguous-dates', 'xlsx-bad-reference',
] as const;
export type ImportErrorCode = (typeof IMPORT_ERROR_CODES)[number];

export type ImportErrorParams = Record<string, string | number>;

export class ImportError extends Error {
  constructor(
    readonly code: ImportErrorCode,
    readonly params: ImportErrorParams,
    readonly samples: readonly SkippedRow[] = [],
  ) {
    super(`${code}: ${JSON.stringify(params)}`);
    this.name = 'ImportError';
  }
}

export const SKIP_CODES = [
  'missing-order-id', 'bad-order-id', 'bad-created-time', 'bad-paid-time', 'undatable', 'impossible-date', 'amount-out-of-range', 'bad-cell-reference',
] as const;

/** A data row left out of the figures, with where it was and why (a locale key suffix). */
export interface SkippedRow {
  file: string;
  line: number;
  code: (typeof SKIP_CODES)[number];
  value?: string;
}

/** A value as a skipped row or an error shows it: a crafted cell of hundreds of characters would crowd out the message. */
export function shownValue(text: string): string {
  return text.length > 24 ? `${text.slice(0, 20)}…` : text;
}
