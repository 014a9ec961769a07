import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayOrderOfZone, DateStyleVote, parseDateParts, resolveDate } from '../../src/core/ingest/dates.js';
import { fulfilledByTikTok, initiatorOf, lineKind, parseMoney, paymentKind, statusKind } from '../../src/core/ingest/values.js';

describe('localized values', () => {
  it('reads order status in every language seen', () => {
    for (const s of ['Cancelled', 'Canceled', 'CANCELLED', '已取消', 'Đã hủy', 'ยกเลิกแล้ว', 'Dibatalkan']) expect(statusKind(s)).toBe('cancelled');
    for (const s of ['Unpaid', '待付款']) expect(statusKind(s)).toBe('unpaid');
    expect(['Completed', '已完成', '已发货', '待发货', '已送达', 'Shipped'].map(statusKind)).toEqual(['completed', 'completed', 'shipped', 'to_ship', 'delivered', 'shipped']);
    expect(statusKind('')).toBeNull();
    // Read by its cues since issue 28 (see value-cues.test.ts); a status no value means stays unknown.
    expect(statusKind('Entregue ao comprador')).toBe('delivered');
    expect(statusKind('Devolvido')).toBeUndefined();
  });

  it('reads who cancelled', () => {
    expect(['User', 'Buyer', '买家'].map(initiatorOf)).toEqual(['buyer', 'buyer', 'buyer']);
    expect(['Seller', '卖家', 'SELLER'].map(initiatorOf)).toEqual(['seller', 'seller', 'seller']);
    expect(['System', '系统'].map(initiatorOf)).toEqual(['system', 'system']);
    expect(['Operator', '平台', 'OPERATOR'].map(initiatorOf)).toEqual(['platform', 'platform', 'platform']);
    expect(['', 'Someone'].map(initiatorOf)).toEqual(['unknown', undefined]);
  });

  it('tells cancel lines from returns', () => {
    expect(['Cancel', '取消', 'Cancelación'].map(lineKind)).toEqual(['cancel', 'cancel', 'cancel']);
    expect(['Return/Refund', '退货退款', '', 'Exchange'].map(lineKind)).toEqual(['return', 'return', 'none', undefined]);
  });

  it('recognises fulfilment by TikTok', () => {
    expect(['Fulfillment by TikTok', 'FULFILLMENT_BY_TIKTOK', '平台履约'].map(fulfilledByTikTok)).toEqual([true, true, true]);
    expect(['Fulfillment by seller', '', 'Drop shipping'].map(fulfilledByTikTok)).toEqual([false, false, undefined]);
  });

  it('tells cash on delivery from prepaid methods, and knows when it cannot', () => {
    expect(['Cash on delivery', 'COD', '货到付款', 'Bayar di Tempat', 'Thanh toán khi nhận hàng', 'เก็บเงินปลายทาง', 'Pago contra entrega', 'Cash on Delivery (COD)'].map(paymentKind))
      .toEqual(Array(8).fill('cod'));
    expect(['Credit card', 'GCash', 'PayPal', 'QR code payment'].map(paymentKind)).toEqual(['prepaid', 'prepaid', 'prepaid', undefined]);
    expect(paymentKind('')).toBe('none');
  });

  it('reads money with currency prefixes, symbols and decimal commas', () => {
    expect(parseMoney('BRL 35,91')).toEqual({ cents: 3591, currency: 'BRL' });
    expect(parseMoney('THB 100')).toEqual({ cents: 10000, currency: 'THB' });
    expect(parseMoney('$1,234.56')).toEqual({ cents: 123456, currency: 'USD' });
    expect(parseMoney('1.234,56 EUR')).toEqual({ cents: 123456, currency: 'EUR' });
    expect(parseMoney('Rp 150.000,00')).toEqual({ cents: 15000000, currency: 'IDR' });
    expect(parseMoney('35.91')).toEqual({ cents: 3591, currency: null });
    expect(parseMoney('1,234')).toEqual({ cents: 123400, currency: null });
    expect(parseMoney('')).toBeNull();
    expect(parseMoney('free')).toBeNull();
  });

  it('reads dots before groups of three digits as thousands, as Indonesian and Vietnamese sellers write them', () => {
    expect(parseMoney('Rp 150.000')).toEqual({ cents: 15000000, currency: 'IDR' });
    expect(parseMoney('₫150.000')).toEqual({ cents: 15000000, currency: 'VND' });
    expect(parseMoney('150.000₫')).toEqual({ cents: 15000000, currency: 'VND' });
    expect(parseMoney('1.234.567')).toEqual({ cents: 123456700, currency: null });
    expect(parseMoney('IDR 1.234.567')).toEqual({ cents: 123456700, currency: 'IDR' });
    expect(parseMoney('VND 150,000')).toEqual({ cents: 15000000, currency: 'VND' });
    expect(parseMoney('₩12,000')).toEqual({ cents: 1200000, currency: 'KRW' });
    // Cents stay cents; a currency without minor units has no decimal comma.
    expect(parseMoney('RM 35.90')).toEqual({ cents: 3590, currency: 'MYR' });
    expect(parseMoney('IDR 150,5')).toBeNull();
    expect(parseMoney('1.2.3')).toBeNull();
  });

  it('reads plain amounts on their short path exactly as the pattern and the number parser read them', () => {
    // From a trillion up (a hundred trillion hundredths) no order is that large: neither path gives an amount.
    const byPattern = (t: string) => {
      if (!/^\d+(\.\d{1,2})?$/.test(t.trim())) return undefined;
      const cents = Math.round(Number(t.trim()) * 100);
      return cents < 1e14 ? { cents, currency: null } : null;
    };
    fc.assert(fc.property(fc.stringMatching(/^ ?[0-9]{1,13}(\.[0-9]{0,3})? ?$/), (text) => {
      const expected = byPattern(text);
      if (expected !== undefined) expect(parseMoney(text)).toEqual(expected);
    }), { numRuns: 5000 });
    for (const text of ['0', '00', '007.50', '35.9', '35.91', '999999999.99', '123456789012', '999999999999.99', '1000000000000', '1234567890123.45']) expect(parseMoney(text), text).toEqual(byPattern(text));
    // Not plain: the longer path decides.
    expect(parseMoney('1.234')).toEqual({ cents: 123400, currency: null });
    expect(parseMoney('1.')).toBeNull();
    expect(parseMoney('١٢')).toBeNull();
  });
});

