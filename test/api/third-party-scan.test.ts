import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitJob } from '../../src/jobs/queue.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { userWithRole } from '../helpers/users.js';
import { cycloneDxJson } from '../evaluation/sboms.js';

/** Third-Party Analysis: POST an SBOM, poll its status (404 until done), read the result. */
let server: TestServer;
let appId: string;
let LEGAL: [string, string];
let DEV: [string, string];

const SBOM = cycloneDxJson(
  [
    { name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0', license: 'WTFPL' },
    { name: 'readline', version: '1.3.0', purl: 'pkg:npm/readline@1.3.0', license: 'GPL-3.0-only' },
    { name: 'mystery', version: '0.1' },
  ],
  { direct: ['left-pad', 'mystery'], dependsOn: { 'left-pad': ['readline'] } },
);

beforeAll(async () => {
  server = await startTestServer({ registries: { offline: true } });
  const created = await server.request('POST', '/api/v2/applications', {
    body: { publicId: 'scan-app', name: 'Scan App', organizationId: 'ROOT_ORGANIZATION_ID' },
  });
  expect(created.status).toBe(200);
  appId = created.body.id;
  LEGAL = await userWithRole(server, 'legal', 'Legal Reviewer', 'application', appId);
  DEV = await userWithRole(server, 'dev', 'Developer', 'application', appId);
});
afterAll(async () => {
  await server?.close();
});

const scan = (body: string, options: { source?: string; query?: string; contentType?: string; auth?: [string, string] | null } = {}) =>
  server.request('POST', `/api/v2/scan/applications/${appId}/sources/${options.source ?? 'cyclonedx'}${options.query ?? ''}`, {
    raw: { contentType: options.contentType ?? 'application/json', data: body },
    auth: options.auth,
  });

async function count(table: 'evaluation_requests' | 'reports' | 'jobs'): Promise<number> {
  const row = await server.ctx.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('POST /api/v2/scan/applications/{applicationId}/sources/{source}', () => {
  it('queues the evaluation; the status is 404 until it ran, then the result as IQ tools read it', async () => {
    const submitted = await scan(SBOM, { query: '?stageId=build' });
    expect(submitted.status).toBe(202);
    expectMatchesReference('POST', '/api/v2/scan/applications/{applicationId}/sources/{source}', 202, submitted.body);
    const statusUrl: string = submitted.body.statusUrl;
    expect(statusUrl).toMatch(new RegExp(`^api/v2/scan/applications/${appId}/status/[0-9a-f]{32}$`));

    const pending = await server.request('GET', `/${statusUrl}`);
    expect(pending.status).toBe(404);

    await server.jobs.drain();
    const done = await server.request('GET', `/${statusUrl}`);
    expect(done.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/scan/applications/{applicationId}/status/{scanRequestId}', 200, done.body);
    // readline is GPL-3.0 (Copyleft: warn at build); mystery is unknown (reported only at build).
    expect(done.body).toMatchObject({ isError: false, policyAction: 'Warning', grandfatheredPolicyViolations: 0 });
    expect(done.body.openPolicyViolations.critical).toBeGreaterThanOrEqual(1);
    // Absolute, as IQ Server answers them (CI clients print them): the server's baseUrl, which
    // follows its port when not configured.
    expect(done.body.reportHtmlUrl).toMatch(new RegExp(`^${server.url}/ui/links/application/scan-app/report/[0-9a-f]{32}$`));
    expect(done.body.reportDataUrl).toMatch(new RegExp(`^${server.url}/api/v2/applications/scan-app/reports/[0-9a-f]{32}/raw$`));
    expect((await server.request('GET', new URL(done.body.reportDataUrl).pathname)).status).toBe(200);
    // The baseUrl system property, when an administrator sets one, is what links are built from.
    expect((await server.request('PUT', '/api/v2/config', { body: { baseUrl: 'https://tollgate.example.com/' } })).status).toBe(204);
    try {
      const again = await server.request('GET', `/${statusUrl}`);
      expect(again.body.reportHtmlUrl).toMatch(/^https:\/\/tollgate\.example\.com\/ui\/links\/application\/scan-app\/report\/[0-9a-f]{32}$/);
    } finally {
      await server.request('PUT', '/api/v2/config', { body: { baseUrl: null } });
    }
  });

  it('evaluates at the stage asked for: Copyleft fails a release', async () => {
    const submitted = await scan(SBOM, { query: '?stageId=release' });
    expect(submitted.status).toBe(202);
    await server.jobs.drain();
    const done = await server.request('GET', `/${submitted.body.statusUrl}`);
    expect(done.body.policyAction).toBe('Failure');
  });

  it('reads CycloneDX XML and SPDX', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1">
  <components>
    <component type="library"><name>readline</name><version>1.3.0</version><purl>pkg:npm/readline@1.3.0</purl>
      <licenses><license><id>GPL-3.0-only</id></license></licenses></component>
  </components>
</bom>`;
    const x = await scan(xml, { contentType: 'application/xml' });
    expect(x.status).toBe(202);
    const spdx = JSON.stringify({
      spdxVersion: 'SPDX-2.3',
      dataLicense: 'CC0-1.0',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: 'test',
      documentNamespace: 'https://example.com/test',
      creationInfo: { created: '2026-01-01T00:00:00Z', creators: ['Tool: test'] },
      packages: [
        {
          SPDXID: 'SPDXRef-readline',
          name: 'readline',
          versionInfo: '1.3.0',
          downloadLocation: 'NOASSERTION',
          licenseDeclared: 'GPL-3.0-only',
          externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:npm/readline@1.3.0' }],
        },
      ],
    });
    const s = await scan(spdx, { source: 'spdx' });
    expect(s.status).toBe(202);
    await server.jobs.drain();
    for (const r of [x, s]) {
      const done = await server.request('GET', `/${r.body.statusUrl}`);
      expect(done.status).toBe(200);
      expect(done.body.policyAction).toBe('Warning');
    }
  });

  it('refuses what it cannot read with the reader’s message and stores nothing', async () => {
    const before = [await count('evaluation_requests'), await count('jobs')];
    const cases: Array<[string, { source?: string; contentType?: string; query?: string }, RegExp]> = [
      ['{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{"type": "library"}]}', {}, /components\[0\] has no name/],
      ['not an sbom at all', { contentType: 'text/plain' }, /not an SBOM Tollgate reads.*It reads CycloneDX 1\.0–1\.7 \(JSON or XML\) or SPDX 2\.2\/2\.3 \(JSON, XML or tag-value\)/],
      ['{"name": "a package.json perhaps"}', {}, /neither CycloneDX \(it has no "bomFormat"\) nor SPDX.*It reads CycloneDX/],
      ['{"unterminated": ', {}, /JSON/i],
      ['', {}, /empty/],
      [SBOM, { source: 'spdx' }, /CycloneDX document, but the source says spdx/],
      [SBOM, { source: 'bad%20name' }, /The source "bad name" is not a tool name/],
      [SBOM, { source: 'x'.repeat(65) }, /is not a tool name: .*at most 64/],
      [SBOM, { query: '?stageId=production' }, /Unknown stage "production"/],
      [
        '<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component type="library"><name>&b;</name></component></components></bom>',
        { contentType: 'application/xml' },
        /./,
      ],
    ];
    for (const [body, options, message] of cases) {
      const r = await scan(body, options);
      expect(r.status, `${body.slice(0, 40)} → ${r.text}`).toBe(400);
      expect(r.text).toMatch(message);
    }
    expect([await count('evaluation_requests'), await count('jobs')]).toEqual(before);
  });

  it('survives deep nesting and cyclic dependency graphs', async () => {
    let deep = '1';
    for (let i = 0; i < 5000; i++) deep = `[${deep}]`;
    const nested = await scan(`{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":${deep}}`);
    expect(nested.status).toBe(400);

    const cyclic = cycloneDxJson(
      [
        { name: 'a', version: '1.0.0', purl: 'pkg:npm/a@1.0.0', license: 'MIT' },
        { name: 'b', version: '1.0.0', purl: 'pkg:npm/b@1.0.0', license: 'MIT' },
      ],
      { direct: ['a'], dependsOn: { a: ['b'], b: ['a'] } },
    );
    const r = await scan(cyclic);
    expect(r.status).toBe(202);
    await server.jobs.drain();
    const done = await server.request('GET', `/${r.body.statusUrl}`);
    expect(done.status).toBe(200);
    expect(done.body.policyAction).toBe('None');
  });

  it('answers 413 for a body over the limit', async () => {
    const small = await startTestServer({ bodyLimit: 4096, registries: { offline: true } });
    try {
      const created = await small.request('POST', '/api/v2/applications', { body: { publicId: 'tiny', name: 'Tiny', organizationId: 'ROOT_ORGANIZATION_ID' } });
      const big = cycloneDxJson(Array.from({ length: 100 }, (_, i) => ({ name: `p${i}`, version: '1.0.0', purl: `pkg:npm/p${i}@1.0.0` })));
      const r = await small.request('POST', `/api/v2/scan/applications/${created.body.id}/sources/cyclonedx`, { raw: { contentType: 'application/json', data: big } });
      expect(r.status).toBe(413);
      expect(r.text).toMatch(/larger than this server accepts/);
    } finally {
      await small.close();
    }
  });

  it('answers 413 for an SBOM with more components than one scan evaluates, storing nothing', async () => {
    const before = await count('evaluation_requests');
    const huge = cycloneDxJson(Array.from({ length: 100_001 }, (_, i) => ({ name: `p${i}`, version: '1.0.0', purl: `pkg:npm/p${i}@1.0.0` })), { direct: [] });
    const r = await scan(huge);
    expect(r.status).toBe(413);
    expect(r.text).toMatch(/100001 components; Tollgate evaluates at most 100000/);
    expect(await count('evaluation_requests')).toBe(before);
  });

  it('needs credentials and Evaluate Applications on the application', async () => {
    expect((await scan(SBOM, { auth: null })).status).toBe(401);
    const denied = await scan(SBOM, { auth: LEGAL });
    expect(denied.status).toBe(403);
    const allowed = await scan(SBOM, { auth: DEV });
    expect(allowed.status).toBe(202);
    expect((await server.request('GET', `/${allowed.body.statusUrl}`, { auth: LEGAL })).status).toBe(403);
    await server.jobs.drain();
    expect((await server.request('GET', `/${allowed.body.statusUrl}`, { auth: DEV })).status).toBe(200);
    const missing = await server.request('POST', '/api/v2/scan/applications/nope/sources/cyclonedx', { raw: { contentType: 'application/json', data: SBOM } });
    expect(missing.status).toBe(404);
  });
});

describe('GET /api/v2/scan/applications/{applicationId}/status/{scanRequestId}', () => {
  it('reports an evaluation that failed as isError with its message', async () => {
    // A stored request whose input no longer reads (as if the reader changed since it was queued).
    const id = '00000000000000000000000000000bad';
    await server.ctx.store.db
      .insertInto('evaluation_requests')
      .values({
        id,
        application_id: appId,
        kind: 'sbom',
        stage: 'build',
        source: 'cyclonedx',
        input: '{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{"type": "library"}]}',
        input_name: null,
        status: 'queued',
        job_id: null,
        report_id: null,
        result: null,
        error: null,
        created_by: 'admin',
        created_at: new Date().toISOString(),
        finished_at: null,
      })
      .execute();
    await submitJob(server.ctx, { type: 'evaluation', payload: { requestId: id }, owner: { type: 'application', id: appId } });
    await server.jobs.drain();
    const r = await server.request('GET', `/api/v2/scan/applications/${appId}/status/${id}`);
    expect(r.status).toBe(200);
    expectMatchesReference('GET', '/api/v2/scan/applications/{applicationId}/status/{scanRequestId}', 200, r.body);
    expect(r.body).toEqual({ isError: true, errorMessage: 'components[0] has no name' });
  });

  it('goes away with its application', async () => {
    const doomed = await server.request('POST', '/api/v2/applications', { body: { publicId: 'doomed', name: 'Doomed', organizationId: 'ROOT_ORGANIZATION_ID' } });
    const submitted = await server.request('POST', `/api/v2/scan/applications/${doomed.body.id}/sources/cyclonedx`, { raw: { contentType: 'application/json', data: SBOM } });
    await server.jobs.drain();
    expect((await server.request('GET', `/${submitted.body.statusUrl}`)).status).toBe(200);
    expect((await server.request('DELETE', `/api/v2/applications/${doomed.body.id}`)).status).toBe(204);
    const left = await server.ctx.store.db.selectFrom('reports').select('id').where('application_id', '=', doomed.body.id).execute();
    expect(left).toEqual([]);
  });

  it('is 404 for an unknown request and for another application’s', async () => {
    const r = await server.request('GET', `/api/v2/scan/applications/${appId}/status/0123456789abcdef0123456789abcdef`);
    expect(r.status).toBe(404);
    const other = await server.request('POST', '/api/v2/applications', { body: { publicId: 'other-app', name: 'Other', organizationId: 'ROOT_ORGANIZATION_ID' } });
    const submitted = await scan(SBOM);
    const id = submitted.body.statusUrl.split('/').pop();
    expect((await server.request('GET', `/api/v2/scan/applications/${other.body.id}/status/${id}`)).status).toBe(404);
    expect((await server.request('GET', `/api/v2/scan/applications/${appId}/status/${id}`, { auth: null })).status).toBe(401);
    await server.jobs.drain();
  });
});
