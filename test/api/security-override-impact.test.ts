import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coordinateHash, fromPackageUrl } from '../../src/ecosystems/identity.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';
import { scanAndWait } from '../evaluation/scan.js';
import { cycloneDxJson } from '../evaluation/sboms.js';
import { importRealAdvisories } from './real-advisories.js';
import { createApplicationIn, createOrganization } from '../helpers/owners.js';

/**
 * currentlyAffectedComponents of GET /api/v2/securityOverrides, end to end: real PyPI advisories
 * (requests before 2.31.0 leaks proxy credentials: CVE-2023-32681, also GHSA-j8r2-6x86-q33q and
 * PYSEC-2023-74), SBOMs scanned into applications of an organization tree, overrides on owners of
 * that tree, the components of the newest reports listed under each override.
 */
let server: TestServer;
let advisories = false;
let division: string;
let team: string;
let elsewhere: string;
let shop: string;
let DIVISION_DEV: [string, string];
let TEAM_DEV: [string, string];

const CVE = 'CVE-2023-32681';
const GHSA = 'GHSA-j8r2-6x86-q33q';
const purl = (version: string) => `pkg:pypi/requests@${version}`;
const sbom = (version: string) =>
  cycloneDxJson([
    { name: 'requests', version, purl: purl(version), license: 'Apache-2.0' },
    { name: 'six', version: '1.16.0', purl: 'pkg:pypi/six@1.16.0', license: 'MIT' },
  ]);
const requests = (version: string) => ({
  hash: coordinateHash(fromPackageUrl(purl(version))),
  componentIdentifier: { format: 'pypi', coordinates: { name: 'requests', version } },
  packageUrl: purl(version),
  displayName: `requests ${version}`,
  proprietary: false,
  thirdParty: false,
});

const createOrg = (name: string, parentOrganizationId?: string) => createOrganization(server, name, parentOrganizationId);

const createApp = (publicId: string, organizationId: string) => createApplicationIn(server, publicId, organizationId, `${publicId} app`);

async function override(ownerType: string, ownerId: string, body: Record<string, unknown>): Promise<string> {
  const res = await server.request('POST', `/api/v2/securityOverrides/${ownerType}/${ownerId}`, { body: { status: 'ACKNOWLEDGED', ...body } });
  expect(res.status, res.text).toBe(200);
  return res.body.securityOverrideId;
}

type Listed = { securityOverrideId: string; currentlyAffectedComponents: Array<{ packageUrl?: string; displayName: string }> };
async function affected(query = '', auth?: [string, string]): Promise<Map<string, string[]>> {
  const res = await server.request('GET', `/api/v2/securityOverrides${query}`, { auth });
  expect(res.status, res.text).toBe(200);
  expectMatchesReference('GET', '/api/v2/securityOverrides', 200, res.body);
  return new Map(res.body.securityOverrides.map((o: Listed) => [o.securityOverrideId, o.currentlyAffectedComponents.map((c) => c.displayName)]));
}

beforeAll(async () => {
  server = await startTestServer({ registries: { offline: true } });
  advisories = await importRealAdvisories(server);
  if (!advisories) {
    console.warn('../shared/osv is absent: skipping the security override impact tests');
    return;
  }
  division = await createOrg('Division');
  team = await createOrg('Team', division);
  elsewhere = await createOrg('Elsewhere');
  shop = await createApp('shop', team);
  const tools = await createApp('tools', division);
  const upgraded = await createApp('upgraded', division);
  const other = await createApp('other', elsewhere);
  await createApp('never-scanned', team);
  // The same component at two stages of the shop is one affected component.
  await scanAndWait(server, shop, sbom('2.30.0'), { stage: 'build' });
  await scanAndWait(server, shop, sbom('2.30.0'), { stage: 'release' });
  await scanAndWait(server, tools, sbom('2.28.2'), { stage: 'build' });
  // Only the newest report of a stage counts: 2.29.0 was replaced by the fixed 2.31.0.
  await scanAndWait(server, upgraded, sbom('2.29.0'), { stage: 'build' });
  await scanAndWait(server, upgraded, sbom('2.31.0'), { stage: 'build' });
  await scanAndWait(server, other, sbom('2.30.0'), { stage: 'build' });
  DIVISION_DEV = await userWithRole(server, 'division-dev', 'Developer', 'organization', division);
  TEAM_DEV = await userWithRole(server, 'team-dev', 'Developer', 'organization', team);
}, 120_000);
afterAll(async () => {
  await server?.close();
});

