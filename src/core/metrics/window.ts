import { addDays, dayCount, isDay } from './days.js';

/** Calendar days in the shop's zone, both included. */
export interface Window {
  from: string;
  to: string;
}

export type WindowSpec =
  | { kind: 'today' | 'yesterday' | 'all' }
  | { kind: 'last'; days: number }
  | { kind: 'range'; from: string; to: string };

/**
 * `today`, `yesterday`, `7d`, `30d` (any `Nd` up to a year), or `YYYY-MM-DD..YYYY-MM-DD`.
 * Returns null for anything else, so each surface can answer in its own words.
 */
export function parseWindowSpec(text: string): WindowSpec | null {
  const t = text.trim().toLowerCase();
  if (t === 'today' || t === 'yesterday' || t === 'all') return { kind: t };
  const last = /^(\d{1,3})d$/.exec(t);
  if (last) {
    const days = Number(last[1]);
    return days >= 1 && days <= 366 ? { kind: 'last', days } : null;
  }
  const range = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(t);
  if (range?.[1] && range[2] && isDay(range[1]) && isDay(range[2]) && range[1] <= range[2]) {
    return { kind: 'range', from: range[1], to: range[2] };
  }
  return null;
}

/**
 * The days a spec covers, given today's local day; `all` is the data's own range
 * (`dataRange`), or just today when there is no data. `today` is asked only where the spec
 * needs it: the first reading of a zone's clock loads its rules (about 10 ms of a CLI report).
 */
export function resolveWindow(spec: WindowSpec, today: () => string, dataRange: Window | null): Window {
  switch (spec.kind) {
    case 'today': { const t = today(); return { from: t, to: t }; }
    case 'yesterday': { const y = addDays(today(), -1); return { from: y, to: y }; }
    case 'last': { const t = today(); return { from: addDays(t, 1 - spec.days), to: t }; }
    case 'range': return { from: spec.from, to: spec.to };
    case 'all': { if (dataRange) return dataRange; const t = today(); return { from: t, to: t }; }
  }
}

/** The window of the same length that ends the day before `w` starts. */
export function previousWindow(w: Window): Window {
  const length = dayCount(w.from, w.to);
  return { from: addDays(w.from, -length), to: addDays(w.from, -1) };
}
