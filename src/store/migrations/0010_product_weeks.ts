import { sql, type Kysely } from 'kysely';
import { createProductCounts, PRODUCT_COUNTS_0007 } from './0007_order_lines.js';
import type { Dialect } from './dialect.js';

/** The product counts summed per week, filled from the day rows. */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await createProductCounts(dialect, db, 'product_weeks', 'week');
  // The Monday on or before each day, in each engine's date functions.
  const monday = dialect === 'sqlite' ? sql`date(day, '-6 days', 'weekday 1')` : sql`to_char(date_trunc('week', day::date), 'YYYY-MM-DD')`;
  const counts = sql.join(PRODUCT_COUNTS_0007.map((c) => sql.ref(c)));
  const sums = sql.join(PRODUCT_COUNTS_0007.map((c) => sql`sum(${sql.ref(c)})`));
  await sql`insert into product_weeks (shop_id, week, product_key, ${counts})
    select shop_id, ${monday}, product_key, ${sums} from product_days group by shop_id, ${monday}, product_key`.execute(db);
}
