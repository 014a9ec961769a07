import type { Category } from './categories.js';

/**
 * Every cancel reason we know, as sellers see it in exports and as the Partner API names it
 * (display text and reason keys). One row per category; matching is by normalized text (see
 * normalizeText in classify.ts), so spelling variants of case, spacing and punctuation need no
 * row of their own.
 *
 * Sources: English and Chinese from Seller Center's cancel-reason lists and the metric
 * contract; API keys from the Partner API's cancel-reason keys as used by public SDKs;
 * Vietnamese, Indonesian and Thai from those markets' Seller Center. The Malay, Filipino,
 * Spanish, Portuguese, German, French, Italian and Japanese phrases (the second line of each
 * row) are those markets' Seller Center wording as far as we know it, not yet checked against
 * a real export: a reason they miss is shown verbatim under `other`, never lost.
 */
export const REASON_TABLE: ReadonlyArray<{ category: Category; phrases: readonly string[] }> = [
  {
    category: 'out_of_stock',
    phrases: [
      'Out of stock', 'Product out of stock', 'Item out of stock', 'Sold out', 'Insufficient stock',
      'Inventory shortage', '缺货', '库存不足', '商品缺货', '无货', '售罄',
      'Hết hàng', 'Stok Habis', 'Stok habis', 'Kehabisan stok', 'สินค้าหมด', 'สินค้าหมดสต็อก',
      'seller_cancel_reason_out_of_stock', 'ecom_order_to_ship_canceled_reason_out_of_stock',
      'seller_cancel_reason_no_inventory', 'out_of_stock',
      'Wala nang stock', 'Ubos na ang stock', 'Sin stock', 'Agotado', 'Producto agotado', 'Sem estoque', 'Fora de estoque', 'Esgotado', 'Nicht auf Lager', 'Ausverkauft', 'En rupture de stock', 'Rupture de stock', 'Esaurito', 'Prodotto esaurito', '在庫切れ', '在庫不足',
    ],
  },
  {
    category: 'pricing_error',
    phrases: [
      'Pricing error', 'Wrong price', 'Incorrect price', 'Price error', 'Wrong pricing',
      '价格错误', '定价错误', '价格设置错误', '标价错误',
      'Salah Harga', 'Sai giá', 'ราคาผิด', 'ตั้งราคาผิด',
      'seller_cancel_reason_wrong_price', 'seller_cancel_reason_pricing_error',
      'ecom_order_to_ship_canceled_reason_pricing_error',
      'Harga salah', 'Maling presyo', 'Error de precio', 'Precio incorrecto', 'Erro de preço', 'Preço incorreto', 'Preisfehler', 'Falscher Preis', 'Erreur de prix', 'Prix incorrect', 'Errore di prezzo', 'Prezzo errato', '価格設定ミス', '価格の誤り',
    ],
  },
  {
    category: 'price_or_promotion',
    phrases: [
      'Better price available', 'Found a better price', 'Discount not as expected',
      'Forgot to apply coupons', 'Forgot to use coupon', 'High shipping fee', 'Shipping fee too high',
      'Need to input coupon code', 'Need to change coupon code', 'Need to input/change coupon code',
      '有更优惠的价格', '优惠未达预期', '忘记使用优惠券', '运费太高', '运费过高', '需要输入或更改优惠码',
      'Có giá tốt hơn', 'Phí vận chuyển cao', 'Harga lebih murah di tempat lain', 'Ongkos kirim mahal',
      'ecom_order_to_ship_canceled_reason_better_price', 'buyer_cancel_reason_better_price',
      'ecom_order_to_ship_canceled_reason_forgot_coupon', 'ecom_order_to_ship_canceled_reason_high_shipping_fee',
      'Encontré un mejor precio', 'Envío muy caro', 'Encontrei um preço melhor', 'Frete muito caro', 'Besserer Preis gefunden', 'Meilleur prix ailleurs', 'Prezzo migliore altrove', 'もっと安い価格があった', '送料が高い',
    ],
  },
  {
    category: 'late_fulfilment',
    phrases: [
      'Automatically cancelled due to collection time out',
      'Automatically canceled due to collection time out',
      'Automatically cancelled due to untraceable tracking number',
      'Automatically canceled due to untraceable tracking number',
      "Item wasn't shipped on time", 'Item was not shipped on time', "Don't want to wait",
      'Do not want to wait', 'Late shipment', 'Late dispatch', 'Shipping time too long',
      'Seller did not ship on time', 'Failed to ship on time',
      '揽收超时自动取消', '物流单号无法追踪自动取消', '商品未按时发货', '不想等了', '发货延迟',
      '未按时发货', '超时未发货', '发货超时',
      'Giao hàng trễ', 'Không muốn chờ nữa', 'Pengiriman terlambat', 'Tidak mau menunggu',
      'จัดส่งล่าช้า', 'ไม่อยากรอ',
      'system_cancel_reason_collection_timeout', 'system_cancel_reason_untraceable_tracking',
      'ecom_order_to_ship_canceled_reason_late_shipment', 'buyer_cancel_reason_dont_want_to_wait',
      'Penghantaran lewat', 'Tidak mahu menunggu', 'Hindi naipadala sa oras', 'Ayaw nang maghintay', 'Envío tardío', 'No quiero esperar', 'Envio atrasado', 'Não quero esperar', 'Verspäteter Versand', 'Ich möchte nicht warten', 'Expédition tardive', 'Je ne veux pas attendre', 'Spedizione in ritardo', 'Non voglio aspettare', '発送遅延', '待ちたくない', '集荷期限切れによる自動キャンセル',
    ],
  },
  {
    category: 'delivery_failure',
    phrases: [
      'Package delivery failed', 'Delivery failed', 'Package lost', 'Package damaged',
      'Package rejected', 'Late delivery', 'Not delivered within 30 days of estimated delivery',
      'Unable to deliver to buyer address', 'Package scrapped', 'Inbound failed',
      '包裹配送失败', '包裹丢失', '包裹损坏', '包裹被拒收', '无法配送至买家地址', '配送失败', '包裹报废',
      'Giao hàng thất bại', 'Paket hilang', 'Paket rusak', 'Pengiriman gagal', 'จัดส่งไม่สำเร็จ', 'พัสดุสูญหาย',
      'system_cancel_reason_delivery_failed', 'system_cancel_reason_package_lost',
      'system_cancel_reason_package_damaged',
      'Penghantaran gagal', 'Bungkusan hilang', 'Nabigong maihatid', 'Entrega fallida', 'Paquete perdido', 'Falha na entrega', 'Pacote perdido', 'Zustellung fehlgeschlagen', 'Paket verloren', 'Échec de livraison', 'Colis perdu', 'Consegna non riuscita', 'Pacco smarrito', '配達失敗', '荷物紛失',
    ],
  },
  {
    category: 'description_mismatch',
    phrases: [
      'Wrong item variation (colour, size, etc.)', 'Wrong item variation (color, size, etc.)',
      'Wrong item variation', 'Need to change color or size', 'Need to change colour or size',
      'Product not as described', 'Item not as described',
      '商品规格选错', '需要更换颜色或尺码', '商品与描述不符', '规格选错',
      'Sai phân loại hàng', 'Muốn đổi màu hoặc kích thước', 'Salah pilih varian', 'เลือกตัวเลือกสินค้าผิด',
      'ecom_order_to_ship_canceled_reason_wrong_variation', 'buyer_cancel_reason_change_size_color',
      'Variasi salah', 'Maling variation', 'Variante incorrecta', 'Variação errada', 'Falsche Variante', 'Mauvaise variante', 'Variante errata', 'バリエーション間違い',
    ],
  },
  {
    category: 'changed_mind',
    phrases: [
      'No longer needed', "Don't need it anymore", 'Bought by mistake', 'Order created by mistake',
      'Buyer requested cancellation', 'Buyer requested to cancel', 'Changed my mind',
      'Duplicate order', 'Ordered by mistake',
      '不再需要', '误购', '重复下单', '买家要求取消', '不想要了', '拍错了', '下错单',
      'Không còn nhu cầu', 'Đặt nhầm', 'Người mua yêu cầu hủy', 'Tidak lagi dibutuhkan', 'Salah beli',
      'Pembeli meminta pembatalan', 'ไม่ต้องการแล้ว', 'สั่งซื้อผิด', 'ผู้ซื้อขอยกเลิก',
      'seller_cancel_reason_buyer_requested', 'buyer_cancel_reason_no_longer_needed',
      'ecom_order_to_ship_canceled_reason_no_longer_needed', 'ecom_order_to_ship_canceled_reason_bought_by_mistake',
      'ecom_order_to_ship_canceled_reason_duplicate_order',
      'Tidak lagi diperlukan', 'Tersalah beli', 'Hindi na kailangan', 'Nagkamali ng order', 'Ya no lo necesito', 'Compré por error', 'El comprador solicitó la cancelación', 'Não preciso mais', 'Comprei por engano', 'O comprador solicitou o cancelamento', 'Nicht mehr benötigt', 'Versehentlich gekauft', "Je n'en ai plus besoin", 'Acheté par erreur', 'Non più necessario', 'Acquistato per errore', '不要になった', '誤って購入した', '購入者によるキャンセル依頼',
    ],
  },
  {
    category: 'order_details',
    phrases: [
      'Incorrect shipping address', 'Wrong delivery information', 'Need to change shipping address',
      'Need to change delivery address', 'Need to change payment method',
      'Desired payment method not available', 'Wrong shipping address',
      '收货地址错误', '需要更换支付方式', '无所需支付方式', '需要修改收货地址', '地址填错',
      'Sai địa chỉ nhận hàng', 'Cần đổi phương thức thanh toán', 'Alamat pengiriman salah',
      'Ingin mengubah metode pembayaran', 'ที่อยู่จัดส่งไม่ถูกต้อง', 'ต้องการเปลี่ยนวิธีการชำระเงิน',
      'ecom_order_to_ship_canceled_reason_change_payment_method',
      'ecom_order_to_ship_canceled_reason_change_address', 'buyer_cancel_reason_wrong_address',
      'Alamat penghantaran salah', 'Maling address', 'Dirección de envío incorrecta', 'Endereço de entrega incorreto', 'Falsche Lieferadresse', 'Adresse de livraison incorrecte', 'Indirizzo di spedizione errato', '配送先住所の誤り',
    ],
  },
  {
    category: 'risk_control',
    phrases: [
      'Failed to pass risk review', 'Potential fraud', 'Risk control block', 'Order cancelled by system',
      'Order canceled by system', 'Suspected fraud', 'Violation of platform policy',
      '未通过风控审核', '疑似欺诈', '系统取消订单', '风控拦截', '违反平台规则',
      'Đơn hàng bị hệ thống hủy', 'Dibatalkan oleh sistem', 'ระบบยกเลิกคำสั่งซื้อ',
      'system_cancel_reason_risk_control', 'system_cancel_reason_fraud',
      'Fraude potencial', 'Possível fraude', 'Möglicher Betrug', 'Fraude potentielle', 'Possibile frode', '不正の可能性',
    ],
  },
  {
    category: 'unpaid',
    phrases: [
      'Buyer payment overdue', "Buyer hasn't paid", 'Buyer has not paid', 'Buyer did not pay on time',
      'Payment timeout', 'Unpaid order cancelled', 'Order unpaid',
      '买家超时未付款', '买家未付款', '超时未支付', '付款超时',
      'Người mua chưa thanh toán', 'Pembeli tidak membayar tepat waktu', 'ผู้ซื้อไม่ชำระเงิน',
      'system_cancel_reason_unpaid', 'buyer_cancel_reason_payment_overdue', 'ecom_order_unpaid_timeout',
      'Pembeli tidak membayar', 'Hindi nagbayad ang mamimili', 'El comprador no pagó a tiempo', 'O comprador não pagou a tempo', 'Käufer hat nicht rechtzeitig bezahlt', "L'acheteur n'a pas payé à temps", "L'acquirente non ha pagato in tempo", '支払い期限切れ', '購入者が期限内に支払わなかった',
    ],
  },
  {
    category: 'other',
    phrases: ['Other', 'Others', '其他', '其它', 'Khác', 'Lainnya', 'อื่นๆ', 'Lain-lain', 'Iba pa', 'Otro', 'Otros', 'Outro', 'Outros', 'Sonstiges', 'Autre', 'Altro', 'その他'],
  },
];
