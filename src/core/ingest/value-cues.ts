import type { Initiator } from '../reasons/categories.js';
import type { CueRule, Language } from '../reasons/cues.js';

/**
 * Cues for the values other than reasons, the same way reasons have them (reasons/cues.ts):
 * per value and language, the words that carry its meaning, so that a paraphrase or variant the
 * tables of values.ts do not hold ("Cancelado pelo comprador", "Đã hủy đơn", "Awaiting pickup",
 * "Pihak pembeli") still finds its value. A value is taken only when the cues of exactly one
 * value match; two or none leave the text unknown, listed under `unrecognised`, never a guess.
 *
 * A rule matches when each of its groups has a term in the text and none of its `none` terms
 * is there; a word ending in `*` matches any word it begins. Terms are folded like the text:
 * case, width, Latin accents ("đã hủy" also matches "da huy"), punctuation and spacing; Chinese,
 * Japanese and Thai terms match anywhere. The rules of all languages are pooled: the language of
 * a cell is not known.
 *
 * What a wrong reading would cost decides how careful a rule is. A status read as `cancelled`,
 * a line read as a cancel line, or a `Cancel By` read as `seller` changes a rate: such rules stay
 * off words of a request, a pending step, a refusal, a part, or a negation ("Cancellation
 * requested" is an order still open; "Partially cancelled" is not cancelled as a whole; "Not
 * delivered" is not delivered). The property test in test/core/value-cues.test.ts checks that no
 * value's cues claim a phrase of another value in the tables or the corpus (test/fixtures/values/).
 *
 * Sources of the wording: TikTok Shop Seller University's order-status pages (EN/ZH: Processing,
 * Pending shipping, Shipped, Completed, Canceled, "Requested cancellation", "Return/refund
 * requested"; 未支付, 待发货, 待揽收, 已发货, 运输中, 已送达, 已完成, 已取消, 已申请取消), the VN
 * Seller Center (Chưa thanh toán, Cần vận chuyển, Chờ vận chuyển, Chờ thu gom; "Yêu cầu hủy đơn
 * (Chờ phản hồi)"), ID order lists (Belum Dibayar, Menunggu Pembayaran, Siap Dikirim, Sedang
 * Dikirim, Pesanan Selesai, Dibatalkan, "Dibatalkan Seller", "Waktu Pembayaran Habis"), the
 * Partner API's enums (UNPAID … CANCELLED, BUYER/SELLER/SYSTEM/OPERATOR) and sellers' tools'
 * status constants; the other languages from those markets' Seller Center labels as far as we
 * know them (not yet checked against a real export: a word they miss is listed, never guessed).
 */

const any = (...terms: string[]): CueRule => ({ all: [terms] });
const anyBut = (none: readonly string[], ...terms: string[]): CueRule => ({ all: [terms], none });
const both = (first: readonly string[], second: readonly string[], none?: readonly string[]): CueRule => ({ all: [first, second], ...(none ? { none } : {}) });

export type CuedStatus = 'unpaid' | 'on_hold' | 'to_ship' | 'shipped' | 'delivered' | 'completed' | 'cancelled';

/**
 * Words of a step not taken (yet): a request, something pending or in progress, a refusal, a
 * failure, a part, a negation. A cancellation so qualified is not one; in any language.
 */
const NOT_DONE = [
  'request*', 'pending', 'await*', 'waiting', 'apply*', 'applied', 'processing', 'in progress', 'review*', 'reject*', 'declin*', 'denied', 'not', 'fail*',
  'cancelling', 'canceling', 'partial*', 'part',
  '申请', '请求', '待', '取消中', '审核', '拒绝', '失败', '未取消', '部分', '申請', '審核', '拒絕',
  'yêu cầu', 'chờ', 'đang hủy', 'đang huỷ', 'từ chối', 'không', 'một phần', 'chưa',
  'permintaan', 'pengajuan', 'diajukan', 'menunggu', 'ditolak', 'gagal', 'proses', 'sebagian', 'belum', 'tidak', 'permohonan', 'sebahagian',
  'คำขอ', 'ขอยกเลิก', 'รอ', 'ปฏิเสธ', 'กำลัง', 'ไม่', 'บางส่วน',
  'hiling', 'humiling', 'hinihintay', 'naghihintay', 'tinanggihan', 'hindi', 'bahagya',
  'solicit*', 'pendiente*', 'esperando', 'rechazad*', 'en proceso', 'no', 'parcial*', 'pendente*', 'aguardando', 'recusad*', 'em andamento', 'nao',
  'angefragt', 'beantragt', 'anfrage', 'ausstehend', 'abgelehnt', 'nicht', 'wird', 'teilweise', 'teil*',
  'demand*', 'en attente', 'en cours', 'refus*', 'pas', 'non', 'partiel*',
  'richiest*', 'in attesa', 'in corso', 'rifiutat*', 'parzial*',
  'キャンセル中', '申請', 'リクエスト', '待ち', '拒否', '一部', '未',
];

