import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalPackageUrl } from '../../src/ecosystems/identity.js';
import { prepareOwner } from '../../src/services/evaluation/prepare.js';
import { NO_ADVISORIES } from '../../src/evaluation/vulnerabilities.js';
import { resolveOwner } from '../../src/services/owners/owner.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { createApplicationIn, createOrganization } from '../helpers/owners.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { scanAndWait } from './scan.js';
import { cycloneDxJson } from './sboms.js';

/**
 * Proprietary components end to end: an organization declares package URL patterns its own, a
 * policy there says "Proprietary is true", and a scan of one of its applications marks the
 * matching component proprietary (report and violation), the other not; a pattern change applies
 * from the next scan.
 */
let server: TestServer;
let org: string;
let appId: string;

const OURS = 'pkg:npm/%40acme/widgets@1.2.3';
const THEIRS = 'pkg:npm/left-pad@1.3.0';
const LEDGER = 'pkg:maven/com.acme.billing/ledger@2.0.0?type=jar';
const SBOM = cycloneDxJson([
  { name: 'widgets', group: '@acme', version: '1.2.3', purl: 'pkg:npm/@acme/widgets@1.2.3', license: 'MIT' },
  { name: 'left-pad', version: '1.3.0', purl: THEIRS, license: 'MIT' },
  { name: 'ledger', version: '2.0.0', purl: LEDGER, license: 'MIT' },
]);
const POLICY = 'Proprietary code shipped';

type Component = { packageUrl: string; proprietary: boolean; violations?: Array<{ policyName: string }> };

async function declare(ownerId: string, packageUrlPatterns: string[]) {
  const res = await server.request('PUT', `/api/v2/proprietaryComponents/organization/${ownerId}`, { body: { packageUrlPatterns } });
  expect(res.status, res.text).toBe(200);
}

async function scan() {
  const { scanId } = await scanAndWait(server, appId, SBOM, { stage: 'build' });
  const raw = await server.request('GET', `/api/v2/applications/ledger-app/reports/${scanId}/raw`);
  expect(raw.status, raw.text).toBe(200);
  expectMatchesReference('GET', '/api/v2/applications/{applicationPublicId}/reports/{scanId}/raw', 200, raw.body);
  const policy = await server.request('GET', `/api/v2/applications/ledger-app/reports/${scanId}/policy`);
  expect(policy.status, policy.text).toBe(200);
  expectMatchesReference('GET', '/api/v2/applications/{applicationPublicId}/reports/{scanId}/policy', 200, policy.body);
  const proprietary = (raw.body.components as Component[]).filter((c) => c.proprietary).map((c) => c.packageUrl);
  const violating = (policy.body.components as Component[])
    .filter((c) => c.violations?.some((v) => v.policyName === POLICY))
    .map((c) => c.packageUrl);
  const flagged = (policy.body.components as Component[]).filter((c) => c.proprietary).map((c) => c.packageUrl);
  return { proprietary: proprietary.sort(), violating: violating.sort(), flagged: flagged.sort() };
}

beforeAll(async () => {
  server = await startTestServer({ registries: { offline: true } });
  const parent = await createOrganization(server, 'Acme');
  org = await createOrganization(server, 'Acme Billing', parent);
  appId = await createApplicationIn(server, 'ledger-app', org);
  const created = await server.request('POST', `/api/v2/policies/organization/${org}`, {
    body: {
      name: POLICY,
      threatLevel: 5,
      actions: { build: 'warn' },
      constraints: [{ name: 'Ours', operator: 'AND', conditions: [{ conditionTypeId: 'Proprietary', operator: 'is true', value: '' }] }],
    },
  });
  expect(created.status, created.text).toBe(200);
  await declare(parent, ['pkg:maven/com.acme*/*']);
});
afterAll(async () => {
  await server?.close();
});

describe('proprietary components in evaluations', () => {
  it('only components matching a pattern of the organization (or above it) are proprietary and violate', async () => {
    // Before the organization declares anything, its parent's maven pattern already applies.
    const inherited = await scan();
    expect(inherited).toEqual({ proprietary: [LEDGER], violating: [LEDGER], flagged: [LEDGER] });

    await declare(org, ['pkg:npm/@acme/*']);
    const both = await scan();
    expect(both).toEqual({ proprietary: [OURS, LEDGER].sort(), violating: [OURS, LEDGER].sort(), flagged: [OURS, LEDGER].sort() });
    expect(both.proprietary).not.toContain(THEIRS);
  });

  it('a pattern change takes effect at the next scan', async () => {
    await declare(org, ['pkg:npm/left-pad@1.*']);
    expect(await scan()).toEqual({ proprietary: [LEDGER, THEIRS].sort(), violating: [LEDGER, THEIRS].sort(), flagged: [LEDGER, THEIRS].sort() });
    await declare(org, ['pkg:npm/left-pad@2.*']);
    expect(await scan()).toEqual({ proprietary: [LEDGER], violating: [LEDGER], flagged: [LEDGER] });
  });

  it('an organization prepared for evaluation (remediation) has its own and its ancestors\' patterns', async () => {
    await declare(org, ['pkg:npm/@acme/*']);
    const prepared = await prepareOwner(server.ctx, await resolveOwner(server.ctx.store, 'organization', org), NO_ADVISORIES, { waivers: false });
    expect([OURS, LEDGER, THEIRS].map((p) => prepared.proprietary.matches(canonicalPackageUrl(p)))).toEqual([true, true, false]);
    const root = await prepareOwner(server.ctx, await resolveOwner(server.ctx.store, 'organization', 'ROOT_ORGANIZATION_ID'), NO_ADVISORIES, { waivers: false });
    expect(root.proprietary.matches(canonicalPackageUrl(OURS))).toBe(false);
  });
});
