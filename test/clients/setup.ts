import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importOsvSource } from '../../src/intel/advisories/importer.js';
import { type TestServer, startTestServer } from '../helpers/server.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Two lodash advisories in the OSV format (test/fixtures/osv/README.md): CVSS 9.1 fixed in 4.17.12, 7.2 fixed in 4.17.21. */
const OSV = join(ROOT, 'test', 'fixtures', 'osv', 'npm');

/** A server whose job workers run (as `tollgate serve`), with the lodash advisories imported. */
export async function serverWithAdvisories(): Promise<TestServer> {
  const server = await startTestServer({ registries: { offline: true }, jobs: { pollIntervalMs: 20 } });
  const summary = await importOsvSource(server.ctx, OSV);
  if (summary.records !== 2 || summary.rejected.length) throw new Error(`the lodash advisories did not import: ${JSON.stringify(summary)}`);
  await server.jobs.start();
  return server;
}

export async function createApplication(server: TestServer, publicId: string): Promise<string> {
  const res = await server.request('POST', '/api/v2/applications', { body: { publicId, name: publicId, organizationId: 'ROOT_ORGANIZATION_ID' } });
  if (res.status !== 200) throw new Error(res.text);
  return res.body.id;
}

/** An installed npm project that depends on lodash at `version`: package.json and node_modules as npm leaves them. */
export function npmProject(lodashVersion: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-npm-project-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'demo-app', version: '1.0.0', dependencies: { lodash: lodashVersion } }, null, 2));
  mkdirSync(join(dir, 'node_modules', 'lodash'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', 'lodash', 'package.json'), JSON.stringify({ name: 'lodash', version: lodashVersion, license: 'MIT', main: 'lodash.js' }, null, 2));
  writeFileSync(
    join(dir, 'package-lock.json'),
    JSON.stringify(
      {
        name: 'demo-app',
        version: '1.0.0',
        lockfileVersion: 3,
        requires: true,
        packages: {
          '': { name: 'demo-app', version: '1.0.0', dependencies: { lodash: lodashVersion } },
          'node_modules/lodash': {
            version: lodashVersion,
            resolved: `https://registry.npmjs.org/lodash/-/lodash-${lodashVersion}.tgz`,
            license: 'MIT',
          },
        },
      },
      null,
      2,
    ),
  );
  return dir;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const children = new Set<ChildProcess>();

/** Runs `node <args>` in `cwd` with only the given environment beside PATH and HOME. */
export function runNode(args: string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: options.cwd, NO_COLOR: '1', ...options.env },
    });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

export function killChildren(): void {
  for (const child of children) child.kill('SIGKILL');
}
