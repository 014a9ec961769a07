import type { Initiator } from '../reasons/categories.js';
import { normalizeText } from '../reasons/classify.js';
import type { CueRule, Language } from '../reasons/cues.js';
import { compileCues, matchingKeys, supportedByPart } from '../reasons/match.js';
import { UNSPACED, wordsOf, type Words } from '../reasons/words.js';
import { INITIATOR_CUES, LINE_KIND_CUES, STATUS_CUES } from './value-cues.js';

/**
 * Seller Center writes values in the seller's UI language. These tables turn each language's
 * word into one meaning; they are keyed by normalized text, like the reason table. What no table
 * holds is read by its cues (value-cues.ts), the way reasons are: a value is taken only where
 * the cues of exactly one value match. A value neither knows (no cue, or cues of two values) is
 * never given a meaning by default: each reader returns `undefined` for it, and the import counts
 * it per column (see `unrecognised` in the report).
 *
 * Where the words come from, per language:
 * - EN, ZH: Seller Center's order list and "All orders" export (Seller University's "order
 *   status" pages in English and Chinese: 未支付/待发货/待揽收/已发货/运输中/已送达/已完成/已取消;
 *   Processing/Pending shipping/Shipped/Completed/Canceled), public importers' column and value
 *   constants (Return/Refund, Cancel), and the Partner API's enum names (UNPAID … CANCELLED,
 *   FULFILLMENT_BY_TIKTOK, SELLER/BUYER/SYSTEM/OPERATOR).
 * - VI: Seller University VN (Chưa thanh toán, Cần vận chuyển, Chờ vận chuyển, Chờ thu gom; COD
 *   policy page "Thanh toán khi nhận hàng"); ID: TikTok Shop by Tokopedia's Seller Center course
 *   on Manage Orders and Seller Center ID labels (Belum dibayar, Perlu dikirim, Dibatalkan).
 * - TH, MS, FIL, ES (MX), PT (BR), DE, FR, IT, JA: the Seller Center UI labels of those markets
 *   for the same statuses and roles. These have not yet been checked against a real export of
 *   each market; a word they miss is read by its cues or shows up as unrecognised, never as a default.
 */
type Table<T> = ReadonlyArray<readonly [T, readonly string[]]>;

function lookup<T>(entries: Table<T>): ReadonlyMap<string, T> {
  return new Map(entries.flatMap(([value, words]) => words.map((w) => [normalizeText(w), value] as const)));
}

/** How a value's text was read: by the table, by the cues of exactly one value, or not at all (`value` undefined). */
export interface ValueReading<T> {
  value: T | undefined;
  source: 'table' | 'cues' | 'none';
}

/**
 * Latin letters or digits written against Chinese, Japanese or Thai ("TikTokショップ", "TikTok平台"):
 * a space between them, so the Latin word is a word of its own for the cues.
 */
const SCRIPT_SEAM = /(?<=[\p{Script=Latin}\p{Nd}])(?=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}])|(?<=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}])(?=[\p{Script=Latin}\p{Nd}])/gu;

/** A value's text as its cues read it (see reasons/words.ts), with Latin words cut from unspaced scripts. */
function valueWords(text: string): Words {
  return wordsOf(UNSPACED.test(text) ? text.replace(SCRIPT_SEAM, ' ') : text);
}

/** Distinct value texts a reader keeps; when full it starts again (as the reason cache does). */
const KNOWN_TEXTS = 16_384;

/** The reader of one column's values: the table, then the cues; each distinct raw text read once. */
export interface ValueReader<T extends string> {
  read(text: string): ValueReading<T>;
  /** The values whose cues match a text (for the tests that check no value's cues claim another's phrases). */
  cueValues(text: string): T[];
  /** The value the table gives a text, ignoring the cues. */
  tableValue(text: string): T | undefined;
  /** The table the reader was built from. */
  table: Table<T>;
}

