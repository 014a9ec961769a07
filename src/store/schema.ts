import type { ColumnType, Generated } from 'kysely';
import { CATEGORIES, type Category } from '../core/reasons/categories.js';

/**
 * Tables as the query layer sees them. Telegram chat ids are kept as text: they exceed 32 bits,
 * and text reads back the same from SQLite and PostgreSQL. Booleans are 0/1 integers for the
 * same reason. Timestamps are ISO-8601 UTC text.
 */
export interface Database {
  chats: ChatTable;
  shops: ShopTable;
  orders: OrderTable;
  imports: ImportTable;
  claims: ClaimTable;
  link_states: LinkStateTable;
  daily_rollups: DailyRollupTable;
  robot_targets: RobotTargetTable;
  product_days: ProductDayTable;
  product_weeks: ProductWeekTable;
  product_labels: ProductLabelTable;
  import_prompts: ImportPromptTable;
  uploads_under_way: UploadUnderWayTable;
  chat_admins: ChatAdminTable;
  chat_people: ChatPersonTable;
  private_uploads: PrivateUploadTable;
  deliveries: DeliveryTable;
  reason_mappings: ReasonMappingTable;
  store_facts: StoreFactTable;
}

export interface ChatTable {
  id: string;
  locale: string;
  time_zone: string;
  threshold: number;
  created_at: string;
  updated_at: string;
  /** Local `HH:MM` of the daily summary, or null when off. */
  daily_time: ColumnType<string | null, string | null | undefined, string | null>;
  /** 1 while the bot cannot post to the chat (blocked or removed). */
  daily_paused: ColumnType<number, number | undefined, number>;
}

export interface ShopTable {
  id: Generated<number>;
  chat_id: string;
  name: string;
  source: 'upload' | 'api';
  created_at: string;
  /** Linked shops only: TikTok's shop id and cipher, tokens sealed with AES-256-GCM, sync state. */
  shop_ref: Nullable<string>;
  cipher: Nullable<string>;
  region: Nullable<string>;
  access_token: Nullable<string>;
  refresh_token: Nullable<string>;
  access_expires_at: Nullable<number>;
  refresh_expires_at: Nullable<number>;
  /** Unix seconds: orders updated before this are stored. */
  sync_cursor: Nullable<number>;
  last_sync_at: Nullable<string>;
  lease_owner: Nullable<string>;
  lease_until: Nullable<string>;
  last_error: Nullable<string>;
}

/** A column that may be null and may be left out on insert. */
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface OrderTable {
  shop_id: number;
  order_id: string;
  /** Shop-local, as exported (`YYYY-MM-DDTHH:MM:SS`); its first ten characters are the order's day. */
  created_at: string;
  paid: number;
  cancelled: number;
  partially_cancelled: number;
  initiator: string;
  reason: string | null;
  category: string | null;
  fbt: number;
  sample: number;
  amount_cents: number | null;
  currency: string | null;
  /** 1 when the order counts as placed only because it is cash on delivery. */
  cod: ColumnType<number, number | undefined, number>;
  /** JSON list of the columns its export lacked, or null. */
  gaps: Nullable<string>;
  /** JSON object of values no table knew, by column, or null. */
  unrecognised: Nullable<string>;
  /**
   * What the order bought (never who bought it), as JSON: one `[SKU ID, seller SKU, product,
   * variation, quantity, 1 if cancelled]` per line, in the export's order. Null while no export
   * of the order had product columns. Kept in the order's own row (migration 0012): a line table
   * cost a second B-tree insert per line, about a quarter of the time a large upload is stored in.
   */
  lines: Nullable<string>;
}

export interface ImportTable {
  id: Generated<number>;
  chat_id: string;
  shop_id: number;
  file_name: string;
  rows: number;
  orders: number;
  skipped: number;
  first_day: string | null;
  last_day: string | null;
  user_id: string | null;
  created_at: string;
}

/**
 * One row per daily send (a kind, its subject, a local day): claimed by one instance, then
 * settled. The primary key is what makes a claim atomic across instances.
 */
export interface ClaimTable {
  /** Whose send: 'summary' (a chat's summary on any platform, the subject its key), 'robot' (a robot's copy, the subject its id). */
  kind: 'summary' | 'robot';
  subject: string;
  local_date: string;
  status: 'claimed' | 'sent' | 'failed';
  instance: string;
  claimed_at: string;
  sent_at: string | null;
}

export interface LinkStateTable {
  state: string;
  chat_id: string;
  user_id: string;
  expires_at: string;
  used_at: string | null;
  /** Sealed JSON of the token set, once the code was exchanged. */
  tokens: string | null;
  /** JSON list of the authorized shops (no secrets). */
  shops: string | null;
}

/**
 * ## Daily rollups
 * One row per shop and local day with any stored order: what the report needs of that day's
 * orders (the core's tally, whole, as JSON) and a few of its figures as columns for queries.
 * Written in the same transaction as the orders it is counted from.
 */
export interface DailyRollupTable {
  shop_id: number;
  day: string;
  /** Every stored order of the day, paid or not. */
  stored_orders: number;
  orders: number;
  cancelled: number;
  seller_fault_orders: number;
  seller_fault_cancelled: number;
  /** The latest created time among the day's orders (shop-local). */
  newest_created_at: string;
  tally: string;
}

