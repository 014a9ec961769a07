/** Reason category ids. They are part of the JSON contract: never rename one. */
export const CATEGORIES = [
  'out_of_stock',
  'pricing_error',
  'price_or_promotion',
  'late_fulfilment',
  'delivery_failure',
  'description_mismatch',
  'changed_mind',
  'order_details',
  'risk_control',
  'unpaid',
  'other',
] as const;

export type Category = (typeof CATEGORIES)[number];

export const isCategory = (value: string): value is Category => (CATEGORIES as readonly string[]).includes(value);

export const INITIATORS = ['buyer', 'seller', 'system', 'platform', 'unknown'] as const;
export type Initiator = (typeof INITIATORS)[number];

/**
 * Categories where a seller-initiated cancel only carried out the buyer's wish,
 * so TikTok does not hold it against the seller.
 */
const BUYER_ASKED: ReadonlySet<Category> = new Set<Category>([
  'changed_mind',
  'order_details',
  'price_or_promotion',
  'description_mismatch',
]);

/** The seller-fault rule of the metric contract. */
export function isSellerFault(initiator: Initiator, category: Category): boolean {
  if (initiator === 'seller') return !BUYER_ASKED.has(category) && category !== 'unpaid';
  if (initiator === 'system') return category === 'late_fulfilment';
  return false;
}
