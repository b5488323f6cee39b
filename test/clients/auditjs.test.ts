import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/server.js';
import { ROOT, createApplication, killChildren, npmProject, runNode, serverWithAdvisories } from './setup.js';

/**
 * auditjs, Sonatype's npm client (a dev dependency, run unchanged): `auditjs lifecycle` in an installed
 * npm project reads node_modules, posts CycloneDX 1.6 XML to …/sources/auditjs as
 * application/xml, polls the status URL, prints the report URL and exits 1 on a Failure.
 * (`auditjs lifecycle` is `auditjs iq`'s new name.)
 */
const AUDITJS = join(ROOT, 'node_modules', 'auditjs', 'bin', 'index.js');
const installed = existsSync(AUDITJS);
if (!installed) console.warn('notice: auditjs is not installed (npm ci installs it as a dev dependency); its tests are skipped');

let server: TestServer;
let vulnerable: string;
let fixed: string;
const SLOW = { timeout: 120_000 };

beforeAll(async () => {
  if (!installed) return;
  server = await serverWithAdvisories();
  await createApplication(server, 'auditjs-app');
  vulnerable = npmProject('4.17.11');
  fixed = npmProject('4.17.21');
}, 60_000);
afterAll(async () => {
  killChildren();
  await server?.close();
  for (const dir of [vulnerable, fixed]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const auditjs = (cwd: string, ...args: string[]) =>
  runNode([AUDITJS, 'lifecycle', '--server', server.url, '--user', 'admin', '--password', 'admin123', ...args], { cwd });

describe.skipIf(!installed)('auditjs lifecycle against Tollgate', () => {
  it('fails the release of a project on a vulnerable lodash: exit 1 and the report’s address', SLOW, async () => {
    const run = await auditjs(vulnerable, '--application', 'auditjs-app', '--stage', 'release');
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(1);
    // auditjs writes a failure to standard error, a pass to standard output.
    expect(run.stderr).toMatch(/build-breaking policy violations/);
    const url = /Report URL: (\S+)/.exec(run.stderr)?.[1];
    expect(url).toMatch(new RegExp(`^${server.url}/ui/links/application/auditjs-app/report/[0-9a-f]{32}$`));

    // The report it points at: lodash with its critical vulnerability, submitted by auditjs.
    const scanId = url!.split('/').at(-1)!;
    const row = await server.ctx.store.db.selectFrom('reports').select(['source', 'stage', 'policy_action']).where('id', '=', scanId).executeTakeFirstOrThrow();
    expect(row).toEqual({ source: 'auditjs', stage: 'release', policy_action: 'Failure' });
    const policy = await server.request('GET', `/api/v2/applications/auditjs-app/reports/${scanId}/policy`);
    const lodash = policy.body.components.find((c: { packageUrl?: string }) => c.packageUrl === 'pkg:npm/lodash@4.17.11');
    expect(lodash.violations.map((v: { policyName: string }) => v.policyName)).toContain('Security-Critical');
    const page = await fetch(url!, { headers: { authorization: `Basic ${Buffer.from('admin:admin123').toString('base64')}` } });
    expect(await page.text()).toContain('source: auditjs');
  });

  it('passes the build of the same project (the policy only warns there): exit 0', SLOW, async () => {
    const run = await auditjs(vulnerable, '--application', 'auditjs-app', '--stage', 'build');
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/No build-breaking violations/);
    expect(run.stdout).toMatch(new RegExp(`Report URL: ${server.url}/ui/links/application/auditjs-app/report/[0-9a-f]{32}`));
  });

  it('passes the release once lodash is upgraded: exit 0', SLOW, async () => {
    const run = await auditjs(fixed, '--application', 'auditjs-app', '--stage', 'release');
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const scanId = /Report URL: \S+\/report\/([0-9a-f]{32})/.exec(run.stdout)?.[1];
    const raw = await server.request('GET', `/api/v2/applications/auditjs-app/reports/${scanId}/raw`);
    const lodash = raw.body.components.find((c: { packageUrl?: string }) => c.packageUrl?.startsWith('pkg:npm/lodash@'));
    expect(lodash).toMatchObject({ packageUrl: 'pkg:npm/lodash@4.17.21', securityData: { securityIssues: [] } });
  });

  it('stops with its own message for an application Tollgate does not have, or wrong credentials', SLOW, async () => {
    const unknown = await auditjs(vulnerable, '--application', 'no-such-app', '--stage', 'build');
    expect(unknown.code).toBe(1);
    expect(`${unknown.stdout}${unknown.stderr}`).toMatch(/issue auditing your application/);
    const wrong = await runNode([AUDITJS, 'lifecycle', '--server', server.url, '--user', 'admin', '--password', 'wrong', '--application', 'auditjs-app'], { cwd: vulnerable });
    expect(wrong.code).toBe(1);
    expect(await server.ctx.store.db.selectFrom('reports').select('id').where('source', '=', 'auditjs').execute()).toHaveLength(3);
  });
});
