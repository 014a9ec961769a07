/**
 * Export times are the shop's local wall-clock time with no zone. Seller Center writes them as
 * `DD/MM/YYYY HH:MM:SS` (SEA) or `M/D/YYYY h:mm:ss AM` (US), sometimes `YYYY-MM-DD HH:MM:SS`,
 * and XLSX may hold Excel serial numbers. Which of day and month comes first is settled once
 * per file (DateStyleVote), never per row, because `03/04/2026` reads either way.
 */
export interface DateParts {
  year: number;
  /** For ISO-ordered text: month; otherwise the first of the two ambiguous fields. */
  first: number;
  second: number;
  seconds: number;
  isoOrder: boolean;
  meridiem: boolean;
}

export type DayOrder = 'dmy' | 'mdy';

// Excel re-saves write what the computer's short date format says: `10.03.2026 17:00`, `3/10/26 5:00 PM`.
const SLASHED = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?)?$/;
const ISO = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?$/;

/** 1899-12-30 is day 0 of Excel's 1900 date system (its leap-year bug included). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
/** Workbooks in the 1904 date system (old Mac Excel) count from 1904-01-01: 1462 days later. */
const DAYS_1900_TO_1904 = 1462;

export type DateSystem = '1900' | '1904';

/** A date as text, or an Excel serial number (XLSX date cells) in the workbook's date system. */
export function parseDateParts(raw: string, system: DateSystem = '1900'): DateParts | null {
  // Seller Center's own `DD/MM/YYYY HH:MM:SS` is nearly every cell of a big export: read by hand,
  // it costs a fifth of the pattern below. Anything else (or anything odd in it) takes the pattern.
  if (raw.length === 19) {
    const fast = sellerCenterDate(raw);
    if (fast) return fast;
  }
  const text = raw.trim();
  let m = SLASHED.exec(text);
  if (m) {
    let hours = Number(m[4] ?? 0);
    const meridiem = m[7] !== undefined;
    if (meridiem) {
      if (hours < 1 || hours > 12) return null;
      const pm = m[7]?.toLowerCase().startsWith('p') === true;
      hours = (hours % 12) + (pm ? 12 : 0);
    }
    const year = m[3]?.length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
    const parts = { year, first: Number(m[1]), second: Number(m[2]), seconds: clock(hours, m[5], m[6]), isoOrder: false, meridiem };
    if (parts.seconds < 0) return null;
    // Impossible under both readings (13/13, 0/5): not a date at all.
    if (!validDay(parts.year, parts.first, parts.second) && !validDay(parts.year, parts.second, parts.first)) return null;
    return parts;
  }
  m = ISO.exec(text);
  if (m) {
    const parts = { year: Number(m[1]), first: Number(m[2]), second: Number(m[3]), seconds: clock(Number(m[4] ?? 0), m[5], m[6]), isoOrder: true, meridiem: false };
    if (parts.seconds < 0 || !validDay(parts.year, parts.first, parts.second)) return null;
    return parts;
  }
  if (/^\d{5}(\.\d+)?$/.test(text)) {
    const serial = Number(text) + (system === '1904' ? DAYS_1900_TO_1904 : 0);
    if (serial < 20000 || serial > 80000) return null;
    const d = new Date(EXCEL_EPOCH_MS + Math.round(serial * 86400) * 1000);
    return { year: d.getUTCFullYear(), first: d.getUTCMonth() + 1, second: d.getUTCDate(), seconds: d.getUTCHours() * 3600 + d.getUTCMinutes() * 60 + d.getUTCSeconds(), isoOrder: true, meridiem: false };
  }
  return null;
}

