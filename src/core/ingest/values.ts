import type { Initiator } from '../reasons/categories.js';
import { normalizeText } from '../reasons/classify.js';

/**
 * Seller Center writes values in the seller's UI language. These tables turn each language's
 * word into one meaning; they are keyed by normalized text, like the reason table.
 */
function lookup<T>(entries: ReadonlyArray<readonly [T, readonly string[]]>): ReadonlyMap<string, T> {
  return new Map(entries.flatMap(([value, words]) => words.map((w) => [normalizeText(w), value] as const)));
}

export type StatusKind = 'cancelled' | 'unpaid' | 'open';

const STATUS = lookup<StatusKind>([
  ['cancelled', ['Cancelled', 'Canceled', 'Cancellation', 'CANCELLED', '已取消', '取消', 'Đã hủy', 'Đã huỷ',
    'ยกเลิกแล้ว', 'ยกเลิก', 'Dibatalkan', 'Cancelado', 'Cancelada']],
  ['unpaid', ['Unpaid', 'UNPAID', 'Awaiting payment', '待付款', '未付款', 'Chờ thanh toán', 'Belum dibayar',
    'รอชำระเงิน']],
]);

export function statusKind(value: string): StatusKind {
  return STATUS.get(normalizeText(value)) ?? 'open';
}

const INITIATOR = lookup<Initiator>([
  ['buyer', ['User', 'Buyer', 'Customer', 'BUYER', '买家', '用户', 'Người mua', 'Pembeli', 'ผู้ซื้อ']],
  ['seller', ['Seller', 'SELLER', '卖家', '商家', 'Người bán', 'Penjual', 'ผู้ขาย']],
  ['system', ['System', 'SYSTEM', '系统', 'Hệ thống', 'Sistem', 'ระบบ']],
  ['platform', ['Operator', 'OPERATOR', 'Platform', 'TikTok', '平台', '运营', 'Nền tảng', 'Platform TikTok', 'แพลตฟอร์ม']],
]);

/** `Cancel By` (export) or `cancellation_initiator`/`cancel_user` (API) → who cancelled. */
export function initiatorOf(value: string): Initiator {
  if (!value) return 'unknown';
  return INITIATOR.get(normalizeText(value)) ?? 'unknown';
}

const CANCEL_LINE = new Set(['Cancel', 'Cancellation', 'Cancelled', '取消', 'Hủy', 'Huỷ', 'Pembatalan', 'ยกเลิก'].map(normalizeText));

/** `Cancelation/Return Type`: true for a cancel line, false for returns and blanks. */
export function isCancelLine(value: string): boolean {
  return value !== '' && CANCEL_LINE.has(normalizeText(value));
}

/** Fulfillment Type naming TikTok (or 平台履约, "fulfilled by the platform") means FBT. */
export function isFulfilledByTikTok(value: string): boolean {
  if (!value) return false;
  const v = normalizeText(value);
  return v.includes('tiktok') || v.includes('平台履约') || v === 'fbt';
}

const YES = new Set(['yes', 'y', 'true', '1', '是', 'có', 'ya', 'ใช่'].map(normalizeText));
export function isYes(value: string): boolean {
  return YES.has(normalizeText(value));
}

/**
 * Money: `BRL 35,91`, `THB 100`, `$1,234.56`, `1.234,56`, `35.91`. Returns hundredths, so sums
 * stay exact, and the currency the cell names (or a symbol implies), else null.
 */
export interface Money { cents: number; currency: string | null }

const SYMBOLS: ReadonlyArray<readonly [string, string]> = [
  ['S$', 'SGD'], ['RM', 'MYR'], ['Rp', 'IDR'], ['R$', 'BRL'], ['US$', 'USD'], ['$', 'USD'], ['฿', 'THB'],
  ['₫', 'VND'], ['₱', 'PHP'], ['£', 'GBP'], ['€', 'EUR'], ['¥', 'CNY'], ['￥', 'CNY'], ['₩', 'KRW'],
];

const PLAIN_AMOUNT = /^\d+(\.\d{1,2})?$/;

export function parseMoney(raw: string): Money | null {
  let text = raw.trim();
  if (!text) return null;
  if (PLAIN_AMOUNT.test(text)) return { cents: Math.round(Number(text) * 100), currency: null };
  let currency: string | null = null;
  const code = /^([A-Z]{3})\s*|\s*([A-Z]{3})$/.exec(text);
  if (code) {
    currency = code[1] ?? code[2] ?? null;
    text = text.slice(0, code.index) + text.slice(code.index + code[0].length);
  } else {
    for (const [symbol, iso] of SYMBOLS) {
      if (text.startsWith(symbol)) { currency = iso; text = text.slice(symbol.length); break; }
    }
  }
  text = text.trim().replace(/\s/g, '');
  if (!/^-?[\d.,]+$/.test(text)) return null;
  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  let normalized: string;
  if (lastDot >= 0 && lastComma >= 0) {
    // Both present: whichever comes last is the decimal mark.
    normalized = lastComma > lastDot ? text.replace(/\./g, '').replace(',', '.') : text.replace(/,/g, '');
  } else if (lastComma >= 0) {
    // A lone comma with one or two digits after it is a decimal comma (`35,91`); with three, thousands.
    const decimals = text.length - lastComma - 1;
    normalized = decimals > 0 && decimals <= 2 && text.indexOf(',') === lastComma ? text.replace(',', '.') : text.replace(/,/g, '');
  } else {
    normalized = text;
  }
  const value = Number(normalized);
  if (!Number.isFinite(value)) return null;
  return { cents: Math.round(value * 100), currency };
}
