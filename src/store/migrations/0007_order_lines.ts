import { sql, type Kysely } from 'kysely';
import type { Dialect } from './dialect.js';

/**
 * The reason categories as they were when 0007 was written: `product_days` (and 0010's
 * `product_weeks`, 0011's totals) have columns per category. A category added to the code later
 * needs a migration of its own that adds its columns; this list stays as it is.
 */
export const CATEGORIES_0007 = [
  'out_of_stock', 'pricing_error', 'price_or_promotion', 'late_fulfilment', 'delivery_failure', 'description_mismatch',
  'changed_mind', 'order_details', 'risk_control', 'unpaid', 'other',
] as const;

/** The count columns `product_days` is made with, in table order. */
export const PRODUCT_COUNTS_0007: readonly string[] = [
  'orders', 'sf_orders',
  ...CATEGORIES_0007.flatMap((c) => [`cancelled_${c}`, `sf_cancelled_${c}`, `partial_${c}`]),
];

/**
 * A per-product counts table (`product_days` here, `product_weeks` in 0010): one row per shop,
 * `period` (a day, or a week's Monday) and product, with the reason counts 0007 knew as columns.
 */
export async function createProductCounts(dialect: Dialect, db: Kysely<unknown>, table: string, period: string): Promise<void> {
  let counts = db.schema.createTable(table)
    .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id').onDelete('cascade'))
    .addColumn(period, 'text', (c) => c.notNull())
    .addColumn('product_key', 'text', (c) => c.notNull());
  for (const column of PRODUCT_COUNTS_0007) counts = counts.addColumn(column, 'integer', (c) => c.notNull().defaultTo(0));
  await counts
    .addPrimaryKeyConstraint(`${table}_pk`, ['shop_id', period, 'product_key'])
    // SQLite keeps such a table in key order, so a window's rows are read side by side.
    .$call((t) => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
}

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema.createTable('order_lines')
    .addColumn('shop_id', 'integer', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('sku_id', 'text')
    .addColumn('seller_sku', 'text')
    .addColumn('product_name', 'text')
    .addColumn('variation', 'text')
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('cancelled', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('order_lines_pk', ['shop_id', 'order_id', 'line_no'])
    .addForeignKeyConstraint('order_lines_order', ['shop_id', 'order_id'], 'orders', ['shop_id', 'order_id'], (fk) => fk.onDelete('cascade'))
    .execute();
  // One row per shop, local day and product; the reasons are columns, so a window reads days × products rows.
  await createProductCounts(dialect, db, 'product_days', 'day');
  // How each product was last named, apart from the counts: a window's rows then carry numbers only.
  await db.schema.createTable('product_labels')
    .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id').onDelete('cascade'))
    .addColumn('product_key', 'text', (c) => c.notNull())
    .addColumn('sku_id', 'text')
    .addColumn('seller_sku', 'text')
    .addColumn('product_name', 'text')
    .addColumn('variation', 'text')
    .addPrimaryKeyConstraint('product_labels_pk', ['shop_id', 'product_key'])
    .execute();
}