/** `NN/NN/NNNN NN:NN:NN` read by character codes, or null when the text is not exactly that (or no date). */
function sellerCenterDate(t: string): DateParts | null {
  const SLASH = 47, COLON = 58, SPACE = 32;
  if (t.charCodeAt(2) !== SLASH || t.charCodeAt(5) !== SLASH || t.charCodeAt(10) !== SPACE || t.charCodeAt(13) !== COLON || t.charCodeAt(16) !== COLON) return null;
  const first = digits(t, 0, 2);
  const second = digits(t, 3, 2);
  const year = digits(t, 6, 4);
  const hours = digits(t, 11, 2);
  const minutes = digits(t, 14, 2);
  const seconds = digits(t, 17, 2);
  if (first < 0 || second < 0 || year < 0 || hours < 0 || minutes < 0 || seconds < 0) return null;
  if (hours > 23 || minutes > 59 || seconds > 59) return null;
  if (!validDay(year, first, second) && !validDay(year, second, first)) return null;
  return { year, first, second, seconds: hours * 3600 + minutes * 60 + seconds, isoOrder: false, meridiem: false };
}

/** The number written by `length` ASCII digits at `at`, or -1 when one is not a digit. */
function digits(t: string, at: number, length: number): number {
  let n = 0;
  for (let i = at; i < at + length; i++) {
    const d = t.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function clock(hours: number, minutes: string | undefined, seconds: string | undefined): number {
  const mm = Number(minutes ?? 0);
  const ss = Number(seconds ?? 0);
  if (hours > 23 || mm > 59 || ss > 59) return -1;
  return hours * 3600 + mm * 60 + ss;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function validDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || year < 2000 || year > 2100) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0));
}

/** What a DateStyleVote has seen, as plain data that crosses threads. */
export interface DateVoteFacts {
  firstOver12: number | null;
  secondOver12: number | null;
  meridiem: boolean;
  firstValues: number[];
  secondValues: number[];
}

/** A set of small whole numbers: 0–31 as bits of one number, others in a Set. */
class FieldValues {
  private bits = 0;
  private bitCount = 0;
  private readonly others = new Set<number>();

  add(value: number): void {
    if (value >= 0 && value < 32 && Number.isInteger(value)) {
      const bit = 1 << value;
      if ((this.bits & bit) !== 0) return;
      this.bits |= bit;
      this.bitCount++;
    } else {
      this.others.add(value);
    }
  }

  get size(): number {
    return this.bitCount + this.others.size;
  }

  list(): number[] {
    const values: number[] = [];
    for (let v = 0; v < 32; v++) if ((this.bits & (1 << v)) !== 0) values.push(v);
    return [...values, ...this.others];
  }
}

/**
 * Collects, row by row, what a file's dates say about their order: a first field above 12
 * proves day-first, a second above 12 proves month-first, AM/PM leans month-first (the US
 * style), and otherwise the field that takes more distinct values is the day.
 */
export class DateStyleVote {
  private firstOver12: number | null = null;
  private secondOver12: number | null = null;
  private meridiem = false;
  /** Distinct values of each field: every row adds to them, so a day or month (0–31) is a bit, anything else a set entry. */
  private readonly firstValues = new FieldValues();
  private readonly secondValues = new FieldValues();
  /** The parts last observed: an order's lines share one, and a repeat says nothing new. */
  private last: DateParts | null = null;

  /** What the vote has seen, as plain data (for a file read in two parts). */
  facts(): DateVoteFacts {
    return { firstOver12: this.firstOver12, secondOver12: this.secondOver12, meridiem: this.meridiem, firstValues: this.firstValues.list(), secondValues: this.secondValues.list() };
  }

  /** Adds what the dates after this vote's saw, their lines counted from `lineOffset` + 1. */
  absorb(later: DateVoteFacts, lineOffset: number): void {
    if (later.firstOver12 !== null) this.firstOver12 ??= later.firstOver12 + lineOffset;
    if (later.secondOver12 !== null) this.secondOver12 ??= later.secondOver12 + lineOffset;
    this.meridiem ||= later.meridiem;
    for (const v of later.firstValues) this.firstValues.add(v);
    for (const v of later.secondValues) this.secondValues.add(v);
  }

