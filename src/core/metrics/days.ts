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
