import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT, BUNDLE, builtProduct } from '../helpers/build.js';
import type { TestServer } from '../helpers/server.js';
import { ROOT, createApplication, killChildren, npmProject, runNode, serverWithAdvisories } from './setup.js';

/**
 * The CI gate from any repository: the server hands out its client as one file
 * (GET /cli/tollgate.mjs), which runs with plain `node` in a directory with nothing else in it —
 * no package.json, no node_modules — as `curl -fsSO $TOLLGATE_URL/cli/tollgate.mjs && node
 * tollgate.mjs evaluate …` does in a pipeline. Exit codes: 0 pass or warn, 1 policy failure,
 * 2 the evaluation could not run.
 */
const SLOW = { timeout: 60_000 };
let server: TestServer;
let dir: string;
const projects: string[] = [];

// The client bundle `npm run build` makes, built from the current sources (helpers/build.ts).
beforeAll(builtProduct, BUILD_TIMEOUT);
beforeAll(async () => {
  server = await serverWithAdvisories();
  await createApplication(server, 'ci-app');
  dir = mkdtempSync(join(tmpdir(), 'tollgate-served-cli-'));
  const vulnerable = npmProject('4.17.11');
  const fixed = npmProject('4.17.21');
  projects.push(vulnerable, fixed);
  mkdirSync(join(dir, 'vulnerable'));
  copyFileSync(join(vulnerable, 'package-lock.json'), join(dir, 'vulnerable', 'package-lock.json'));
  copyFileSync(join(fixed, 'package-lock.json'), join(dir, 'package-lock.json'));
}, 120_000);
afterAll(async () => {
  killChildren();
  await server?.close();
  for (const d of [dir, ...projects]) if (d) rmSync(d, { recursive: true, force: true });
});

