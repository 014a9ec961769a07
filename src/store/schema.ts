import type { ColumnType, Generated } from 'kysely';

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
  summaries: SummaryTable;
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
}

export interface OrderTable {
  shop_id: number;
  order_id: string;
  created_at: string;
  day: string;
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
  updated_at: string;
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

export interface SummaryTable {
  chat_id: string;
  local_date: string;
  status: 'claimed' | 'sent' | 'failed';
  instance: string;
  claimed_at: string;
  sent_at: string | null;
}
