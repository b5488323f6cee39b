import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';
import { importRealAdvisories } from './real-advisories.js';
import { scanAndWait } from '../evaluation/scan.js';
import { cycloneDxJson } from '../evaluation/sboms.js';
import { createApplicationIn, createOrganization } from '../helpers/owners.js';

/**
 * Policy waivers end to end over HTTP: scan, waive a violation of the stored report through the
 * API, scan again (the violation is reported waived and no longer decides the action), delete the
 * waiver (it decides again).
 */
let server: TestServer;
let division: string;
let elsewhere: string;
let shop: string;
let other: string;
let OWNER: [string, string];
let DEV: [string, string];
let NOBODY: [string, string];
let advisories = false;

const READLINE = 'pkg:npm/readline@1.3.0';
const GPL = cycloneDxJson([
  { name: 'readline', version: '1.3.0', purl: READLINE, license: 'GPL-3.0-only' },
  { name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0', license: 'MIT' },
]);
const GPL_NEXT = cycloneDxJson([{ name: 'readline', version: '1.4.0', purl: 'pkg:npm/readline@1.4.0', license: 'GPL-3.0-only' }]);

const createOrg = (name: string, parentOrganizationId?: string) => createOrganization(server, name, parentOrganizationId);

const createApp = (publicId: string, organizationId: string) => createApplicationIn(server, publicId, organizationId, `${publicId} app`);

interface ReportedViolation {
  packageUrl?: string;
  policyName: string;
  policyViolationId: string;
  waived: boolean;
}

/** The violations of a report, from its policy data (as clients read violation ids). */
async function violationsOf(publicId: string, scanId: string): Promise<ReportedViolation[]> {
  const res = await server.request('GET', `/api/v2/applications/${publicId}/reports/${scanId}/policy`);
  expect(res.status, res.text).toBe(200);
  return res.body.components.flatMap((c: { packageUrl?: string; violations: ReportedViolation[] }) =>
    c.violations.map((v) => ({ packageUrl: c.packageUrl, policyName: v.policyName, policyViolationId: v.policyViolationId, waived: v.waived })),
  );
}

async function copyleftViolation(publicId: string, scanId: string, purl = READLINE): Promise<ReportedViolation> {
  const found = (await violationsOf(publicId, scanId)).find((v) => v.policyName === 'License-Copyleft' && v.packageUrl === purl);
  expect(found, `License-Copyleft violation of ${purl}`).toBeDefined();
  return found!;
}

const waive = (ownerType: string, ownerId: string, violationId: string, body: unknown, auth?: [string, string] | null) =>
  server.request('POST', `/api/v2/policyWaivers/${ownerType}/${ownerId}/${violationId}`, { body, auth });
const list = (ownerType: string, ownerId: string, auth?: [string, string] | null) => server.request('GET', `/api/v2/policyWaivers/${ownerType}/${ownerId}`, { auth });
const count = async () => Number((await server.ctx.store.db.selectFrom('policy_waivers').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  server = await startTestServer({ registries: { offline: true } });
  division = await createOrg('Division');
  elsewhere = await createOrg('Elsewhere');
  shop = await createApp('shop', division);
  other = await createApp('other', elsewhere);
  OWNER = await userWithRole(server, 'waiver', 'Owner', 'application', shop);
  DEV = await userWithRole(server, 'dev', 'Developer', 'application', shop);
  NOBODY = await userWithRole(server, 'nobody', null);
  advisories = await importRealAdvisories(server);
  if (!advisories) console.warn('notice: ../shared/osv is absent; the waiver of a real vulnerability is skipped');
}, 60_000);
afterAll(async () => {
  await server?.close();
});

describe('a waiver made from a violation of a stored report', () => {
  let violation: ReportedViolation;
  let waiverId: string;

  it('scan → Failure; waive the violation; scan again → waived, the action drops; delete the waiver → Failure again', async () => {
    const first = await scanAndWait(server, shop, GPL, { stage: 'release' });
    expect(first.result.policyAction).toBe('Failure');
    violation = await copyleftViolation('shop', first.scanId);
    expect(violation.waived).toBe(false);

    const made = await waive('application', shop, violation.policyViolationId, { comment: 'Used only by the build tooling', matcherStrategy: 'EXACT_COMPONENT' }, OWNER);
    expect(made.status, made.text).toBe(204);
    expect(made.text).toBe('');

    const listed = await list('application', shop, DEV);
    expect(listed.status, listed.text).toBe(200);
    expectMatchesReference('GET', '/api/v2/policyWaivers/{ownerType}/{ownerId}', 200, listed.body);
    expect(listed.body).toHaveLength(1);
    const w = listed.body[0];
    expect(w).toMatchObject({
      policyViolationId: violation.policyViolationId,
      policyName: 'License-Copyleft',
      threatLevel: 9,
      comment: 'Used only by the build tooling',
      matcherStrategy: 'EXACT_COMPONENT',
      scopeOwnerType: 'application',
      scopeOwnerId: shop,
      scopeOwnerName: 'shop app',
      associatedPackageUrl: READLINE,
      componentIdentifier: { format: 'npm', coordinates: { packageId: 'readline', version: '1.3.0' } },
      displayName: { name: 'readline 1.3.0' },
      creatorId: 'waiver',
      expireWhenRemediationAvailable: false,
      isObsolete: false,
    });
    expect(w.hash).toMatch(/^[0-9a-f]{20}$/);
    expect(w.expiryTime).toBeUndefined();
    expect(w.constraintFacts[0]).toMatchObject({ constraintName: 'Copyleft license', conditionFacts: [{ reason: expect.any(String), summary: expect.any(String) }] });
    waiverId = w.policyWaiverId;

    const second = await scanAndWait(server, shop, GPL, { stage: 'release' });
    expect(second.result.policyAction).toBe('None');
    expect(second.result.openPolicyViolations.critical).toBe(0);
    expect((await copyleftViolation('shop', second.scanId)).waived).toBe(true);
    // The same component named in another application is not waived there.
    const elsewhereScan = await scanAndWait(server, other, GPL, { stage: 'release' });
    expect(elsewhereScan.result.policyAction).toBe('Failure');

    const deleted = await server.request('DELETE', `/api/v2/policyWaivers/application/${shop}/${waiverId}`, { auth: OWNER });
    expect(deleted.status, deleted.text).toBe(204);
    expect(await count()).toBe(0);
    const third = await scanAndWait(server, shop, GPL, { stage: 'release' });
    expect(third.result.policyAction).toBe('Failure');
    expect((await copyleftViolation('shop', third.scanId)).waived).toBe(false);
  });

  it('an organization waives every version of a component for the applications below it', async () => {
    const made = await waive('organization', division, violation.policyViolationId, { comment: 'readline is fine here', matcherStrategy: 'ALL_VERSIONS' });
    expect(made.status, made.text).toBe(204);
    const next = await scanAndWait(server, shop, GPL_NEXT, { stage: 'release' });
    expect(next.result.policyAction).toBe('None');
    expect((await copyleftViolation('shop', next.scanId, 'pkg:npm/readline@1.4.0')).waived).toBe(true);

    // Listed at the organization, and at the application as an inherited waiver.
    const atOrg = await list('organization', division);
    expect(atOrg.body.map((w: { matcherStrategy: string }) => w.matcherStrategy)).toEqual(['ALL_VERSIONS']);
    const atApp = await list('application', shop);
    expectMatchesReference('GET', '/api/v2/policyWaivers/{ownerType}/{ownerId}', 200, atApp.body);
    expect(atApp.body).toHaveLength(1);
    expect(atApp.body[0]).toMatchObject({ scopeOwnerType: 'organization', scopeOwnerId: division, scopeOwnerName: 'Division', associatedPackageUrl: READLINE });
    expect(atApp.body[0].hash).toBeUndefined();
    const one = await server.request('GET', `/api/v2/policyWaivers/application/${shop}/${atApp.body[0].policyWaiverId}`, { auth: DEV });
    expect(one.status, one.text).toBe(200);
    expectMatchesReference('GET', '/api/v2/policyWaivers/{ownerType}/{ownerId}/{policyWaiverId}', 200, one.body);
    // An inherited waiver is changed and deleted where it was made, not through the application.
    expect((await server.request('DELETE', `/api/v2/policyWaivers/application/${shop}/${atApp.body[0].policyWaiverId}`)).status).toBe(404);
    // Not in effect elsewhere.
    expect((await list('organization', elsewhere)).body).toEqual([]);
    expect((await list('application', other)).body).toEqual([]);
    const removed = await server.request('DELETE', `/api/v2/policyWaivers/organization/${division}/${atApp.body[0].policyWaiverId}`);
    expect(removed.status, removed.text).toBe(204);
  });

  it('the root organization waives a policy for every component; the response names it root_organization', async () => {
    const made = await waive('organization', 'ROOT_ORGANIZATION_ID', violation.policyViolationId, { comment: 'copyleft accepted company-wide', matcherStrategy: 'ALL_COMPONENTS' });
    expect(made.status, made.text).toBe(204);
    const listed = await list('application', other);
    expectMatchesReference('GET', '/api/v2/policyWaivers/{ownerType}/{ownerId}', 200, listed.body);
    expect(listed.body).toHaveLength(1);
    expect(listed.body[0]).toMatchObject({ matcherStrategy: 'ALL_COMPONENTS', scopeOwnerType: 'root_organization', scopeOwnerId: 'ROOT_ORGANIZATION_ID' });
    expect(listed.body[0].associatedPackageUrl).toBeUndefined();
    expect(listed.body[0].componentIdentifier).toBeUndefined();
    const scan = await scanAndWait(server, other, GPL, { stage: 'release' });
    expect(scan.result.policyAction).toBe('None');
    await server.request('DELETE', `/api/v2/policyWaivers/organization/ROOT_ORGANIZATION_ID/${listed.body[0].policyWaiverId}`);
    expect(await count()).toBe(0);
  });

  it('DEFAULT is the exact component; the deprecated applyToAllComponents still works', async () => {
    expect((await waive('application', shop, violation.policyViolationId, { comment: 'x', matcherStrategy: 'default' })).status).toBe(204);
    expect((await waive('application', shop, violation.policyViolationId, { comment: 'y', applyToAllComponents: true })).status).toBe(204);
    const listed = await list('application', shop);
    expect(listed.body.map((w: { matcherStrategy: string }) => w.matcherStrategy).sort()).toEqual(['ALL_COMPONENTS', 'EXACT_COMPONENT']);
    for (const w of listed.body) await server.request('DELETE', `/api/v2/policyWaivers/application/${shop}/${w.policyWaiverId}`);
    expect(await count()).toBe(0);
  });

  it('expires: an expired waiver waives nothing and is no longer listed', async () => {
    const realNow = server.ctx.now;
    try {
      const made = await waive('application', shop, violation.policyViolationId, {
        comment: 'until the upgrade',
        matcherStrategy: 'EXACT_COMPONENT',
        expiryTime: '2099-01-31T00:00:00.000+0000',
      });
      expect(made.status, made.text).toBe(204);
      const listed = await list('application', shop);
      expect(listed.body[0].expiryTime).toBe('2099-01-31T00:00:00.000Z');
      expect((await scanAndWait(server, shop, GPL, { stage: 'release' })).result.policyAction).toBe('None');

      server.ctx.now = () => new Date('2099-02-01T00:00:00Z');
      expect((await list('application', shop)).body).toEqual([]);
      expect((await scanAndWait(server, shop, GPL, { stage: 'release' })).result.policyAction).toBe('Failure');
      // Still readable by id, with its expiry.
      const one = await server.request('GET', `/api/v2/policyWaivers/application/${shop}/${listed.body[0].policyWaiverId}`);
      expect(one.status).toBe(200);
      expect(one.body.expiryTime).toBe('2099-01-31T00:00:00.000Z');
      await server.request('DELETE', `/api/v2/policyWaivers/application/${shop}/${listed.body[0].policyWaiverId}`);
    } finally {
      server.ctx.now = realNow;
    }
  });

  it('PUT changes comment, expiry and reason, never the matcher strategy', async () => {
    // A new report: the one the first violation came from may be gone by data retention after the scan "in 2099".
    const scan = await scanAndWait(server, shop, GPL, { stage: 'build' });
    violation = await copyleftViolation('shop', scan.scanId);
    expect((await waive('application', shop, violation.policyViolationId, { comment: 'first', matcherStrategy: 'EXACT_COMPONENT' })).status).toBe(204);
    const [w] = (await list('application', shop)).body;
    const path = `/api/v2/policyWaivers/application/${shop}/${w.policyWaiverId}`;
    const changed = await server.request('PUT', path, {
      body: { comment: 'second', matcherStrategy: 'EXACT_COMPONENT', expiryTime: '2098-06-01T12:00:00Z', waiverReasonId: 'reason-1', expireWhenRemediationAvailable: true },
      auth: OWNER,
    });
    expect(changed.status, changed.text).toBe(204);
    const after = await server.request('GET', path);
    expect(after.body).toMatchObject({ comment: 'second', expiryTime: '2098-06-01T12:00:00.000Z', policyWaiverReasonId: 'reason-1', expireWhenRemediationAvailable: true });
    expectMatchesReference('GET', '/api/v2/policyWaivers/{ownerType}/{ownerId}/{policyWaiverId}', 200, after.body);

    const strategy = await server.request('PUT', path, { body: { comment: 'third', matcherStrategy: 'ALL_COMPONENTS' } });
    expect(strategy.status).toBe(400);
    expect(strategy.text).toMatch(/matcherStrategy cannot be changed/);
    const past = await server.request('PUT', path, { body: { comment: 'third', matcherStrategy: 'EXACT_COMPONENT', expiryTime: '2001-01-01T00:00:00Z' } });
    expect(past.status).toBe(400);
    expect((await server.request('GET', path)).body.comment).toBe('second');
    expect((await server.request('PUT', path, { body: { comment: 'x', matcherStrategy: 'EXACT_COMPONENT' }, auth: DEV })).status).toBe(403);
    expect((await server.request('PUT', `/api/v2/policyWaivers/application/${shop}/nope`, { body: { comment: 'x', matcherStrategy: 'EXACT_COMPONENT' } })).status).toBe(404);
    await server.request('DELETE', path);
  });
});

describe('permissions and bad input', () => {
  let violationId: string;

  beforeAll(async () => {
    const scan = await scanAndWait(server, shop, GPL, { stage: 'build' });
    violationId = (await copyleftViolation('shop', scan.scanId)).policyViolationId;
  });

  it('needs credentials, Waive Policy Violations to waive and delete, View IQ Elements to read', async () => {
    const body = { comment: 'c', matcherStrategy: 'EXACT_COMPONENT' };
    expect((await waive('application', shop, violationId, body, null)).status).toBe(401);
    const forbidden = await waive('application', shop, violationId, body, DEV);
    expect(forbidden.status).toBe(403);
    expect((await waive('organization', division, violationId, body, OWNER)).status).toBe(403);
    expect(await count()).toBe(0);
    expect((await list('application', shop, null)).status).toBe(401);
    expect((await list('application', shop, NOBODY)).status).toBe(403);
    expect((await list('application', shop, DEV)).status).toBe(200);

    expect((await waive('application', shop, violationId, body, OWNER)).status).toBe(204);
    const [w] = (await list('application', shop)).body;
    const path = `/api/v2/policyWaivers/application/${shop}/${w.policyWaiverId}`;
    expect((await server.request('GET', path, { auth: NOBODY })).status).toBe(403);
    expect((await server.request('DELETE', path, { auth: DEV })).status).toBe(403);
    expect((await server.request('DELETE', path, { auth: null })).status).toBe(401);
    expect((await server.request('DELETE', path, { auth: OWNER })).status).toBe(204);
    expect((await server.request('DELETE', path)).status).toBe(404);
  });

  it('404 for unknown violations, owners and waivers, and for a violation outside the owner', async () => {
    const body = { comment: 'c', matcherStrategy: 'EXACT_COMPONENT' };
    const unknown = await waive('application', shop, '0123456789abcdef0123456789abcdef', body);
    expect(unknown.status).toBe(404);
    expect(unknown.text).toMatch(/No policy violation 0123456789abcdef0123456789abcdef/);
    expect((await waive('application', shop, 'not-an-id', body)).status).toBe(404);
    expect((await waive('organization', elsewhere, violationId, body)).status).toBe(404);
    expect((await waive('application', other, violationId, body)).status).toBe(404);
    expect((await waive('application', 'nope', violationId, body)).status).toBe(404);
    expect((await waive('repository', 'r1', violationId, body)).status).toBe(404);
    expect((await waive('galaxy', 'x', violationId, body)).status).toBe(400);
    expect((await list('organization', 'nope')).status).toBe(404);
    expect((await server.request('GET', `/api/v2/policyWaivers/application/${shop}/nope`)).status).toBe(404);
    expect(await count()).toBe(0);
  });

  it('400 with a clear message for a missing comment, an unknown strategy, a past or malformed expiry', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ matcherStrategy: 'EXACT_COMPONENT' }, /comment is required/],
      [{ comment: '   ', matcherStrategy: 'EXACT_COMPONENT' }, /comment is required/],
      [{ comment: 'c' }, /matcherStrategy is required/],
      [{ comment: 'c', matcherStrategy: 'SOME' }, /matcherStrategy "SOME" is not one of/],
      [{ comment: 'c', matcherStrategy: 'EXACT_COMPONENT', expiryTime: '2001-01-01T00:00:00Z' }, /not in the future/],
      [{ comment: 'c', matcherStrategy: 'EXACT_COMPONENT', expiryTime: 'next tuesday' }, /not an ISO 8601 date and time/],
      [{ comment: 'c', matcherStrategy: 'EXACT_COMPONENT', expiryTime: '2099-02-30T00:00:00Z' }, /not an ISO 8601 date and time/],
      [{ comment: 'c', matcherStrategy: 'EXACT_COMPONENT', expiryTime: '2099-01-01' }, /not an ISO 8601 date and time/],
      [{ comment: 'c', matcherStrategy: 'ALL_VERSIONS', expireWhenRemediationAvailable: true }, /only be set for a waiver of one exact component/],
      [{ comment: 'x'.repeat(2001), matcherStrategy: 'EXACT_COMPONENT' }, /at most 2000 characters/],
    ];
    for (const [body, message] of cases) {
      const res = await waive('application', shop, violationId, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.text).toMatch(message);
    }
    expect(await count()).toBe(0);
  });

  it('waivers go with their owner and with their policy', async () => {
    const doomed = await createApp('doomed', division);
    const scan = await scanAndWait(server, doomed, GPL, { stage: 'build' });
    const id = (await copyleftViolation('doomed', scan.scanId)).policyViolationId;
    expect((await waive('application', doomed, id, { comment: 'c', matcherStrategy: 'EXACT_COMPONENT' })).status).toBe(204);
    expect((await waive('organization', division, id, { comment: 'c', matcherStrategy: 'EXACT_COMPONENT' })).status).toBe(204);
    expect(await count()).toBe(2);
    expect((await server.request('DELETE', `/api/v2/applications/${doomed}`)).status).toBe(204);
    expect(await count()).toBe(1);
    // A policy deleted: its waivers have nothing left to waive.
    const { policy_id } = await server.ctx.store.db.selectFrom('policy_waivers').select('policy_id').executeTakeFirstOrThrow();
    const policy = await server.ctx.store.db.selectFrom('policies').selectAll().where('id', '=', policy_id).executeTakeFirstOrThrow();
    await server.ctx.store.db.deleteFrom('policies').where('id', '=', policy_id).execute();
    expect(await count()).toBe(0);
    // Put the reference policy back for the tests that follow.
    await server.ctx.store.db.insertInto('policies').values(policy).execute();
  });
});

