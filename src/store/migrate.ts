import { readdir } from 'node:fs/promises';
import { type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Store } from './db.js';

/**
 * Migrations are the files in store/migrations/, applied in file-name order. Names start with a
 * date and time (`20261123_0500_foundation.ts`) so areas add their own without touching a list.
 */
class FolderMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const folder = new URL('./migrations/', import.meta.url);
    const files = (await readdir(folder))
      .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
      .sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const name = file.replace(/\.(ts|js)$/, '');
      migrations[name] = (await import(new URL(file, folder).href)) as Migration;
    }
    return migrations;
  }
}

/** The store's migrator (tests step it back and forth to check a migration against older data). */
export async function migratorFor(store: Store): Promise<Migrator> {
  // On PostgreSQL, name the schema: otherwise Kysely takes another schema's migration tables (a
  // concurrent test run's, say) for this one's and never creates its own.
  const migrationTableSchema =
    store.dialect === 'postgres' ? (await sql<{ name: string }>`SELECT current_schema() AS name`.execute(store.db)).rows[0]?.name : undefined;
  return new Migrator({ db: store.db, provider: new FolderMigrationProvider(), migrationTableSchema });
}

export async function migrateToLatest(store: Store): Promise<string[]> {
  const migrator = await migratorFor(store);
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? error}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