describe('dates', () => {
  it('read Seller Center’s own shape by hand exactly as the pattern reads it, odd cells included', () => {
    // A leading space makes the cell 20 characters long, so it takes the pattern (which trims).
    const byPattern = (t: string) => parseDateParts(` ${t}`);
    const shaped = fc.tuple(...[2, 2, 4, 2, 2, 2].map((n) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`))))
      .map(([d, m, y, h, mi, s]) => `${d}/${m}/${y} ${h}:${mi}:${s}`);
    const near = fc.string({ unit: fc.constantFrom(...'0123456789/ :.-x'), minLength: 19, maxLength: 19 });
    fc.assert(fc.property(fc.oneof(shaped, near), (t) => {
      expect(parseDateParts(t)).toEqual(byPattern(t));
    }), { numRuns: 3000 });
    expect(parseDateParts('25/10/2026 14:03:09')).toEqual({ year: 2026, first: 25, second: 10, seconds: 50589, isoOrder: false, meridiem: false });
    expect(parseDateParts('31/02/2026 14:03:09')).toBeNull();
    expect(parseDateParts('25/10/2026 24:03:09')).toBeNull();
  });

  it('write an order time digit by digit as the date and time parts say', () => {
    const pad = (n: number) => String(n).padStart(2, '0');
    fc.assert(fc.property(fc.integer({ min: 2000, max: 2100 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.nat(86_399), fc.boolean(),
      (year, month, day, seconds, dayFirst) => {
        const parts = { year, first: dayFirst ? day : month, second: dayFirst ? month : day, seconds, isoOrder: false, meridiem: false };
        const clock = `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
        expect(resolveDate(parts, dayFirst ? 'dmy' : 'mdy')).toBe(`${year}-${pad(month)}-${pad(day)}T${clock}`);
      }), { numRuns: 3000 });
  });

  const voteWith = (hint: 'dmy' | 'mdy' | null, ...texts: string[]) => {
    const v = new DateStyleVote();
    texts.forEach((t, i) => { const p = parseDateParts(t); if (p) v.observe(p, i + 2); });
    return v.decide(hint);
  };
  const vote = (...texts: string[]) => voteWith(null, ...texts);

  it('reads both export styles, ISO and Excel serial numbers', () => {
    const dmy = parseDateParts('25/10/2026 14:03:09');
    expect(dmy && resolveDate(dmy, 'dmy')).toBe('2026-10-25T14:03:09');
    const us = parseDateParts('10/25/2026 2:03:09 PM');
    expect(us && resolveDate(us, 'mdy')).toBe('2026-10-25T14:03:09');
    const midnight = parseDateParts('10/25/2026 12:00:00 AM');
    expect(midnight && resolveDate(midnight, 'mdy')).toBe('2026-10-25T00:00:00');
    const iso = parseDateParts('2026-10-25 14:03:09');
    expect(iso && resolveDate(iso, 'mdy')).toBe('2026-10-25T14:03:09');
    const serial = parseDateParts('46320.5');
    expect(serial && resolveDate(serial, 'dmy')).toBe('2026-10-25T12:00:00');
  });

  it('rejects what is no date', () => {
    for (const t of ['', 'soon', '32/13/2026 10:00:00', '10/25/2026 13:00:00 PM', '2026-02-30 10:00:00', '12']) expect(parseDateParts(t)).toBeNull();
  });

  it('settles day/month order per file, not per row', () => {
    expect(vote('03/04/2026 10:00:00', '25/04/2026 10:00:00')).toEqual({ ok: true, order: 'dmy', assumed: false });
    expect(vote('03/04/2026 10:00:00', '04/25/2026 10:00:00')).toEqual({ ok: true, order: 'mdy', assumed: false });
    expect(vote('3/4/2026 10:00:00 AM')).toEqual({ ok: true, order: 'mdy', assumed: false });
    // No field above 12: the one that takes more values is the day.
    expect(vote('01/11/2026 10:00:00', '02/11/2026 10:00:00', '03/11/2026 10:00:00')).toEqual({ ok: true, order: 'dmy', assumed: false });
    expect(vote('11/01/2026 10:00:00', '11/02/2026 10:00:00', '11/03/2026 10:00:00')).toEqual({ ok: true, order: 'mdy', assumed: false });
    expect(vote('25/04/2026 10:00:00', '04/25/2026 10:00:00')).toEqual({ ok: false, conflict: [2, 3] });
  });

  it('a single day whose fields are both 12 or less is read as the shop zone writes dates, and said to be assumed', () => {
    // Excel's US re-save of a one-day file: 24-hour clock, no AM/PM, March 5th.
    expect(vote('3/5/2026 17:00', '3/5/2026 18:30')).toEqual({ ok: false, conflict: null });
    expect(voteWith('mdy', '3/5/2026 17:00', '3/5/2026 18:30')).toEqual({ ok: true, order: 'mdy', assumed: true });
    expect(voteWith('dmy', '3/5/2026 17:00')).toEqual({ ok: true, order: 'dmy', assumed: true });
    // The dates decide whenever they can, whatever the hint.
    expect(voteWith('mdy', '01/11/2026 10:00:00', '02/11/2026 10:00:00')).toEqual({ ok: true, order: 'dmy', assumed: false });
    expect(voteWith('mdy', '2026-03-05 17:00:00')).toEqual({ ok: true, order: 'dmy', assumed: false });
    expect(dayOrderOfZone('America/Los_Angeles')).toBe('mdy');
    expect(dayOrderOfZone('Asia/Jakarta')).toBe('dmy');
  });
});
