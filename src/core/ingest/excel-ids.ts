import { ImportError } from './errors.js';

/** Ids read, and ids in one of Excel's number formats, for refusing a file Excel reformatted (ExcelIds.check). */
export interface IdFacts {
  ids: number;
  excelNumbers: number;
  excelExample: { line: number; value: string } | null;
  longIds: number;
  roundedIds: number;
  /** The first two different rounded ids. */
  rounded: string[];
}

/** An order id is letters, digits, `-` and `_`: TikTok's are 18–19 digits. */
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
/** What Excel shows an 18-digit id as when it takes it for a number: `5.76E+17`, or `5,76E+17` with a decimal comma. */
const E_NOTATION = /^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$/;
/** An id Excel formatted as a number: thousands separators, or a decimal part of zeros. */
const EXCEL_NUMBER = /^\d{1,3}(?:[,.\u00a0 ]\d{3}){4,}(?:[.,]0+)?$|^\d{15,}[.,]0+$/;

/** Whether a cleaned id that is not all digits still has the shape of an order id. */
export const isIdShaped = (id: string): boolean => ID.test(id);

/** Whether an id that is not all digits is Excel's E notation (`5.76E+17`): the file is refused at once. */
export const isENotation = (id: string): boolean => (id.includes('E') || id.includes('e')) && E_NOTATION.test(id);

/** Excel keeps 15 significant digits: an id it stored as a number and wrote back out ends in zeros (`^\d{15}0+$`, for an id of digits). */
function roundedId(digits: string): boolean {
  if (digits.length < 16) return false;
  for (let i = 15; i < digits.length; i++) if (digits.charCodeAt(i) !== 48) return false;
  return true;
}

/** `^\d+$`, asked of every line's id: a loop costs less than the pattern there. */
export function allDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return text.length > 0;
}

/** Undoes what sellers do to keep Excel off an id: a leading apostrophe, or `="…"`. */
export function cleanId(raw: string): string {
  const first = raw.charCodeAt(0);
  if (first !== 39 && first !== 61) return raw; // neither ' nor =
  if (first === 39) return raw.slice(1).trim();
  const formula = /^="(.*)"$/.exec(raw);
  return formula ? (formula[1] ?? '').trim() : raw;
}

function noteRounded(facts: IdFacts, id: string): void {
  if (facts.rounded.length < 2 && !facts.rounded.includes(id)) facts.rounded.push(id);
}

/**
 * What a file's ids say of Excel having been at them, gathered row by row and decided once
 * every row is read: most ids in Excel's number formats, or every long id rounded to 15 digits.
 */
export class ExcelIds {
  /** Plain data, so that a part of the file read on another thread can hand its own over (absorb). */
  readonly facts: IdFacts = { ids: 0, excelNumbers: 0, excelExample: null, longIds: 0, roundedIds: 0, rounded: [] };

  /** A well-formed id (`digits`: all digits). */
  noteId(id: string, digits: boolean): void {
    const facts = this.facts;
    facts.ids++;
    if (id.length >= 16 && digits) {
      facts.longIds++;
      if (roundedId(id)) {
        facts.roundedIds++;
        noteRounded(facts, id);
      }
    }
  }

  /** An id that is no id: `576,461,413,038,780,001` or `576461413038780001.0` are Excel's number formats on an id it took for a number. */
  noteBadId(id: string, raw: string, line: number): void {
    if (!EXCEL_NUMBER.test(id)) return;
    this.facts.excelNumbers++;
    this.facts.excelExample ??= { line, value: raw };
  }

  /** Refuses the file when its ids show Excel's rounding or number formats, once every row is read. */
  check(file: string): void {
    const ids = this.facts;
    // Most ids in Excel's number formats: the file is Excel's, not a few typos; refused with the Excel message.
    if (ids.excelExample && ids.excelNumbers > ids.ids) throw new ImportError('excel-ids', { file, line: ids.excelExample.line, value: ids.excelExample.value });
    // Every long id ending in zeros past the 15th digit, and at least two different ones: one by chance is 1 in 1000.
    if (ids.longIds > 0 && ids.roundedIds === ids.longIds && ids.rounded.length >= 2) {
      throw new ImportError('excel-ids-rounded', { file, value: ids.rounded[0] ?? '' });
    }
  }

  /** Adds what the ids of the rows after these said, their lines counted from `lineOffset` + 1. */
  absorb(later: IdFacts, lineOffset: number): void {
    const ids = this.facts;
    ids.ids += later.ids;
    ids.excelNumbers += later.excelNumbers;
    if (later.excelExample) ids.excelExample ??= { line: later.excelExample.line + lineOffset, value: later.excelExample.value };
    ids.longIds += later.longIds;
    ids.roundedIds += later.roundedIds;
    for (const id of later.rounded) noteRounded(ids, id);
  }
}
