import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetRegistryCircuits } from '../../src/intel/registries/index.js';
import { createApplication } from '../evaluation/scan.js';
import { cycloneDxJson } from '../evaluation/sboms.js';
import { expectMatchesReference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { fixture } from '../intel/registries/replay-server.js';

/**
 * Evaluations never wait on the network, over HTTP with the job workers running as `serve` runs
 * them. A stand-in registry on 127.0.0.1 serves npm and PyPI documents recorded from the real
 * registries (test/fixtures/registries), counting requests and holding every answer until the test
 * lets it go; "Maven Central" is a port that accepts connections and drops them, counting them.
 */
let server: TestServer;
let registry: HttpServer;
let maven: NetServer;
let appId: string;
let received: string[] = [];
let answered = 0;
let mavenConnections = 0;
let gate = open();

function open() {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
}

const ROUTES: Record<string, string> = {
  '/npm/left-pad': 'npm/left-pad.json',
  '/pypi/requests/json': 'pypi/requests.json',
  '/pypi/requests/2.31.0/json': 'pypi/requests-2.31.0.json',
  '/pypi/attrs/json': 'pypi/attrs.json',
};

const listen = (s: NetServer | HttpServer) => new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as { port: number }).port)));

beforeAll(async () => {
  resetRegistryCircuits();
  registry = createHttpServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    received.push(path);
    await gate.promise;
    answered++;
    const file = ROUTES[path];
    if (!file) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(fixture(file));
  });
  const port = await listen(registry);
  maven = createNetServer((socket) => {
    mavenConnections++;
    socket.destroy();
  });
  const mavenPort = await listen(maven);
  server = await startTestServer({
    registries: {
      npm: { url: `http://127.0.0.1:${port}/npm/` },
      pypi: { url: `http://127.0.0.1:${port}` },
      maven: { url: `http://127.0.0.1:${mavenPort}/maven2`, searchUrl: 'off' },
    },
    jobs: { pollIntervalMs: 20 },
  });
  appId = await createApplication(server, 'fetch-app');
  await server.jobs.start();
});

afterAll(async () => {
  gate.release();
  await server?.close();
  registry?.closeAllConnections();
  await new Promise((resolve) => registry?.close(resolve));
  maven?.close();
});

