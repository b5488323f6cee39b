import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Store, dropSchema, openStore } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { onPostgres } from '../helpers/server.js';

// Test files share one PostgreSQL database, a schema each, created and dropped all the time. The
// migrator's introspection must see only its own schema: Kysely's own read every schema's columns
// and failed ("schema … does not exist") when another file dropped its schema meanwhile.
describe.runIf(onPostgres)('introspection on PostgreSQL', () => {
  const url = process.env.DATABASE_URL ?? '';
  const names = [`t_${randomBytes(6).toString('hex')}`, `t_${randomBytes(6).toString('hex')}`];
  const stores: Store[] = [];
  beforeAll(async () => {
    for (const schema of names) stores.push(await openStore(url, { schema }));
    await migrateToLatest(stores[0]);
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    for (const schema of names) await dropSchema(url, schema);
  });

  it("lists the connection's own schema's tables only, Kysely's migration tables when asked", async () => {
    const [migrated, empty] = stores;
    const tables = await migrated.db.introspection.getTables();
    expect(new Set(tables.map((t) => t.schema))).toEqual(new Set([names[0]]));
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['applications', 'organizations', 'reports']));
    expect(tables.map((t) => t.name)).not.toContain('kysely_migration');
    const withInternal = await migrated.db.introspection.getTables({ withInternalKyselyTables: true });
    expect(withInternal.map((t) => t.name)).toEqual(expect.arrayContaining(['kysely_migration', 'kysely_migration_lock']));
    // The other schema exists, and holds nothing yet: the migrated one's tables are not taken for its own.
    expect((await empty.db.introspection.getSchemas()).map((s) => s.name)).toEqual(expect.arrayContaining(names));
    expect(await empty.db.introspection.getTables({ withInternalKyselyTables: true })).toEqual([]);
  });

  it('migrates a schema while another is dropped', async () => {
    const doomed = `t_${randomBytes(6).toString('hex')}`;
    const other = await openStore(url, { schema: doomed });
    await migrateToLatest(other);
    await other.close();
    const [drop, migrated] = await Promise.all([dropSchema(url, doomed), migrateToLatest(stores[1])]);
    expect(drop).toBeUndefined();
    expect(migrated.length).toBeGreaterThan(10);
  });
});
