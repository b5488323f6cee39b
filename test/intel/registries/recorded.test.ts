import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declaredLicenseExpression } from '../../../src/intel/licenses/registry-licenses.js';
import type { RegistryAdapter } from '../../../src/intel/registries/adapter.js';
import { cratesIo } from '../../../src/intel/registries/cargo.js';
import { npmEcosystem } from '../../../src/ecosystems/npm/index.js';
import { depsDev } from '../../../src/intel/registries/depsdev.js';
import { mavenCentral } from '../../../src/intel/registries/maven.js';
import { nuget } from '../../../src/intel/registries/nuget.js';
import { packagist } from '../../../src/intel/registries/packagist.js';
import { pypi } from '../../../src/intel/registries/pypi.js';
import { rubygems } from '../../../src/intel/registries/rubygems.js';
import { RegistryReplay, sharedRegistryFixtures } from '../../helpers/registry-replay.js';

/**
 * The recorded answers of the real registries (../shared/fixtures/registries) through the Maven
 * and PyPI adapters, and every recorded license declaration through the license reading.
 */
const shared = sharedRegistryFixtures();

describe.skipIf(!shared)('recorded registry answers', () => {
  let replay: RegistryReplay;
  beforeAll(async () => {
    replay = await new RegistryReplay(shared!, { origins: { '{{request.baseUrl}}': '/nuget', 'https://api.nuget.org': '/nuget' } }).start();
  });
  afterAll(() => replay.close());

  const maven = () => mavenCentral({ url: `${replay.url}/maven`, searchUrl: '', timeoutMs: 5000 });
  const pypiOf = () => pypi({ url: replay.url, timeoutMs: 5000 });

  it('Maven: mockk’s versions from maven-metadata.xml, the release’s licenses from its POM', async () => {
    const meta = await maven().fetchPackage('io.mockk:mockk');
    expect(meta.versions).toHaveLength(65);
    expect(meta.latest).toBe('1.10.0');
    expect(meta.licenses).toEqual(['Apache License, Version 2.0']);
  });

  it('Maven: okhttp inherits its license from the parent POM; mockito-core declares its own', async () => {
    expect((await maven().fetchVersion!('com.squareup.okhttp3:okhttp', '3.10.0')).licenses).toEqual(['Apache 2.0']);
    expect((await maven().fetchVersion!('org.mockito:mockito-core', '2.11.0')).licenses).toEqual(['The MIT License']);
  });

  it.each([
    ['asgiref', '3.11.0', 69, '2025-11-19T15:32:19.004Z', ['BSD-3-Clause', 'License :: OSI Approved :: BSD License']],
    ['luigi', '3.6.0', 84, '2024-12-06T00:58:03.138Z', ['Apache License 2.0', 'License :: OSI Approved :: Apache Software License']],
    ['flask', '1.1.2', 34, '2020-04-03T17:17:53.739Z', ['BSD-3-Clause', 'License :: OSI Approved :: BSD License']],
    ['celery', '4.4.0', 150, '2019-12-16T03:47:33.557Z', ['BSD', 'License :: OSI Approved :: BSD License']],
  ])('PyPI: %s, latest %s of %i releases', async (name, latest, count, released, licenses) => {
    const meta = await pypiOf().fetchPackage(name);
    expect(meta.latest).toBe(latest);
    expect(meta.versions).toHaveLength(count);
    expect(meta.versions.find((v) => v.version === latest)).toMatchObject({ releasedAt: released, licenses });
  });

  it('PyPI: a release’s own document', async () => {
    expect(await pypiOf().fetchVersion!('asgiref', '3.11.0')).toEqual({
      licenses: ['BSD-3-Clause', 'License :: OSI Approved :: BSD License'],
      releasedAt: '2025-11-19T15:32:19.004Z',
    });
  });

  it('every recorded license declaration reads as SPDX', async () => {
    const packages: Array<[RegistryAdapter, string]> = [
      [maven(), 'io.mockk:mockk'],
      ...['asgiref', 'luigi', 'flask', 'celery'].map((n): [RegistryAdapter, string] => [pypiOf(), n]),
      ...['rand', 'regex', 'bitflags'].map((n): [RegistryAdapter, string] => [cratesIo({ url: `${replay.url}/crates`, timeoutMs: 5000 }), n]),
      ...['i18n', 'public_suffix'].map((n): [RegistryAdapter, string] => [rubygems({ url: `${replay.url}/rubygems`, timeoutMs: 5000 }), n]),
      [nuget({ url: `${replay.url}/nuget/v3/index.json`, timeoutMs: 5000 }), 'opentelemetry.instrumentation.sqlclient'],
      ...['monolog/monolog', 'illuminate/console'].map((n): [RegistryAdapter, string] => [packagist({ url: `${replay.url}/packagist`, timeoutMs: 5000 }), n]),
    ];
    const read = new Map<string, string | undefined>();
    for (const [adapter, name] of packages) {
      const meta = await adapter.fetchPackage(name);
      for (const version of meta.versions) {
        if (!version.licenses?.length) continue;
        const { expression, unrecognized } = declaredLicenseExpression(version.licenses, adapter.ecosystem);
        expect(unrecognized, `${name} ${version.version}`).toEqual([]);
        read.set(version.licenses.join(' | '), expression);
      }
    }
    const okhttp = await mavenCentral({ url: `${replay.url}/maven`, searchUrl: '', timeoutMs: 5000 }).fetchVersion!('com.squareup.okhttp3:okhttp', '3.10.0');
    read.set(okhttp.licenses!.join(' | '), declaredLicenseExpression(okhttp.licenses!, 'maven').expression);
    const defang = await depsDev({ url: `${replay.url}/depsdev`, timeoutMs: 5000, ecosystem: npmEcosystem }).fetchVersion!('defangjs', '1.0.7');
    read.set(defang.licenses!.join(' | '), declaredLicenseExpression(defang.licenses!, 'npm').expression);
    expect(Object.fromEntries(read)).toEqual({
      'Apache License, Version 2.0': 'Apache-2.0',
      'Apache 2.0': 'Apache-2.0',
      'BSD-3-Clause | License :: OSI Approved :: BSD License': 'BSD-3-Clause',
      'Apache License 2.0 | License :: OSI Approved :: Apache Software License': 'Apache-2.0',
      'BSD | License :: OSI Approved :: BSD License': 'BSD-2-Clause',
      'MIT OR Apache-2.0': 'MIT OR Apache-2.0',
      'MIT/Apache-2.0': 'MIT OR Apache-2.0',
      MIT: 'MIT',
      'Apache-2.0': 'Apache-2.0',
      'GPL-3.0': 'GPL-3.0',
    });
  });
});