const SBOM = cycloneDxJson([
  // No license in the SBOM: the registry's stands in.
  { name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0' },
  // The SBOM's own license always wins.
  { name: 'left-pad', version: '1.1.0', purl: 'pkg:npm/left-pad@1.1.0', license: 'MIT' },
  // Not the latest release: its license is in its own release document.
  { name: 'requests', version: '2.31.0', purl: 'pkg:pypi/requests@2.31.0' },
  { name: 'junit', group: 'junit', version: '4.12', purl: 'pkg:maven/junit/junit@4.12', license: 'EPL-1.0' },
  { name: 'junit', group: 'junit', version: '4.13.2', purl: 'pkg:maven/junit/junit@4.13.2', license: 'EPL-1.0' },
  { name: 'gson', group: 'com.google.code.gson', version: '2.11.0', purl: 'pkg:maven/com.google.code.gson/gson@2.11.0' },
  { name: 'zlib', version: '1.2.13', purl: 'pkg:conan/zlib@1.2.13', license: 'Zlib' },
]);

/** Submits a scan and polls its status URL until the report is ready. */
async function scan(sbom = SBOM) {
  const submitted = await server.request('POST', `/api/v2/scan/applications/${appId}/sources/cyclonedx?stageId=build`, { raw: { contentType: 'application/json', data: sbom } });
  expect(submitted.status, submitted.text).toBe(202);
  let done = await server.request('GET', `/${submitted.body.statusUrl}`);
  for (let i = 0; i < 1000 && done.status === 404; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    done = await server.request('GET', `/${submitted.body.statusUrl}`);
  }
  expect(done.status, done.text).toBe(200);
  const raw = await server.request('GET', new URL(done.body.reportDataUrl).pathname);
  expect(raw.status, raw.text).toBe(200);
  expectMatchesReference('GET', '/api/v2/applications/{applicationPublicId}/reports/{scanId}/raw', 200, raw.body);
  const byPurl = (purl: string) => raw.body.components.find((c: { packageUrl?: string }) => c.packageUrl === purl || c.packageUrl?.startsWith(`${purl}?`));
  return { result: done.body, raw: raw.body, byPurl };
}

/** The registry-fetch jobs, oldest first. */
const fetchJobs = () => server.ctx.store.db.selectFrom('jobs').select(['id', 'status']).where('type', '=', 'registry-fetch').orderBy('id').execute();

/** Waits until `count` registry-fetch jobs exist (they are queued just after the report is stored) and all have run. */
async function untilFetched(count: number) {
  await vi.waitFor(
    async () => {
      const jobs = await fetchJobs();
      expect(jobs.length).toBeGreaterThanOrEqual(count);
      expect(jobs.every((j) => j.status === 'succeeded' || j.status === 'failed')).toBe(true);
    },
    { timeout: 20_000, interval: 20 },
  );
}

const npmUnknown = (reason: string) => ['age', 'latest', 'versionDistance'].map((fact) => ({ fact, reason, registry: 'the npm registry' }));

describe('registry metadata in evaluations', () => {
  it('evaluates without waiting on the registries; the background fetch fills the cache; the next evaluation has the facts and licenses', async () => {
    gate = open();
    const first = await scan();
    // The report is ready, and no registry has answered anything.
    expect(answered).toBe(0);
    expect(first.byPurl('pkg:npm/left-pad@1.3.0').tollgate.unknownFacts).toEqual([
      ...npmUnknown('not yet fetched'),
      { fact: 'license', reason: 'not yet fetched', registry: 'the npm registry' },
    ]);
    expect(first.byPurl('pkg:npm/left-pad@1.3.0').licenseData.declaredLicenses.map((l: { licenseId: string }) => l.licenseId)).toEqual(['Not-Declared']);
    expect(first.byPurl('pkg:conan/zlib@1.2.13').tollgate.unknownFacts).toEqual(
      ['age', 'latest', 'versionDistance'].map((fact) => ({ fact, reason: 'no registry for this format' })),
    );
    expect(first.raw.tollgate.unknownFacts).toContainEqual({
      facts: ['age', 'latest', 'versionDistance'],
      reason: 'not yet fetched',
      registry: 'Maven Central',
      components: 2,
      text: '2 components: age, latest version and version distance unknown — not yet fetched from Maven Central; fetched in the background, the next evaluation has it',
    });
    // The Age policy of the reference set is neither passed nor violated where the age is unknown.
    const quality = first.byPurl('pkg:npm/left-pad@1.1.0').tollgate.policiesNotEvaluated;
    expect(quality).toEqual([
      {
        policyId: expect.any(String),
        policyName: 'Architecture-Quality',
        threatLevel: 2,
        unknownFacts: [{ fact: 'age', reason: 'not yet fetched', registry: 'the npm registry' }],
        reason: 'not evaluated: age unknown — not yet fetched from the npm registry',
      },
    ]);
    expect(first.raw.tollgate.policiesNotEvaluated.checks).toBeGreaterThanOrEqual(7);

    // Let the registries answer: the background job fetches what the evaluation lacked.
    gate.release();
    await untilFetched(1);
    const [job] = await fetchJobs();
    const status = await server.request('GET', `/api/v2/jobs/${job.id}`);
    expect(status.status, status.text).toBe(200);
    expect(status.body.result).toMatchObject({ packages: 4, notFound: 0, unreachable: 2 });
    expect(received.sort()).toEqual(['/npm/left-pad', '/pypi/requests/2.31.0/json', '/pypi/requests/json']);
    // Maven Central drops connections: one request (and its one retry) for three components, then it is known down.
    expect(mavenConnections).toBe(2);

    received = [];
    const second = await scan();
    expect(received).toEqual([]);
    const latest = second.byPurl('pkg:npm/left-pad@1.3.0');
    expect(latest.tollgate).toEqual({ licenseSource: 'registry:npm' });
    expect(latest.licenseData.declaredLicenses.map((l: { licenseId: string }) => l.licenseId)).toEqual(['WTFPL']);
    expect(second.byPurl('pkg:npm/left-pad@1.1.0').tollgate).toEqual({ licenseSource: 'sbom' });
    expect(second.byPurl('pkg:npm/left-pad@1.1.0').licenseData.declaredLicenses.map((l: { licenseId: string }) => l.licenseId)).toEqual(['MIT']);
    const requests = second.byPurl('pkg:pypi/requests@2.31.0');
    expect(requests.tollgate).toEqual({ licenseSource: 'registry:pypi' });
    expect(requests.licenseData.declaredLicenses.map((l: { licenseId: string }) => l.licenseId)).toEqual(['Apache-2.0']);
    const gson = second.byPurl('pkg:maven/com.google.code.gson/gson@2.11.0');
    expect(gson.tollgate.unknownFacts).toEqual(['age', 'latest', 'versionDistance', 'license'].map((fact) => ({ fact, reason: 'registry unreachable', registry: 'Maven Central' })));
    expect(gson.tollgate.policiesNotEvaluated.map((p: { policyName: string }) => p.policyName)).toContain('Architecture-Quality');
    expect(gson.tollgate.policiesNotEvaluated.find((p: { policyName: string }) => p.policyName === 'License-Banned').reason).toBe(
      'not evaluated: license unknown — Maven Central unreachable',
    );
    expect(second.raw.tollgate.unknownFacts.map((l: { text: string }) => l.text)).toContain(
      '2 components: age, latest version and version distance unknown — Maven Central unreachable; fetched once it answers again',
    );
    // Maven Central is known down: nothing was queued for it, and it was not tried again.
    expect(mavenConnections).toBe(2);
    expect(await fetchJobs()).toHaveLength(1);
    // Unknown facts are visible, never part of the action: only what is known decides it.
    expect(second.result.policyAction).toBe(first.result.policyAction);

    // The report page says what was unknown and which policies were not evaluated.
    const page = await server.request('GET', new URL(second.result.reportHtmlUrl).pathname);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h2>Unknown facts</h2>');
    expect(page.text).toContain('2 components: age, latest version and version distance unknown — Maven Central unreachable; fetched once it answers again');
    expect(page.text).toContain('not evaluated: age unknown — Maven Central unreachable');
    expect(page.text).toContain('from registry:npm');
  });

  it('uses an expired answer and fetches it again in the background', async () => {
    await server.ctx.store.db.updateTable('registry_cache').set({ expires_at: '2000-01-01T00:00:00.000Z' }).where('ecosystem', '=', 'npm').execute();
    received = [];
    const before = (await fetchJobs()).length;
    const expired = await scan();
    expect(expired.byPurl('pkg:npm/left-pad@1.3.0').tollgate).toEqual({ licenseSource: 'registry:npm' });
    await untilFetched(before + 1);
    expect(received).toEqual(['/npm/left-pad']);
    const row = await server.ctx.store.db.selectFrom('registry_cache').select('expires_at').where('ecosystem', '=', 'npm').where('name', '=', 'left-pad').executeTakeFirstOrThrow();
    expect(row.expires_at > new Date().toISOString()).toBe(true);
  });

  it('queues a package once while it waits or is being fetched', async () => {
    gate = open();
    received = [];
    const before = (await fetchJobs()).length;
    const attrs = cycloneDxJson([{ name: 'attrs', version: '25.3.0', purl: 'pkg:pypi/attrs@25.3.0', license: 'MIT' }]);
    await scan(attrs);
    await vi.waitFor(async () => expect((await fetchJobs()).length).toBe(before + 1), { timeout: 10_000, interval: 20 });
    // The fetch is under way (the registry holds its answer) when the next evaluation finds attrs missing again.
    await vi.waitFor(() => expect(received).toEqual(['/pypi/attrs/json']), { timeout: 10_000, interval: 20 });
    const again = await scan(attrs);
    expect(again.byPurl('pkg:pypi/attrs@25.3.0').tollgate.unknownFacts[0].reason).toBe('not yet fetched');
    expect((await fetchJobs()).length).toBe(before + 1);
    gate.release();
    await untilFetched(before + 1);
    const known = await scan(attrs);
    expect(known.byPurl('pkg:pypi/attrs@25.3.0').tollgate).toEqual({ licenseSource: 'sbom' });
    expect(received).toEqual(['/pypi/attrs/json']);
  });
});
