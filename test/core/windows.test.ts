import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, dayCount, localDay, localDateTime, splitWeeks, weekOf } from '../../src/core/metrics/days.js';
import { parseWindowSpec, previousWindow, resolveWindow } from '../../src/core/metrics/window.js';

describe('windows', () => {
  const today = '2026-11-26';
  it('resolves named windows as calendar days including today', () => {
    const r = (t: string) => { const spec = parseWindowSpec(t); return spec && resolveWindow(spec, () => today, null); };
    expect(r('today')).toEqual({ from: today, to: today });
    expect(r('yesterday')).toEqual({ from: '2026-11-25', to: '2026-11-25' });
    expect(r('7d')).toEqual({ from: '2026-11-20', to: today });
    expect(r('30d')).toEqual({ from: '2026-10-28', to: today });
    expect(r('2026-11-01..2026-11-07')).toEqual({ from: '2026-11-01', to: '2026-11-07' });
  });

  it('refuses what is not a window', () => {
    for (const t of ['week', '0d', '2026-11-07..2026-11-01', '2026-02-30..2026-03-01', '7']) expect(parseWindowSpec(t)).toBeNull();
  });

  it('takes the previous window of the same length', () => {
    expect(previousWindow({ from: '2026-11-20', to: '2026-11-26' })).toEqual({ from: '2026-11-13', to: '2026-11-19' });
    expect(previousWindow({ from: '2026-03-01', to: '2026-03-01' })).toEqual({ from: '2026-02-28', to: '2026-02-28' });
  });

  it('finds the local day in the shop’s time zone, east and west of UTC', () => {
    const instant = Date.UTC(2026, 10, 26, 20, 30); // 20:30 UTC
    expect(localDay(instant, 'Asia/Shanghai')).toBe('2026-11-27');
    expect(localDay(instant, 'America/Los_Angeles')).toBe('2026-11-26');
    expect(localDateTime(Date.UTC(2026, 2, 8, 10), 'America/New_York')).toBe('2026-03-08T06:00:00'); // after the spring-forward
  });

  it('finds the Monday of a day’s week', () => {
    expect(weekOf('2026-11-26')).toBe('2026-11-23'); // a Thursday
    expect(weekOf('2026-11-23')).toBe('2026-11-23'); // a Monday
    expect(weekOf('2026-11-29')).toBe('2026-11-23'); // a Sunday
    expect(weekOf('2027-01-01')).toBe('2026-12-28'); // across a year
  });

  it('cuts any window into whole weeks and the days at either end, each day once', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 800 }), fc.integer({ min: 0, max: 70 }), (start, length) => {
      const from = addDays('2025-01-01', start);
      const to = addDays(from, length);
      const { weeks, days } = splitWeeks(from, to);
      const covered: string[] = [];
      const list = (a: string, b: string) => Array.from({ length: dayCount(a, b) }, (_, i) => addDays(a, i));
      for (const d of days) covered.push(...list(d.from, d.to));
      if (weeks) {
        expect(new Date(`${weeks.from}T00:00:00Z`).getUTCDay()).toBe(1);
        covered.push(...list(weeks.from, addDays(weeks.to, 6)));
      }
      expect(covered.sort()).toEqual(list(from, to));
      // Only what does not make a whole week is read day by day.
      for (const d of days) expect(dayCount(d.from, d.to)).toBeLessThan(weeks ? 7 : 13);
    }));
  });
});