/** `node tollgate.mjs …` in the directory, with the server and password in the environment as CI sets them. */
const tollgate = (args: string[], env: Record<string, string> = {}) =>
  runNode(['tollgate.mjs', ...args], { cwd: dir, env: { TOLLGATE_URL: server.url, TOLLGATE_PASSWORD: 'admin123', ...env } });

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('GET /cli/tollgate.mjs', () => {
  it('hands out the built client to anyone, as JavaScript', async () => {
    const res = await fetch(`${server.url}/cli/tollgate.mjs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    const text = await res.text();
    expect(text).toBe(readFileSync(BUNDLE, 'utf8'));
    expect(text.startsWith('#!/usr/bin/env node')).toBe(true);
    writeFileSync(join(dir, 'tollgate.mjs'), text);
    // Self-contained, and small enough to fetch in every pipeline run.
    expect(statSync(BUNDLE).size).toBeLessThan(1024 * 1024);
    const version = await tollgate(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });
});

describe('node tollgate.mjs evaluate, from an empty directory', () => {
  it('passes (exit 0) a lockfile whose lodash has no known vulnerability', SLOW, async () => {
    const run = await tollgate(['evaluate', '--app', 'ci-app', '--stage', 'release', 'package-lock.json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Application ci-app, stage release: policy action (None|Warning)/);
    expect(run.stdout).not.toMatch(/Security-/);
    expect(run.stdout).toMatch(new RegExp(`Report: ${server.url}/ui/links/application/ci-app/report/[0-9a-f]{32}$`, 'm'));
  });

  it('fails (exit 1) the release of a vulnerable lodash: each violation with its policy, threat and the fixing version', SLOW, async () => {
    const run = await tollgate(['evaluate', '--app', 'ci-app', '--stage', 'release', 'vulnerable/package-lock.json']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/policy action Failure/);
    expect(run.stdout).toMatch(/ {2}lodash 4\.17\.11 {2}pkg:npm\/lodash@4\.17\.11\n {4}threat 10 Security-Critical\n {15}Found security vulnerability CVE-2019-10744 with severity >= 9/);
    expect(run.stdout).toMatch(/ {4}threat 9 {2}Security-High\n {15}Found security vulnerability CVE-2021-23337/);
    expect(run.stdout).toMatch(/fix: upgrade to .*4\.17\.12 \(CVE-2019-10744\)/);
    expect(run.stdout).toMatch(/fix: upgrade to .*4\.17\.21 \(CVE-2021-23337\)/);
    expect(run.stdout).toMatch(new RegExp(`Report: ${server.url}/ui/links/application/ci-app/report/[0-9a-f]{32}$`, 'm'));
  });

  it('--json prints one JSON document', SLOW, async () => {
    const run = await tollgate(['evaluate', '--app', 'ci-app', '--stage', 'build', '--json', 'vulnerable/package-lock.json']);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({
      application: 'ci-app',
      stage: 'build',
      policyAction: 'Warning',
      exitCode: 0,
      counts: { openPolicyViolations: { critical: 2 }, componentsAffected: { critical: 1 } },
      violations: [{ component: 'lodash 4.17.11', packageUrl: 'pkg:npm/lodash@4.17.11' }],
    });
    expect(doc.reportUrl).toMatch(new RegExp(`^${server.url}/ui/links/application/ci-app/report/[0-9a-f]{32}$`));
    expect(doc.violations[0].violations.map((v: { policy: string; threatLevel: number }) => `${v.threatLevel} ${v.policy}`)).toEqual(['10 Security-Critical', '9 Security-High']);
    expect(doc.violations[0].fixes).toEqual(
      expect.arrayContaining([
        { vulnerability: 'CVE-2019-10744', version: '4.17.12' },
        { vulnerability: 'CVE-2021-23337', version: '4.17.21' },
      ]),
    );
  });

  it('exits 2 when the evaluation cannot run, saying why, and submits nothing', SLOW, async () => {
    const before = (await server.ctx.store.db.selectFrom('evaluation_requests').select('id').execute()).length;
    const unreachable = `http://127.0.0.1:${await closedPort()}`;
    writeFileSync(join(dir, 'notes.txt'), 'not an SBOM');
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [['--app', 'no-such-app', 'package-lock.json'], {}, /no application with public id "no-such-app".*tollgate app create no-such-app/],
      [['--app', 'ci-app', 'package-lock.json'], { TOLLGATE_PASSWORD: 'wrong' }, /answered 401 \(check the username and password or token\)/],
      [['--app', 'ci-app', 'missing.json'], {}, /cannot read missing\.json: ENOENT/],
      [['--app', 'ci-app', 'notes.txt'], {}, /not a recognised SBOM/],
      [['--app', 'ci-app', 'package-lock.json'], { TOLLGATE_URL: unreachable }, /cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/],
      [['--app', 'ci-app', '--server', 'localhost:8070', 'package-lock.json'], {}, /must start with http:\/\/ or https:\/\//],
      [['--app', 'ci-app', 'package-lock.json'], { TOLLGATE_PASSWORD: '' }, /no password: use --password or set TOLLGATE_PASSWORD/],
      [['--app', 'ci-app', '--timeout', 'soon', 'package-lock.json'], {}, /'--timeout <seconds>' argument 'soon' is invalid\. must be a number greater than 0/],
      [['--app', 'ci-app', '--poll-interval', '0', 'package-lock.json'], {}, /--poll-interval <ms>' argument '0' is invalid/],
      [['--app', 'ci-app', '--stage', 'production', 'package-lock.json'], {}, /Allowed choices are develop, source, build, stage-release, release, operate/],
      [['package-lock.json'], {}, /required option '-a, --app <publicId>' not specified/],
    ];
    for (const [args, env, message] of cases) {
      const run = await tollgate(['evaluate', ...args], env);
      expect(run.code, `${args.join(' ')} ${JSON.stringify(env)}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
    }
    // With --json, the failure is a JSON document too.
    const json = await tollgate(['evaluate', '--json', '--app', 'no-such-app', 'package-lock.json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ application: 'no-such-app', exitCode: 2, error: expect.stringMatching(/no application/) });
    expect((await server.ctx.store.db.selectFrom('evaluation_requests').select('id').execute()).length).toBe(before);
  });

  it('the stage list is the server’s', async () => {
    const help = await tollgate(['evaluate', '--help']);
    const { STAGES } = await import('../../src/policy/model.js');
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(`(choices: ${STAGES.map((s) => `"${s}"`).join(', ')}`);
  });
});

describe('node tollgate.mjs app', () => {
  it('creates an application (the first example needs no hand-made API call), lists it, and it can be evaluated', SLOW, async () => {
    const created = await tollgate(['app', 'create', 'my-app', '--name', 'My App']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^created application my-app \(id [0-9a-f]{32}\) in organization Root Organization/);
    const again = await tollgate(['app', 'create', 'my-app']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists \(--exist-ok accepts that\)/);
    expect((await tollgate(['app', 'create', 'my-app', '--exist-ok'])).code).toBe(0);
    const elsewhere = await tollgate(['app', 'create', 'other-app', '--organization', 'No Such Org']);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toMatch(/no organization "No Such Org"/);

    const list = await tollgate(['app', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^PUBLIC ID +NAME +ORGANIZATION$/m);
    expect(list.stdout).toMatch(/^my-app +My App +Root Organization$/m);

    const evaluated = await tollgate(['evaluate', '--app', 'my-app', 'package-lock.json']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(evaluated.stdout).toMatch(/^Application my-app, stage build/);
  });
});
