import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeReport } from '../../src/evaluation/report-codec.js';
import { getReport } from '../../src/services/reports/reports.js';
import { cycloneDxJson, type TestComponent } from '../evaluation/sboms.js';
import { scanAndWait } from '../evaluation/scan.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';
import { importRealAdvisories } from './real-advisories.js';
import { bracketQuery } from '../helpers/query.js';

/**
 * Transitive policy violations and their waivers over HTTP. The application depends on acme-core
 * (GPL: a violation of its own) and on sibling-gpl (GPL, not below acme-core). acme-core → sentry
 * 23.5.1 (CVE-2023-36826, a real PyPI advisory: Security-Medium) → requests 2.19.0 (real PyPI
 * advisories without a CVSS vector: Security-Unscored) and copyleft-helper (GPL-2.0:
 * License-Copyleft); copyleft-helper → acme-core closes a cycle.
 */
let server: TestServer;
let division: string;
let shop: string;
let outlet: string;
let OWNER: [string, string];
let DEV: [string, string];
let NOBODY: [string, string];
let advisories = false;

const ACME = 'pkg:pypi/acme-core@1.0.0';
const SENTRY = 'pkg:pypi/sentry@23.5.1';
const HELPER = 'pkg:pypi/copyleft-helper@2.0.0';
const REQUESTS = 'pkg:pypi/requests@2.19.0';
const SIBLING = 'pkg:pypi/sibling-gpl@1.0.0';
const COMPONENTS: TestComponent[] = [
  { name: 'acme-core', version: '1.0.0', purl: ACME, license: 'GPL-3.0-only' },
  { name: 'sentry', version: '23.5.1', purl: SENTRY, license: 'BSD-3-Clause' },
  { name: 'requests', version: '2.19.0', purl: REQUESTS, license: 'Apache-2.0' },
  { name: 'copyleft-helper', version: '2.0.0', purl: HELPER, license: 'GPL-2.0-only' },
  { name: 'sibling-gpl', version: '1.0.0', purl: SIBLING, license: 'GPL-2.0-only' },
];
const SBOM = cycloneDxJson(COMPONENTS, {
  direct: ['acme-core', 'sibling-gpl'],
  dependsOn: { 'acme-core': ['sentry'], sentry: ['requests', 'copyleft-helper'], 'copyleft-helper': ['acme-core'] },
});
// The next build: acme-core no longer brings sentry along (the application uses it directly).
const SBOM_NEXT = cycloneDxJson(COMPONENTS, {
  direct: ['acme-core', 'sibling-gpl', 'sentry'],
  dependsOn: { 'acme-core': ['copyleft-helper'], sentry: ['requests'] },
});

const VIOLATIONS = '/api/v2/policyViolations/transitive/{ownerType}/{ownerId}/{scanId}';
const STAGE_VIOLATIONS = '/api/v2/policyViolations/transitive/{ownerType}/{ownerId}/stages/{stageId}';
const WAIVERS = '/api/v2/policyWaivers/transitive/{ownerType}/{ownerId}/{scanId}';
const OPTIONS = { comment: 'vetted dependencies of acme-core', matcherStrategy: 'EXACT_COMPONENT' };

const q = (query: Record<string, string>) => `?${new URLSearchParams(query)}`;
const acme = q({ packageUrl: ACME });
/** acme-core in the bracket form generated clients send (componentIdentifier[format]=pypi&componentIdentifier[coordinates][name]=…). */
const acmeBracketed = `?${bracketQuery('componentIdentifier', { format: 'pypi', coordinates: { name: 'acme-core', version: '1.0.0' } })}`;
type Auth = [string, string] | null | undefined;
const violations = (ownerType: string, ownerId: string, at: string, query: string, auth?: Auth) =>
  server.request('GET', `/api/v2/policyViolations/transitive/${ownerType}/${ownerId}/${at}${query}`, { auth });
const waivers = (ownerType: string, ownerId: string, scanId: string, query: string, auth?: Auth) =>
  server.request('GET', `/api/v2/policyWaivers/transitive/${ownerType}/${ownerId}/${scanId}${query}`, { auth });