  observe(parts: DateParts, line: number): void {
    if (parts.isoOrder || parts === this.last) return;
    this.last = parts;
    if (parts.first > 12) this.firstOver12 ??= line;
    if (parts.second > 12) this.secondOver12 ??= line;
    if (parts.meridiem) this.meridiem = true;
    this.firstValues.add(parts.first);
    this.secondValues.add(parts.second);
  }

  /**
   * The day order a date has already proved (a first or a second field above 12: no later row
   * can change it, only make the file mixed, which refuses it), or null while none has.
   */
  settled(): DayOrder | null {
    if (this.firstOver12 !== null) return this.secondOver12 === null ? 'dmy' : null;
    return this.secondOver12 !== null ? 'mdy' : null;
  }

  /**
   * The file's order, or the two lines that contradict each other. When nothing in the dates
   * decides (every field at most 12, both fields as varied: a single-day file), the hint decides
   * and the answer says it was assumed; with no hint the dates cannot be read (`conflict: null`).
   */
  decide(hint: DayOrder | null): { ok: true; order: DayOrder; assumed: boolean } | { ok: false; conflict: [number, number] | null } {
    if (this.firstOver12 !== null && this.secondOver12 !== null) return { ok: false, conflict: [this.firstOver12, this.secondOver12] };
    if (this.firstOver12 !== null) return { ok: true, order: 'dmy', assumed: false };
    if (this.secondOver12 !== null) return { ok: true, order: 'mdy', assumed: false };
    if (this.meridiem) return { ok: true, order: 'mdy', assumed: false };
    if (this.secondValues.size !== this.firstValues.size) return { ok: true, order: this.secondValues.size > this.firstValues.size ? 'mdy' : 'dmy', assumed: false };
    // No day-first or month-first date seen at all (ISO dates, or none): nothing to assume.
    if (this.firstValues.size === 0) return { ok: true, order: 'dmy', assumed: false };
    if (hint === null) return { ok: false, conflict: null };
    return { ok: true, order: hint, assumed: true };
  }
}

/**
 * The day order a shop's time zone implies for dates that read either way: the Americas'
 * zones write month first (US Seller Center, US Excel), the rest of TikTok Shop's markets day first.
 */
export function dayOrderOfZone(timeZone: string): DayOrder {
  return timeZone.startsWith('America/') || timeZone.startsWith('US/') ? 'mdy' : 'dmy';
}

/** Local wall-clock time `YYYY-MM-DDTHH:MM:SS`, or null where the chosen order makes no date. */
export function resolveDate(parts: DateParts, order: DayOrder): string | null {
  const [month, day] = parts.isoOrder || order === 'mdy' ? [parts.first, parts.second] : [parts.second, parts.first];
  if (!validDay(parts.year, month, day)) return null;
  const s = parts.seconds;
  return clockText(parts.year, month, day, Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60);
}

const digit = (n: number) => 48 + (n % 10);
const tens = (n: number) => 48 + Math.floor(n / 10);

/**
 * `YYYY-MM-DDTHH:MM:SS` of a four-digit year, made in one step: every order of an import has
 * one, and a template's eleven joins leave a joined string that is copied again when its day
 * is cut from it.
 */
function clockText(year: number, month: number, day: number, hours: number, minutes: number, seconds: number): string {
  return String.fromCharCode(
    tens(Math.floor(year / 100)), digit(Math.floor(year / 100)), tens(year % 100), digit(year), 45, tens(month), digit(month), 45, tens(day), digit(day),
    84, tens(hours), digit(hours), 58, tens(minutes), digit(minutes), 58, tens(seconds), digit(seconds),
  );
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/** The date part as the file wrote it, for messages about it. */
export function writtenDate(parts: DateParts): string {
  return parts.isoOrder ? `${parts.year}-${two(parts.first)}-${two(parts.second)}` : `${parts.first}/${parts.second}/${parts.year}`;
}