function valueReader<T extends string>(table: Table<T>, cues: Readonly<Record<T, Partial<Record<Language, readonly CueRule[]>>>>): ValueReader<T> {
  const byKey = lookup(table);
  // Compiled when a value first misses the table: most files never need the cues, and compiling them all took a small report's start-up 40 ms.
  let compiled: ReturnType<typeof compileCues<T>> | null = null;
  const byText = new Map<string, ValueReading<T>>();
  const cueValues = (text: string) => matchingKeys((compiled ??= compileCues<T>(cues)), valueWords(text));
  const cueValue = (text: string): T | undefined => {
    const matched = cueValues(text);
    return matched.length === 1 ? matched[0] : undefined;
  };
  const readOnce = (text: string): ValueReading<T> => {
    const fromTable = byKey.get(normalizeText(text));
    if (fromTable !== undefined) return { value: fromTable, source: 'table' };
    const only = cueValue(text);
    // Cues of two values, or of none, or words of two joined values making a third: unknown, never a guess.
    return only !== undefined && supportedByPart(text, only, (part) => byKey.get(normalizeText(part)) ?? cueValue(part)) ? { value: only, source: 'cues' } : NOT_READ;
  };
  return {
    read(text) {
      let reading = byText.get(text);
      if (reading === undefined) {
        reading = readOnce(text);
        if (byText.size >= KNOWN_TEXTS) byText.clear();
        byText.set(text, reading);
      }
      return reading;
    },
    cueValues,
    tableValue: (text) => byKey.get(normalizeText(text)),
    table,
  };
}

const NOT_READ: ValueReading<never> = Object.freeze({ value: undefined, source: 'none' });

/** Where an order stands. `on_hold` is the paid order's first hour, when the buyer may still cancel. */
export type StatusKind = 'unpaid' | 'on_hold' | 'to_ship' | 'shipped' | 'delivered' | 'completed' | 'cancelled';

