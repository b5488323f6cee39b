import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declaredLicenseExpression } from '../../../src/intel/licenses/registry-licenses.js';
import { cratesIo, normalizeCrateName } from '../../../src/intel/registries/cargo.js';
import { RegistryNotFoundError, RegistryUnavailableError } from '../../../src/intel/registries/errors.js';
import { ValidationError } from '../../../src/core/errors.js';
import { OWN_REGISTRY_FIXTURES, RegistryReplay, sharedRegistryFixtures } from '../../helpers/registry-replay.js';

const shared = sharedRegistryFixtures();

describe('crates.io adapter on hand-written answers', () => {
  let replay: RegistryReplay;
  const adapter = () => cratesIo({ url: `${replay.url}/crates`, timeoutMs: 5000 });
  beforeAll(async () => {
    replay = await new RegistryReplay(OWN_REGISTRY_FIXTURES)
      .answer('/crates/api/v1/crates/broken', { body: '{"crate": {"name": "broken"}, "versions": "soon"}' })
      .answer('/crates/api/v1/crates/html', { body: '<html>maintenance</html>', contentType: 'text/html' })
      .start();
  });
  afterAll(() => replay.close());

  it('lists every version with its date and license, yanked ones marked; latest is max_stable_version', async () => {
    const meta = await adapter().fetchPackage('widget-rs');
    expect(meta.latest).toBe('1.2.0');
    expect(meta.versions.map((v) => [v.version, v.releasedAt, v.licenses, v.yanked ?? false])).toEqual([
      ['0.1.0', '2019-03-11T17:40:02.573Z', [], false],
      ['1.0.0', '2021-06-07T19:20:31.451Z', ['MIT/Apache-2.0'], false],
      ['1.2.0', '2023-11-30T12:45:10.002Z', ['MIT OR Apache-2.0'], false],
      ['1.2.1', '2024-04-18T15:03:27.884Z', ['MIT OR Apache-2.0'], true],
      ['2.0.0-beta.1', '2024-05-02T09:12:44.109Z', ['MIT OR Apache-2.0'], false],
    ]);
    expect(meta.licenses).toEqual(['MIT OR Apache-2.0']);
  });

  it('answers not found for a crate crates.io does not know', async () => {
    await expect(adapter().fetchPackage('no-such-crate')).rejects.toThrow(RegistryNotFoundError);
    await expect(adapter().fetchPackage('no-such-crate')).rejects.toThrow('crate "no-such-crate" was not found in crates.io.');
  });

  it('refuses a malformed answer with an error naming crates.io and the crate', async () => {
    await expect(adapter().fetchPackage('broken')).rejects.toThrow(RegistryUnavailableError);
    await expect(adapter().fetchPackage('broken')).rejects.toThrow(/^crates\.io answered with an unexpected document for crate "broken": versions is not a list/);
    await expect(adapter().fetchPackage('html')).rejects.toThrow(/^crates\.io answered with invalid JSON for crate "html"/);
  });

  it.each([
    ['Serde', 'serde'],
    [' tokio-util ', 'tokio-util'],
  ])('normalizes the name %j to %s', (name, normalized) => {
    expect(normalizeCrateName(name)).toBe(normalized);
  });

  it.each(['', '1abc', 'has space', 'a/b', 'x'.repeat(65)])('refuses the name %j', (name) => {
    expect(() => normalizeCrateName(name)).toThrow(ValidationError);
  });
});

describe.skipIf(!shared)('crates.io adapter on recorded answers', () => {
  let replay: RegistryReplay;
  const adapter = () => cratesIo({ url: `${replay.url}/crates`, timeoutMs: 5000 });
  beforeAll(async () => {
    replay = await new RegistryReplay(shared!).start();
  });
  afterAll(() => replay.close());

  it('rand (2020): 62 versions, per-version licenses in both forms, the newest stable as latest', async () => {
    const meta = await adapter().fetchPackage('rand');
    expect(meta.versions).toHaveLength(62);
    expect(meta.latest).toBe('0.7.3');
    expect(meta.versions.at(-1)).toMatchObject({ version: '0.7.3', releasedAt: '2020-01-10T21:46:21.337Z', licenses: ['MIT OR Apache-2.0'] });
    const forms = new Set(meta.versions.map((v) => v.licenses?.[0]));
    expect(forms).toEqual(new Set(['MIT OR Apache-2.0', 'MIT/Apache-2.0']));
    // Both forms mean the same choice.
    for (const form of forms) expect(declaredLicenseExpression([form!], 'cargo').expression).toBe('MIT OR Apache-2.0');
  });

  it('bitflags (2017, before max_stable_version): the latest is the highest stable version', async () => {
    const meta = await adapter().fetchPackage('bitflags');
    expect(meta.latest).toBe('1.0.1');
    expect(meta.versions).toHaveLength(21);
    expect(meta.versions.find((v) => v.version === '1.0.0')?.releasedAt).toBe('2017-09-09T01:44:34.463Z');
  });

  it('regex: versions in Cargo order, not the listing order', async () => {
    const meta = await adapter().fetchPackage('regex');
    const listed = meta.versions.map((v) => v.version);
    expect(listed.slice(0, 12)).toEqual(['0.1.0', '0.1.1', '0.1.2', '0.1.3', '0.1.4', '0.1.5', '0.1.6', '0.1.7', '0.1.8', '0.1.9', '0.1.10', '0.1.11']);
    expect(listed.slice(-3)).toEqual(['0.2.10', '0.2.11', '1.0.0']);
  });
});
