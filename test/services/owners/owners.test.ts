import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../../src/core/errors.js';
import { ROOT_ORGANIZATION_ID } from '../../../src/core/ids.js';
import { ownerColumns } from '../../../src/services/owners/owner-columns.js';
import { ownedBy } from '../../../src/services/owners/owner-filter.js';
import { ownerLine } from '../../../src/services/owners/owner-line.js';
import { resolveOwner } from '../../../src/services/owners/owner.js';
import { createApplicationIn, createOrganization } from '../../helpers/owners.js';
import { type TestServer, startTestServer } from '../../helpers/server.js';

/** The owner module (services/owners/): one resolver, the owner line, the owner filter. */
let server: TestServer;
let parent: string;
let child: string;
let appId: string;

beforeAll(async () => {
  server = await startTestServer();
  parent = await createOrganization(server, 'Owners Parent');
  child = await createOrganization(server, 'Owners Child', parent);
  appId = await createApplicationIn(server, 'owners-app', child, 'Owners App');
});

afterAll(async () => {
  await server?.close();
});

describe('resolveOwner', () => {
  it('names an organization or application with its organization; an application by public id only when asked', async () => {
    const { store } = server.ctx;
    expect(await resolveOwner(store, 'organization', child)).toEqual({ type: 'organization', id: child, name: 'Owners Child', organizationId: child });
    const app = { type: 'application', id: appId, name: 'Owners App', publicId: 'owners-app', organizationId: child };
    expect(await resolveOwner(store, 'application', appId)).toEqual(app);
    expect(await resolveOwner(store, 'application', 'owners-app', { byPublicId: true })).toEqual(app);
    await expect(resolveOwner(store, 'application', 'owners-app')).rejects.toThrow(new NotFoundError('Application owners-app not found'));
    await expect(resolveOwner(store, 'organization', 'nope')).rejects.toThrow(new NotFoundError('Organization nope not found'));
  });

  it('refuses other owner types with the caller’s error, by default the one of component decisions', async () => {
    const { store } = server.ctx;
    await expect(resolveOwner(store, 'repository', 'r1')).rejects.toBeInstanceOf(NotFoundError);
    await expect(resolveOwner(store, 'team', 't1')).rejects.toThrow(new ValidationError('ownerType must be organization or application, not "team"'));
    await expect(resolveOwner(store, 'team', 't1', { refuse: (type) => new ValidationError(`no ${type}`) })).rejects.toThrow('no team');
  });
});

describe('ownerLine', () => {
  it('runs from the owner up through its organizations to the root', async () => {
    const { store } = server.ctx;
    const line = await ownerLine(store, await resolveOwner(store, 'application', appId));
    expect(line.map((o) => [o.type, o.id])).toEqual([
      ['application', appId],
      ['organization', child],
      ['organization', parent],
      ['organization', ROOT_ORGANIZATION_ID],
    ]);
    expect(line[1]).toEqual({ type: 'organization', id: child, name: 'Owners Child', organizationId: child });
    const fromOrganization = await ownerLine(store, await resolveOwner(store, 'organization', parent));
    expect(fromOrganization.map((o) => o.id)).toEqual([parent, ROOT_ORGANIZATION_ID]);
  });
});

describe('ownedBy', () => {
  it('selects the rows of one owner, of several, or none', async () => {
    const { store } = server.ctx;
    const rows = [
      { id: 'owners-l1', label: 'One', label_key: 'one', description: '', color: 'orange', ...ownerColumns({ type: 'organization', id: child }) },
      { id: 'owners-l2', label: 'Two', label_key: 'two', description: '', color: 'orange', ...ownerColumns({ type: 'application', id: appId }) },
    ];
    await store.db.insertInto('component_labels').values(rows).execute();
    const ids = async (where: ReturnType<typeof ownedBy>) =>
      (await store.db.selectFrom('component_labels').select('id').where(where).where('id', 'like', 'owners-%').orderBy('id').execute()).map((r) => r.id);
    expect(await ids(ownedBy({ type: 'organization', id: child }))).toEqual(['owners-l1']);
    // The type counts, not just the id.
    expect(await ids(ownedBy({ type: 'application', id: child }))).toEqual([]);
    expect(await ids(ownedBy(await ownerLine(store, await resolveOwner(store, 'application', appId))))).toEqual(['owners-l1', 'owners-l2']);
    expect(await ids(ownedBy([]))).toEqual([]);
    const joined = await store.db
      .selectFrom('component_labels as l')
      .innerJoin('organizations as o', 'o.id', 'l.organization_id')
      .select('l.id')
      .where(ownedBy({ type: 'organization', id: child }, 'l'))
      .execute();
    expect(joined.map((r) => r.id)).toEqual(['owners-l1']);
  });
});
