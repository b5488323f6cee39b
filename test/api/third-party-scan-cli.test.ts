import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { evaluateCommand } from '../../src/cli/evaluate.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { createApplication } from '../evaluation/scan.js';
import { cycloneDxJson } from '../evaluation/sboms.js';

/**
 * The whole loop as CI runs it: `tollgate evaluate` submits to a running server whose job workers
 * are started, polls the status URL (404 while running) and exits 1 on Failure.
 */
let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await startTestServer({ registries: { offline: true }, jobs: { pollIntervalMs: 50 } });
  await server.jobs.start();
  await createApplication(server, 'ci-app');
  dir = mkdtempSync(join(tmpdir(), 'tollgate-cli-'));
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
  process.exitCode = undefined;
});

async function run(file: string, stage: string): Promise<{ code: number | undefined; output: string }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => {
    lines.push(String(line));
  });
  process.exitCode = undefined;
  try {
    await evaluateCommand().parseAsync(['node', 'evaluate', file, '--app', 'ci-app', '--stage', stage, '--server', server.url, '--password', 'admin123', '--poll-interval', '20'], {
      from: 'node',
    });
  } finally {
    log.mockRestore();
  }
  const code = typeof process.exitCode === 'number' ? process.exitCode : undefined;
  process.exitCode = undefined;
  return { code, output: lines.join('\n') };
}

describe('tollgate evaluate against the server', () => {
  it('passes with a warning at build and fails a release for a copyleft license', async () => {
    const file = join(dir, 'bom.json');
    writeFileSync(file, cycloneDxJson([{ name: 'readline', version: '1.3.0', purl: 'pkg:npm/readline@1.3.0', license: 'GPL-3.0-only' }]));
    const build = await run(file, 'build');
    expect(build.code).toBe(0);
    expect(build.output).toMatch(/policy action Warning/);
    const release = await run(file, 'release');
    expect(release.code).toBe(1);
    expect(release.output).toMatch(/policy action Failure/);
    expect(release.output).toMatch(/Policy violations: 1 on 1 component, worst first\n {2}readline 1\.3\.0 {2}pkg:npm\/readline@1\.3\.0\n {4}threat 9 {2}License-Copyleft/);
    // The report's address as a person opens it: absolute, on the server the CLI talked to.
    expect(release.output).toMatch(new RegExp(`Report: ${server.url}/ui/links/application/ci-app/report/[0-9a-f]{32}$`));
  });

  it('builds the report address from the baseUrl an administrator set', async () => {
    const file = join(dir, 'bom.json');
    expect((await server.request('PUT', '/api/v2/config', { body: { baseUrl: 'https://tollgate.example.com/gate' } })).status).toBe(204);
    try {
      const build = await run(file, 'build');
      expect(build.output).toMatch(/Report: https:\/\/tollgate\.example\.com\/gate\/ui\/links\/application\/ci-app\/report\/[0-9a-f]{32}$/);
    } finally {
      await server.request('PUT', '/api/v2/config', { body: { baseUrl: null } });
    }
  });
});
