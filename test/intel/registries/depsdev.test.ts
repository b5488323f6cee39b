import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { declaredLicenseExpression } from '../../../src/intel/licenses/registry-licenses.js';
import { npmEcosystem } from '../../../src/ecosystems/npm/index.js';
import { depsDev } from '../../../src/intel/registries/depsdev.js';
import { RegistryNotFoundError, RegistryUnavailableError } from '../../../src/intel/registries/errors.js';
import { registryFor } from '../../../src/intel/registries/registries.js';
import { OWN_REGISTRY_FIXTURES, RegistryReplay, sharedRegistryFixtures } from '../../helpers/registry-replay.js';

const shared = sharedRegistryFixtures();

describe('deps.dev adapter on hand-written answers', () => {
  let replay: RegistryReplay;
  const adapter = () => depsDev({ url: `${replay.url}/depsdev`, timeoutMs: 5000, ecosystem: npmEcosystem });
  beforeAll(async () => {
    replay = await new RegistryReplay(OWN_REGISTRY_FIXTURES).answer('/depsdev/v3/systems/npm/packages/broken', { body: '{"packageKey": {}, "versions": {}}' }).start();
  });
  afterAll(() => replay.close());

  it('lists versions with publishedAt, the default one as latest, deprecations; licenses come per version', async () => {
    const meta = await adapter().fetchPackage('@acme/widget');
    expect(meta).toEqual({
      ecosystem: 'npm',
      name: '@acme/widget',
      latest: '1.1.0',
      licenses: null,
      versions: [
        { version: '1.0.0', releasedAt: '2020-02-03T11:22:33.000Z', licenses: null, deprecated: 'use 1.1.0' },
        { version: '1.1.0', releasedAt: '2021-07-08T09:10:11.000Z', licenses: null },
        { version: '2.0.0-beta.1', releasedAt: '2023-01-02T03:04:05.000Z', licenses: null },
      ],
    });
    // A scoped name is one path segment: `/` and `@` encoded.
    expect(replay.hitsOf('/depsdev/v3/systems/npm/packages/%40acme%2Fwidget')).toBe(1);
  });

  it('a version’s licenses; `non-standard` is kept and reads as unrecognized', async () => {
    expect(await adapter().fetchVersion!('@acme/widget', '1.0.0')).toEqual({ licenses: ['MIT', 'Apache-2.0'], releasedAt: '2020-02-03T11:22:33.000Z' });
    const other = await adapter().fetchVersion!('@acme/widget', '1.1.0');
    expect(other.licenses).toEqual(['non-standard']);
    expect(declaredLicenseExpression(other.licenses!, 'npm')).toEqual({ unrecognized: ['non-standard'] });
  });

  it('404 is not found; a malformed answer is an error naming deps.dev', async () => {
    await expect(adapter().fetchPackage('nothing-here')).rejects.toThrow(RegistryNotFoundError);
    await expect(adapter().fetchVersion!('@acme/widget', '9.0.0')).rejects.toThrow('version 9.0.0 of npm package "@acme/widget" was not found in deps.dev.');
    await expect(adapter().fetchPackage('broken')).rejects.toThrow(RegistryUnavailableError);
    await expect(adapter().fetchPackage('broken')).rejects.toThrow('deps.dev answered with an unexpected document for npm package "broken": versions is not a list');
  });
});

describe('choosing deps.dev or the registry (registries.depsdev.formats)', () => {
  const config = (formats: string) => loadConfig({ file: false, env: { TOLLGATE_REGISTRIES_DEPSDEV_FORMATS: formats } });

  it('uses each format’s own registry unless deps.dev is named for it', () => {
    expect(registryFor(config(''), 'npm').registry).toBe('the npm registry');
    expect(registryFor(config(''), 'golang').registry).toBe('the Go module proxy');
    expect(registryFor(config('pypi, golang'), 'pypi').registry).toBe('deps.dev');
    expect(registryFor(config('pypi, golang'), 'golang').registry).toBe('deps.dev');
    expect(registryFor(config('pypi, golang'), 'npm').registry).toBe('the npm registry');
    // deps.dev's adapter keeps the format's name rules and cache kind.
    expect(registryFor(config('pypi'), 'PyPI').normalizeName('Flask_SQLAlchemy')).toBe('flask-sqlalchemy');
    expect(registryFor(config('pypi'), 'pypi').ecosystem).toBe('pypi');
  });

  it('refuses a format deps.dev does not serve', () => {
    expect(() => config('gem')).toThrow(/registries\.depsdev\.formats/);
  });
});

describe.skipIf(!shared)('deps.dev adapter on recorded answers', () => {
  let replay: RegistryReplay;
  const adapter = () => depsDev({ url: `${replay.url}/depsdev`, timeoutMs: 5000, ecosystem: npmEcosystem });
  beforeAll(async () => {
    replay = await new RegistryReplay(shared!).start();
  });
  afterAll(() => replay.close());

  it('defangjs: eight versions, 1.0.7 the default; its licenses GPL-3.0', async () => {
    const meta = await adapter().fetchPackage('defangjs');
    expect(meta.versions.map((v) => v.version)).toEqual(['1.0.0', '1.0.1', '1.0.2', '1.0.3', '1.0.4', '1.0.5', '1.0.6', '1.0.7']);
    expect(meta.latest).toBe('1.0.7');
    expect(meta.versions[0].releasedAt).toBe('2022-03-10T19:53:06.000Z');
    const version = await adapter().fetchVersion!('defangjs', '1.0.7');
    expect(version).toEqual({ licenses: ['GPL-3.0'], releasedAt: '2023-05-16T09:48:31.000Z' });
    expect(declaredLicenseExpression(version.licenses!, 'npm').expression).toBe('GPL-3.0');
  });
});
