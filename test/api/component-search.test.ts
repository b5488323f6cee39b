import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOsvSource } from '../../src/intel/advisories/importer.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { createApplicationIn, createOrganization } from '../helpers/owners.js';
import { bracketQuery } from '../helpers/query.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';
import { scanAndWait } from '../evaluation/scan.js';
import { cycloneDxJson } from '../evaluation/sboms.js';
import { ROOT } from '../clients/setup.js';

/**
 * Component Search over HTTP: where a component is used, in the newest report of a stage of each
 * application the caller may view; by hash, package URL or coordinates (JSON or the bracket form
 * generated clients send, with * wildcards).
 */
const PATH = '/api/v2/search/component';
let server: TestServer;
let viewerOfB: [string, string];
let hashOfOld = '';

const lodash = (version: string) => ({ name: 'lodash', version, purl: `pkg:npm/lodash@${version}`, license: 'MIT' });
const leftPad = { name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0', license: 'WTFPL' };

beforeAll(async () => {
  server = await startTestServer({ registries: { offline: true } });
  const summary = await importOsvSource(server.ctx, join(ROOT, 'test', 'fixtures', 'osv', 'npm'));
  expect(summary.records).toBe(2);
  const teamA = await createOrganization(server, 'Team A');
  const teamB = await createOrganization(server, 'Team B');
  const a = await createApplicationIn(server, 'app-a', teamA, 'App A');
  const b = await createApplicationIn(server, 'app-b', teamB, 'App B');
  viewerOfB = await userWithRole(server, 'viewer-b', 'Developer', 'organization', teamB);
  // A at build: an older lodash, which left-pad depends on; a newer one at release.
  const older = await scanAndWait(server, a, cycloneDxJson([lodash('4.17.11'), leftPad], { direct: ['left-pad'], dependsOn: { 'left-pad': ['lodash'] } }), { stage: 'build' });
  await scanAndWait(server, a, cycloneDxJson([lodash('4.17.21')]), { stage: 'release' });
  await scanAndWait(server, b, cycloneDxJson([lodash('4.17.21')]), { stage: 'build' });
  const raw = await server.request('GET', `/api/v2/applications/app-a/reports/${older.scanId}/raw`);
  hashOfOld = raw.body.components.find((c: { packageUrl: string }) => c.packageUrl === 'pkg:npm/lodash@4.17.11').hash;
}, 60_000);
afterAll(async () => {
  await server?.close();
});

const search = (query: string, auth?: [string, string] | null) => server.request('GET', `${PATH}?${query}`, { auth });
const found = (body: { results: Array<{ applicationId: string; packageUrl?: string }> }) => body.results.map((r) => `${r.applicationId} ${r.packageUrl}`);

describe('GET /api/v2/search/component', () => {
  it('by package URL: the newest report of the stage, with the threat and how the component got there', async () => {
    const res = await search(`stageId=build&packageUrl=${encodeURIComponent('pkg:npm/lodash@4.17.11')}`);
    expect(res.status, res.text).toBe(200);
    expectMatchesReference('GET', PATH, 200, res.body);
    expect(res.body.criteria).toEqual({ stageId: 'build', packageUrl: 'pkg:npm/lodash@4.17.11' });
    expect(res.body.results).toHaveLength(1);
    expect(res.body.results[0]).toMatchObject({
      applicationId: 'app-a',
      applicationName: 'App A',
      packageUrl: 'pkg:npm/lodash@4.17.11',
      componentIdentifier: { format: 'npm', coordinates: { packageId: 'lodash', version: '4.17.11' } },
      hash: hashOfOld,
      // CVE-2019-10744 (9.1): Security-Critical, threat 10.
      threatLevel: 10,
      dependencyData: { directDependency: false, parentComponentPurls: ['pkg:npm/left-pad@1.3.0'] },
    });
    expect(res.body.results[0].reportHtmlUrl).toMatch(/^ui\/links\/application\/app-a\/report\/[0-9a-f]{32}$/);
    // The release report of app-a has the newer lodash only.
    expect(found((await search(`stageId=release&packageUrl=${encodeURIComponent('pkg:npm/lodash@4.17.11')}`)).body)).toEqual([]);
  });

  it('by coordinates in the bracket form generated clients send, and as JSON; * wildcards; coordinates left out match anything', async () => {
    const wildcard = await search(`stageId=build&${bracketQuery('componentIdentifier', { format: 'npm', coordinates: { packageId: 'lodash', version: '4.17.*' } })}`);
    expect(wildcard.status, wildcard.text).toBe(200);
    expectMatchesReference('GET', PATH, 200, wildcard.body);
    expect(found(wildcard.body)).toEqual(['app-a pkg:npm/lodash@4.17.11', 'app-b pkg:npm/lodash@4.17.21']);
    expect(wildcard.body.criteria.componentIdentifier).toEqual({ format: 'npm', coordinates: { packageId: 'lodash', version: '4.17.*' } });

    const exact = await search(`stageId=build&componentIdentifier=${encodeURIComponent(JSON.stringify({ format: 'npm', coordinates: { packageId: 'lodash', version: '4.17.21' } }))}`);
    expect(found(exact.body)).toEqual(['app-b pkg:npm/lodash@4.17.21']);
    const anyVersion = await search(`stageId=build&${bracketQuery('componentIdentifier', { format: 'npm', coordinates: { packageId: 'LODASH' } }, { encodeBrackets: true })}`);
    expect(found(anyVersion.body)).toEqual(['app-a pkg:npm/lodash@4.17.11', 'app-b pkg:npm/lodash@4.17.21']);
    const otherFormat = await search(`stageId=build&${bracketQuery('componentIdentifier', { format: 'pypi', coordinates: { name: 'lodash' } })}`);
    expect(found(otherFormat.body)).toEqual([]);
  });

  it('by hash', async () => {
    const res = await search(`stageId=build&hash=${hashOfOld}`);
    expect(found(res.body)).toEqual(['app-a pkg:npm/lodash@4.17.11']);
  });

  it('shows only applications the caller may view', async () => {
    const res = await search(`stageId=build&${bracketQuery('componentIdentifier', { format: 'npm', coordinates: { packageId: 'lodash' } })}`, viewerOfB);
    expect(res.status).toBe(200);
    expect(found(res.body)).toEqual(['app-b pkg:npm/lodash@4.17.21']);
    expect((await search('stageId=build&packageUrl=pkg%3Anpm%2Flodash%404.17.21', null)).status).toBe(401);
  });

  it('400 naming what is missing or wrong: stageId is required, and a component', async () => {
    const cases: Array<[string, RegExp]> = [
      [`packageUrl=${encodeURIComponent('pkg:npm/lodash@4.17.21')}`, /^stageId is required/],
      ['stageId=build', /^Name the component: hash, packageUrl or componentIdentifier/],
      ['stageId=nightly&hash=0123456789abcdef0123', /Unknown stage "nightly"/],
      ['stageId=build&hash=xyz', /"xyz" is not a component hash/],
      ['stageId=build&componentIdentifier=%7Bnope', /componentIdentifier must be/],
    ];
    for (const [query, message] of cases) {
      const res = await search(query);
      expect(res.status, `${query}: ${res.text}`).toBe(400);
      expect(res.text).toMatch(message);
    }
  });
});
