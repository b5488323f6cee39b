import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApplicationIn, createOrganization } from '../helpers/owners.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';

/**
 * Proprietary components (Tollgate's own API: the reference has no operation for it): package URL
 * patterns per organization or application, inherited down the organization tree.
 */
let server: TestServer;
let parent: string;
let child: string;
let appId: string;
let READER: [string, string];
let CHILD_OWNER: [string, string];

const path = (ownerType: string, ownerId: string) => `/api/v2/proprietaryComponents/${ownerType}/${ownerId}`;
const stored = async () =>
  (await server.ctx.store.db.selectFrom('proprietary_components').select(['owner_type', 'owner_id', 'package_url_patterns']).orderBy('owner_id').execute()).map((r) => ({
    ...r,
    package_url_patterns: JSON.parse(r.package_url_patterns),
  }));

beforeAll(async () => {
  server = await startTestServer({ registries: { offline: true } });
  parent = await createOrganization(server, 'Acme');
  child = await createOrganization(server, 'Acme Billing', parent);
  appId = await createApplicationIn(server, 'ledger', child);
  READER = await userWithRole(server, 'reader', 'Developer', 'organization', parent);
  CHILD_OWNER = await userWithRole(server, 'child-owner', 'Owner', 'organization', child);
});
afterAll(async () => {
  await server?.close();
});

