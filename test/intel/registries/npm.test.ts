import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declaredLicenseExpression } from '../../../src/intel/licenses/registry-licenses.js';
import { RegistryNotFoundError, RegistryUnavailableError } from '../../../src/intel/registries/errors.js';
import { npmRegistry } from '../../../src/intel/registries/npm.js';
import { OWN_REGISTRY_FIXTURES, RegistryReplay } from '../../helpers/registry-replay.js';

// Package documents recorded from the npm registry (test/fixtures/registries/replay/PROVENANCE.tsv).
describe('npm adapter on recorded package documents', () => {
  let replay: RegistryReplay;
  const adapter = () => npmRegistry({ url: `${replay.url}/npm`, timeoutMs: 5000 });
  beforeAll(async () => {
    replay = await new RegistryReplay(OWN_REGISTRY_FIXTURES).answer('/npm/truncated', { body: '{"name": "truncated", "versions": {' }).start();
  });
  afterAll(() => replay.close());

  it('json-schema: legacy license arrays become a choice, as the package itself later wrote it', async () => {
    const meta = await adapter().fetchPackage('json-schema');
    expect(meta.latest).toBe('0.4.0');
    expect(meta.versions.map((v) => v.version)).toEqual(['0.2.0', '0.2.2', '0.2.3', '0.2.4', '0.2.5', '0.3.0', '0.4.0']);
    const v023 = meta.versions.find((v) => v.version === '0.2.3')!;
    expect(v023.licenses).toEqual(['AFLv2.1', 'BSD']);
    expect(v023.releasedAt).toBe('2024-11-22T23:13:27.082Z');
    expect(declaredLicenseExpression(v023.licenses!, 'npm').expression).toBe('AFL-2.1 OR BSD-2-Clause');
    expect(declaredLicenseExpression(meta.licenses!, 'npm').expression).toBe('AFL-2.1 OR BSD-3-Clause');
  });

  it('tweetnacl: license text that is no license id is kept as written', async () => {
    const meta = await adapter().fetchPackage('tweetnacl');
    expect(meta.versions).toHaveLength(20);
    expect(meta.latest).toBe('1.0.3');
    const read = (version: string) => declaredLicenseExpression(meta.versions.find((v) => v.version === version)!.licenses!, 'npm');
    expect(read('0.14.2')).toEqual({ unrecognized: ['SEE LICENSE IN COPYING.txt'] });
    expect(read('0.9.1')).toEqual({ unrecognized: ['Public domain'] });
    expect(read('0.13.2')).toEqual({ expression: 'CC0-1.0', unrecognized: [] });
    expect(read('1.0.3')).toEqual({ expression: 'Unlicense', unrecognized: [] });
  });

  it('404 is not found; a truncated document is an error naming the npm registry', async () => {
    await expect(adapter().fetchPackage('no-such-package')).rejects.toThrow(RegistryNotFoundError);
    await expect(adapter().fetchPackage('truncated')).rejects.toThrow(RegistryUnavailableError);
    await expect(adapter().fetchPackage('truncated')).rejects.toThrow(/^the npm registry answered with invalid JSON for npm package "truncated"/);
  });
});
