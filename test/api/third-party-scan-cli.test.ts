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
    expect(release.output).toMatch(/Report: ui\/links\/application\/ci-app\/report\/[0-9a-f]{32}/);
  });
});