/** A negation or "not yet" in each language: "Not delivered", "Chưa giao", "Belum diterima", "ยังไม่ได้รับ". */
const NEGATION = ['partial*', 'parcial*', 'teilweise', 'partiel*', 'parzial*', '部分', '一部', 'một phần', 'sebagian', 'sebahagian', 'บางส่วน', 'not', 'un*', 'never', 'chưa', 'không', 'belum', 'tidak', 'tak', 'ไม่', 'hindi', 'di pa', 'no', 'nao', 'nicht', 'kein*', 'pas', 'non', '未', '没', '不', 'ない', 'fail*', 'gagal', 'falh*', 'fallid*', 'echou*', 'echec', 'fallit*', 'fehlgeschlagen', 'thất bại', 'ล้มเหลว', '失败', '失敗'];

/** Payment words: a status naming the payment is about the payment, not the parcel or a hold. */
const PAYMENT = ['pay*', 'paid', '付款', '支付', 'thanh toán', 'trả tiền', 'bayar*', 'dibayar', 'pembayaran', 'membayar', 'ชำระ', 'จ่าย', 'bayad', 'pagbabayad', 'nabayaran',
  'pago*', 'pagar', 'pagad*', 'pagament*', 'zahlung*', 'bezahl*', 'gezahlt', 'paiement*', 'paye*', 'pagat*', '支払', '入金', '決済'];
/** Shipping words: a status naming the parcel is about shipping, not a hold. */
const SHIPPING = ['ship*', 'dispatch*', 'collect*', 'pickup', 'pick up', 'transit', 'deliver*', '发货', '揽收', '出库', '配送', '运输', '送达', 'vận chuyển', 'gửi hàng', 'lấy hàng', 'thu gom', 'giao',
  'dikirim', 'kirim', 'pengiriman', 'penjemputan', 'dihantar', 'penghantaran', 'จัดส่ง', 'เข้ารับ', 'padala', 'ipadala', 'envi*', 'despach*', 'recoleccion', 'coleta', 'entreg*',
  'versand*', 'versend*', 'abholung', 'zustell*', 'expedi*', 'livr*', 'collecte', 'spedi*', 'ritiro', 'consegn*', '発送', '出荷', '集荷', '配達'];
/** Words of the after-sales flows: a status naming them is about a cancel or a return, not a hold. */
const AFTER_SALES = ['cancel*', 'return*', 'refund*', '取消', '退货', '退款', 'hủy', 'huỷ', 'hoàn tiền', 'trả hàng', 'batal*', 'dibatalkan', 'pembatalan', 'pengembalian', 'ยกเลิก', 'คืน',
  'kansel*', 'anul*', 'devoluc*', 'devolu*', 'reembolso*', 'storn*', 'ruckgabe', 'erstattung', 'annul*', 'rembours*', 'retour', 'annull*', 'reso', 'rimborso', 'キャンセル', '返品', '返金'];

/**
 * A shipment not made yet, in any language: the rules of all languages are pooled, so one word
 * ("enviado") is kept off "No enviado" only if every rule holding it is.
 */
const NOT_YET_SHIPPED = ['not', 'unshipped', 'never', 'await*', 'pending', 'ready', 'to be', 'to ship', 'partial*', 'fail*', 'chưa', 'chờ giao', 'chờ vận chuyển', 'thất bại',
  'belum', 'perlu', 'siap', 'menunggu', 'untuk', 'akan', 'gagal', 'ยังไม่', 'รอ', 'ไม่', 'hindi', 'naghihintay', 'no', 'sin', 'por', 'pendiente*', 'listo*', 'parcial*', 'nao',
  'a enviar', 'para enviar', 'pendente*', 'aguardando', 'nicht', 'noch', 'bereit', 'warten', 'teilweise', 'non', 'pas', 'a expedier', 'en attente', 'pret*', 'partiel*',
  'da spedire', 'in attesa', 'pronto', 'parzial*', '未', '待', '部分', '待ち', '準備', '一部'];

type Cues<K extends string> = Record<K, Partial<Record<Language, readonly CueRule[]>>>;

/** The same rules, each also kept off `none` words: "Payment received" is no delivery, "Payment collected" no shipment. */
function without(none: readonly string[], byLanguage: Partial<Record<Language, readonly CueRule[]>>): Partial<Record<Language, readonly CueRule[]>> {
  return Object.fromEntries(Object.entries(byLanguage).map(([language, rules]) => [language, (rules ?? []).map((rule) => ({ ...rule, none: [...(rule.none ?? []), ...none] }))]));
}