const STATUS_TABLE: Table<StatusKind> = [
  ['unpaid', [
    'Unpaid', 'UNPAID', 'Awaiting payment', 'Pending payment', 'Pending', 'Not paid',
    '未支付', '待付款', '未付款', '待支付', '等待付款',
    'Chưa thanh toán', 'Chờ thanh toán', 'Belum dibayar', 'Menunggu pembayaran', 'Belum bayar',
    'ยังไม่ชำระเงิน', 'รอการชำระเงิน', 'รอชำระเงิน', 'Hindi pa bayad', 'Naghihintay ng bayad',
    'No pagado', 'Pendiente de pago', 'Esperando pago', 'Não pago', 'Aguardando pagamento', 'Pagamento pendente',
    'Unbezahlt', 'Nicht bezahlt', 'Zahlung ausstehend', 'Non payé', 'Non payée', 'En attente de paiement',
    'Non pagato', 'In attesa di pagamento', '未払い', '支払い待ち', '未入金',
  ]],
  ['on_hold', [
    'On hold', 'ON_HOLD', 'Processing', '处理中', '待处理', 'Đang xử lý', 'Ditahan', 'Diproses', 'Sedang diproses',
    'ระงับไว้', 'กำลังดำเนินการ', 'Pinoproseso', 'En espera', 'Procesando', 'Em espera', 'Processando',
    'In Bearbeitung', 'Zurückgehalten', 'En attente', 'En cours de traitement', 'In sospeso', 'In elaborazione', '保留中', '処理中',
  ]],
  ['to_ship', [
    'To ship', 'Awaiting shipment', 'AWAITING_SHIPMENT', 'Pending shipping', 'Ready to ship', 'Awaiting collection',
    'AWAITING_COLLECTION', 'Partially shipping', 'PARTIALLY_SHIPPING', 'Partially shipped',
    '待发货', '待处理发货', '待揽收', '部分发货', '待出库',
    'Cần vận chuyển', 'Chờ vận chuyển', 'Chờ giao hàng', 'Chờ thu gom', 'Chờ lấy hàng',
    'Perlu dikirim', 'Siap dikirim', 'Menunggu pengiriman', 'Menunggu penjemputan', 'Menunggu diambil',
    'Untuk dihantar', 'Menunggu penghantaran', 'Menunggu pengambilan',
    'ที่ต้องจัดส่ง', 'รอจัดส่ง', 'รอการจัดส่ง', 'รอเข้ารับพัสดุ', 'Ipapadala', 'Naghihintay ng pagpapadala',
    'Por enviar', 'Pendiente de envío', 'Esperando envío', 'Esperando recolección', 'Pendiente de recolección',
    'A enviar', 'Aguardando envio', 'Aguardando coleta', 'Zu versenden', 'Versandbereit', 'Warten auf Versand',
    'Warten auf Abholung', 'À expédier', "En attente d'expédition", 'En attente de collecte',
    'Da spedire', 'In attesa di spedizione', 'In attesa di ritiro', '発送待ち', '未発送', '集荷待ち',
  ]],
  ['shipped', [
    'Shipped', 'In transit', 'IN_TRANSIT', '已发货', '运输中', '配送中',
    'Đã vận chuyển', 'Đang vận chuyển', 'Đang giao', 'Đang giao hàng', 'Đã gửi hàng',
    'Dikirim', 'Dalam pengiriman', 'Sedang dikirim', 'Dihantar', 'Dalam transit', 'Sedang dihantar',
    'จัดส่งแล้ว', 'อยู่ระหว่างจัดส่ง', 'กำลังจัดส่ง', 'Naipadala na', 'Ipinadala', 'Nasa biyahe',
    'Enviado', 'En tránsito', 'Em trânsito', 'Versandt', 'Versendet', 'Unterwegs', 'Expédié', 'Expédiée', 'En transit',
    'Spedito', 'In transito', '発送済み', '配送中',
  ]],
  ['delivered', [
    'Delivered', 'DELIVERED', '已送达', '已签收', 'Đã giao', 'Đã giao hàng', 'Terkirim', 'Telah diterima', 'Sudah diterima',
    'Telah dihantar', 'Diterima', 'จัดส่งสำเร็จ', 'ส่งถึงแล้ว', 'Naihatid na', 'Naihatid', 'Entregado', 'Entregue',
    'Zugestellt', 'Livré', 'Livrée', 'Consegnato', '配達済み', '配達完了',
  ]],
  ['completed', [
    'Completed', 'COMPLETED', '已完成', '交易完成', 'Đã hoàn thành', 'Hoàn thành', 'Selesai', 'เสร็จสมบูรณ์', 'สำเร็จแล้ว',
    'Kumpleto', 'Nakumpleto', 'Completado', 'Completada', 'Concluído', 'Finalizado', 'Abgeschlossen', 'Terminé', 'Terminée',
    'Completato', '完了', '取引完了',
  ]],
  ['cancelled', [
    'Cancelled', 'Canceled', 'CANCELLED', 'Cancellation', '已取消', '取消', 'Đã hủy', 'Đã huỷ', 'ยกเลิกแล้ว', 'ยกเลิก',
    'Dibatalkan', 'Batal', 'Kinansela', 'Nakansela', 'Cancelado', 'Cancelada', 'Storniert', 'Annulé', 'Annulée',
    'Annullato', 'キャンセル済み', 'キャンセル',
  ]],
];

/** Order Status and Order Substatus values: the table, then the cues. */
export const STATUS = valueReader(STATUS_TABLE, STATUS_CUES);

/** Order Status or Order Substatus → where the order stands; blank → null; unknown → undefined. */
export function statusKind(value: string): StatusKind | null | undefined {
  if (!value) return null;
  return STATUS.read(value).value;
}

const INITIATOR_TABLE: Table<Exclude<Initiator, 'unknown'>> = [
  ['buyer', [
    'User', 'Buyer', 'Customer', 'BUYER', '买家', '用户', '顾客', 'Người mua', 'Khách hàng', 'Pembeli', 'ผู้ซื้อ', 'Mamimili',
    'Comprador', 'Compradora', 'Cliente', 'Käufer', 'Kunde', 'Acheteur', 'Client', 'Acquirente', '購入者', 'お客様', 'バイヤー',
  ]],
  ['seller', [
    'Seller', 'SELLER', '卖家', '商家', 'Người bán', 'Penjual', 'ผู้ขาย', 'Nagbebenta', 'Vendedor', 'Vendedora',
    'Verkäufer', 'Händler', 'Vendeur', 'Venditore', '販売者', 'セラー', '出品者', 'ショップ',
  ]],
  ['system', ['System', 'SYSTEM', '系统', 'Hệ thống', 'Sistem', 'ระบบ', 'Sistema', 'Système', 'システム']],
  ['platform', [
    'Operator', 'OPERATOR', 'Platform', 'TikTok', 'TikTok Shop', '平台', '运营', 'Nền tảng', 'Platform TikTok', 'แพลตฟอร์ม',
    'Plataforma', 'Operador', 'Plattform', 'Betreiber', 'Plateforme', 'Opérateur', 'Piattaforma', 'Operatore',
    'プラットフォーム', '運営', 'オペレーター',
  ]],
];

