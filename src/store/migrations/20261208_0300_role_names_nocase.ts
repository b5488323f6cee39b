import { type Kysely, sql } from 'kysely';

/**
 * Role names are unique regardless of case. The service has always checked that before it writes
 * (services/access/roles.ts), but the column's own constraint was case-sensitive, so two concurrent
 * creates of "Developer" and "developer" on PostgreSQL could both pass the check. A unique index on
 * lower(name) (an expression index: both SQLite and PostgreSQL have them) makes the database refuse
 * the second, which the service turns into the same 409.
 *
 * Names that already differ only by case (left by such a race) would stop the index from being
 * built. Refusing to start would leave the operator editing the database by hand, so instead the
 * role that keeps its name is the built-in one, else the first by name then id, and each other one
 * becomes "<name> (2)", "(3)", … (the first such name that is free). A rename loses nothing:
 * memberships point at the role's id, and its permissions stay as they were.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema as it was then.
export async function up(db: Kysely<any>): Promise<void> {
  const rows: { id: string; name: string; built_in: number }[] = await db.selectFrom('roles').select(['id', 'name', 'built_in']).execute();
  const taken = new Set(rows.map((r) => r.name.toLowerCase()));
  const byName = new Map<string, typeof rows>();
  for (const row of rows) {
    const key = row.name.toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), row]);
  }
  for (const same of byName.values()) {
    if (same.length < 2) continue;
    same.sort((a, b) => b.built_in - a.built_in || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.id < b.id ? -1 : 1));
    for (const row of same.slice(1)) {
      let n = 2;
      while (taken.has(`${row.name} (${n})`.toLowerCase())) n++;
      const renamed = `${row.name} (${n})`;
      taken.add(renamed.toLowerCase());
      await db.updateTable('roles').set({ name: renamed }).where('id', '=', row.id).execute();
    }
  }
  await db.schema.createIndex('roles_name_nocase').on('roles').expression(sql`lower(name)`).unique().execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('roles_name_nocase').execute();
}