const STATUS_RULES: Cues<CuedStatus> = {
  unpaid: {
    en: [any('unpaid', 'not paid', 'not yet paid', 'nonpayment', 'non payment', 'to pay'), both(['pay*'], ['await*', 'pending', 'waiting', 'wait', 'due', 'required'], ['cancel*', 'expired', 'overdue', 'review*', 'verif*'])],
    zh: [anyBut(['取消', '超时', '已付款', '已支付'], '未支付', '未付款', '待付款', '待支付', '等待付款', '等待支付', '等待买家付款', '未付', '待买家付款', '未付款項', '待付款項')],
    // Vietnamese folded without its marks merges words (chờ "wait" and cho "for"): waiting is matched as a phrase.
    vi: [anyBut(['hủy', 'huỷ', 'quá hạn', 'hết hạn'], 'chưa thanh toán', 'chờ thanh toán', 'đợi thanh toán', 'chưa trả tiền', 'chờ trả tiền', 'chưa được thanh toán')],
    id: [both(['bayar', 'dibayar', 'pembayaran', 'membayar', 'lunas'], ['belum', 'menunggu', 'tunggu'], ['batal*', 'dibatalkan', 'habis', 'kedaluwarsa', 'kadaluarsa'])],
    ms: [both(['bayar', 'dibayar', 'pembayaran', 'bayaran', 'membayar'], ['belum', 'menunggu', 'tunggu', 'tidak'], ['batal*', 'dibatalkan', 'tamat'])],
    th: [anyBut(['ยกเลิก', 'หมดเวลา', 'เกินกำหนด'], 'ยังไม่ชำระ', 'ยังไม่ได้ชำระ', 'รอชำระ', 'รอการชำระ', 'ยังไม่จ่าย', 'รอจ่าย', 'รอการจ่าย', 'ค้างชำระ')],
    fil: [both(['bayad', 'nabayaran', 'nababayaran', 'binabayaran', 'pagbabayad', 'bayaran'], ['hindi pa', 'di pa', 'naghihintay', 'hinihintay'], ['kansel*', 'cancel*'])],
    es: [any('impago', 'impagado', 'sin pagar', 'por pagar', 'no pagado', 'no pagada'), both(['pago', 'pagar'], ['pendiente*', 'esperando', 'espera', 'aguardando'], ['cancel*', 'vencid*', 'expirad*'])],
    pt: [any('nao pago', 'nao paga', 'sem pagamento', 'a pagar'), both(['pagamento', 'pagar'], ['pendente*', 'aguardando', 'espera', 'aguarda'], ['cancel*', 'vencid*', 'expirad*'])],
    de: [any('unbezahlt', 'nicht bezahlt', 'noch nicht bezahlt', 'offene zahlung', 'ausstehende zahlung'), both(['zahlung', 'bezahlung'], ['ausstehend', 'warten', 'wartet', 'offen'], ['storn*', 'abgelaufen'])],
    fr: [any('impaye*', 'non paye*', 'pas paye*', 'pas encore paye*', 'a payer'), both(['paiement'], ['en attente', 'attente', 'attend*'], ['annul*', 'expire*'])],
    it: [any('non pagato', 'non pagata', 'da pagare'), both(['pagamento'], ['in attesa', 'attesa', 'sospeso'], ['annull*', 'scadut*'])],
    ja: [anyBut(['キャンセル', '期限切れ'], '未払', '支払い待ち', '支払待ち', '未入金', '入金待ち', '未決済', '決済待ち', '支払い前')],
  },
  on_hold: {
    en: [anyBut([...PAYMENT, ...SHIPPING, ...AFTER_SALES], 'on hold', 'onhold', 'hold', 'held', 'processing', 'being processed', 'under review', 'in review')],
    zh: [anyBut([...PAYMENT, ...SHIPPING, ...AFTER_SALES], '处理中', '待处理', '保留', '暂停', '审核中', '待审核', '处理')],
    vi: [anyBut([...PAYMENT, ...SHIPPING, ...AFTER_SALES], 'đang xử lý', 'chờ xử lý', 'tạm giữ', 'đang giữ', 'tạm hoãn')],
    id: [anyBut([...PAYMENT, ...SHIPPING, ...AFTER_SALES], 'ditahan', 'diproses', 'sedang diproses', 'ditangguhkan', 'dalam proses')],
    ms: [anyBut([...PAYMENT, ...SHIPPING, ...AFTER_SALES], 'ditahan', 'sedang diproses', 'diproses', 'dalam proses', 'ditangguhkan')],
    th: [anyBut([...PAYMENT, ...SHIPPING, ...AFTER_SALES], 'ระงับ', 'กำลังดำเนินการ', 'รอดำเนินการ', 'พักไว้', 'กำลังตรวจสอบ')],
    fil: [anyBut([...PAYMENT, ...SHIPPING, ...AFTER_SALES], 'pinoproseso', 'ipinoproseso', 'naka hold', 'nakahold', 'nakabinbin')],
    es: [anyBut([...PAYMENT, ...SHIPPING, ...AFTER_SALES], 'en espera', 'procesando', 'en proceso', 'en revision', 'retenido', 'retenida')],
    pt: [anyBut([...PAYMENT, ...SHIPPING, ...AFTER_SALES], 'em espera', 'processando', 'em processamento', 'em analise', 'retido', 'retida')],
    de: [anyBut([...PAYMENT, ...SHIPPING, ...AFTER_SALES], 'in bearbeitung', 'zuruckgehalten', 'angehalten', 'wird bearbeitet', 'in prufung')],
    fr: [anyBut([...PAYMENT, ...SHIPPING, ...AFTER_SALES], 'en attente', 'en cours de traitement', 'en traitement', 'en suspens')],
    it: [anyBut([...PAYMENT, ...SHIPPING, ...AFTER_SALES], 'in sospeso', 'in elaborazione', 'in lavorazione', 'trattenuto', 'in attesa')],
    ja: [anyBut([...PAYMENT, ...SHIPPING, ...AFTER_SALES], '保留', '処理中', '審査中', '確認中')],
  },
  to_ship: {
    en: [
      any('to ship', 'to be shipped', 'to dispatch', 'to be dispatched', 'unshipped', 'not shipped', 'not yet shipped', 'to pack', 'to collect', 'to be collected', 'ready for pickup', 'ready for pick up', 'ready for collection'),
      both(['ship*', 'dispatch*', 'collect*', 'pickup', 'pick up', 'fulfil*', 'fulfill*'], ['await*', 'pending', 'waiting', 'ready', 'partial*'], ['cancel*', 'return*', 'refund*', 'pay*', 'deliver*']),
    ],
    zh: [anyBut(['取消', '退'], '待发货', '待揽收', '待出库', '待打包', '待寄出', '未发货', '部分发货', '等待发货', '等待揽收', '备货中', '待处理发货', '待出货', '待發貨', '未發貨')],
    vi: [anyBut(['hủy', 'huỷ', 'trả', 'thanh toán', 'thất bại', 'nhận'], 'chờ vận chuyển', 'chờ gửi', 'chờ lấy hàng', 'chờ thu gom', 'chờ đóng gói', 'chờ bàn giao', 'chờ giao', 'đợi giao', 'đợi gửi', 'đợi lấy hàng',
      'đợi đóng gói', 'cần vận chuyển', 'cần gửi', 'cần giao', 'chưa gửi', 'chưa giao', 'chưa vận chuyển', 'chưa bàn giao', 'sẵn sàng giao', 'sẵn sàng gửi', 'chuẩn bị hàng', 'chuẩn bị giao', 'đang chuẩn bị')],
    id: [both(['dikirim', 'kirim', 'pengiriman', 'penjemputan', 'pickup', 'dikemas', 'diambil', 'kurir'], ['perlu', 'siap', 'menunggu', 'tunggu', 'belum', 'akan', 'untuk'], ['batal*', 'dibatalkan', 'bayar*', 'dibayar', 'pembayaran', 'diterima', 'gagal'])],
    ms: [both(['dihantar', 'penghantaran', 'hantar', 'pengambilan', 'diambil'], ['untuk', 'perlu', 'menunggu', 'tunggu', 'belum', 'sedia', 'akan'], ['batal*', 'dibatalkan', 'bayar*', 'dibayar', 'pembayaran', 'diterima', 'gagal'])],
    th: [anyBut(['ยกเลิก', 'คืน', 'สำเร็จ'], 'ที่ต้องจัดส่ง', 'ต้องจัดส่ง', 'รอจัดส่ง', 'รอการจัดส่ง', 'ยังไม่จัดส่ง', 'ยังไม่ได้จัดส่ง', 'รอเข้ารับ', 'รอส่ง', 'เตรียมจัดส่ง', 'เตรียมสินค้า', 'รอแพ็ค', 'พร้อมจัดส่ง')],
    fil: [both(['ipapadala', 'ipadala', 'naipadala', 'pagpapadala', 'padala'], ['naghihintay', 'hinihintay', 'hindi pa', 'para', 'handa', 'ihahanda'], ['kansel*', 'cancel*', 'bayad']), any('ipapadala pa')],
    es: [both(['envio', 'enviar', 'despacho', 'despachar', 'recoleccion', 'recogida', 'recolectar'], ['por', 'pendiente*', 'esperando', 'espera', 'listo*', 'lista', 'preparando', 'preparacion', 'a'], ['cancel*', 'devol*', 'pago', 'pagar']),
      any('no enviado', 'sin enviar', 'en preparacion')],
    pt: [both(['envio', 'enviar', 'despacho', 'coleta', 'coletar'], ['a', 'para', 'pendente*', 'aguardando', 'aguarda', 'espera', 'pronto*', 'pronta', 'preparando', 'preparacao'], ['cancel*', 'devol*', 'pagamento']),
      any('nao enviado', 'em preparacao')],
    de: [any('zu versenden', 'versandbereit', 'noch nicht versandt', 'noch nicht versendet', 'nicht versandt', 'nicht versendet', 'unversandt'),
      both(['versand', 'abholung', 'versendung'], ['warten', 'wartet', 'ausstehend', 'bereit', 'bevorstehend'], ['storn*', 'ruck*', 'zahlung'])],
    fr: [any('a expedier', 'a envoyer', 'non expedie*', 'pas encore expedie*', 'pret a expedier', 'prete a expedier', 'en preparation'),
      both(['expedition', 'collecte', 'enlevement', 'envoi'], ['en attente', 'attente', 'attend*'], ['annul*', 'retour', 'paiement'])],
    it: [any('da spedire', 'non spedito', 'non spedita', 'pronto per la spedizione', 'pronto per il ritiro', 'in preparazione'),
      both(['spedizione', 'ritiro', 'invio'], ['in attesa', 'attesa', 'pronto', 'pronta'], ['annull*', 'reso', 'pagamento'])],
    ja: [anyBut(['キャンセル', '返品'], '発送待ち', '未発送', '集荷待ち', '出荷待ち', '発送準備中', '出荷準備中', '発送前', '出荷前', '一部発送')],
  },
  shipped: {
    en: [anyBut(['not', 'un*', 'await*', 'pending', 'ready', 'to be', 'to ship', 'partial*', 'cancel*', 'return*', 'fail*'],
      'shipped', 'in transit', 'on the way', 'out for delivery', 'dispatched', 'in delivery', 'being delivered', 'delivering', 'being shipped', 'shipping', 'sent', 'picked up', 'collected')],
    zh: [anyBut(['未', '待', '部分', '取消', '退'], '已发货', '运输中', '配送中', '派送中', '已寄出', '已出库', '已揽收', '运送中', '在途', '已發貨', '運輸中', '派件中')],
    vi: [anyBut(['chờ giao', 'chờ vận chuyển', 'chưa', 'cần', 'hủy', 'huỷ', 'trả', 'thất bại', 'thành công'], 'đã vận chuyển', 'đang vận chuyển', 'đang giao', 'đã gửi hàng', 'đã gửi', 'đang trên đường', 'đã bàn giao', 'đang giao hàng', 'đã lấy hàng', 'giao cho đơn vị vận chuyển', 'đã giao cho đvvc')],
    id: [anyBut(['perlu', 'siap', 'belum', 'menunggu', 'akan', 'batal*', 'dibatalkan', 'gagal', 'diterima', 'sampai'], 'dikirim', 'sedang dikirim', 'dalam pengiriman', 'sudah dikirim', 'telah dikirim', 'dalam perjalanan', 'sedang diantar', 'dalam transit')],
    ms: [anyBut(['untuk', 'perlu', 'belum', 'menunggu', 'batal*', 'gagal', 'diterima', 'telah', 'berjaya'], 'sedang dihantar', 'dalam penghantaran', 'dalam transit', 'dalam perjalanan', 'sudah dihantar')],
    th: [anyBut(['ยังไม่', 'รอ', 'ต้องจัดส่ง', 'ยกเลิก', 'สำเร็จ', 'ถึง', 'ไม่'], 'จัดส่งแล้ว', 'อยู่ระหว่างจัดส่ง', 'อยู่ระหว่างการจัดส่ง', 'กำลังจัดส่ง', 'อยู่ระหว่างขนส่ง', 'กำลังขนส่ง', 'ส่งแล้ว', 'ส่งออกแล้ว')],
    fil: [anyBut(['hindi', 'naghihintay', 'kansel*'], 'naipadala', 'ipinadala', 'nasa biyahe', 'papunta na', 'nasa daan', 'padala na')],
    es: [anyBut(['no', 'sin', 'por', 'pendiente*', 'listo*', 'cancel*', 'devol*', 'parcial*'], 'enviado', 'enviada', 'en transito', 'en camino', 'despachado', 'despachada', 'en reparto')],
    pt: [anyBut(['nao', 'a enviar', 'para enviar', 'pendente*', 'aguardando', 'cancel*', 'devol*', 'parcial*'], 'enviado', 'enviada', 'em transito', 'a caminho', 'despachado', 'despachada', 'saiu para entrega', 'em rota')],
    de: [anyBut(['nicht', 'noch', 'zu', 'bereit', 'warten', 'storn*', 'teilweise', 'ruck*'], 'versandt', 'versendet', 'verschickt', 'unterwegs', 'in zustellung', 'in lieferung', 'auf dem weg', 'wird zugestellt')],
    fr: [anyBut(['non', 'pas', 'a expedier', 'en attente', 'pret*', 'annul*', 'partiel*', 'retour'], 'expedie*', 'en transit', 'en cours de livraison', 'en route', 'envoye*', 'en cours d acheminement')],
    it: [anyBut(['non', 'da', 'in attesa', 'pronto', 'annull*', 'parzial*', 'reso'], 'spedito', 'spedita', 'spediti', 'in transito', 'in consegna', 'in viaggio')],
    ja: [anyBut(['未', '待ち', '準備', 'キャンセル', '返品', '一部'], '発送済', '配送中', '輸送中', '出荷済', '配達中', '発送完了', '出荷完了')],
  },
  delivered: {
    en: [anyBut(NEGATION, 'delivered', 'receipt confirmed', 'received by buyer', 'received by customer', 'buyer received', 'customer received', 'delivery successful', 'delivery completed')],
    zh: [anyBut(NEGATION, '已送达', '已签收', '已妥投', '送达', '签收', '已收货', '已到达', '妥投', '已簽收', '已送達')],
    vi: [anyBut([...NEGATION, 'đang', 'vận chuyển', 'đvvc', 'shipper'], 'đã giao', 'giao hàng thành công', 'giao thành công', 'đã nhận hàng', 'đã nhận được hàng')],
    id: [anyBut(NEGATION, 'terkirim', 'diterima', 'sudah sampai', 'telah sampai', 'sampai tujuan', 'berhasil dikirim', 'berhasil diantar')],
    ms: [anyBut(NEGATION, 'telah dihantar', 'diterima', 'berjaya dihantar', 'sudah sampai', 'telah sampai')],
    th: [anyBut(NEGATION, 'จัดส่งสำเร็จ', 'ส่งถึงแล้ว', 'ได้รับสินค้าแล้ว', 'ได้รับแล้ว', 'ส่งสำเร็จ', 'จัดส่งถึงแล้ว', 'ได้รับพัสดุแล้ว')],
    fil: [anyBut(NEGATION, 'naihatid', 'natanggap', 'dumating na')],
    es: [anyBut([...NEGATION, 'sin'], 'entregado', 'entregada', 'recibido', 'recibida')],
    pt: [anyBut([...NEGATION, 'sem'], 'entregue', 'recebido', 'recebida')],
    de: [anyBut(NEGATION, 'zugestellt', 'geliefert', 'ausgeliefert', 'erhalten', 'empfangen')],
    fr: [anyBut([...NEGATION, 'en cours'], 'livre', 'livree', 'livres', 'livrees', 'recu', 'recue', 'reception confirmee')],
    it: [anyBut(NEGATION, 'consegnato', 'consegnata', 'consegnati', 'ricevuto', 'ricevuta')],
    ja: [anyBut(NEGATION, '配達済', '配達完了', '受取済', '受け取り済', '配送済', '受領済', 'お届け済', '配達された')],
  },
  completed: {
    en: [anyBut([...NEGATION, 'cancel*', 'return*', 'refund*', 'pay*', 'ship*', 'deliver*'], 'completed', 'complete', 'finished', 'done')],
    zh: [anyBut([...NEGATION, '取消', '退', '付款', '支付', '发货', '送达'], '已完成', '完成', '交易成功', '交易完成', '已结束', '已完結')],
    vi: [anyBut([...NEGATION, 'hủy', 'huỷ', 'trả hàng', 'hoàn tiền', 'giao', 'thanh toán'], 'hoàn thành', 'hoàn tất', 'đã xong')],
    id: [anyBut([...NEGATION, 'batal*', 'dibatalkan', 'pengembalian', 'bayar*', 'pembayaran', 'dikirim', 'pengiriman'], 'selesai', 'tuntas')],
    ms: [anyBut([...NEGATION, 'batal*', 'dibatalkan', 'pemulangan', 'bayar*', 'pembayaran', 'dihantar', 'penghantaran'], 'selesai', 'lengkap')],
    th: [anyBut([...NEGATION, 'ยกเลิก', 'คืน', 'ชำระ', 'จัดส่ง', 'ส่ง'], 'เสร็จสมบูรณ์', 'เสร็จสิ้น', 'สำเร็จแล้ว', 'คำสั่งซื้อสำเร็จ', 'สำเร็จ')],
    fil: [anyBut([...NEGATION, 'kansel*', 'cancel*', 'bayad', 'padala'], 'kumpleto', 'nakumpleto', 'tapos na', 'natapos')],
    es: [anyBut([...NEGATION, 'cancel*', 'devol*', 'reembolso*', 'pago', 'envio', 'entrega'], 'completado', 'completada', 'finalizado', 'finalizada', 'terminado', 'terminada', 'concluido', 'concluida')],
    pt: [anyBut([...NEGATION, 'cancel*', 'devol*', 'reembolso*', 'pagamento', 'envio', 'entrega'], 'concluido', 'concluida', 'finalizado', 'finalizada', 'completo', 'completado', 'completada')],
    de: [anyBut([...NEGATION, 'storn*', 'ruck*', 'erstattung', 'zahlung', 'versand', 'lieferung', 'zustellung'], 'abgeschlossen', 'erledigt', 'fertig')],
    fr: [anyBut([...NEGATION, 'annul*', 'retour', 'rembours*', 'paiement', 'expedition', 'livraison'], 'termine', 'terminee', 'complete', 'completee', 'finalise*', 'acheve*')],
    it: [anyBut([...NEGATION, 'annull*', 'reso', 'rimborso', 'pagamento', 'spedizione', 'consegna'], 'completato', 'completata', 'concluso', 'conclusa', 'terminato', 'terminata')],
    ja: [anyBut([...NEGATION, 'キャンセル', '返品', '返金', '発送', '出荷', '配達', '配送', '支払', '入金', '受取', '受け取り'], '完了', '取引成立', '取引済')],
  },
  cancelled: {
    en: [anyBut(NOT_DONE, 'cancel*', 'voided')],
    zh: [anyBut(NOT_DONE, '已取消', '取消', '已關閉取消', '已撤销')],
    vi: [anyBut(NOT_DONE, 'đã hủy', 'đã huỷ', 'hủy', 'huỷ', 'bị hủy', 'bị huỷ')],
    id: [anyBut(NOT_DONE, 'dibatalkan', 'batal', 'pembatalan', 'sudah dibatalkan', 'telah dibatalkan')],
    ms: [anyBut(NOT_DONE, 'dibatalkan', 'batal', 'pembatalan', 'telah dibatalkan')],
    th: [anyBut(NOT_DONE, 'ยกเลิก')],
    fil: [anyBut(NOT_DONE, 'kinansela', 'nakansela', 'kanselado', 'kanselada', 'na kansela')],
    es: [anyBut(NOT_DONE, 'cancelado', 'cancelada', 'anulado', 'anulada')],
    pt: [anyBut(NOT_DONE, 'cancelado', 'cancelada', 'anulado', 'anulada')],
    de: [anyBut(NOT_DONE, 'storniert', 'annulliert', 'abgebrochen', 'storno')],
    fr: [anyBut(NOT_DONE, 'annule', 'annulee', 'annules', 'annulees')],
    it: [anyBut(NOT_DONE, 'annullato', 'annullata', 'annullati', 'cancellato', 'cancellata')],
    ja: [anyBut(NOT_DONE, 'キャンセル', '取消', '取り消し', '取り消')],
  },
};

