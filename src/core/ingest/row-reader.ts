import { parseDateParts, type DateParts, type DateSystem } from './dates.js';
import { ImportError, shownValue, type SkippedRow } from './errors.js';
import { allDigits, cleanId, ExcelIds, isENotation, isIdShaped } from './excel-ids.js';
import type { HeaderPlan } from './header.js';
import type { OrderState } from './order-state.js';
import { cellsOnDemand, type Row } from './rows.js';
import { interner, memo, memoLast } from './strings.js';
import { fulfilledByTikTok, isYes, lineKind, OUT_OF_RANGE, paymentKind, plainMoney, readMoney, statusKind } from './values.js';

/** Row 2 of a Seller Center export describes each column in words; it is not an order (nor an error). */
export const DESCRIPTION_ROW = { ok: false, skipped: { code: 'missing-order-id', file: '', line: 0 } } as const satisfies RowRead;

export type RowRead = { ok: true; state: OrderState } | { ok: false; skipped: SkippedRow };

export interface RowReader {
  read(row: Row): RowRead;
  /** What the file's ids say of Excel, checked once every row is read. */
  readonly ids: ExcelIds;
}

/** One data row → its order state, or why the row cannot count. Only mapped columns are read. */
export function rowReader(plan: HeaderPlan, file: string, attempt: number, dates: DateSystem, fromFileStart = true): RowReader {
  const columns = plan.columns;
  // One cache per column: each compares a cell with its last few texts before its map.
  const status = memo(statusKind);
  const substatus = memo(statusKind);
  const line = memo(lineKind);
  const fbt = memo(fulfilledByTikTok);
  const payment = memo(paymentKind);
  const yes = memo(isYes);
  // Plain amounts (`35.91`) differ from order to order and are read without the cache; the rest (`RM 35,91`) repeat.
  const money = memo(readMoney, 4096);
  const date = (text: string) => parseDateParts(text, dates);
  const createdDate = memoLast(date);
  const paidDate = memoLast(date);
  const text = interner();
  /** Without Created Time, the paid time dates the order; with neither column, the file has no times. */
  const dateColumn = columns.created ?? columns.paid;
  const undatedFile = dateColumn === undefined;
  const hasProducts = [columns.skuId, columns.sellerSku, columns.productName, columns.variation].some((i) => i !== undefined);
  let first = fromFileStart;
  const ids = new ExcelIds();

  return {
    read(row) {
      const { line: lineNo, cells } = row;
      const rawId = cellOf(cells, columns.orderId);
      const wasFirst = first;
      first = false;
      if (row.badReference !== undefined) return { ok: false, skipped: { file, line: lineNo, code: 'bad-cell-reference', value: row.badReference } };
      const id = cleanId(rawId);
      // An id of digits (nearly every one) is neither of the shapes checked next.
      const digits = allDigits(id);
      // Checked after cleaning too: an apostrophe does not undo what Excel already did (`'5.76E+17`).
      if (!digits && isENotation(id)) throw new ImportError('excel-ids', { file, line: lineNo, value: rawId });
      // The description row: words where the id and the time should be.
      if (wasFirst && !digits && !isIdShaped(id) && (undatedFile || !date(cellOf(cells, dateColumn)))) return DESCRIPTION_ROW;
      if (!id) return { ok: false, skipped: { file, line: lineNo, code: 'missing-order-id' } };
      if (!digits && !isIdShaped(id)) {
        ids.noteBadId(id, rawId, lineNo);
        return { ok: false, skipped: { file, line: lineNo, code: 'bad-order-id', value: id } };
      }
      ids.noteId(id, digits);

      let created: DateParts | null = null;
      if (!undatedFile) {
        const written = cellOf(cells, dateColumn);
        if (columns.created === undefined && written === '') return { ok: false, skipped: { file, line: lineNo, code: 'undatable' } };
        created = createdDate(written);
        if (!created) return { ok: false, skipped: { file, line: lineNo, code: columns.created === undefined ? 'bad-paid-time' : 'bad-created-time', value: written } };
      }

      // Values no table knows are rare: the record of them is made only when one turns up.
      let unknown: OrderState['unknown'] = null;
      const statusText = cellOf(cells, columns.status);
      const substatusText = cellOf(cells, columns.substatus);
      const kind = status(statusText);
      const subkind = substatus(substatusText);
      // The status decides; the substatus only where the status is blank or unknown.
      const where = kind ?? subkind ?? null;
      const typeText = cellOf(cells, columns.cancelType);
      const type = line(typeText);
      const fulfilmentText = cellOf(cells, columns.fulfillment);
      const byTikTok = fbt(fulfilmentText);
      const amountText = cellOf(cells, columns.amount);
      const amount = amountText === '' ? null : plainMoney(amountText) ?? money(amountText);
      // Unlike text that is no amount (shown below), a number beyond any real order would wreck the sums it joined.
      if (amount === OUT_OF_RANGE) return { ok: false, skipped: { file, line: lineNo, code: 'amount-out-of-range', value: shownValue(amountText) } };
      // A paid time is a date: `-` or `N/A` in the cell is no payment (and is shown), not a paid order.
      const paidText = cellOf(cells, columns.paid);
      const paid = paidText !== '' && (columns.created === undefined || paidDate(paidText) !== null);
      const paidUnknown = paidText !== '' && !paid;
      // The payment method bears only on an order without a paid time (finalize): a paid line's is never asked for.
      const paymentText = paid ? '' : cellOf(cellsOnDemand(row), plan.onDemand.paymentMethod);
      const pay = payment(paymentText);
      if (kind === undefined || subkind === undefined || type === undefined || byTikTok === undefined || pay === undefined || (amountText !== '' && !amount) || paidUnknown) {
        unknown = {};
        if (kind === undefined) unknown['Order Status'] = text(statusText);
        if (subkind === undefined) unknown['Order Substatus'] = text(substatusText);
        if (type === undefined) unknown['Cancelation/Return Type'] = text(typeText);
        if (byTikTok === undefined) unknown['Fulfillment Type'] = text(fulfilmentText);
        if (pay === undefined) unknown['Payment Method'] = text(paymentText);
        // An amount no reading makes sense of is shown, not dropped: the lost amount would be understated.
        if (amountText !== '' && !amount) unknown['Order Amount'] = text(amountText);
        if (paidUnknown) unknown['Paid Time'] = text(paidText);
      }

      const isCancel = type === 'cancel';
      const reason = text(cellOf(cells, columns.cancelReason));
      const cancelBy = text(cellOf(cells, columns.cancelBy));
      const state: OrderState = {
        id, attempt, line: lineNo, created,
        paid,
        statusCancelled: where === 'cancelled',
        statusUnpaid: where === 'unpaid',
        statusPlaced: where !== null && where !== 'unpaid' && where !== 'cancelled',
        cod: pay === 'cod',
        lines: 1,
        cancelLines: isCancel ? 1 : 0,
        cancelBy, reason,
        fromCancelLine: isCancel && (reason !== '' || cancelBy !== ''),
        fbt: byTikTok === true,
        sample: yes(cellOf(cells, columns.sample)),
        amount,
        unknown,
        items: hasProducts ? [{
          skuId: skuIdOf(text(cellOf(cells, columns.skuId))),
          sellerSku: text(cellOf(cells, columns.sellerSku)) || null,
          product: text(cellOf(cells, columns.productName)) || null,
          variation: text(cellOf(cells, columns.variation)) || null,
          quantity: quantityOf(cellOf(cells, columns.quantity)),
          cancelled: isCancel,
        }] : [],
      };
      return { ok: true, state };
    },
    ids,
  };
}

/** A row's cell in column `i` of the kept cells, trimmed; blank where the file has no such column. */
function cellOf(cells: readonly string[], i: number | undefined): string {
  if (i === undefined) return '';
  const cell = cells[i] ?? '';
  // Most cells begin and end in a printable ASCII character, which is no space of any kind: nothing to trim.
  const first = cell.charCodeAt(0);
  const last = cell.charCodeAt(cell.length - 1);
  return cell === '' || (first > 32 && first < 127 && last > 32 && last < 127) ? cell : cell.trim();
}

/**
 * A SKU ID as written, or null when missing or turned into a float by a spreadsheet
 * (`1.72936E+18` names no SKU: its last digits are gone).
 */
function skuIdOf(value: string): string | null {
  if (value === '' || /e\+?\d+$/i.test(value)) return null;
  return value;
}

/** Quantity of a line: a whole number of at least one; anything else counts as one unit. */
function quantityOf(value: string): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}
