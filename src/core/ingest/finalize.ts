import type { Order, ReportColumn } from '../order.js';
import { classifyReason } from '../reasons/classify.js';
import { resolveDate, type DateStyleVote, type DayOrder } from './dates.js';
import type { HeaderPlan } from './header.js';
import type { OrderState } from './order-state.js';
import { memo } from './strings.js';
import { initiatorOf } from './values.js';

/** What one read of a file decided, kept until its orders are finalized (indexed by OrderState.attempt). */
export interface FileRead {
  name: string;
  dayOrder: DayOrder;
  plan: HeaderPlan;
  /** The plan's missing columns as each order carries them: Payment Method only bears on orders without a paid time. */
  gaps: { paidTime: readonly ReportColumn[]; noPaidTime: readonly ReportColumn[] };
  /** What the file's dates say of their day order so far (it decides `dayOrder` at the end). */
  vote: DateStyleVote;
}

/** Who cancelled, read once per distinct `Cancel By` text of an import. */
const initiatorOfText = memo(initiatorOf);
/** The unrecognised values of an order that has none (most orders): one shared, frozen record. */
const NONE: Partial<Record<ReportColumn, string>> = Object.freeze({});

/**
 * A merged state → the order the metrics count, by the rules of the metric contract ("Which
 * orders count", "When the export lacks columns"); null when its date is impossible in the
 * file's day order.
 */
export function finalize(state: OrderState, read: FileRead): Order | null {
  let createdAt: string | null = null;
  if (state.created) {
    createdAt = resolveDate(state.created, read.dayOrder);
    if (!createdAt) return null;
  }
  const cancelled = state.statusCancelled || (state.lines > 0 && state.cancelLines === state.lines);
  const partiallyCancelled = !cancelled && state.cancelLines > 0;
  const category = cancelled || partiallyCancelled || state.reason ? classifyReason(state.reason) : null;
  const initiator = initiatorOfText(state.cancelBy);
  const hasPaidColumn = read.plan.columns.paid !== undefined;
  const unpaid = state.statusUnpaid && !cancelled;
  // Cash on delivery has no paid time: it counts once it left the unpaid state (cancelled for
  // any reason but `unpaid` included; countOrder leaves out the `unpaid` reason everywhere).
  // Where no status says which state it is in (no Order Status, or a blank one), it follows the
  // no-paid-time rule: placed unless its reason is `unpaid`, so in-progress COD orders are not
  // dropped while cancelled ones count.
  const statusKnown = state.statusPlaced || state.statusUnpaid || state.statusCancelled;
  const codPlaced = hasPaidColumn && !state.paid && state.cod && !unpaid && (state.statusPlaced || cancelled || !statusKnown);
  const placed = hasPaidColumn ? state.paid || codPlaced : !unpaid;
  // Which payment method an order without a paid time used matters only to such orders.
  const lacksPaidTime = hasPaidColumn && !state.paid;
  let unrecognised = NONE;
  if (state.unknown || initiator === undefined) {
    const { 'Payment Method': method, ...others } = state.unknown ?? {};
    unrecognised = { ...others, ...(method !== undefined && lacksPaidTime ? { 'Payment Method': method } : {}), ...(initiator === undefined ? { 'Cancel By': state.cancelBy } : {}) };
  }
  const gaps = lacksPaidTime ? read.gaps.noPaidTime : read.gaps.paidTime;
  const order: Order = {
    id: state.id,
    createdAt,
    paid: placed,
    cod: codPlaced,
    cancelled,
    partiallyCancelled,
    initiator: initiator ?? 'unknown',
    reason: state.reason || null,
    category,
    fulfilledByTikTok: state.fbt,
    sample: state.sample,
    amountCents: state.amount?.cents ?? null,
    currency: state.amount?.currency ?? null,
    gaps,
    unrecognised,
  };
  // Set after, not spread into the literal: a spread made every order take V8's slow path for literals.
  if (state.items.length > 0) order.lines = state.items;
  return order;
}