describe('proprietary components', () => {
  it('an owner without patterns has none, and inherits none', async () => {
    const res = await server.request('GET', path('application', appId));
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ ownerType: 'application', ownerId: appId, packageUrlPatterns: [], inherited: [] });
  });

  it('PUT replaces the list (trimmed, duplicates dropped) and answers as GET does; owners below inherit it', async () => {
    const put = await server.request('PUT', path('organization', parent), {
      body: { packageUrlPatterns: ['pkg:npm/@acme/*', ' pkg:maven/com.acme*/* ', 'PKG:NPM/@ACME/*'] },
    });
    expect(put.status, put.text).toBe(200);
    expect(put.body).toEqual({ ownerType: 'organization', ownerId: parent, packageUrlPatterns: ['pkg:npm/@acme/*', 'pkg:maven/com.acme*/*'], inherited: [] });
    expect((await server.request('GET', path('organization', parent))).body).toEqual(put.body);

    const childPut = await server.request('PUT', path('organization', child), { body: { packageUrlPatterns: ['pkg:pypi/acme-*'] } });
    expect(childPut.status, childPut.text).toBe(200);
    const app = await server.request('GET', path('application', appId));
    expect(app.body).toEqual({
      ownerType: 'application',
      ownerId: appId,
      packageUrlPatterns: [],
      inherited: [
        { ownerType: 'organization', ownerId: child, ownerName: 'Acme Billing', packageUrlPatterns: ['pkg:pypi/acme-*'] },
        { ownerType: 'organization', ownerId: parent, ownerName: 'Acme', packageUrlPatterns: ['pkg:npm/@acme/*', 'pkg:maven/com.acme*/*'] },
      ],
    });

    // Replacing, not appending; an empty list removes the row.
    expect((await server.request('PUT', path('organization', child), { body: { packageUrlPatterns: ['pkg:pypi/acme-tools'] } })).body.packageUrlPatterns).toEqual([
      'pkg:pypi/acme-tools',
    ]);
    expect((await server.request('PUT', path('organization', child), { body: { packageUrlPatterns: [] } })).body.packageUrlPatterns).toEqual([]);
    expect(await stored()).toEqual([{ owner_type: 'organization', owner_id: parent, package_url_patterns: ['pkg:npm/@acme/*', 'pkg:maven/com.acme*/*'] }]);
  });

  it('the root organization and applications hold patterns too', async () => {
    const root = await server.request('PUT', path('organization', 'ROOT_ORGANIZATION_ID'), { body: { packageUrlPatterns: ['pkg:generic/acme-*'] } });
    expect(root.status, root.text).toBe(200);
    const app = await server.request('PUT', path('application', appId), { body: { packageUrlPatterns: ['pkg:npm/ledger-ui@2.*'] } });
    expect(app.status, app.text).toBe(200);
    expect(app.body.packageUrlPatterns).toEqual(['pkg:npm/ledger-ui@2.*']);
    expect(app.body.inherited.map((o: { ownerId: string }) => o.ownerId)).toEqual([parent, 'ROOT_ORGANIZATION_ID']);
    const childView = await server.request('GET', path('organization', child));
    expect(childView.body.inherited.map((o: { ownerName: string }) => o.ownerName)).toEqual(['Acme', 'Root Organization']);
    await server.request('PUT', path('organization', 'ROOT_ORGANIZATION_ID'), { body: { packageUrlPatterns: [] } });
    await server.request('PUT', path('application', appId), { body: { packageUrlPatterns: [] } });
  });

  it('writes an audit entry for each change', async () => {
    const rows = await server.ctx.store.db.selectFrom('audit_log').select(['action']).where('action', '=', 'proprietaryComponents.update').execute();
    expect(rows.length).toBeGreaterThanOrEqual(6);
  });

  it('refuses bad patterns with a message naming the pattern, storing nothing', async () => {
    const before = await stored();
    const cases: Array<[unknown, string]> = [
      [{ packageUrlPatterns: ['pkg:npm/@acme/ui', 'npm/@acme/*'] }, 'Package URL pattern "npm/@acme/*" does not start with "pkg:"'],
      [{ packageUrlPatterns: ['pkg:npm'] }, 'Package URL pattern "pkg:npm" has no "/" after the package type'],
      [{ packageUrlPatterns: ['pkg:maven/g/a?type=jar'] }, 'names qualifiers or a subpath'],
      [{ packageUrlPatterns: [`pkg:npm/${'x'.repeat(300)}`] }, 'is longer than 200 characters'],
      [{ packageUrlPatterns: Array.from({ length: 501 }, (_, i) => `pkg:npm/p${i}`) }, 'at most 500 proprietary package URL patterns, not 501'],
      [{ packageUrlPatterns: [3] }, ''],
      [{}, ''],
    ];
    for (const [body, message] of cases) {
      const res = await server.request('PUT', path('organization', parent), { body });
      expect(res.status, res.text).toBe(400);
      expect(res.text).toContain(message);
    }
    expect(await stored()).toEqual(before);
  });

  it('answers 400 for an owner type that holds no patterns and 404 for unknown owners and repositories', async () => {
    const badType = await server.request('GET', path('policy', parent));
    expect(badType.status).toBe(400);
    expect(badType.text).toContain('ownerType must be organization or application');
    expect((await server.request('PUT', path('policy', parent), { body: { packageUrlPatterns: [] } })).status).toBe(400);
    const unknown = await server.request('GET', path('organization', 'no-such-org'));
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('Organization no-such-org not found');
    expect((await server.request('PUT', path('application', 'no-such-app'), { body: { packageUrlPatterns: ['pkg:npm/a'] } })).status).toBe(404);
    expect((await server.request('GET', path('repository', 'r1'))).status).toBe(404);
  });

  it('needs credentials, READ to look and MANAGE_PROPRIETARY on the owner to change', async () => {
    expect((await server.request('GET', path('organization', parent), { auth: null })).status).toBe(401);
    expect((await server.request('PUT', path('organization', parent), { auth: null, body: { packageUrlPatterns: [] } })).status).toBe(401);

    // A Developer (READ, no MANAGE_PROPRIETARY) sees the patterns but cannot change them.
    const seen = await server.request('GET', path('application', appId), { auth: READER });
    expect(seen.status, seen.text).toBe(200);
    expect(seen.body.inherited).toHaveLength(1);
    const refused = await server.request('PUT', path('organization', parent), { auth: READER, body: { packageUrlPatterns: ['pkg:npm/x'] } });
    expect(refused.status).toBe(403);

    // An Owner of the child organization manages its patterns, not its parent's (nor sees them there).
    expect((await server.request('PUT', path('organization', child), { auth: CHILD_OWNER, body: { packageUrlPatterns: ['pkg:npm/y'] } })).status).toBe(200);
    expect((await server.request('PUT', path('organization', parent), { auth: CHILD_OWNER, body: { packageUrlPatterns: ['pkg:npm/x'] } })).status).toBe(403);
    expect((await server.request('GET', path('organization', parent), { auth: CHILD_OWNER })).status).toBe(403);
    expect((await server.request('PUT', path('organization', child), { body: { packageUrlPatterns: [] } })).status).toBe(200);

    expect(await stored()).toEqual([{ owner_type: 'organization', owner_id: parent, package_url_patterns: ['pkg:npm/@acme/*', 'pkg:maven/com.acme*/*'] }]);
  });

  it('deleting an owner removes its patterns', async () => {
    const doomed = await createOrganization(server, 'Doomed');
    expect((await server.request('PUT', path('organization', doomed), { body: { packageUrlPatterns: ['pkg:npm/doomed'] } })).status).toBe(200);
    const del = await server.request('DELETE', `/api/v2/organizations/${doomed}`);
    expect(del.status, del.text).toBe(204);
    expect((await stored()).map((r) => r.owner_id)).not.toContain(doomed);
  });
});