const waive = (ownerType: string, ownerId: string, at: string, query: string, body: unknown, auth?: Auth) =>
  server.request('POST', `/api/v2/policyWaivers/transitive/${ownerType}/${ownerId}/${at}${query}`, { body, auth });
/** The security violations below acme-core, when the real advisories are there: requests' are unscored (Security-Unscored, since issue 9). */
const securityBelow = () => (advisories ? [`${REQUESTS} Security-Unscored`, `${SENTRY} Security-Medium`] : []);
const waiverCount = async () => Number((await server.ctx.store.db.selectFrom('policy_waivers').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

interface Listed {
  packageUrl: string;
  policyName: string;
  waived: boolean;
  hash: string;
}

/** Every violation of a report, as its policy data shows them. */
async function reportViolations(publicId: string, scanId: string): Promise<Listed[]> {
  const res = await server.request('GET', `/api/v2/applications/${publicId}/reports/${scanId}/policy`);
  expect(res.status, res.text).toBe(200);
  return res.body.components.flatMap((c: { packageUrl: string; hash: string; violations: Array<{ policyName: string; waived: boolean }> }) =>
    c.violations.map((v) => ({ packageUrl: c.packageUrl, hash: c.hash, policyName: v.policyName, waived: v.waived })),
  );
}

/** The transitive violations as "purl policy" pairs, in the order answered. */
function pairs(body: { transitivePolicyViolations: Array<{ packageUrl: string; policyName: string }> }): string[] {
  return body.transitivePolicyViolations.map((v) => `${v.packageUrl} ${v.policyName}`);
}

async function createApp(publicId: string, organizationId: string): Promise<string> {
  const res = await server.request('POST', '/api/v2/applications', { body: { publicId, name: `${publicId} app`, organizationId } });
  expect(res.status, res.text).toBe(200);
  return res.body.id;
}

beforeAll(async () => {
  server = await startTestServer({ registries: { offline: true } });
  const org = await server.request('POST', '/api/v2/organizations', { body: { name: 'Division' } });
  expect(org.status, org.text).toBe(200);
  division = org.body.id;
  shop = await createApp('shop', division);
  outlet = await createApp('outlet', division);
  OWNER = await userWithRole(server, 'owner', 'Owner', 'application', shop);
  DEV = await userWithRole(server, 'dev', 'Developer', 'application', shop);
  NOBODY = await userWithRole(server, 'nobody', null);
  advisories = await importRealAdvisories(server);
  if (!advisories) console.warn('notice: ../shared/osv is absent; sentry has no vulnerability and only the license violations are checked');
}, 60_000);
afterAll(async () => {
  await server?.close();
});

describe('GET transitive policy violations', () => {
  let first: string;

  beforeAll(async () => {
    first = (await scanAndWait(server, shop, SBOM, { stage: 'build' })).scanId;
  });

  it("of acme-core are its dependencies' (sentry's vulnerability, copyleft-helper's license), not its own nor its sibling's", async () => {
    const all = await reportViolations('shop', first);
    expect(all.filter((v) => v.packageUrl === ACME).map((v) => v.policyName)).toEqual(['License-Copyleft']);
    expect(all.filter((v) => v.packageUrl === SIBLING).map((v) => v.policyName)).toEqual(['License-Copyleft']);

    const res = await violations('application', shop, first, acme, DEV);
    expect(res.status, res.text).toBe(200);
    expectMatchesReference('GET', VIOLATIONS, 200, res.body);
    expect(res.body).toMatchObject({
      packageUrl: ACME,
      displayName: 'acme-core 1.0.0',
      componentIdentifier: { format: 'pypi', coordinates: { name: 'acme-core', version: '1.0.0' } },
      isInnerSource: false,
    });
    expect(res.body.hash).toMatch(/^[0-9a-f]{20}$/);
    const expected = [`${HELPER} License-Copyleft`, ...securityBelow()];
    // Worst first: Copyleft (9) before Security-Unscored and Security-Medium (7).
    expect(pairs(res.body)).toEqual(expected);
    const copyleft = res.body.transitivePolicyViolations[0];
    expect(copyleft).toMatchObject({
      policyName: 'License-Copyleft',
      threatLevel: 9,
      threatCategory: 'LICENSE',
      action: 'warn',
      displayName: 'copyleft-helper 2.0.0',
      componentIdentifier: { format: 'pypi', coordinates: { name: 'copyleft-helper', version: '2.0.0' } },
    });
    expect(copyleft.hash).toBe(all.find((v) => v.packageUrl === HELPER)!.hash);
    expect(copyleft.policyViolationId).toMatch(/^[0-9a-f]{32}$/);
    if (advisories) expect(res.body.transitivePolicyViolations[1]).toMatchObject({ threatLevel: 7, threatCategory: 'SECURITY' });
  });

  it('names the component by componentIdentifier, package URL or hash; the first given wins', async () => {
    const byPurl = await violations('application', shop, first, acme);
    const identifier = JSON.stringify({ format: 'pypi', coordinates: { name: 'Acme_Core', version: '1.0.0' } });
    const byIdentifier = await violations('application', shop, first, q({ componentIdentifier: identifier, packageUrl: SIBLING }));
    const byHash = await violations('application', shop, first, q({ hash: byPurl.body.hash }));
    for (const res of [byIdentifier, byHash]) {
      expect(res.status, res.text).toBe(200);
      expectMatchesReference('GET', VIOLATIONS, 200, res.body);
      expect(res.body).toEqual(byPurl.body);
    }
    // The bracket form generated clients send reads like the JSON form, for a scan and for a stage.
    const bracketed = await violations('application', shop, first, acmeBracketed);
    expect(bracketed.status, bracketed.text).toBe(200);
    expect(bracketed.body).toEqual(byPurl.body);
    const stage = await violations('application', shop, 'stages/build', acmeBracketed);
    expect(stage.status, stage.text).toBe(200);
    expect(stage.body).toEqual((await violations('application', shop, 'stages/build', acme)).body);
    // packageUrl before hash.
    const sibling = await violations('application', shop, first, q({ packageUrl: SIBLING, hash: byPurl.body.hash }));
    expect(sibling.body).toMatchObject({ packageUrl: SIBLING, transitivePolicyViolations: [] });
  });

  it('follows the graph through its cycle, each dependency once; a leaf has none', async () => {
    // copyleft-helper → acme-core → sentry → (requests, copyleft-helper itself: left out).
    const helper = await violations('application', shop, first, q({ packageUrl: HELPER }));
    expect(helper.status, helper.text).toBe(200);
    expect(pairs(helper.body)).toEqual([`${ACME} License-Copyleft`, ...securityBelow()]);
    const leaf = await violations('application', shop, first, q({ packageUrl: REQUESTS }));
    expect(leaf.status, leaf.text).toBe(200);
    expectMatchesReference('GET', VIOLATIONS, 200, leaf.body);
    expect(leaf.body.transitivePolicyViolations).toEqual([]);
  });

  it('of a report stored without its graph: from the parents each component names', async () => {
    const scanId = (await scanAndWait(server, shop, SBOM, { stage: 'source' })).scanId;
    const withGraph = await violations('application', shop, scanId, acme);
    const { graph, ...rest } = (await getReport(server.ctx, shop, scanId)).data;
    expect(graph?.roots).toHaveLength(2);
    await server.ctx.store.db
      .updateTable('reports')
      .set({ document: await encodeReport(rest) })
      .where('id', '=', scanId)
      .execute();
    const without = await violations('application', shop, scanId, acme);
    expect(without.status, without.text).toBe(200);
    expect(without.body).toEqual(withGraph.body);
    expect(pairs(without.body)).toHaveLength(1 + securityBelow().length);
  });

  it('of a stage reads its newest report; of an organization, the newest one of its applications that has the component', async () => {
    const next = (await scanAndWait(server, shop, SBOM_NEXT, { stage: 'build' })).scanId;
    const stage = await violations('application', shop, 'stages/build', acme, DEV);
    expect(stage.status, stage.text).toBe(200);
    // The reference writes this answer as a 204 (with a body); Tollgate answers 200.
    expectMatchesReference('GET', STAGE_VIOLATIONS, 204, stage.body);
    expect(pairs(stage.body)).toEqual([`${HELPER} License-Copyleft`]);
    expect(stage.body).toEqual((await violations('application', shop, next, acme)).body);
    // The older scan still answers as it was.
    expect(pairs((await violations('application', shop, first, acme)).body)).toHaveLength(1 + securityBelow().length);

    await scanAndWait(server, outlet, SBOM, { stage: 'build' });
    const atOrg = await violations('organization', division, 'stages/build', acme);
    expect(atOrg.status, atOrg.text).toBe(200);
    expectMatchesReference('GET', STAGE_VIOLATIONS, 204, atOrg.body);
    expect(pairs(atOrg.body)).toHaveLength(1 + securityBelow().length);
    // A stage nobody evaluated at.
    const none = await violations('organization', division, 'stages/operate', acme);
    expect(none.status).toBe(404);
    expect(none.text).toMatch(/No application of organization Division has a report at stage operate/);
  });
});

describe('permissions and bad input', () => {
  let scanId: string;

  beforeAll(async () => {
    scanId = (await scanAndWait(server, shop, SBOM, { stage: 'develop' })).scanId;
  });

  it('need credentials; View IQ Elements to read, Waive Policy Violations to waive', async () => {
    for (const auth of [null, NOBODY] as const) {
      const status = auth === null ? 401 : 403;
      expect((await violations('application', shop, scanId, acme, auth)).status).toBe(status);
      expect((await violations('application', shop, 'stages/develop', acme, auth)).status).toBe(status);
      expect((await waivers('application', shop, scanId, acme, auth)).status).toBe(status);
    }
    expect((await waivers('application', shop, scanId, acme, DEV)).status).toBe(200);
    expect((await waive('application', shop, scanId, acme, OPTIONS, null)).status).toBe(401);
    expect((await waive('application', shop, 'stages/develop', acme, OPTIONS, null)).status).toBe(401);
    expect((await waive('application', shop, scanId, acme, OPTIONS, DEV)).status).toBe(403);
    expect((await waive('application', shop, 'stages/develop', acme, OPTIONS, DEV)).status).toBe(403);
    // The Owner of the application is no one at the organization.
    expect((await waive('organization', division, 'stages/develop', acme, OPTIONS, OWNER)).status).toBe(403);
    expect(await waiverCount()).toBe(0);
  });

  it('400 without a component, for a malformed one, an unknown stage or an organization’s scan; nothing stored', async () => {
    const cases: Array<[string, string, RegExp]> = [
      [scanId, '', /Name the component: componentIdentifier .*, packageUrl or hash/],
      [scanId, q({ packageUrl: ' ' }), /Name the component/],
      [scanId, q({ componentIdentifier: '{not json' }), /componentIdentifier must be a component identifier as JSON/],
      [scanId, q({ componentIdentifier: '{"format":"pypi","coordinates":{"colour":"red"}}' }), /"colour" is not a pypi coordinate/],
      [scanId, q({ hash: 'xyz' }), /"xyz" is not a component hash/],
      [scanId, `?${bracketQuery('componentIdentifier', { format: 'pypi', coordinates: { colour: 'red' } })}`, /"colour" is not a pypi coordinate/],
      [scanId, `${acmeBracketed}&${bracketQuery('componentIdentifier', { format: 'npm' })}`, /componentIdentifier\[format\] is given 2 times/],
      [scanId, `${acmeBracketed}&componentIdentifier=${encodeURIComponent('{"format":"pypi"}')}`, /componentIdentifier is given twice: as JSON and in brackets/],
      [scanId, q({ packageUrl: 'not-a-purl' }), /./],
      ['stages/nightly', acme, /Unknown stage "nightly"/],
    ];
    for (const [at, query, message] of cases) {
      for (const res of [
        await violations('application', shop, at, query),
        ...(at.startsWith('stages/') ? [] : [await waivers('application', shop, at, query)]),
        await waive('application', shop, at, query, OPTIONS),
      ]) {
        expect(res.status, `${at}${query}: ${res.text}`).toBe(400);
        expect(res.text).toMatch(message);
      }
    }
    const org = await violations('organization', division, scanId, acme);
    expect(org.status).toBe(400);
    expect(org.text).toMatch(/A scan belongs to an application/);
    expect((await violations('galaxy', shop, scanId, acme)).status).toBe(400);
    const noComment = await waive('application', shop, scanId, acme, { matcherStrategy: 'EXACT_COMPONENT' });
    expect(noComment.status).toBe(400);
    expect(noComment.text).toMatch(/comment is required/);
    const badStrategy = await waive('application', shop, scanId, acme, { comment: 'c', matcherStrategy: 'SOME' });
    expect(badStrategy.status).toBe(400);
    expect(badStrategy.text).toMatch(/matcherStrategy "SOME" is not one of/);
    expect(await waiverCount()).toBe(0);
  });

  it('404 for an unknown application, scan or stage report, and for a component not in the report; nothing stored', async () => {
    const cases: Array<[string, string, string, string, RegExp]> = [
      ['application', 'nope', scanId, acme, /Application nope not found/],
      ['organization', 'nope', 'stages/build', acme, /Organization nope not found/],
      ['application', shop, '0123456789abcdef0123456789abcdef', acme, /No report 0123456789abcdef0123456789abcdef/],
      ['application', shop, 'stages/release', acme, /Application shop has no report at stage release/],
      ['application', shop, scanId, q({ packageUrl: 'pkg:pypi/left-pad@1.0.0' }), /Component pkg:pypi\/left-pad@1.0.0 is not in report/],
      ['application', shop, scanId, q({ hash: 'ffffffffffffffffffff' }), /Component with hash ffffffffffffffffffff is not in report/],
      ['application', shop, 'stages/develop', q({ packageUrl: 'pkg:pypi/left-pad@1.0.0' }), /is not in the newest develop report of application shop/],
      ['organization', division, 'stages/develop', q({ packageUrl: 'pkg:pypi/left-pad@1.0.0' }), /is not in the newest develop reports of organization Division/],
    ];
    for (const [ownerType, ownerId, at, query, message] of cases) {
      const answers = [await violations(ownerType, ownerId, at, query), await waive(ownerType, ownerId, at, query, OPTIONS)];
      if (!at.startsWith('stages/')) answers.push(await waivers(ownerType, ownerId, at, query));
      for (const res of answers) {
        expect(res.status, `${ownerType}/${ownerId}/${at}${query}: ${res.text}`).toBe(404);
        expect(res.text).toMatch(message);
      }
    }
    // A scan of another application is not this one's.
    const outletScan = (await scanAndWait(server, outlet, SBOM, { stage: 'develop' })).scanId;
    expect((await violations('application', shop, outletScan, acme)).status).toBe(404);
    expect((await waive('application', shop, outletScan, acme, OPTIONS)).status).toBe(404);
    // Nothing to waive below a leaf.
    const leaf = await waive('application', shop, scanId, q({ packageUrl: REQUESTS }), OPTIONS);
    expect(leaf.status).toBe(404);
    expect(leaf.text).toMatch(/requests 2.19.0 has no open transitive policy violations in report .*: there is nothing to waive/);
    expect(await waiverCount()).toBe(0);
  });
});

describe('waiving transitive violations', () => {
  it('waives every open violation below the component; the next evaluation reads them waived', async () => {
    const before = (await scanAndWait(server, shop, SBOM, { stage: 'build' })).scanId;
    expect((await waivers('application', shop, before, acme)).body).toEqual({ componentPolicyWaivers: [] });

    // Made and listed with the component in the bracket form generated clients send.
    const made = await waive('application', shop, before, acmeBracketed, OPTIONS, OWNER);
    expect(made.status, made.text).toBe(204);
    expect(made.text).toBe('');
    expect(await waiverCount()).toBe(1 + securityBelow().length);

    const listed = await waivers('application', shop, before, acmeBracketed, DEV);
    expect(listed.status, listed.text).toBe(200);
    expectMatchesReference('GET', WAIVERS, 200, listed.body);
    const byPurl = (body: { componentPolicyWaivers: Array<{ associatedPackageUrl: string; policyName: string }> }) =>
      body.componentPolicyWaivers.map((w) => `${w.associatedPackageUrl} ${w.policyName}`).sort();
    expect(byPurl(listed.body)).toEqual([`${HELPER} License-Copyleft`, ...securityBelow()]);
    expect(listed.body.componentPolicyWaivers[0]).toMatchObject({
      comment: OPTIONS.comment,
      matcherStrategy: 'EXACT_COMPONENT',
      scopeOwnerType: 'application',
      scopeOwnerId: shop,
      creatorId: 'owner',
    });
    // The waivers cover nothing below the sibling.
    expect((await waivers('application', shop, before, q({ packageUrl: SIBLING }))).body).toEqual({ componentPolicyWaivers: [] });

    const after = (await scanAndWait(server, shop, SBOM, { stage: 'build' })).scanId;
    const all = await reportViolations('shop', after);
    const state = (purl: string) => all.filter((v) => v.packageUrl === purl).map((v) => `${v.policyName} ${v.waived ? 'waived' : 'open'}`);
    expect(state(HELPER)).toEqual(['License-Copyleft waived']);
    if (advisories) expect(state(SENTRY)).toEqual(['Security-Medium waived']);
    if (advisories) expect(state(REQUESTS)).toEqual(['Security-Unscored waived']);
    expect(state(ACME)).toEqual(['License-Copyleft open']);
    expect(state(SIBLING)).toEqual(['License-Copyleft open']);

    // Nothing open below acme-core any more; the waivers still apply.
    const open = await violations('application', shop, after, acme);
    expectMatchesReference('GET', VIOLATIONS, 200, open.body);
    expect(open.body.transitivePolicyViolations).toEqual([]);
    const still = await waivers('application', shop, after, acme);
    expectMatchesReference('GET', WAIVERS, 200, still.body);
    expect(byPurl(still.body)).toEqual(byPurl(listed.body));
    const again = await waive('application', shop, after, acme, OPTIONS);
    expect(again.status).toBe(404);
    expect(await waiverCount()).toBe(1 + securityBelow().length);
    // Not in effect for another application of the organization.
    const elsewhere = (await scanAndWait(server, outlet, SBOM, { stage: 'build' })).scanId;
    expect((await waivers('application', outlet, elsewhere, acme)).body).toEqual({ componentPolicyWaivers: [] });
  });

  it('at an organization’s stage: every version, for all its applications', async () => {
    const made = await waive('organization', division, 'stages/build', acmeBracketed, { comment: 'accepted division-wide', matcherStrategy: 'ALL_VERSIONS' });
    expect(made.status, made.text).toBe(204);
    const atOrg = await server.request('GET', `/api/v2/policyWaivers/organization/${division}`);
    const divisionWaivers = atOrg.body.filter((w: { scopeOwnerId: string }) => w.scopeOwnerId === division);
    expect(divisionWaivers.map((w: { matcherStrategy: string }) => w.matcherStrategy)).toEqual([null, ...securityBelow()].map(() => 'ALL_VERSIONS'));

    const next = (await scanAndWait(server, outlet, SBOM, { stage: 'build' })).scanId;
    const listed = await waivers('application', outlet, next, acme);
    expectMatchesReference('GET', WAIVERS, 200, listed.body);
    expect(listed.body.componentPolicyWaivers.map((w: { scopeOwnerType: string; scopeOwnerName: string }) => `${w.scopeOwnerType} ${w.scopeOwnerName}`)).toEqual(
      divisionWaivers.map(() => 'organization Division'),
    );
    expect((await violations('application', outlet, next, acme)).body.transitivePolicyViolations).toEqual([]);
    expect((await reportViolations('outlet', next)).filter((v) => v.packageUrl === HELPER).map((v) => v.waived)).toEqual([true]);
  });
});