describe('POST /api/v2/policyWaivers/{ownerType}/{ownerId}: many violations at once', () => {
  const TWO_GPL = cycloneDxJson([
    { name: 'readline', version: '1.3.0', purl: READLINE, license: 'GPL-3.0-only' },
    { name: 'gpl-thing', version: '2.0.0', purl: 'pkg:npm/gpl-thing@2.0.0', license: 'GPL-2.0-only' },
  ]);
  const bulk = (ownerType: string, ownerId: string, body: unknown, auth?: [string, string] | null) =>
    server.request('POST', `/api/v2/policyWaivers/${ownerType}/${ownerId}`, { body, auth });
  const options = { comment: 'both accepted', matcherStrategy: 'EXACT_COMPONENT' };

  it('waives every violation named, duplicates once; all or nothing', async () => {
    const app = await createApp('bulk', division);
    const before = await scanAndWait(server, app, TWO_GPL, { stage: 'release' });
    expect(before.result.policyAction).toBe('Failure');
    const ids = (await violationsOf('bulk', before.scanId)).filter((v) => v.policyName === 'License-Copyleft').map((v) => v.policyViolationId);
    expect(ids).toHaveLength(2);

    expect((await bulk('application', app, { violationIds: ids, apiWaiverOptionsDTO: options }, null)).status).toBe(401);
    expect((await bulk('application', app, { violationIds: ids, apiWaiverOptionsDTO: options }, DEV)).status).toBe(403);
    const unknown = await bulk('application', app, { violationIds: [...ids, 'ffffffffffffffffffffffffffffffff'], apiWaiverOptionsDTO: options });
    expect(unknown.status).toBe(404);
    expect(unknown.text).toMatch(/ffffffffffffffffffffffffffffffff/);
    const bad: Array<[unknown, RegExp]> = [
      [{ apiWaiverOptionsDTO: options }, /violationIds must name at least one/],
      [{ violationIds: [], apiWaiverOptionsDTO: options }, /violationIds must name at least one/],
      [{ violationIds: ids }, /apiWaiverOptionsDTO is required/],
      [{ violationIds: ids, apiWaiverOptionsDTO: { matcherStrategy: 'ALL_VERSIONS' } }, /comment is required/],
      [{ violationIds: Array.from({ length: 1001 }, (_, i) => i.toString(16).padStart(32, '0')), apiWaiverOptionsDTO: options }, /At most 1000/],
    ];
    for (const [body, message] of bad) {
      const res = await bulk('application', app, body);
      expect(res.status, JSON.stringify(body).slice(0, 100)).toBe(400);
      expect(res.text).toMatch(message);
    }
    expect(await count()).toBe(0);

    const made = await bulk('organization', division, { violationIds: [...ids, ids[0]], apiWaiverOptionsDTO: options });
    expect(made.status, made.text).toBe(204);
    const listed = await list('application', app);
    expectMatchesReference('GET', '/api/v2/policyWaivers/{ownerType}/{ownerId}', 200, listed.body);
    expect(listed.body.map((w: { policyViolationId: string }) => w.policyViolationId).sort()).toEqual([...ids].sort());
    const after = await scanAndWait(server, app, TWO_GPL, { stage: 'release' });
    expect(after.result.policyAction).toBe('None');
    for (const w of listed.body) await server.request('DELETE', `/api/v2/policyWaivers/organization/${division}/${w.policyWaiverId}`);
    expect(await count()).toBe(0);
  });
});

