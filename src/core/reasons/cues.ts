import type { Category } from './categories.js';

/**
 * Cues: the words that carry a reason's meaning, per category and language, so paraphrases,
 * word order, plural and tense of a reason the phrase table does not hold still find their
 * category. The classifier (classify.ts) takes a category only when the cues of exactly one
 * category match; two or none leave the text unknown (`other`), never a guess.
 *
 * A rule matches when every one of its groups has a term in the text and none of its `none`
 * terms is there. A term is one or more words; a word ending in `*` matches any word it begins
 * (`pay*`: pay, paid? no, payment, payments). Terms are folded like the text (case, width,
 * Latin accents: write them with accents for readability, "chưa thanh toán" also matches a
 * seller's "chua thanh toan"). Chinese, Japanese and Thai terms match anywhere in the text, as
 * those scripts put no spaces between words.
 *
 * Keep terms specific: a word that is common in another category's reasons (English "not",
 * Spanish "no", "delivery", "order") belongs in a group beside a term that carries the meaning,
 * never alone. The property test in test/core/reason-corpus.test.ts checks that no category's
 * cues claim a phrase of another category in the table or the corpus.
 */
export interface CueRule {
  all: ReadonlyArray<readonly string[]>;
  none?: readonly string[];
}

export const LANGUAGES = ['en', 'zh', 'vi', 'id', 'th', 'ms', 'fil', 'es', 'pt', 'de', 'fr', 'it', 'ja'] as const;
export type Language = (typeof LANGUAGES)[number];

export type CueCategory = Exclude<Category, 'other'>;

const any = (...terms: string[]): CueRule => ({ all: [terms] });
const both = (first: readonly string[], second: readonly string[], none?: readonly string[]): CueRule => ({ all: [first, second], ...(none ? { none } : {}) });
const all3 = (a: readonly string[], b: readonly string[], c: readonly string[]): CueRule => ({ all: [a, b, c] });

/** What names the payment in each language: used by `unpaid` and kept out of `order_details` mistakes. */
const PAYMENT_METHOD = ['method*', 'metode', 'kaedah', 'cara pembayaran', 'phương thức', 'paraan', 'metodo', 'forma de pago', 'forma de pagamento',
  'zahlungsart*', 'zahlungsmethode*', 'zahlungsweise', 'moyen*', 'mode de paiement', 'modalita', '支付方式', '付款方式', 'วิธี', 'ช่องทาง', '支払い方法', '支払方法', '決済方法'];
/** Paying at the door is cash on delivery, not a missed payment: such texts are left to a person. */
const ON_DELIVERY = ['deliver*', 'courier', 'parcel', 'package', 'cod', 'khi nhận hàng', 'contra entrega', 'na entrega', 'nachnahme', 'a la livraison',
  'contrassegno', 'di tempat', 'semasa penghantaran', 'ปลายทาง', '货到付款', '代金引換'];
/** A payment stopped by a risk review is a risk decision, not a buyer who did not pay. */
const RISK = ['risk*', 'fraud*', 'review*', 'suspicious*'];
/** Words that say a parcel could not be delivered to the address: a delivery failure, not a wrong address. */
const CANNOT_DELIVER = ['unable to deliver*', 'cannot deliver*', 'can not deliver*', 'could not deliver*', 'not be delivered', 'undeliver*', 'not deliver*', 'tidak dapat', 'không thể', 'no se puede', 'nao e possivel',
  'impossible', 'nicht zustellbar', 'impossibile', 'hindi maihatid', '无法配送', '无法派送', '不能配送', 'ไม่สามารถจัดส่ง', '配送できな', '配達できな'];

