/** Calendar-day arithmetic on `YYYY-MM-DD` strings, free of any time zone. */

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function dayCount(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The Monday of the week `day` falls in (weeks run Monday to Sunday, as ISO weeks do). */
export function weekOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

/**
 * The days `from`…`to` as the Mondays of the whole weeks inside them (null when none) and the
 * day ranges left at either end, so a sum over the window can read one row per whole week.
 */
export function splitWeeks(from: string, to: string): { weeks: { from: string; to: string } | null; days: Array<{ from: string; to: string }> } {
  const firstMonday = weekOf(from) === from ? from : addDays(weekOf(from), 7);
  const lastMonday = addDays(weekOf(addDays(to, 1)), -7);
  if (from > to || firstMonday > lastMonday) return { weeks: null, days: from > to ? [] : [{ from, to }] };
  const days: Array<{ from: string; to: string }> = [];
  if (from < firstMonday) days.push({ from, to: addDays(firstMonday, -1) });
  const afterWeeks = addDays(lastMonday, 7);
  if (afterWeeks <= to) days.push({ from: afterWeeks, to });
  return { weeks: { from: firstMonday, to: lastMonday }, days };
}

export function isDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** The zone's canonical name (`asia/shanghai` → `Asia/Shanghai`), or null when it is no time zone. */
export function canonicalTimeZone(zone: string): string | null {
  if (zone.length === 0) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export const isTimeZone = (zone: string): boolean => canonicalTimeZone(zone) !== null;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Wall-clock time in `zone` at the instant `epochMs`, as `YYYY-MM-DDTHH:MM:SS`. */
export function localDateTime(epochMs: number, zone: string): string {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(epochMs)).map((x) => [x.type, x.value]));
  return `${p['year']}-${p['month']}-${p['day']}T${p['hour']}:${p['minute']}:${p['second']}`;
}

export const localDay = (epochMs: number, zone: string): string => localDateTime(epochMs, zone).slice(0, 10);
