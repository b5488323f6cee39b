import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exitCodeFor, formatResult, prepareSubmission } from '../../src/cli/evaluate.js';
import { readSbom } from '../../src/sbom/read.js';
import { writeSpdxXml } from '../../src/sbom/spdx/write.js';
import { readShared, sharedFile } from '../helpers/shared.js';

const lockfile = readFileSync(new URL('../fixtures/lockfiles/npm-v3/package-lock.json', import.meta.url), 'utf8');

describe('tollgate evaluate: what it sends', () => {
  it('sends a lockfile as CycloneDX JSON that reads back with the same components', async () => {
    const submission = prepareSubmission('app/package-lock.json', lockfile);
    expect(submission).toMatchObject({ source: 'cyclonedx', contentType: 'application/json' });
    const sent = await readSbom(submission.data);
    expect(sent.specVersion).toBe('1.6');
    expect(sent.components.map((c) => c.purl)).toContain('pkg:npm/express@4.17.1');
    expect(sent.components.length).toBeGreaterThan(50);
  });

  it.skipIf(!sharedFile('fixtures/sbom/cyclonedx/laravel-7.12.0.1.3.xml'))('sends SBOMs as they are, with the right source and content type', () => {
    const xml = readShared('fixtures/sbom/cyclonedx/laravel-7.12.0.1.3.xml').toString('utf8');
    expect(prepareSubmission('bom.xml', xml)).toEqual({ source: 'cyclonedx', contentType: 'application/xml', data: xml });
    const spdx = readShared('fixtures/sbom/spdx/sbom-2.3.spdx.json').toString('utf8');
    expect(prepareSubmission('x.spdx.json', spdx)).toMatchObject({ source: 'spdx', contentType: 'application/json' });
    const tagValue = readShared('fixtures/sbom/spdx/example1.spdx').toString('utf8');
    expect(prepareSubmission('x.spdx', tagValue)).toMatchObject({ source: 'spdx', contentType: 'text/plain' });
  });

  it('sends SPDX XML as spdx, application/xml', () => {
    const xml = writeSpdxXml({ format: 'SPDX', specVersion: '2.3', tools: [], components: [{ ref: 'a', name: 'a', version: '1', hashes: {} }], dependencies: new Map(), vulnerabilities: [] });
    expect(prepareSubmission('sbom.spdx.xml', xml)).toEqual({ source: 'spdx', contentType: 'application/xml', data: xml });
  });

  it('refuses a file that is neither an SBOM nor a known lockfile', () => {
    expect(() => prepareSubmission('notes.txt', 'hello')).toThrow(/not a recognised SBOM/);
  });
});

describe('tollgate evaluate: what it prints and returns', () => {
  const result = {
    policyAction: 'Failure',
    reportHtmlUrl: 'http://localhost:8070/ui/links/application/app/report/abc',
    openPolicyViolations: { critical: 2, severe: 1, moderate: 0 },
    componentsAffected: { critical: 1, severe: 1, moderate: 0 },
  };

  it('prints the action, the counts and the report link', () => {
    const text = formatResult('my-app', 'build', result);
    expect(text).toMatch(/my-app, stage build: policy action Failure/);
    expect(text).toMatch(/open policy violations\s+2\s+1\s+0/);
    expect(text).toContain(result.reportHtmlUrl);
  });

  it('exits 1 on Failure, 0 on Warning or None, 2 on an evaluation error', () => {
    expect(exitCodeFor(result)).toBe(1);
    expect(exitCodeFor({ ...result, policyAction: 'Warning' })).toBe(0);
    expect(exitCodeFor({ policyAction: 'None' })).toBe(0);
    expect(exitCodeFor({ isError: true, errorMessage: 'bad' })).toBe(2);
  });
});