export const CUES: Record<CueCategory, Partial<Record<Language, readonly CueRule[]>>> = {
  out_of_stock: {
    en: [any('out of stock*', 'sold out', 'no stock*', 'insufficient stock*', 'not enough stock*', 'stock ran out', 'stock run out', 'ran out of stock*',
      'not in stock', 'stockout*', 'inventory shortage', 'insufficient inventory', 'no inventory', 'out of inventory', 'stock shortage', 'stock not enough')],
    zh: [any('缺货', '库存不足', '库存不够', '无货', '没货', '没有货', '断货', '售罄', '卖完', '没有库存', '无库存', '库存为零', '缺库存')],
    vi: [any('hết hàng', 'không đủ hàng', 'hết kho', 'tồn kho không đủ', 'không còn hàng', 'kho không đủ', 'hàng không đủ')],
    id: [any('stok habis', 'stock habis', 'kehabisan stok', 'kehabisan stock', 'stok kosong', 'barang habis', 'produk habis', 'habis stok',
      'stok tidak cukup', 'stok tidak mencukupi', 'tidak ada stok', 'stok tidak tersedia', 'stok kurang'), both(['stok', 'stock'], ['kosong', 'habis', 'kurang'])],
    th: [any('สินค้าหมด', 'หมดสต็อก', 'สต็อกหมด', 'สต๊อกหมด', 'หมดสต๊อก', 'ของหมด', 'สินค้าไม่พอ', 'สต็อกไม่พอ', 'ไม่มีสินค้าในสต็อก', 'สินค้าขาดตลาด')],
    ms: [any('tiada stok', 'kehabisan stok', 'stok tidak mencukupi', 'stok telah habis', 'barang habis')],
    fil: [any('wala nang stock', 'walang stock', 'ubos na ang stock', 'naubos ang stock', 'ubos na ang stocks', 'wala nang stocks', 'ubos ang stock')],
    es: [any('sin stock', 'agotado*', 'sin existencias', 'fuera de stock', 'stock insuficiente', 'no hay stock', 'sin inventario', 'inventario insuficiente', 'se agoto', 'existencias insuficientes')],
    pt: [any('sem estoque', 'fora de estoque', 'esgotad*', 'estoque insuficiente', 'sem stock', 'estoque esgotado', 'falta de estoque', 'acabou o estoque')],
    de: [any('nicht auf lager', 'ausverkauft', 'nicht vorratig', 'vergriffen', 'lagerbestand nicht ausreichend', 'kein lagerbestand', 'nicht mehr auf lager', 'lieferengpass')],
    fr: [any('rupture de stock', 'en rupture', 'plus en stock', 'stock insuffisant', 'epuise*', 'hors stock')],
    it: [any('esaurit*', 'fuori stock', 'scorte insufficienti', 'non disponibile in magazzino', 'non piu in magazzino', 'scorte esaurite')],
    ja: [any('在庫切れ', '在庫不足', '在庫なし', '在庫がな', '品切れ', '売り切れ', '欠品')],
  },
  pricing_error: {
    en: [both(['price*', 'pricing'], ['wrong', 'incorrect*', 'error*', 'mistake*', 'mistaken*', 'wrongly', 'erroneous']), any('mispric*', 'misprice*')],
    zh: [any('价格错误', '定价错误', '标价错误', '价格设置错误', '价格填错', '价格有误', '价格标错', '改错价', '价格设错', '标错价', '价格出错')],
    vi: [any('sai giá', 'giá sai', 'nhầm giá', 'lỗi giá', 'giá bị sai', 'đặt sai giá', 'giá không đúng', 'giá nhầm')],
    id: [both(['harga'], ['salah', 'keliru', 'tidak sesuai'], ['lebih'])],
    th: [any('ตั้งราคาผิด', 'ผิดราคา', 'ราคาผิดพลาด', 'ใส่ราคาผิด'), both(['ราคา'], ['ผิด', 'ไม่ถูกต้อง'])],
    ms: [both(['harga'], ['silap', 'tersilap', 'tidak betul', 'salah'], ['lebih'])],
    fil: [both(['presyo'], ['mali', 'maling', 'nagkamali'])],
    es: [both(['precio*'], ['incorrect*', 'equivocad*', 'error*', 'erroneo*', 'mal'], ['mejor', 'barato'])],
    pt: [both(['preco*'], ['errad*', 'incorret*', 'erro*'], ['melhor', 'barato'])],
    de: [any('preisfehler', 'falscher preis', 'falsche preis*', 'preis falsch', 'fehlerhafter preis', 'preis fehlerhaft', 'falsch ausgezeichnet')],
    fr: [both(['prix'], ['incorrect*', 'errone*', 'erreur*', 'faux', 'mauvais'], ['meilleur'])],
    it: [both(['prezzo', 'prezzi'], ['errat*', 'sbagliat*', 'errore*'], ['migliore'])],
    ja: [any('価格設定ミス', '価格の誤り', '価格誤り', '価格ミス', '誤った価格', '価格が間違', '値段の間違', '価格設定の誤り', '価格設定を誤')],
  },
  price_or_promotion: {
    en: [
      any('better price*', 'cheaper', 'lower price*', 'better deal*', 'better offer*', 'less expensive', 'coupon*', 'voucher*', 'promo code*', 'promotion*', 'discount*'),
      both(['shipping fee*', 'shipping cost*', 'shipping charge*', 'delivery fee*', 'delivery cost*', 'delivery charge*', 'postage', 'freight'], ['high*', 'expensive', 'too much', 'costly']),
    ],
    zh: [any('更优惠', '更便宜', '价格更低', '更低的价格', '优惠券', '优惠码', '折扣', '优惠未达', '运费太高', '运费过高', '运费太贵', '邮费太贵', '邮费太高', '运费贵', '忘记用券', '忘记使用优惠', '别家更便宜', '更优')],
    vi: [any('giá tốt hơn', 'giá rẻ hơn', 'rẻ hơn', 'mã giảm giá', 'khuyến mãi', 'giảm giá', 'ưu đãi'),
      both(['phí vận chuyển', 'phí ship', 'phí giao hàng', 'tiền ship'], ['cao', 'đắt', 'mắc'])],
    id: [any('harga lebih murah', 'lebih murah', 'harga lebih baik', 'harga lebih rendah', 'kupon', 'kode promo', 'diskon', 'potongan harga', 'promo'),
      both(['ongkir', 'ongkos kirim', 'biaya pengiriman', 'biaya kirim'], ['mahal', 'tinggi', 'terlalu'])],
    th: [any('ราคาถูกกว่า', 'ราคาดีกว่า', 'ถูกกว่า', 'คูปอง', 'โค้ดส่วนลด', 'ส่วนลด', 'โปรโมชั่น', 'ค่าส่งแพง', 'ค่าจัดส่งแพง', 'ค่าขนส่งแพง', 'ค่าจัดส่งสูง', 'ค่าส่งสูง')],
    ms: [any('baucar', 'diskaun', 'harga lebih rendah'), both(['kos penghantaran', 'caj penghantaran', 'yuran penghantaran'], ['tinggi', 'mahal'])],
    fil: [any('mas mura', 'mas murang', 'mas magandang presyo', 'kupon', 'diskwento'), both(['shipping', 'padala', 'delivery fee'], ['mahal', 'mataas'])],
    es: [any('mejor precio', 'precio mas bajo', 'mas barato', 'cupon*', 'descuento*', 'promocion*', 'codigo promocional'),
      both(['envio', 'costo de envio', 'gastos de envio'], ['caro', 'alto*', 'elevad*'])],
    pt: [any('melhor preco', 'preco melhor', 'mais barato', 'cupom', 'cupons', 'desconto*', 'promocao', 'codigo promocional'),
      both(['frete', 'custo de envio'], ['caro', 'alto*', 'elevad*'])],
    de: [any('besserer preis', 'besseren preis', 'gunstiger*', 'billiger*', 'gutschein*', 'rabatt*', 'rabattcode*', 'aktionscode*'),
      both(['versandkosten', 'versandgebuhr*', 'liefergebuhr*'], ['hoch', 'zu hoch', 'teuer'])],
    fr: [any('meilleur prix', 'moins cher', 'code promo', 'reduction*', 'bon de reduction'),
      both(['frais de livraison', 'frais de port', 'frais d expedition'], ['eleve*', 'cher*'])],
    it: [any('prezzo migliore', 'piu economico', 'codice sconto', 'sconto*', 'buono sconto', 'promozione*'),
      both(['spese di spedizione', 'costi di spedizione'], ['alt*', 'elevat*', 'car*'])],
    ja: [any('もっと安い', 'より安い', '安い価格', 'クーポン', '割引', '送料が高', '配送料が高', 'プロモーション', '値引き')],
  },
  late_fulfilment: {
    en: [
      both(['ship*', 'dispatch*', 'collect*', 'pick up', 'pickup', 'pick-up', 'handover', 'hand over', 'send', 'sent', 'fulfil*', 'fulfill*'],
        ['late', 'later', 'delay*', 'slow*', 'on time', 'in time', 'time out', 'timeout', 'timed out', 'overdue', 'too long', 'expired']),
      any('not ship*', 'never ship*', 'not dispatch*', 'not sent', 'not collected', 'untrace*', 'untrack*', 'invalid tracking*', 'tracking number invalid', 'no tracking*'),
      both(['wait*'], ['not', 'dont', 'no longer', 'too long', 'tired', 'cannot', 'can not']),
    ],
    zh: [any('发货延迟', '延迟发货', '未按时发货', '没有按时发货', '没按时发货', '超时未发货', '发货超时', '发货太慢', '迟迟不发货', '不发货', '未发货',
      '揽收超时', '单号无法追踪', '物流无法追踪', '不想等', '等太久', '等待时间太长', '等不及', '发货慢', '逾期发货')],
    vi: [both(['giao hàng', 'gửi hàng', 'lấy hàng', 'vận chuyển', 'giao'], ['trễ', 'chậm', 'quá hạn', 'không đúng hạn', 'quá lâu', 'lâu']),
      any('không muốn chờ', 'không muốn đợi', 'chờ lâu', 'đợi lâu', 'chờ quá lâu', 'chưa gửi hàng', 'không gửi hàng', 'chưa giao hàng', 'không giao hàng đúng hạn')],
    id: [both(['dikirim', 'kirim', 'pengiriman', 'penjemputan', 'pickup', 'pengambilan paket'], ['terlambat', 'telat', 'lambat', 'tepat waktu', 'batas waktu', 'habis waktu', 'lama', 'kelamaan']),
      both(['menunggu', 'tunggu'], ['tidak', 'tak', 'lama', 'malas', 'kelamaan'])],
    th: [any('จัดส่งล่าช้า', 'ส่งช้า', 'ส่งล่าช้า', 'ไม่จัดส่งตามเวลา', 'จัดส่งไม่ทันเวลา', 'ไม่ได้จัดส่งตรงเวลา', 'ไม่อยากรอ', 'รอนาน', 'ไม่ต้องการรอ', 'เกินเวลาเข้ารับ', 'หมดเวลาเข้ารับ', 'ยังไม่จัดส่ง', 'ไม่ส่งสินค้า')],
    ms: [both(['dihantar', 'penghantaran', 'hantar', 'penghantaran barang'], ['lewat', 'lambat', 'tepat pada masa*', 'terlalu lama']),
      both(['menunggu', 'tunggu'], ['tidak mahu', 'tak mahu', 'terlalu lama'])],
    fil: [any('hindi naipadala', 'matagal ipadala', 'matagal ang padala', 'naantala ang pagpapadala', 'huli ang padala', 'ayaw nang maghintay', 'ayaw maghintay',
      'matagal maghintay', 'hindi na makapaghintay', 'late ang padala'), both(['maghintay', 'hintay', 'naghihintay'], ['ayaw', 'matagal', 'hindi na'])],
    es: [both(['envi*', 'despach*', 'enviado', 'enviada'], ['tard*', 'retras*', 'demor*', 'a tiempo']), any('no quiero esperar', 'no puedo esperar', 'espera muy larga', 'espera demasiado larga')],
    pt: [both(['envi*', 'despach*'], ['atras*', 'demor*', 'tarde', 'no prazo', 'a tempo']), any('nao quero esperar', 'nao posso esperar', 'espera muito longa')],
    de: [both(['versand*', 'versendet', 'verschickt', 'versandt', 'abholung'], ['verspat*', 'spat', 'zu lange', 'nicht rechtzeitig', 'verzoger*', 'zeituberschreitung']),
      both(['wart*'], ['nicht', 'zu lange', 'kein*'])],
    fr: [both(['expedi*', 'envoi', 'envoye*', 'enlevement'], ['retard*', 'tardi*', 'a temps', 'trop long*', 'delai depasse']),
      any('ne veux pas attendre', 'ne peux pas attendre', 'pas attendre', 'attente trop longue')],
    it: [both(['spedi*', 'spedizione', 'inviat*', 'ritiro'], ['ritard*', 'in tempo', 'troppo lung*', 'scadut*']),
      any('non voglio aspettare', 'non posso aspettare', 'attesa troppo lunga')],
    ja: [any('発送遅延', '発送が遅', '発送されない', '発送されなかった', '期限内に発送', '待ちたくない', '待てない', '待ち時間が長', '集荷期限切れ', '追跡できない', '未発送')],
  },
  delivery_failure: {
    en: [
      both(['deliver*', 'package', 'packages', 'parcel', 'parcels', 'inbound', 'courier'], ['fail*', 'lost', 'damag*', 'reject*', 'refus*', 'scrap*', 'broken']),
      both(['deliver*', 'arriv*'], ['late', 'delay*', 'too long', 'overdue', 'on time', 'in time']),
      any('not deliver*', 'undeliver*', 'never deliver*', 'unable to deliver*', 'cannot deliver*', 'can not deliver*', 'could not deliver*', 'not be delivered', 'not arriv*', 'never arriv*', 'not receiv*', 'never receiv*', 'return* to sender', 'return* to shipper', 'lost in transit'),
    ],
    zh: [any('配送失败', '派送失败', '投递失败', '包裹丢失', '丢件', '包裹损坏', '包裹破损', '拒收', '无法配送', '无法派送', '包裹报废', '入库失败', '未妥投', '物流丢失', '未送达', '送达超时', '快递丢失', '退回发件人')],
    vi: [both(['giao hàng', 'gói hàng', 'kiện hàng', 'bưu kiện', 'đơn hàng'], ['thất bại', 'không thành công', 'bị mất', 'thất lạc', 'hư hỏng', 'bị hỏng', 'từ chối']),
      any('mất hàng', 'hàng bị thất lạc', 'không nhận được hàng', 'chưa nhận được hàng')],
    id: [both(['pengiriman', 'paket', 'barang', 'kiriman'], ['gagal', 'hilang', 'rusak', 'ditolak']), any('tidak sampai', 'tidak diterima', 'belum diterima', 'tidak pernah sampai')],
    th: [any('จัดส่งไม่สำเร็จ', 'ส่งไม่สำเร็จ', 'พัสดุสูญหาย', 'พัสดุหาย', 'สินค้าสูญหาย', 'พัสดุเสียหาย', 'สินค้าเสียหาย', 'ปฏิเสธการรับ', 'ปฏิเสธรับพัสดุ', 'จัดส่งล้มเหลว', 'ไม่ได้รับสินค้า', 'ไม่ได้รับพัสดุ')],
    ms: [both(['penghantaran', 'bungkusan', 'parsel'], ['gagal', 'hilang', 'rosak', 'ditolak'])],
    fil: [any('nabigong maihatid', 'hindi naihatid', 'hindi dumating', 'hindi natanggap'), both(['package', 'parcel', 'pakete'], ['nawala', 'nasira', 'sira', 'tinanggihan'])],
    es: [both(['entrega*', 'paquete*'], ['fallid*', 'fallo', 'perdid*', 'extravi*', 'danad*', 'rechazad*', 'tard*', 'retras*']), any('no entregado', 'no se entrego', 'no llego', 'nunca llego')],
    pt: [both(['entrega*', 'pacote*', 'encomenda*'], ['falh*', 'perdid*', 'extravi*', 'danificad*', 'recusad*', 'atrasad*']), any('nao entregue', 'nao chegou', 'nunca chegou')],
    de: [both(['zustell*', 'lieferung', 'paket*', 'sendung*'], ['fehlgeschlagen', 'verloren', 'beschadigt', 'abgelehnt', 'verweigert', 'verspat*']),
      any('nicht zugestellt', 'nicht geliefert', 'nicht angekommen', 'nie angekommen')],
    fr: [both(['livraison*', 'colis'], ['echou*', 'echec', 'perdu*', 'endommag*', 'refuse*', 'retard*', 'abime*']), any('non livre*', 'pas livre*', 'jamais arrive*', 'pas arrive*')],
    it: [both(['consegn*', 'pacco', 'pacchi'], ['fallit*', 'non riuscit*', 'smarrit*', 'perso', 'persa', 'danneggiat*', 'rifiutat*', 'ritard*']), any('non consegnato', 'mai arrivato', 'non arrivato')],
    ja: [any('配達失敗', '配送失敗', '配達できな', '配送できな', '荷物紛失', '紛失', '破損', '受取拒否', '受け取り拒否', '届かない', '届かなかった', '未着', '入庫失敗', '配達遅延', '配送遅延')],
  },
  description_mismatch: {
    en: [
      any('variation*', 'variant*', 'colour*', 'color*', 'size*', 'not as described', 'not as pictured', 'different from description', 'different from the description',
        'description mismatch', 'does not match description', 'does not match the description', 'wrong model'),
    ],
    zh: [any('规格', '颜色', '尺码', '尺寸', '与描述不符', '描述不符', '货不对版', '型号选错', '选错型号', '款式选错', '选错款式')],
    vi: [any('phân loại', 'đổi màu', 'màu sắc', 'sai màu', 'đổi size', 'sai size', 'đổi kích thước', 'kích thước', 'kích cỡ', 'không giống mô tả', 'không đúng mô tả', 'sai mô tả')],
    id: [any('varian', 'variasi', 'warna', 'ukuran', 'tidak sesuai deskripsi', 'tidak sesuai dengan deskripsi', 'tidak sesuai gambar')],
    th: [any('ตัวเลือกสินค้าผิด', 'เลือกตัวเลือกผิด', 'เปลี่ยนสี', 'เปลี่ยนขนาด', 'เปลี่ยนไซส์', 'ไม่ตรงปก', 'ไม่ตรงตามคำอธิบาย', 'สีผิด', 'ไซส์ผิด', 'ขนาดผิด', 'ตัวเลือกผิด')],
    ms: [any('saiz', 'tidak seperti yang diterangkan', 'tidak seperti gambar')],
    fil: [any('maling variation', 'maling kulay', 'maling size', 'palitan ang kulay', 'palitan ang size', 'iba sa description', 'iba sa larawan', 'kulay')],
    es: [any('variante*', 'variacion*', 'color', 'talla', 'tamano', 'no coincide con la descripcion', 'diferente a la descripcion')],
    pt: [any('variacao', 'variacoes', 'variante*', 'cor', 'tamanho', 'nao corresponde a descricao', 'diferente da descricao')],
    de: [any('variante*', 'farbe', 'grosse', 'nicht wie beschrieben', 'entspricht nicht der beschreibung')],
    fr: [any('variante*', 'couleur', 'taille', 'non conforme a la description', 'pas comme decrit')],
    it: [any('variante*', 'colore', 'taglia', 'misura', 'non conforme alla descrizione', 'diverso dalla descrizione')],
    ja: [any('バリエーション', 'カラー', '色を変更', '色違い', '色の変更', 'サイズ', '説明と異なる', '説明と違う', '商品説明と')],
  },
  changed_mind: {
    en: [
      any('no longer need*', 'no longer want*', 'no longer required', 'not need*', 'dont need*', 'no need', 'changed my mind', 'change of mind', 'changed mind', 'change my mind', 'changed his mind', 'changed her mind', 'changed their mind',
        'mind changed', 'duplicat*', 'double order*', 'ordered twice'),
      both(['bought', 'buy*', 'order*', 'purchas*', 'created', 'placed'], ['mistake*', 'mistaken*', 'by error', 'in error', 'accident*', 'accidental*']),
      all3(['buyer*', 'customer*', 'user*', 'client*'], ['request*', 'ask*', 'want*', 'wish*'], ['cancel*']),
      both(['not want*', 'no longer want*'], ['it', 'item*', 'product*', 'anymore', 'any more', 'order*', 'buy*'], ['wait*', 'pay*']),
    ],
    zh: [any('不再需要', '不需要了', '不想要了', '不要了', '不想买了', '误购', '拍错', '买错', '下错单', '重复下单', '重复购买', '改变主意', '改主意', '买家要求取消', '买家申请取消', '客户要求取消', '买家主动取消', '多拍')],
    vi: [any('không còn nhu cầu', 'không cần nữa', 'không có nhu cầu', 'đổi ý', 'thay đổi ý định', 'đặt nhầm', 'mua nhầm', 'đặt trùng', 'không muốn mua nữa', 'không muốn mua'),
      both(['người mua', 'khách hàng', 'khách'], ['yêu cầu hủy', 'muốn hủy', 'xin hủy'])],
    id: [any('tidak lagi dibutuhkan', 'tidak dibutuhkan lagi', 'tidak lagi diperlukan', 'tidak diperlukan lagi', 'tidak perlu lagi', 'sudah tidak perlu', 'berubah pikiran',
      'salah beli', 'salah pesan', 'salah order', 'pesanan ganda', 'pesanan duplikat', 'tidak jadi beli', 'tidak jadi membeli', 'batal beli', 'tidak butuh lagi'),
    both(['pesanan', 'dibuat', 'membeli'], ['keliru', 'tidak sengaja']),
    both(['pembeli'], ['minta', 'meminta', 'permintaan'], ['bayar*', 'membayar'])],
    th: [any('ไม่ต้องการแล้ว', 'ไม่ต้องการสินค้า', 'เปลี่ยนใจ', 'สั่งผิด', 'สั่งซื้อผิด', 'ซื้อผิด', 'สั่งซ้ำ', 'ผู้ซื้อขอยกเลิก', 'ลูกค้าขอยกเลิก', 'ไม่อยากได้แล้ว', 'ไม่ต้องการซื้อแล้ว')],
    ms: [any('tidak lagi diperlukan', 'tak perlu lagi', 'ubah fikiran', 'tukar fikiran', 'berubah fikiran', 'tersalah beli', 'tersilap beli', 'tersalah pesan', 'pesanan berganda')],
    fil: [any('hindi na kailangan', 'di na kailangan', 'nagbago ang isip', 'nagbago isip', 'nagkamali ng order', 'nagkamali ng bili', 'doble ang order', 'ayaw ko na'),
      all3(['mamimili', 'customer', 'buyer'], ['humiling', 'hiniling', 'gusto'], ['kansel*', 'cancel*'])],
    es: [any('ya no lo necesito', 'ya no necesito', 'ya no lo quiero', 'no lo necesito', 'cambie de opinion', 'cambio de opinion', 'compre por error', 'pedido por error',
      'pedido duplicado', 'por equivocacion'), all3(['comprador*', 'cliente*'], ['solicit*', 'pidio', 'pide', 'quiere'], ['cancel*'])],
    pt: [any('nao preciso mais', 'nao e mais necessario', 'mudei de ideia', 'comprei por engano', 'pedido por engano', 'pedido duplicado', 'por engano'),
      all3(['comprador*', 'cliente*'], ['solicit*', 'pediu', 'quer'], ['cancel*'])],
    de: [any('nicht mehr benotigt', 'nicht mehr notig', 'brauche es nicht mehr', 'nicht mehr gebraucht', 'meinung geandert', 'versehentlich', 'aus versehen', 'doppelte bestellung', 'es mir anders uberlegt'),
      both(['kaufer*', 'kunde*'], ['storno*', 'stornier*'])],
    fr: [any('plus besoin', 'change d avis', 'changement d avis', 'achete par erreur', 'commande par erreur', 'commande en double', 'commande dupliquee'),
      all3(['acheteur*', 'client*'], ['demand*'], ['annul*'])],
    it: [any('non piu necessario', 'non mi serve piu', 'non serve piu', 'cambiato idea', 'acquistato per errore', 'ordinato per errore', 'ordine duplicato'),
      all3(['acquirente', 'cliente'], ['richiest*', 'chiesto'], ['annull*'])],
    ja: [any('不要になった', '必要なくなった', 'いらなくなった', 'もう必要ない', '誤って購入', '間違って購入', '間違えて注文', '誤注文', '重複注文', '二重注文', '気が変わった', '購入者によるキャンセル', '購入者がキャンセル')],
  },
  order_details: {
    en: [
      { all: [['address*', 'adress*']], none: CANNOT_DELIVER },
      // A payment method that "could not be charged" is a failed payment, not a change of method.
      { all: [['payment method*', 'payment option*', 'delivery info*', 'shipping info*', 'delivery detail*', 'shipping detail*', 'contact info*', 'recipient info*', 'wrong phone number']], none: ['charged', 'declined', 'charge failed'] },
    ],
    zh: [{ all: [['地址', '支付方式', '付款方式', '收货信息', '收件信息', '联系方式', '收货人信息']], none: CANNOT_DELIVER }],
    vi: [{ all: [['địa chỉ', 'phương thức thanh toán', 'thông tin giao hàng', 'thông tin nhận hàng', 'hình thức thanh toán']], none: CANNOT_DELIVER }],
    id: [{ all: [['alamat', 'metode pembayaran', 'cara pembayaran', 'informasi pengiriman', 'info pengiriman', 'data pengiriman']], none: CANNOT_DELIVER }],
    th: [{ all: [['ที่อยู่', 'วิธีการชำระเงิน', 'วิธีชำระเงิน', 'ช่องทางการชำระเงิน', 'ข้อมูลการจัดส่ง']], none: CANNOT_DELIVER }],
    ms: [{ all: [['kaedah pembayaran', 'maklumat penghantaran']], none: CANNOT_DELIVER }],
    fil: [{ all: [['paraan ng pagbabayad', 'maling address', 'palitan ang address']], none: CANNOT_DELIVER }],
    es: [{ all: [['direccion*', 'metodo de pago', 'forma de pago', 'informacion de entrega', 'datos de envio']], none: CANNOT_DELIVER }],
    pt: [{ all: [['endereco*', 'metodo de pagamento', 'forma de pagamento', 'informacoes de entrega', 'dados de entrega']], none: CANNOT_DELIVER }],
    de: [{ all: [['lieferadresse', 'anschrift', 'zahlungsmethode*', 'zahlungsart*', 'lieferinformation*']], none: CANNOT_DELIVER }],
    fr: [{ all: [['moyen de paiement', 'mode de paiement', 'methode de paiement', 'informations de livraison']], none: CANNOT_DELIVER }],
    it: [{ all: [['indirizzo', 'metodo di pagamento', 'modalita di pagamento', 'informazioni di consegna']], none: CANNOT_DELIVER }],
    ja: [{ all: [['住所', '支払い方法', '支払方法', '決済方法', '配送先', 'お届け先']], none: CANNOT_DELIVER }],
  },
  risk_control: {
    en: [any('fraud*', 'risk*', 'suspicious*', 'suspected', 'violat*', 'anti spam', 'security review', 'safety reasons')],
    zh: [any('风控', '风险', '欺诈', '违规', '违反', '可疑', '作弊', '刷单', '安全审核')],
    vi: [any('gian lận', 'lừa đảo', 'rủi ro', 'vi phạm', 'đáng ngờ')],
    id: [any('penipuan', 'kecurangan', 'risiko', 'pelanggaran', 'melanggar', 'mencurigakan')],
    th: [any('ฉ้อโกง', 'ทุจริต', 'ความเสี่ยง', 'ละเมิด', 'น่าสงสัย')],
    ms: [any('penipuan', 'risiko', 'mencurigakan', 'pelanggaran')],
    fil: [any('panloloko', 'scam', 'kahina hinala', 'paglabag')],
    es: [any('fraude*', 'riesgo*', 'sospech*', 'violacion*')],
    pt: [any('fraude*', 'risco*', 'suspeit*', 'violacao')],
    de: [any('betrug*', 'risiko*', 'verdacht*', 'verstoss*', 'betrugsverdacht')],
    fr: [any('fraude*', 'risque*', 'suspect*', 'violation*')],
    it: [any('frode', 'frodi', 'rischio', 'rischi', 'sospett*', 'violazione')],
    ja: [any('不正', '詐欺', 'リスク', '規約違反', '違反')],
  },
  unpaid: {
    en: [
      any('unpaid', 'nonpayment', 'non payment', 'not pay*', 'not paid', 'never paid', 'hasnt paid', 'hasnt pay*', 'didnt pay*', 'no payment', 'without pay*',
        'payment not', 'payment was not', 'not yet paid', 'not been paid'),
      both(['pay*', 'paid'], ['overdue', 'timeout', 'time out', 'timed out', 'expir*', 'late', 'fail*', 'deadline', 'in time', 'on time', 'not complet*', 'incomplete']),
    ].map((r) => ({ ...r, none: [...PAYMENT_METHOD, ...ON_DELIVERY, ...RISK] })),
    zh: [{ all: [['未付款', '未支付', '未付', '没付款', '没有付款', '没支付', '付款超时', '支付超时', '超时未付', '逾期未付', '未完成付款', '未完成支付', '不付款', '未结账', '拒绝付款']], none: [...PAYMENT_METHOD, ...ON_DELIVERY] }],
    vi: [both(['thanh toán', 'trả tiền'], ['chưa', 'không', 'quá hạn', 'hết hạn', 'trễ'], [...PAYMENT_METHOD, ...ON_DELIVERY])],
    id: [both(['bayar*', 'membayar', 'dibayar', 'pembayaran'], ['belum', 'tidak', 'tak', 'terlambat', 'telat', 'kedaluwarsa', 'kadaluarsa', 'habis waktu', 'batas waktu', 'gagal'],
      [...PAYMENT_METHOD, ...ON_DELIVERY, 'ongkir', 'ongkos', 'biaya'])],
    th: [{ all: [['ไม่ชำระ', 'ยังไม่ชำระ', 'ไม่ได้ชำระ', 'ชำระเงินล่าช้า', 'เกินกำหนดชำระ', 'หมดเวลาชำระ', 'ไม่จ่ายเงิน', 'ยังไม่จ่าย', 'ไม่ได้จ่าย', 'ค้างชำระ']], none: [...PAYMENT_METHOD, ...ON_DELIVERY] }],
    ms: [both(['pembayaran', 'bayaran', 'membayar', 'bayar*'], ['belum', 'tidak', 'tak', 'lewat', 'tamat tempoh', 'gagal'], [...PAYMENT_METHOD, ...ON_DELIVERY, 'kos', 'caj'])],
    fil: [both(['nagbayad', 'nagbabayad', 'pagbabayad', 'magbayad', 'bayad', 'binayaran', 'nakapagbayad'], ['hindi', 'di', 'lumampas', 'huli', 'late'], [...PAYMENT_METHOD, ...ON_DELIVERY])],
    es: [any('impago*', 'sin pagar', 'falta de pago'), both(['pago*', 'pagar*', 'pague', 'pagad*'], ['no', 'vencid*', 'expir*', 'tiempo agotado', 'a tiempo', 'plazo'], [...PAYMENT_METHOD, ...ON_DELIVERY, 'envio'])],
    pt: [any('nao pago', 'falta de pagamento', 'sem pagamento'), both(['pagamento*', 'pago', 'pagar', 'pagou'], ['nao', 'vencid*', 'expir*', 'atras*', 'a tempo', 'prazo'], [...PAYMENT_METHOD, ...ON_DELIVERY])],
    de: [any('unbezahlt', 'nicht bezahlt', 'zahlung ausgeblieben'), both(['bezahl*', 'zahlung*', 'gezahlt'], ['nicht', 'kein*', 'uberfallig', 'abgelaufen', 'verspat*', 'rechtzeitig', 'frist*'], [...PAYMENT_METHOD, ...ON_DELIVERY])],
    fr: [any('impaye*', 'non paye*', 'pas paye*'), both(['paye*', 'payer', 'paiement*'], ['pas', 'non', 'retard*', 'expir*', 'delai*', 'a temps'], [...PAYMENT_METHOD, ...ON_DELIVERY, 'frais'])],
    it: [any('non pagato', 'non ha pagato', 'mancato pagamento'), both(['pagament*', 'pagat*', 'pagare'], ['non', 'scadut*', 'in tempo', 'ritard*'], [...PAYMENT_METHOD, ...ON_DELIVERY])],
    ja: [{ all: [['未払い', '未入金', '支払い期限', '支払期限', '期限内に支払', '支払いがな', '入金なし', '入金されな', '未決済', '支払いが完了していない', '支払われな']], none: [...PAYMENT_METHOD, ...ON_DELIVERY] }],
  },
};
