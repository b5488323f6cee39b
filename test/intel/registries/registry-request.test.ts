import { describe, expect, it } from 'vitest';
import { fromPackageUrl } from '../../../src/ecosystems/identity.js';
import { REGISTRY_FORMATS, registryRequestFor } from '../../../src/intel/registries/index.js';

describe('registryRequestFor', () => {
  it.each([
    ['pkg:npm/%40types/semver@7.5.8', { format: 'npm', name: '@types/semver', version: '7.5.8' }],
    ['pkg:maven/junit/junit@4.13.2?type=jar', { format: 'maven', name: 'junit:junit', version: '4.13.2' }],
    ['pkg:pypi/Flask_SQLAlchemy@3.1.1', { format: 'pypi', name: 'flask-sqlalchemy', version: '3.1.1' }],
    ['pkg:cargo/serde@1.0.200', { format: 'cargo', name: 'serde', version: '1.0.200' }],
    ['pkg:gem/nokogiri@1.16.0?platform=java', { format: 'gem', name: 'nokogiri', version: '1.16.0' }],
    ['pkg:nuget/Newtonsoft.Json@13.0.3', { format: 'nuget', name: 'Newtonsoft.Json', version: '13.0.3' }],
    ['pkg:composer/monolog/monolog@3.2.0', { format: 'composer', name: 'monolog/monolog', version: '3.2.0' }],
    ['pkg:golang/github.com/BurntSushi/toml@v1.3.2', { format: 'golang', name: 'github.com/BurntSushi/toml', version: 'v1.3.2' }],
    ['pkg:npm/left-pad', { format: 'npm', name: 'left-pad' }],
  ])('%s', (purl, request) => {
    expect(registryRequestFor(fromPackageUrl(purl))).toEqual(request);
  });

  it('covers every format a registry serves here, and no other', () => {
    expect(new Set(REGISTRY_FORMATS)).toEqual(new Set(['npm', 'maven', 'pypi', 'cargo', 'gem', 'nuget', 'composer', 'golang']));
    expect(registryRequestFor(fromPackageUrl('pkg:cran/readxl@1.1.0'))).toBeUndefined();
    expect(registryRequestFor(fromPackageUrl('pkg:deb/debian/curl@7.88.1'))).toBeUndefined();
  });

  it('needs the name the registry knows the package by', () => {
    expect(registryRequestFor({ format: 'maven', coordinates: { artifactId: 'junit', version: '4.12' } })).toBeUndefined();
    expect(registryRequestFor({ format: 'composer', coordinates: { name: 'monolog', version: '3.2.0' } })).toBeUndefined();
    expect(registryRequestFor({ format: 'npm', coordinates: { packageId: '  ' } })).toBeUndefined();
  });
});
