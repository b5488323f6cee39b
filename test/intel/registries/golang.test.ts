import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RegistryNotFoundError, RegistryUnavailableError } from '../../../src/intel/registries/errors.js';
import { resetRegistryCircuits } from '../../../src/intel/registries/index.js';
import { escapeGoPath, normalizeGoModule } from '../../../src/intel/registries/go-modules.js';
import { goProxy } from '../../../src/intel/registries/golang.js';
import { ValidationError } from '../../../src/core/errors.js';
import { OWN_REGISTRY_FIXTURES, RegistryReplay, sharedRegistryFixtures } from '../../helpers/registry-replay.js';

const shared = sharedRegistryFixtures();

describe('Go module paths', () => {
  it.each([
    ['github.com/BurntSushi/toml', 'github.com/!burnt!sushi/toml'],
    ['github.com/rs/cors', 'github.com/rs/cors'],
    ['v1.0.0-RC1', 'v1.0.0-!r!c1'],
  ])('escapes %s as %s', (path, escaped) => {
    expect(escapeGoPath(path)).toBe(escaped);
  });

  it('keeps case and refuses paths with empty, . or .. elements', () => {
    expect(normalizeGoModule(' github.com/BurntSushi/toml ')).toBe('github.com/BurntSushi/toml');
    for (const bad of ['', 'github.com//x', 'github.com/../x', 'a b', 'github.com/x/']) expect(() => normalizeGoModule(bad)).toThrow(ValidationError);
  });
});

describe('Go module proxy adapter on hand-written answers', () => {
  let replay: RegistryReplay;
  const adapter = (depsDev = '/depsdev') => goProxy({ url: `${replay.url}/go`, depsDevUrl: `${replay.url}${depsDev}`, timeoutMs: 5000 });
  beforeAll(async () => {
    replay = await new RegistryReplay(OWN_REGISTRY_FIXTURES)
      .answer('/depsdev-down/v3/systems/go/packages/github.com%2FBurntSushi%2Ftoml/versions/v1.3.2', { status: 503 })
      .answer('/go/example.com/broken/@v/v1.0.0.info', { body: '{"Time": "2020-01-01T00:00:00Z"}' })
      .start();
  });
  afterAll(() => replay.close());
  // The stand-ins of the proxy and deps.dev share one host, and a 503 of either opens its circuit.
  beforeEach(() => resetRegistryCircuits());

  it('lists the tagged versions (capitals escaped in the URL), Go-ordered, the highest release as latest', async () => {
    const meta = await adapter().fetchPackage('github.com/BurntSushi/toml');
    expect(meta.versions.map((v) => v.version)).toEqual(['v0.4.1', 'v1.0.0', 'v1.2.0', 'v1.3.2', 'v1.4.0-alpha1']);
    expect(meta.latest).toBe('v1.3.2');
    // Dates and licenses are per version (fetchVersion), not in the list.
    expect(meta.versions.every((v) => v.releasedAt === null && v.licenses === null)).toBe(true);
    expect(meta.licenses).toBeNull();
    expect(replay.hitsOf('/go/github.com/!burnt!sushi/toml/@v/list')).toBe(1);
  });

  it('a version: its date from the proxy’s .info, its licenses from deps.dev', async () => {
    expect(await adapter().fetchVersion!('github.com/BurntSushi/toml', 'v1.3.2')).toEqual({ licenses: ['MIT'], releasedAt: '2023-06-08T06:07:09.000Z' });
    expect(replay.hitsOf('/depsdev/v3/systems/go/packages/github.com%2FBurntSushi%2Ftoml/versions/v1.3.2')).toBe(1);
  });

  it('keeps the date and leaves licenses unknown when deps.dev does not know the version or fails', async () => {
    expect(await adapter().fetchVersion!('github.com/BurntSushi/toml', 'v1.0.0')).toEqual({ licenses: null, releasedAt: '2022-01-11T10:12:48.000Z' });
    expect(await adapter('/depsdev-down').fetchVersion!('github.com/BurntSushi/toml', 'v1.3.2')).toEqual({ licenses: null, releasedAt: '2023-06-08T06:07:09.000Z' });
  });

  it('a module without tags: the pseudo-version @latest names', async () => {
    const meta = await adapter().fetchPackage('example.com/untagged');
    expect(meta.versions).toEqual([{ version: 'v0.0.0-20240115093012-5f3c2a1b9d8e', releasedAt: '2024-01-15T09:30:12.000Z', licenses: null }]);
    expect(meta.latest).toBe('v0.0.0-20240115093012-5f3c2a1b9d8e');
  });

  it('not found: an unknown module or version; malformed: an error naming the proxy', async () => {
    await expect(adapter().fetchPackage('example.com/nothing')).rejects.toThrow('Go module "example.com/nothing" was not found in the Go module proxy.');
    await expect(adapter().fetchVersion!('github.com/BurntSushi/toml', 'v9.9.9')).rejects.toThrow(RegistryNotFoundError);
    await expect(adapter().fetchVersion!('example.com/broken', 'v1.0.0')).rejects.toThrow(RegistryUnavailableError);
    await expect(adapter().fetchVersion!('example.com/broken', 'v1.0.0')).rejects.toThrow(
      'the Go module proxy answered with an unexpected document for version v1.0.0 of Go module "example.com/broken": it names no Version',
    );
  });
});

describe.skipIf(!shared)('Go module proxy adapter on recorded answers', () => {
  let replay: RegistryReplay;
  const adapter = () => goProxy({ url: `${replay.url}/go`, depsDevUrl: `${replay.url}/depsdev`, timeoutMs: 5000 });
  beforeAll(async () => {
    replay = await new RegistryReplay(shared!).start();
  });
  afterAll(() => replay.close());

  it('github.com/blockloop/scan: the unordered list sorted, each version dated by its .info', async () => {
    const meta = await adapter().fetchPackage('github.com/blockloop/scan');
    expect(meta.versions.map((v) => v.version)).toEqual(['v1.0.0', 'v1.1.0', 'v1.1.1', 'v1.2.0', 'v1.2.1', 'v1.3.0']);
    expect(meta.latest).toBe('v1.3.0');
    const dates = await Promise.all(meta.versions.map((v) => adapter().fetchVersion!('github.com/blockloop/scan', v.version)));
    expect(dates.map((d) => d.releasedAt)).toContain('2019-04-19T01:47:04.000Z');
    expect(dates.every((d) => d.releasedAt !== null && d.licenses === null)).toBe(true);
  });
});