/** `Cancel By` values: the table, then the cues. */
export const INITIATOR = valueReader(INITIATOR_TABLE, INITIATOR_CUES);

/**
 * `Cancel By` (export) or `cancellation_initiator`/`cancel_user` (API) → who cancelled. Blank is
 * `unknown` (nobody said); text no table knows is undefined, for the caller to surface.
 */
export function initiatorOf(value: string): Initiator | undefined {
  if (!value) return 'unknown';
  return INITIATOR.read(value).value;
}

export type LineKind = 'cancel' | 'return' | 'none';

const LINE_KIND_TABLE: Table<Exclude<LineKind, 'none'>> = [
  ['cancel', [
    'Cancel', 'Cancellation', 'Cancelled', '取消', 'Hủy', 'Huỷ', 'Hủy đơn', 'Pembatalan', 'Batal', 'ยกเลิก', 'การยกเลิก',
    'Pagkansela', 'Kanselasyon', 'Cancelación', 'Cancelar', 'Cancelamento', 'Stornierung', 'Annulation', 'Annullamento', 'キャンセル',
  ]],
  ['return', [
    'Return/Refund', 'Return', 'Refund', 'Refund only', 'Return and refund', '退货退款', '退货', '退款', '仅退款',
    'Trả hàng/Hoàn tiền', 'Trả hàng', 'Hoàn tiền', 'Pengembalian/Dana', 'Pengembalian barang/dana', 'Pengembalian Dana',
    'Pengembalian', 'Pemulangan/Bayaran balik', 'Bayaran balik', 'คืนสินค้า/คืนเงิน', 'คืนเงิน', 'Ibalik/Refund',
    'Devolución/Reembolso', 'Reembolso', 'Devolução/Reembolso', 'Rückgabe/Erstattung', 'Rückerstattung',
    'Retour/Remboursement', 'Remboursement', 'Reso/Rimborso', 'Rimborso', '返品/返金', '返金',
  ]],
];

/** `Cancelation/Return Type` values: the table, then the cues. */
export const LINE_KIND = valueReader(LINE_KIND_TABLE, LINE_KIND_CUES);

/** `Cancelation/Return Type`: a cancel line, a return, or blank (`none`); unknown → undefined. */
export function lineKind(value: string): LineKind | undefined {
  if (!value) return 'none';
  return LINE_KIND.read(value).value;
}

const SELLER_FULFILLED = new Set([
  'Fulfillment by seller', 'Fulfilled by seller', 'Fulfilment by seller', 'Seller fulfilled', 'Seller fulfillment', 'FBS',
  'FULFILLMENT_BY_SELLER', 'Seller Shipping', 'Shipped by seller', '商家自发货', '卖家自发货', '自发货', '卖家履约', '商家履约',
  'Người bán tự vận chuyển', 'Do người bán xử lý', 'Dikirim oleh penjual', 'Dipenuhi oleh penjual', 'Dihantar oleh penjual',
  'จัดส่งโดยผู้ขาย', 'Ipinadala ng nagbebenta', 'Gestionado por el vendedor', 'Envío por el vendedor', 'Enviado por el vendedor',
  'Enviado pelo vendedor', 'Vom Verkäufer versandt', 'Versand durch Verkäufer', 'Expédié par le vendeur',
  'Gestito dal venditore', 'Spedito dal venditore', '販売者発送', '出品者出荷', 'セラー発送',
].map(normalizeText));

/**
 * Fulfillment Type: true for fulfilled by TikTok (any value naming TikTok, or 平台履约), false for
 * the seller's own fulfilment or blank, undefined for a value no table knows.
 */
export function fulfilledByTikTok(value: string): boolean | undefined {
  if (!value) return false;
  const v = normalizeText(value);
  if (v.includes('tiktok') || v.includes('平台履约') || v === 'fbt') return true;
  return SELLER_FULFILLED.has(v) ? false : undefined;
}

