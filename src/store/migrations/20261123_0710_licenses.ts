import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DEFAULT_THREAT_GROUPS } from '../../intel/licenses/default-threat-groups.js';
import { stableId } from '../../core/ids.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema as it was then.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('license_threat_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_type', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('threat_level', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('license_threat_groups_owner_name')
    .on('license_threat_groups')
    .columns(['owner_type', 'owner_id', 'name_key'])
    .unique()
    .execute();
  await db.schema
    .createTable('license_threat_group_licenses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull().references('license_threat_groups.id').onDelete('cascade'))
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('license_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('license_threat_group_licenses_group_license')
    .on('license_threat_group_licenses')
    .columns(['group_id', 'license_id'])
    .unique()
    .execute();

  // The root organization starts with the shipped default groups, as every install of the
  // reference product does. This seeds the defaults as this release defines them; later releases
  // change an installation's groups only through its own edits.
  const now = new Date().toISOString();
  const ownerId = 'ROOT_ORGANIZATION_ID';
  for (const group of DEFAULT_THREAT_GROUPS) {
    const groupId = stableId(`license-threat-group:${ownerId}:${group.name}`);
    await db
      .insertInto('license_threat_groups')
      .values({
        id: groupId,
        owner_type: 'organization',
        owner_id: ownerId,
        name: group.name,
        name_key: group.name.toLowerCase().replace(/\s+/g, ''),
        threat_level: group.threatLevel,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const rows = group.licenseIds.map((licenseId) => ({ id: randomBytes(16).toString('hex'), group_id: groupId, owner_id: ownerId, license_id: licenseId }));
    for (let i = 0; i < rows.length; i += 200) {
      await db.insertInto('license_threat_group_licenses').values(rows.slice(i, i + 200)).execute();
    }
  }
}

// biome-ignore lint/suspicious/noExplicitAny: as above.
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('license_threat_group_licenses').execute();
  await db.schema.dropTable('license_threat_groups').execute();
}