export const STATUS_CUES: Cues<CuedStatus> = {
  ...STATUS_RULES,
  shipped: without([...PAYMENT, ...NOT_YET_SHIPPED], STATUS_RULES.shipped),
  delivered: without(PAYMENT, STATUS_RULES.delivered),
};

export type CuedInitiator = Exclude<Initiator, 'unknown'>;

/**
 * A person who answers buyers' questions is neither the buyer nor, by the word alone, TikTok:
 * "Customer service", "Atención al cliente", "ฝ่ายบริการลูกค้า" and 客服 are left to a person.
 */
const CUSTOMER_SERVICE = ['service*', 'support*', 'care', 'cs', 'helpdesk', '客服', '客户服务', '顾客服务', '客服务', 'chăm sóc', 'cskh', 'hỗ trợ', 'layanan', 'khidmat', 'บริการ',
  'servicio', 'atencion', 'soporte', 'servico', 'atendimento', 'suporte', 'kundenservice', 'kundendienst', 'kundensupport', 'assistenza', 'servizio', 'サポート', 'サービス', '窓口'];

export const INITIATOR_CUES: Cues<CuedInitiator> = {
  buyer: {
    en: [anyBut(CUSTOMER_SERVICE, 'buyer*', 'user', 'users', 'customer', 'customers', 'shopper*', 'purchaser*', 'consumer*')],
    zh: [anyBut(CUSTOMER_SERVICE, '买家', '買家', '用户', '用戶', '顾客', '顧客', '客户', '客戶', '消费者', '消費者', '买方', '買方')],
    vi: [anyBut(CUSTOMER_SERVICE, 'người mua', 'khách hàng', 'khách', 'người dùng')],
    id: [anyBut(CUSTOMER_SERVICE, 'pembeli', 'pelanggan', 'pengguna', 'konsumen')],
    ms: [anyBut(CUSTOMER_SERVICE, 'pembeli', 'pelanggan', 'pengguna')],
    th: [anyBut(CUSTOMER_SERVICE, 'ผู้ซื้อ', 'ลูกค้า', 'ผู้ใช้')],
    fil: [anyBut(CUSTOMER_SERVICE, 'mamimili', 'bumibili', 'kostumer', 'parokyano')],
    es: [anyBut(CUSTOMER_SERVICE, 'comprador', 'compradora', 'compradores', 'cliente', 'clientes', 'usuario', 'usuaria')],
    pt: [anyBut(CUSTOMER_SERVICE, 'comprador', 'compradora', 'compradores', 'cliente', 'clientes', 'usuario', 'usuaria', 'consumidor*')],
    de: [anyBut(CUSTOMER_SERVICE, 'kaufer', 'kauferin', 'kunde', 'kunden', 'kundin', 'nutzer*', 'benutzer*')],
    fr: [anyBut(CUSTOMER_SERVICE, 'acheteur*', 'acheteuse*', 'client', 'cliente', 'clients', 'utilisateur*', 'utilisatrice*')],
    it: [anyBut(CUSTOMER_SERVICE, 'acquirente', 'acquirenti', 'compratore', 'cliente', 'clienti', 'utente')],
    ja: [anyBut(CUSTOMER_SERVICE, '購入者', 'お客様', '顧客', 'バイヤー', '買い手', '注文者', 'ユーザー')],
  },
  seller: {
    en: [any('seller*', 'merchant*', 'vendor*', 'retailer*', 'shop owner'), anyBut(['tiktok'], 'shop', 'store')],
    zh: [any('卖家', '賣家', '商家', '店铺', '店鋪', '卖方', '賣方', '商户', '商戶', '店家', '店主')],
    vi: [any('người bán', 'nhà bán hàng', 'nhà bán', 'cửa hàng', 'người bán hàng', 'chủ shop')],
    id: [any('penjual', 'toko', 'pedagang', 'pemilik toko')],
    ms: [any('penjual', 'kedai', 'peniaga')],
    th: [any('ผู้ขาย', 'ร้านค้า', 'แม่ค้า', 'พ่อค้า', 'ทางร้าน')],
    fil: [any('nagbebenta', 'tindahan', 'nagtitinda', 'tindera', 'tindero')],
    es: [any('vendedor', 'vendedora', 'vendedores', 'tienda', 'comerciante')],
    pt: [any('vendedor', 'vendedora', 'vendedores', 'loja', 'lojista')],
    de: [any('verkaufer', 'verkauferin', 'handler', 'handlerin', 'verkaufende*')],
    fr: [any('vendeur*', 'vendeuse*', 'boutique', 'marchand*', 'commercant*')],
    it: [any('venditore', 'venditrice', 'venditori', 'negozio', 'commerciante')],
    ja: [anyBut(['tiktok'], '販売者', 'セラー', '出品者', 'ショップ', '店舗', '売り手', '販売店', '出店者')],
  },
  system: {
    en: [any('system*', 'automatic*', 'automated', 'auto')],
    zh: [any('系统', '系統', '自动', '自動')],
    vi: [any('hệ thống', 'tự động')],
    id: [any('sistem', 'otomatis')],
    ms: [any('sistem', 'automatik')],
    th: [any('ระบบ', 'อัตโนมัติ')],
    fil: [any('sistema', 'awtomatiko', 'awtomatik')],
    es: [any('sistema', 'automatico', 'automatica', 'automaticamente')],
    pt: [any('sistema', 'automatico', 'automatica', 'automaticamente')],
    de: [any('system', 'automatisch*')],
    fr: [any('systeme', 'automatique*')],
    it: [any('sistema', 'automatico', 'automatica', 'automaticamente')],
    ja: [any('システム', '自動')],
  },
  platform: {
    en: [any('operator*', 'platform*', 'tiktok', 'moderator*')],
    zh: [any('平台', '运营', '運營', '官方', '营运', '營運')],
    vi: [any('nền tảng', 'nhà vận hành', 'quản trị viên', 'ban quản trị')],
    id: [any('platform', 'operator', 'pengelola platform')],
    ms: [any('platform', 'pengendali', 'operator')],
    th: [any('แพลตฟอร์ม', 'ติ๊กต็อก', 'ติ๊กต๊อก', 'เจ้าหน้าที่')],
    fil: [any('plataporma', 'operator')],
    es: [any('plataforma', 'operador', 'operadora')],
    pt: [any('plataforma', 'operador', 'operadora')],
    de: [any('plattform*', 'betreiber*')],
    fr: [any('plateforme', 'operateur*', 'operatrice')],
    it: [any('piattaforma', 'operatore', 'operatori')],
    ja: [any('プラットフォーム', '運営', 'オペレーター', 'ティックトック')],
  },
};