/** Cash on delivery in each market's words (and the Partner API's payment method names). */
const COD = [
  'Cash on delivery', 'COD', 'Cash on Delivery (COD)', 'CASH_ON_DELIVERY', '货到付款', '貨到付款', 'Bayar di Tempat',
  'Bayar di tempat (COD)', 'Thanh toán khi nhận hàng', 'เก็บเงินปลายทาง', 'Tunai semasa penghantaran',
  'Bayaran semasa penghantaran', 'Bayad sa pagdating', 'Pago contra entrega', 'Pago contra reembolso', 'Pago en efectivo al recibir',
  'Pagamento na entrega', 'Nachnahme', 'Zahlung bei Lieferung', 'Paiement à la livraison', 'Contre remboursement',
  'Contrassegno', 'Pagamento alla consegna', '代金引換', '代引き',
].map(normalizeText);

/** Paid up front: cards, wallets, transfers. Matched by a word inside the text. */
const PREPAID = [
  'card', 'credit', 'debit', 'visa', 'mastercard', 'amex', 'jcb', 'paypal', 'applepay', 'googlepay', 'gcash', 'maya', 'grabpay',
  'dana', 'ovo', 'gopay', 'linkaja', 'qris', 'shopeepay', 'truemoney', 'promptpay', 'momo', 'zalopay', 'vnpay', 'touchngo',
  'kredit', 'boost', 'fpx', 'pix', 'boleto', 'oxxo', 'mercadopago', 'klarna', 'afterpay', 'paylater', 'transfer', 'virtualaccount',
  'wallet', 'balance', 'installment', 'alipay', 'wechat', 'paypay', 'konbini', 'ewallet', 'banking', 'bank',
  '信用卡', '借记卡', '支付宝', '微信', '银行', '余额', 'クレジット', 'コンビニ', '銀行', 'chuyểnkhoản', 'thẻ', 'víđiệntử',
  'บัตร', 'โอน', 'kartu', 'tarjeta', 'cartão', 'karte', 'carte', 'carta', 'virement', 'überweisung', 'bonifico',
].map(normalizeText);

export type PaymentKind = 'cod' | 'prepaid' | 'none';

/** `Non-COD`, `non COD`, `not COD`: the word COD saying the opposite. */
const NOT_COD = /\b(?:non|not|no)[\s-]*COD\b/i;

/** Payment Method: cash on delivery, paid up front, or blank (`none`); undefined when unknown. */
export function paymentKind(value: string): PaymentKind | undefined {
  if (!value) return 'none';
  const v = normalizeText(value);
  if (COD.includes(v) || COD.some((w) => w.length >= 6 && v.includes(w)) || (/\bCOD\b/i.test(value) && !NOT_COD.test(value))) return 'cod';
  if (PREPAID.some((w) => v.includes(w))) return 'prepaid';
  return undefined;
}

const YES = new Set(['yes', 'y', 'true', '1', '是', 'có', 'ya', 'ใช่', 'sí', 'sim', 'ja', 'oui', 'sì', 'oo', 'はい'].map(normalizeText));
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

/**
 * Hundredths no amount reaches: no order comes to a trillion even in dong or rupiah (₫1e12 is
 * about US$40M), and below it hundredths stay exact in a double and in PostgreSQL's bigint.
 */
const MAX_CENTS = 1e14;

/** An amount written but beyond any real order (MAX_CENTS): the row is skipped, as a bad cell is. */
export const OUT_OF_RANGE = Symbol('amount out of range');

/**
 * Hundredths of a plain amount of up to twelve characters (`35`, `35.9`, `35.91`), or -1 for
 * any other text. Most amount cells are written so, and almost every one differs from the
 * last: read by a loop, they skip the patterns and the number parser. Twelve characters stay
 * below MAX_CENTS, so this path needs no bound of its own.
 */
