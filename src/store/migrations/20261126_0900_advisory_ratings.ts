import type { Kysely } from 'kysely';
import { recordRating } from '../../intel/advisories/osv.js';

/**
 * The qualitative rating of each advisory record (`advisories.rating`: GitHub's HIGH / MODERATE …,
 * OSS-Fuzz's, Ubuntu's), so that a vulnerability without a CVSS vector still gets a score
 * (intel/severity/resolve-score.ts). Records imported before are backfilled from their stored JSON,
 * a page at a time; only records that give a rating are written.
 */
const PAGE = 1000;
const UPDATES_PER_STATEMENT = 500;

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema as it was then.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('advisories').addColumn('rating', 'text').execute();
  let after = '';
  for (;;) {
    const rows: { id: string; record: string }[] = await db
      .selectFrom('advisories')
      .select(['id', 'record'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    if (!rows.length) break;
    after = rows[rows.length - 1].id;
    const rated: [id: string, rating: string][] = [];
    for (const row of rows) {
      let record: unknown;
      try {
        record = JSON.parse(row.record);
      } catch {
        continue; // the importer stored it, so it parses; a hand-edited row keeps no rating rather than stopping the upgrade
      }
      const rating = recordRating(record);
      if (rating) rated.push([row.id, rating]);
    }
    for (let i = 0; i < rated.length; i += UPDATES_PER_STATEMENT) {
      const part = rated.slice(i, i + UPDATES_PER_STATEMENT);
      await db
        .updateTable('advisories')
        .set((eb) => {
          let when = eb.case(eb.ref('id')).when(eb.val(part[0][0])).then(eb.val(part[0][1]));
          for (const [id, rating] of part.slice(1)) when = when.when(eb.val(id)).then(eb.val(rating));
          return { rating: when.else(eb.ref('rating')).end() };
        })
        .where(
          'id',
          'in',
          part.map(([id]) => id),
        )
        .execute();
    }
  }
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('advisories').dropColumn('rating').execute();
}
