import { describe, expect, it } from 'vitest';
import { localDay, localDateTime } from '../../src/core/metrics/days.js';
import { parseWindowSpec, previousWindow, resolveWindow } from '../../src/core/metrics/window.js';

describe('windows', () => {
  const today = '2026-11-26';
  it('resolves named windows as calendar days including today', () => {
    const r = (t: string) => { const spec = parseWindowSpec(t); return spec && resolveWindow(spec, today, null); };
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
});