function plainCents(text: string): number {
  const length = text.length;
  if (length === 0 || length > 12) return -1;
  let units = 0;
  let i = 0;
  for (; i < length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    units = units * 10 + d;
  }
  if (i === 0) return -1;
  if (i === length) return units * 100;
  const decimals = length - i - 1;
  if (text.charCodeAt(i) !== 46 || decimals < 1 || decimals > 2) return -1;
  const tenths = text.charCodeAt(i + 1) - 48;
  const hundredths = decimals === 2 ? text.charCodeAt(i + 2) - 48 : 0;
  if (tenths < 0 || tenths > 9 || hundredths < 0 || hundredths > 9) return -1;
  return units * 100 + tenths * 10 + hundredths;
}
/** Currencies without minor units: a lone `.` or `,` before three digits is a thousands separator. */
const ZERO_DECIMAL = new Set(['IDR', 'VND', 'JPY', 'KRW', 'CLP', 'ISK', 'PYG', 'UGX', 'XAF', 'XOF']);
/** `1.234.567`, `150.000`: dots before groups of exactly three digits are thousands separators (Indonesian, Vietnamese, European). */
const DOT_THOUSANDS = /^-?\d{1,3}(\.\d{3})+$/;
const COMMA_THOUSANDS = /^-?\d{1,3}(,\d{3})+$/;

/** A plain amount (`35.91`; see plainCents) as money, or null for any other text. */
export function plainMoney(text: string): Money | null {
  const cents = plainCents(text);
  return cents >= 0 ? { cents, currency: null } : null;
}

/** Money, or null for text that is no amount, or OUT_OF_RANGE. */
export function readMoney(raw: string): Money | null | typeof OUT_OF_RANGE {
  const plain = plainMoney(raw);
  if (plain) return plain;
  let text = raw.trim();
  if (!text) return null;
  if (PLAIN_AMOUNT.test(text)) return bounded(Math.round(Number(text) * 100), null);
  let currency: string | null = null;
  const code = /^([A-Z]{3})\s*|\s*([A-Z]{3})$/.exec(text);
  if (code) {
    currency = code[1] ?? code[2] ?? null;
    text = text.slice(0, code.index) + text.slice(code.index + code[0].length);
  } else {
    for (const [symbol, iso] of SYMBOLS) {
      if (text.startsWith(symbol)) { currency = iso; text = text.slice(symbol.length); break; }
      if (text.endsWith(symbol)) { currency = iso; text = text.slice(0, -symbol.length); break; }
    }
  }
  text = text.trim().replace(/\s/g, '');
  if (!/^-?[\d.,]+$/.test(text)) return null;
  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  const zeroDecimal = currency !== null && ZERO_DECIMAL.has(currency);
  let normalized: string;
  if (lastDot >= 0 && lastComma >= 0) {
    // Both present: whichever comes last is the decimal mark.
    normalized = lastComma > lastDot ? text.replace(/\./g, '').replace(',', '.') : text.replace(/,/g, '');
  } else if (DOT_THOUSANDS.test(text) || COMMA_THOUSANDS.test(text)) {
    // `1.234.567`, `Rp 150.000`, `₫150,000`: thousands. A lone `1.234` or `1,234` in a currency with
    // cents is read the same way: amounts are not written to a tenth of a cent.
    normalized = text.replace(/[.,]/g, '');
  } else if (lastComma >= 0) {
    // A lone comma with one or two digits after it is a decimal comma (`35,91`).
    const decimals = text.length - lastComma - 1;
    if (!(decimals > 0 && decimals <= 2 && text.indexOf(',') === lastComma) || zeroDecimal) return null;
    normalized = text.replace(',', '.');
  } else {
    const decimals = lastDot >= 0 ? text.length - lastDot - 1 : 0;
    if (lastDot >= 0 && (decimals === 0 || decimals > 2 || text.indexOf('.') !== lastDot)) return null;
    normalized = text;
  }
  const value = Number(normalized);
  if (Number.isNaN(value)) return null;
  return bounded(Math.round(value * 100), currency);
}

/** Infinity (hundreds of digits) fails the comparison too. */
function bounded(cents: number, currency: string | null): Money | typeof OUT_OF_RANGE {
  return cents < MAX_CENTS && cents > -MAX_CENTS ? { cents, currency } : OUT_OF_RANGE;
}

/**
 * Money, or null for text that is no amount or beyond any real order: for readers with no row
 * to skip (the Partner API's orders), which keep the order without its amount.
 */
export function parseMoney(raw: string): Money | null {
  const money = readMoney(raw);
  return money === OUT_OF_RANGE ? null : money;
}
