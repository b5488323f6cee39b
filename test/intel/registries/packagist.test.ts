import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declaredLicenseExpression } from '../../../src/intel/licenses/registry-licenses.js';
import { RegistryNotFoundError, RegistryUnavailableError } from '../../../src/intel/registries/errors.js';
import { expandMinified, normalizeComposerName, packagist } from '../../../src/intel/registries/packagist.js';
import { ValidationError } from '../../../src/core/errors.js';
import { OWN_REGISTRY_FIXTURES, RegistryReplay, sharedRegistryFixtures } from '../../helpers/registry-replay.js';

const shared = sharedRegistryFixtures();

describe('Composer minified metadata', () => {
  it('expands each entry from the one before it; __unset removes a key', () => {
    expect(
      expandMinified([
        { name: 'a/b', version: '2.0.0', license: ['MIT'], extra: { x: 1 } },
        { version: '1.1.0' },
        { version: '1.0.0', license: '__unset', extra: '__unset' },
      ]),
    ).toEqual([
      { name: 'a/b', version: '2.0.0', license: ['MIT'], extra: { x: 1 } },
      { name: 'a/b', version: '1.1.0', license: ['MIT'], extra: { x: 1 } },
      { name: 'a/b', version: '1.0.0' },
    ]);
  });
});

describe('Packagist adapter on hand-written answers', () => {
  let replay: RegistryReplay;
  const adapter = () => packagist({ url: `${replay.url}/packagist`, timeoutMs: 5000 });
  beforeAll(async () => {
    replay = await new RegistryReplay(OWN_REGISTRY_FIXTURES).answer('/packagist/p2/acme/broken.json', { body: '{"packages": {"acme/other": []}}' }).start();
  });
  afterAll(() => replay.close());

  it('expands the minified list: licenses inherited, changed and removed; latest is the highest stable', async () => {
    const meta = await adapter().fetchPackage('acme/widget');
    expect(meta.versions).toEqual([
      { version: 'v1.0.0', releasedAt: '2017-08-14T09:30:00.000Z', licenses: [] },
      { version: 'v2.0.0', releasedAt: '2021-05-03T10:00:00.000Z', licenses: ['GPL-2.0-or-later', 'MIT'] },
      { version: 'v2.4.1', releasedAt: '2024-02-19T13:37:00.000Z', licenses: ['MIT'] },
      { version: 'v3.0.0-RC1', releasedAt: '2024-10-01T08:00:00.000Z', licenses: ['MIT'] },
    ]);
    expect(meta.latest).toBe('v2.4.1');
    expect(declaredLicenseExpression(meta.versions[1].licenses!, 'composer').expression).toBe('GPL-2.0-or-later OR MIT');
  });

  it('answers not found for an unknown package, and refuses a document without the package naming Packagist', async () => {
    await expect(adapter().fetchPackage('acme/none')).rejects.toThrow(RegistryNotFoundError);
    await expect(adapter().fetchPackage('acme/broken')).rejects.toThrow(RegistryUnavailableError);
    await expect(adapter().fetchPackage('acme/broken')).rejects.toThrow(
      'Packagist answered with an unexpected document for Composer package "acme/broken": the versions of acme/broken is not a list',
    );
  });

  it('lower-cases vendor/name and refuses names without a vendor', () => {
    expect(normalizeComposerName('Monolog/Monolog')).toBe('monolog/monolog');
    for (const bad of ['monolog', 'a/b/c', '/x', 'a /b']) expect(() => normalizeComposerName(bad)).toThrow(ValidationError);
  });
});

describe.skipIf(!shared)('Packagist adapter on recorded answers', () => {
  let replay: RegistryReplay;
  const adapter = () => packagist({ url: `${replay.url}/packagist`, timeoutMs: 5000 });
  beforeAll(async () => {
    replay = await new RegistryReplay(shared!).start();
  });
  afterAll(() => replay.close());

  it('monolog/monolog (2022): 71 versions, each with MIT carried down from the newest entry', async () => {
    const meta = await adapter().fetchPackage('monolog/monolog');
    expect(meta.versions).toHaveLength(71);
    expect(meta.latest).toBe('3.2.0');
    expect(meta.versions.every((v) => v.licenses?.join() === 'MIT')).toBe(true);
    expect(meta.versions[0]).toEqual({ version: '1.0.0-RC1', releasedAt: '2011-07-01T19:29:40.000Z', licenses: ['MIT'] });
  });

  it('illuminate/console: 635 v-prefixed versions; the oldest declare none (license: [])', async () => {
    const meta = await adapter().fetchPackage('illuminate/console');
    expect(meta.versions).toHaveLength(635);
    expect(meta.latest).toBe('v9.44.0');
    expect(meta.versions.find((v) => v.version === 'v4.0.0-BETA4')?.licenses).toEqual([]);
    expect(meta.versions.find((v) => v.version === 'v4.2.17')?.licenses).toEqual(['MIT']);
  });
});