describe('security overrides: currently affected components from the newest reports', () => {
  let everyInDivision: string;
  let shopsRequests: string;
  let shopsOldRequests: string;
  let byAlias: string;
  let otherVulnerability: string;

  it('lists, per override, the components in its scope carrying its vulnerability, in the reference shape', async (context) => {
    if (!advisories) return context.skip();
    everyInDivision = await override('organization', division, { referenceId: CVE });
    shopsRequests = await override('application', shop, { referenceId: CVE, packageUrl: purl('2.30.0'), status: 'NOT_APPLICABLE' });
    shopsOldRequests = await override('application', shop, { referenceId: CVE, packageUrl: purl('2.28.2') });
    byAlias = await override('organization', elsewhere, { referenceId: GHSA });
    otherVulnerability = await override('organization', division, { referenceId: 'CVE-2018-18074' });

    const res = await server.request('GET', '/api/v2/securityOverrides');
    expect(res.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/securityOverrides', 200, res.body);
    const byId = new Map(res.body.securityOverrides.map((o: Listed) => [o.securityOverrideId, o.currentlyAffectedComponents]));
    expect(byId.get(everyInDivision)).toEqual([requests('2.28.2'), requests('2.30.0')]);
    expect(byId.get(shopsRequests)).toEqual([requests('2.30.0')]);
    expect(byId.get(shopsOldRequests)).toEqual([]);
    // Named by an alias of the vulnerability; in another part of the tree.
    expect(byId.get(byAlias)).toEqual([requests('2.30.0')]);
    // A vulnerability none of the newest reports carry (requests fixed it in 2.20.0).
    expect(byId.get(otherVulnerability)).toEqual([]);
  });

  it('keeps to the owner asked about, and to what the caller may view', async (context) => {
    if (!advisories) return context.skip();
    // The division's override seen from the shop: only the shop's components.
    expect(await affected(`?ownerId=${shop}`)).toEqual(
      new Map([
        [shopsRequests, ['requests 2.30.0']],
        [shopsOldRequests, []],
        [everyInDivision, ['requests 2.30.0']],
        [otherVulnerability, []],
      ]),
    );
    expect((await affected(`?ownerId=${team}`)).get(everyInDivision)).toEqual(['requests 2.30.0']);
    expect((await affected(`?ownerId=${division}&refId=${CVE}`)).get(everyInDivision)).toEqual(['requests 2.28.2', 'requests 2.30.0']);

    // A developer of the team sees the shop's overrides (and, through the shop, the division's),
    // never a component of an application outside the team.
    const teamView = await affected('', TEAM_DEV);
    expect([...teamView.keys()].sort()).toEqual([shopsOldRequests, shopsRequests].sort());
    expect(teamView.get(shopsRequests)).toEqual(['requests 2.30.0']);
    expect((await affected(`?ownerId=${shop}`, TEAM_DEV)).get(everyInDivision)).toEqual(['requests 2.30.0']);
    // A developer of the division sees its overrides, not the one of the other organization.
    const divisionView = await affected('', DIVISION_DEV);
    expect(divisionView.has(byAlias)).toBe(false);
    expect(divisionView.get(everyInDivision)).toEqual(['requests 2.28.2', 'requests 2.30.0']);

    expect((await server.request('GET', '/api/v2/securityOverrides', { auth: null })).status).toBe(401);
    expect((await server.request('GET', `/api/v2/securityOverrides?ownerId=${division}`, { auth: TEAM_DEV })).status).toBe(403);
  });

  it('follows the component filter and new reports', async (context) => {
    if (!advisories) return context.skip();
    const filtered = await affected(`?componentPurl=${encodeURIComponent(purl('2.30.0'))}`);
    expect(filtered.get(shopsRequests)).toEqual(['requests 2.30.0']);
    expect(filtered.get(everyInDivision)).toEqual(['requests 2.28.2', 'requests 2.30.0']);
    expect(filtered.has(shopsOldRequests)).toBe(false);

    // The shop's build moves to 2.28.2: its release report still has 2.30.0, its build 2.28.2.
    await scanAndWait(server, shop, sbom('2.28.2'), { stage: 'build' });
    const now = await affected(`?ownerId=${shop}`);
    expect(now.get(shopsOldRequests)).toEqual(['requests 2.28.2']);
    expect(now.get(shopsRequests)).toEqual(['requests 2.30.0']);
    expect(now.get(everyInDivision)).toEqual(['requests 2.28.2', 'requests 2.30.0']);
  });
});