describe('a waived real vulnerability', () => {
  it('a security violation (sentry 23.5.1, CVE-2023-36826, CVSS 6.5) waived for all versions no longer counts', async (t) => {
    if (!advisories) return t.skip();
    const app = await createApp('py', division);
    const sbom = cycloneDxJson([{ name: 'sentry', version: '23.5.1', purl: 'pkg:pypi/sentry@23.5.1', license: 'BSD-3-Clause' }]);
    const before = await scanAndWait(server, app, sbom, { stage: 'release' });
    const security = (await violationsOf('py', before.scanId)).filter((v) => v.policyName.startsWith('Security-'));
    expect(security.map((v) => v.policyName)).toEqual(['Security-Medium']);
    expect(before.result.openPolicyViolations.severe).toBe(1);
    const res = await waive('application', app, security[0].policyViolationId, { comment: 'not reachable in our use', matcherStrategy: 'ALL_VERSIONS' });
    expect(res.status, res.text).toBe(204);
    const listed = await list('application', app);
    expectMatchesReference('GET', '/api/v2/policyWaivers/{ownerType}/{ownerId}', 200, listed.body);
    expect(listed.body[0]).toMatchObject({ policyName: 'Security-Medium', vulnerabilityId: 'CVE-2023-36826', associatedPackageUrl: 'pkg:pypi/sentry@23.5.1' });
    const after = await scanAndWait(server, app, sbom, { stage: 'release' });
    expect(after.result.openPolicyViolations).toEqual({ critical: 0, severe: 0, moderate: 0 });
    expect(after.result.componentsAffected).toEqual({ critical: 0, severe: 0, moderate: 0 });
    expect((await violationsOf('py', after.scanId)).filter((v) => v.policyName === 'Security-Medium').map((v) => v.waived)).toEqual([true]);
  });
});
