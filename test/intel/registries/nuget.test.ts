import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declaredLicenseExpression } from '../../../src/intel/licenses/registry-licenses.js';
import { RegistryNotFoundError, RegistryUnavailableError } from '../../../src/intel/registries/errors.js';
import { normalizeNugetId, nuget } from '../../../src/intel/registries/nuget.js';
import { ValidationError } from '../../../src/core/errors.js';
import { OWN_REGISTRY_FIXTURES, RegistryReplay, sharedRegistryFixtures } from '../../helpers/registry-replay.js';

const shared = sharedRegistryFixtures();

describe('NuGet adapter on hand-written answers', () => {
  let replay: RegistryReplay;
  const adapter = () => nuget({ url: `${replay.url}/nuget/v3/index.json`, timeoutMs: 5000 });
  const brokenIndex = () => nuget({ url: `${replay.url}/broken-index.json`, timeoutMs: 5000 });
  beforeAll(async () => {
    replay = await new RegistryReplay(OWN_REGISTRY_FIXTURES, { origins: { 'https://api.nuget.org': '/nuget' } })
      .answer('/nuget/v3/registration5-gz-semver2/broken/index.json', { body: '{"count": 1, "items": [{"@type": "catalog:CatalogPage"}]}' })
      .answer('/broken-index.json', { body: '{"version": "3.0.0", "resources": [{"@id": "https://x/", "@type": "SearchQueryService"}]}' })
      .start();
  });
  afterAll(() => replay.close());

  it('follows the service index to the registration pages, fetching pages that are not inline', async () => {
    replay.requests.length = 0;
    const meta = await adapter().fetchPackage('widget.core');
    expect(meta.versions.map((v) => [v.version, v.releasedAt, v.licenses, v.yanked ?? false])).toEqual([
      ['1.0.0', '2016-02-10T18:31:24.137Z', ['http://www.apache.org/licenses/LICENSE-2.0'], false],
      ['1.0.1', null, ['http://www.apache.org/licenses/LICENSE-2.0'], true],
      ['1.1.0', '2018-09-21T07:12:03.553Z', ['https://github.com/example/widget/blob/master/LICENSE.txt'], false],
      ['2.0.0', '2021-04-13T14:02:55.900Z', ['MIT'], false],
      ['2.1.0-preview.1', '2024-06-01T09:58:41.223Z', ['MIT OR Apache-2.0'], false],
    ]);
    expect(meta.versions[2].deprecated).toBe('Use 2.x');
    expect(meta.latest).toBe('2.0.0');
    expect(replay.requests.filter((r) => r.includes('/page/'))).toHaveLength(2);
  });

  it('reads each form of license NuGet gives as SPDX, and keeps a project’s own license file as written', async () => {
    const registry = adapter();
    const meta = await registry.fetchPackage(registry.normalizeName('Widget.Core'));
    const read = (version: string) => declaredLicenseExpression(meta.versions.find((v) => v.version === version)!.licenses!, 'nuget');
    expect(read('1.0.0')).toEqual({ expression: 'Apache-2.0', unrecognized: [] });
    expect(read('1.1.0')).toEqual({ unrecognized: ['https://github.com/example/widget/blob/master/LICENSE.txt'] });
    expect(read('2.1.0-preview.1')).toEqual({ expression: 'MIT OR Apache-2.0', unrecognized: [] });
  });

  it('asks a service index once for several packages, adapters made apart included', async () => {
    replay.requests.length = 0;
    // A query string makes it an index URL not asked before (the replay ignores it).
    const url = `${replay.url}/nuget/v3/index.json?first-time`;
    await nuget({ url, timeoutMs: 5000 }).fetchPackage('widget.core');
    await expect(nuget({ url, timeoutMs: 5000 }).fetchPackage('no.such.package')).rejects.toThrow(RegistryNotFoundError);
    expect(replay.hitsOf('/nuget/v3/index.json')).toBe(1);
  });

  it('answers not found for an unknown package; a page without items or an index without registrations is an error naming NuGet', async () => {
    await expect(adapter().fetchPackage('no.such.package')).rejects.toThrow('NuGet package "no.such.package" was not found in NuGet.');
    await expect(adapter().fetchPackage('broken')).rejects.toThrow(RegistryUnavailableError);
    await expect(adapter().fetchPackage('broken')).rejects.toThrow('NuGet answered with a page without items or address for NuGet package "broken".');
    await expect(brokenIndex().fetchPackage('widget.core')).rejects.toThrow(
      'NuGet answered with an unexpected document for the service index: it names no registration resource (RegistrationsBaseUrl)',
    );
  });

  it('lower-cases ids, as registration URLs do', () => {
    expect(normalizeNugetId('Newtonsoft.Json')).toBe('newtonsoft.json');
    for (const bad of ['', 'a b', '../x']) expect(() => normalizeNugetId(bad)).toThrow(ValidationError);
  });
});

describe.skipIf(!shared)('NuGet adapter on recorded answers', () => {
  let replay: RegistryReplay;
  beforeAll(async () => {
    // The recorded service index was stored with WireMock's `{{request.baseUrl}}` in place of nuget.org's address.
    replay = await new RegistryReplay(shared!, { origins: { '{{request.baseUrl}}': '/nuget', 'https://api.nuget.org': '/nuget' } }).start();
  });
  afterAll(() => replay.close());

  it('OpenTelemetry.Instrumentation.SqlClient: 17 prerelease versions inline, Apache-2.0 each, dated', async () => {
    const registry = nuget({ url: `${replay.url}/nuget/v3/index.json`, timeoutMs: 5000 });
    const meta = await registry.fetchPackage(registry.normalizeName('OpenTelemetry.Instrumentation.SqlClient'));
    expect(meta.versions).toHaveLength(17);
    expect(meta.versions.every((v) => v.licenses?.[0] === 'Apache-2.0')).toBe(true);
    expect(meta.versions[0]).toMatchObject({ version: '0.3.0-beta.1', releasedAt: '2020-07-23T22:17:08.010Z' });
    // No stable release: the highest prerelease is what a client would take.
    expect(meta.latest).toBe('1.12.0-beta.2');
    expect(replay.hitsOf('/nuget/v3/registration5-gz-semver2/opentelemetry.instrumentation.sqlclient/index.json')).toBe(1);
  });
});