/** A group robot the chat's daily summary is mirrored into. */
export interface RobotTargetTable {
  id: Generated<number>;
  chat_id: string;
  service: 'wecom' | 'feishu' | 'dingtalk';
  /** Webhook URL and secret, sealed with AES-256-GCM (TOKEN_ENCRYPTION_KEY). */
  url: string;
  secret: Nullable<string>;
  /** The masked address, for lists and notices. */
  address: string;
  created_by: Nullable<string>;
  created_at: string;
  /** Why sends stopped ('security' or 'gone'), or null while active. */
  paused: Nullable<'security' | 'gone'>;
  /** Rate-limited: not tried before this (ISO). */
  retry_at: Nullable<string>;
  /** The service's last refusal, as it answered (code and message, never the address). */
  last_error: Nullable<string>;
}

/**
 * Per-product counts per shop, local day and product, kept in step with orders and lines in
 * the same transaction, so a window's products are read from days × products rows, never from
 * every line. Whole cancels, seller-fault cancels and partial cancels are counted per reason
 * category (`cancelled_out_of_stock`, …); their sums over categories are kept beside them
 * (`cancelled`, …), so products can be ranked without summing every reason of every product.
 */
export type ProductDayTable = {
  shop_id: number;
  day: string;
  product_key: string;
} & Record<ProductDayColumn, number>;

/**
 * The same counts per shop, week (its Monday) and product, kept in step with `product_days`:
 * a month's window then reads about four rows per product for its whole weeks and day rows
 * only for the days at either end.
 */
export type ProductWeekTable = {
  shop_id: number;
  week: string;
  product_key: string;
} & Record<ProductDayColumn, number>;

export type ProductDayCount = 'orders' | 'sf_orders' | `${'cancelled' | 'sf_cancelled' | 'partial'}_${Category}`;

/** The count columns `product_days` was made with (migration 0007), in table order. */
export const PRODUCT_DAY_COUNTS: readonly ProductDayCount[] = [
  'orders', 'sf_orders',
  ...CATEGORIES.flatMap((c) => [`cancelled_${c}`, `sf_cancelled_${c}`, `partial_${c}`] as const),
];

export type ProductDayTotal = 'cancelled' | 'sf_cancelled' | 'partial';

/** Each total's sum over the reason columns (added by migration 0011). */
export const PRODUCT_DAY_TOTALS: ReadonlyArray<{ total: ProductDayTotal; of: readonly ProductDayCount[] }> = [
  { total: 'cancelled', of: CATEGORIES.map((c) => `cancelled_${c}` as const) },
  { total: 'sf_cancelled', of: CATEGORIES.map((c) => `sf_cancelled_${c}` as const) },
  { total: 'partial', of: CATEGORIES.map((c) => `partial_${c}` as const) },
];

export type ProductDayColumn = ProductDayCount | ProductDayTotal;

/** Every count column of `product_days` and `product_weeks`. */
export const PRODUCT_DAY_COLUMNS: readonly ProductDayColumn[] = [...PRODUCT_DAY_COUNTS, ...PRODUCT_DAY_TOTALS.map((t) => t.total)];

/** A product's name, variation and SKUs as last stored, per shop. */
export interface ProductLabelTable {
  shop_id: number;
  product_key: string;
  sku_id: string | null;
  seller_sku: string | null;
  product_name: string | null;
  variation: string | null;
}

/** An /import prompt the bot sent, so a reply to it reaches the shop it named after a restart. */
export interface ImportPromptTable {
  chat_id: string;
  message_id: number;
  shop_name: string;
  created_at: string;
}

export interface UploadUnderWayTable {
  id: Generated<number>;
  chat_id: string;
  file_name: string;
  user_id: string | null;
  /** The process handling it, which beats every minute while it runs. */
  instance: string;
  started_at: string;
  heartbeat_at: string;
  /** 1 once a forced stop cut it short. */
  cut_short: number;
  /** 1 once its orders were stored (in the import's own transaction). */
  stored: number;
}

export interface ReasonMappingTable {
  chat_id: string;
  /** The text as the classifier folds it (`normalizeText`): the mapping's key. */
  text_key: string;
  /** The text as the admin wrote it, for /reason list. */
  text: string;
  category: string;
  created_by: string | null;
  created_at: string;
}

export interface StoreFactTable {
  name: string;
  value: string;
}

/** A group's admin where its platform does not say who manages it. */
export interface ChatAdminTable {
  chat_id: string;
  user_id: string;
  user_name: string | null;
  added_by: string | null;
  added_at: string;
}

/** A person seen using the bot in a group. */
export interface ChatPersonTable {
  platform: string;
  user_id: string;
  chat_id: string;
  chat_title: string | null;
  seen_at: string;
}

/** A person's pending private upload: the group it is for, or a file waiting for its group. */
export interface PrivateUploadTable {
  platform: string;
  user_id: string;
  chat_id: string | null;
  shop_name: string | null;
  file_ref: string | null;
  file_name: string | null;
  file_size: ColumnType<number | null, number | null | undefined, number | null>;
  expires_at: string;
}

/** A platform's delivery already handled. */
export interface DeliveryTable {
  platform: string;
  delivery_id: string;
  seen_at: string;
}
