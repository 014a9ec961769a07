import type { ReportColumn } from '../order.js';
import type { ReasonLine, UncertainCod, Unrecognised } from './report.js';
import type { TrendPoint } from './trend.js';

export interface DayFigures {
  orders: number;
  cancelled: number;
  cancelRate: number | null;
  sellerFaultRate: number | null;
  sellerFaultCancelled: number;
}

/** What a morning summary says about one day, for a chat of one or more shops. */
export interface DailySummary {
  day: string;
  total: DayFigures;
  /** Per shop, only when the chat has more than one. */
  shops: Array<{ name: string; figures: DayFigures }>;
  /** The seven days before `day`, taken together; null when they hold no paid orders. */
  baseline: { cancelRate: number | null; sellerFaultRate: number | null } | null;
  reasons: ReasonLine[];
  trend: TrendPoint[];
  /** What the day's data could not say (see the report's fields of the same names). */
  missing: ReportColumn[];
  unrecognised: Unrecognised;
  /** Cancelled COD orders the day could not place (see the report's field). */
  uncertainCod: UncertainCod;
}

/** Days before the summarised day that make its comparison and its trend picture. */
export const BASELINE_DAYS = 7;
