import { sql, type Kysely } from 'kysely';
import { CATEGORIES_0007 } from './0007_order_lines.js';

/** Each total and the reason columns it sums: those 0007 made. */
const TOTALS = ['cancelled', 'sf_cancelled', 'partial'].map((total) => ({ total, of: CATEGORIES_0007.map((c) => `${total}_${c}`) }));

/**
 * Each product row's cancels summed over reasons, so a window ranks its products from five
 * columns and reads the reasons of the ones it lists only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['product_days', 'product_weeks']) {
    for (const { total } of TOTALS) {
      await db.schema.alterTable(table).addColumn(total, 'integer', (c) => c.notNull().defaultTo(0)).execute();
    }
    const sets = sql.join(TOTALS.map(({ total, of }) => sql`${sql.ref(total)} = ${sql.join(of.map((c) => sql.ref(c)), sql` + `)}`));
    await sql`update ${sql.table(table)} set ${sets}`.execute(db);
  }
}