export type CuedLineKind = 'cancel' | 'return';

export const LINE_KIND_CUES: Cues<CuedLineKind> = {
  cancel: {
    en: [anyBut(NOT_DONE, 'cancel*')],
    zh: [anyBut(NOT_DONE, '取消')],
    vi: [anyBut(NOT_DONE, 'hủy', 'huỷ')],
    id: [anyBut(NOT_DONE, 'batal', 'pembatalan', 'dibatalkan')],
    ms: [anyBut(NOT_DONE, 'batal', 'pembatalan', 'dibatalkan')],
    th: [anyBut(NOT_DONE, 'ยกเลิก')],
    fil: [anyBut(NOT_DONE, 'pagkansela', 'kanselasyon', 'kansela*')],
    es: [anyBut(NOT_DONE, 'cancelacion', 'cancelar', 'cancelado', 'cancelada', 'anulacion', 'anulado')],
    pt: [anyBut(NOT_DONE, 'cancelamento', 'cancelar', 'cancelado', 'cancelada', 'anulacao')],
    de: [anyBut(NOT_DONE, 'stornierung', 'storno', 'storniert', 'stornieren', 'annullierung')],
    fr: [anyBut(NOT_DONE, 'annulation', 'annuler', 'annule', 'annulee')],
    it: [anyBut(NOT_DONE, 'annullamento', 'annullato', 'annullata', 'cancellazione')],
    ja: [anyBut(NOT_DONE, 'キャンセル', '取消', '取り消し')],
  },
  return: {
    en: [any('return*', 'refund*', 'rma')],
    zh: [any('退货', '退款', '退回', '退貨', '仅退款', '退换')],
    vi: [any('trả hàng', 'hoàn tiền', 'trả lại', 'hoàn hàng', 'hoàn trả')],
    id: [any('pengembalian', 'retur', 'dana kembali', 'pengembalian dana', 'refund')],
    ms: [any('pemulangan', 'bayaran balik', 'pulangan', 'pengembalian', 'pulang balik')],
    th: [any('คืนสินค้า', 'คืนเงิน', 'ส่งคืน', 'การคืน')],
    fil: [any('ibalik', 'ibinalik', 'isauli', 'pagbabalik', 'refund')],
    es: [any('devolucion*', 'reembolso*', 'devolver', 'reintegro')],
    pt: [any('devolucao', 'devolucoes', 'reembolso*', 'devolver', 'estorno')],
    de: [any('ruckgabe', 'erstattung', 'ruckerstattung', 'retoure*', 'rucksendung')],
    fr: [any('retour*', 'rembourse*')],
    it: [any('reso', 'resi', 'rimborso', 'rimborsi', 'restituzione')],
    ja: [any('返品', '返金', '返送', '払い戻し')],
  },
};
