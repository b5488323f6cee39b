import { describe, expect, it } from 'vitest';
import {
  type ComponentIdentifier,
  canonicalPackageUrl,
  coordinateHash,
  displayName,
  fromPackageUrl,
  isComponentHash,
  normalizeIdentifier,
  resolveComponent,
  toPackageUrl,
} from '../../src/ecosystems/identity.js';
import { ValidationError } from '../../src/core/errors.js';

interface Row {
  identifier: ComponentIdentifier;
  purl: string;
  display: string;
}

const id = (format: string, coordinates: Record<string, string>): ComponentIdentifier => ({ format, coordinates });

/**
 * Canonical identifiers and the purls they round-trip with: Sonatype's "Package URLs and Component
 * Identifiers" examples for each format, plus cases for qualifiers, namespaces, special characters,
 * percent-encoding and versions with `+`.
 */
const ROUND_TRIPS: Row[] = [
  // maven
  {
    identifier: id('maven', { artifactId: 'commons-fileupload', classifier: '', extension: 'jar', groupId: 'commons-fileupload', version: '1.2.2' }),
    purl: 'pkg:maven/commons-fileupload/commons-fileupload@1.2.2?type=jar',
    display: 'commons-fileupload : commons-fileupload : 1.2.2',
  },
  {
    identifier: id('maven', { artifactId: 'netty-transport-native-epoll', classifier: 'linux-x86_64', extension: 'jar', groupId: 'io.netty', version: '4.1.50.Final' }),
    purl: 'pkg:maven/io.netty/netty-transport-native-epoll@4.1.50.Final?classifier=linux-x86_64&type=jar',
    display: 'io.netty : netty-transport-native-epoll : 4.1.50.Final (linux-x86_64)',
  },
  {
    identifier: id('maven', { artifactId: 'dist', classifier: '', extension: 'tar.gz', groupId: 'org.example', version: '1.0+build.7' }),
    purl: 'pkg:maven/org.example/dist@1.0+build.7?type=tar.gz',
    display: 'org.example : dist : 1.0+build.7 (.tar.gz)',
  },
  // npm
  {
    identifier: id('npm', { packageId: 'grunt-bower-submodule', version: '0.2.3' }),
    purl: 'pkg:npm/grunt-bower-submodule@0.2.3',
    display: 'grunt-bower-submodule 0.2.3',
  },
  {
    identifier: id('npm', { packageId: '@storybook/types', version: '8.2.9' }),
    purl: 'pkg:npm/%40storybook/types@8.2.9',
    display: '@storybook/types 8.2.9',
  },
  {
    identifier: id('npm', { packageId: '@babel/core', version: '7.0.0-beta.44+exp.sha.5114f85' }),
    purl: 'pkg:npm/%40babel/core@7.0.0-beta.44+exp.sha.5114f85',
    display: '@babel/core 7.0.0-beta.44+exp.sha.5114f85',
  },
  // pypi
  {
    identifier: id('pypi', { extension: 'whl', name: 'jaraco.logging', qualifier: 'py2.py3-none-any', version: '1.5' }),
    purl: 'pkg:pypi/jaraco.logging@1.5?extension=whl&qualifier=py2.py3-none-any',
    display: 'jaraco.logging (py2.py3-none-any) 1.5 (.whl)',
  },
  {
    identifier: id('pypi', { extension: 'tar.gz', name: 'confire', qualifier: '', version: '0.2.0' }),
    purl: 'pkg:pypi/confire@0.2.0?extension=tar.gz',
    display: 'confire 0.2.0 (.tar.gz)',
  },
  {
    identifier: id('pypi', { name: 'django-allauth', version: '1.0+local.1' }),
    purl: 'pkg:pypi/django-allauth@1.0+local.1',
    display: 'django-allauth 1.0+local.1',
  },
  // nuget
  {
    identifier: id('nuget', { packageId: 'Nirvana.MongoProvider', version: '1.0.53' }),
    purl: 'pkg:nuget/Nirvana.MongoProvider@1.0.53',
    display: 'Nirvana.MongoProvider 1.0.53',
  },
  // gem
  { identifier: id('gem', { name: 'rails', version: '5.0.4' }), purl: 'pkg:gem/rails@5.0.4', display: 'rails 5.0.4' },
  {
    identifier: id('gem', { name: 'nokogiri', platform: 'x86_64-linux', version: '1.13.10' }),
    purl: 'pkg:gem/nokogiri@1.13.10?platform=x86_64-linux',
    display: 'nokogiri (x86_64-linux) 1.13.10',
  },
  // golang
  {
    identifier: id('golang', { name: 'github.com/rs/cors', version: 'v1.4.0' }),
    purl: 'pkg:golang/github.com/rs/cors@v1.4.0',
    display: 'github.com/rs/cors v1.4.0',
  },
  {
    identifier: id('golang', { name: 'github.com/Masterminds/semver/v3', version: 'v3.1.0' }),
    purl: 'pkg:golang/github.com/Masterminds/semver/v3@v3.1.0',
    display: 'github.com/Masterminds/semver/v3 v3.1.0',
  },
  {
    identifier: id('golang', { name: 'github.com/docker/docker', version: 'v20.10.7+incompatible' }),
    purl: 'pkg:golang/github.com/docker/docker@v20.10.7+incompatible',
    display: 'github.com/docker/docker v20.10.7+incompatible',
  },
  // cargo
  {
    identifier: id('cargo', { name: 'grin', type: 'crate', version: '1.0.0' }),
    purl: 'pkg:cargo/grin@1.0.0?type=crate',
    display: 'grin 1.0.0',
  },
  { identifier: id('cargo', { name: 'pretty_env_logger', version: '0.4.0' }), purl: 'pkg:cargo/pretty_env_logger@0.4.0', display: 'pretty_env_logger 0.4.0' },
  // composer
  {
    identifier: id('composer', { name: 'jqueryui', namespace: 'components', version: '1.11.4' }),
    purl: 'pkg:composer/components/jqueryui@1.11.4',
    display: 'components/jqueryui 1.11.4',
  },
  // conda
  {
    identifier: id('conda', { build: 'h077ae2c_5', channel: 'main', name: 'openssl', subdir: 'linux-64', type: 'tar.bz2', version: '1.0.2l' }),
    purl: 'pkg:conda/openssl@1.0.2l?build=h077ae2c_5&channel=main&subdir=linux-64&type=tar.bz2',
    display: 'openssl (main/linux-64/h077ae2c_5) 1.0.2l (.tar.bz2)',
  },
  // cran
  {
    identifier: id('cran', { name: 'readxl', type: 'tar.gz', version: '1.1.0' }),
    purl: 'pkg:cran/readxl@1.1.0?type=tar.gz',
    display: 'readxl 1.1.0',
  },
  // cocoapods
  { identifier: id('cocoapods', { name: 'libpng', version: '1.4.9' }), purl: 'pkg:cocoapods/libpng@1.4.9', display: 'libpng 1.4.9' },
  // swift
  {
    identifier: id('swift', { name: 'github.com/ReactiveX/RxSwift', version: '5.1.0' }),
    purl: 'pkg:swift/github.com/ReactiveX/RxSwift@5.1.0',
    display: 'github.com/ReactiveX/RxSwift 5.1.0',
  },
  // conan
  {
    identifier: id('conan', { channel: '', name: 'libxml2', owner: 'bincrafters', version: '2.9.8' }),
    purl: 'pkg:conan/bincrafters/libxml2@2.9.8',
    display: 'libxml2 (bincrafters) 2.9.8',
  },
  {
    identifier: id('conan', { channel: 'stable', name: 'poco', owner: 'pocoproject', version: '1.9.4' }),
    purl: 'pkg:conan/pocoproject/poco@1.9.4?channel=stable',
    display: 'poco (pocoproject/stable) 1.9.4',
  },
  { identifier: id('conan', { name: 'zlib', version: '1.2.13' }), purl: 'pkg:conan/zlib@1.2.13', display: 'zlib 1.2.13' },
  // rpm
  {
    identifier: id('rpm', { architecture: 'ppc64', name: 'AGReader', version: '1.2-6.el6' }),
    purl: 'pkg:rpm/AGReader@1.2-6.el6?arch=ppc64',
    display: 'AGReader (ppc64) 1.2-6.el6',
  },
  {
    identifier: id('rpm', { architecture: 'i686', distro: 'fedora-25', epoch: '1', name: 'centerim', namespace: 'fedora', version: '4.22.10-1.el6' }),
    purl: 'pkg:rpm/fedora/centerim@4.22.10-1.el6?arch=i686&distro=fedora-25&epoch=1',
    display: 'centerim (i686) 4.22.10-1.el6',
  },
  // deb
  {
    identifier: id('deb', { architecture: 'i386', distro: 'jessie', name: 'curl', namespace: 'debian', version: '7.50.3-1' }),
    purl: 'pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie',
    display: 'curl (i386) 7.50.3-1',
  },
  {
    identifier: id('deb', { architecture: 'amd64', name: 'libssl1.1', namespace: 'ubuntu', version: '1.1.1f-1ubuntu2.16' }),
    purl: 'pkg:deb/ubuntu/libssl1.1@1.1.1f-1ubuntu2.16?arch=amd64',
    display: 'libssl1.1 (amd64) 1.1.1f-1ubuntu2.16',
  },
  // alpine (purl type apk)
  {
    identifier: id('alpine', { architecture: 'x86', name: 'curl', version: '7.83.0-r0' }),
    purl: 'pkg:apk/alpine/curl@7.83.0-r0?arch=x86',
    display: 'curl (x86) 7.83.0-r0',
  },
  {
    identifier: id('alpine', { architecture: 'aarch64', distro: '22.03.5', name: 'uhttpd', namespace: 'openwrt', version: '2023-06-25-34a8a74d-r1' }),
    purl: 'pkg:apk/openwrt/uhttpd@2023-06-25-34a8a74d-r1?arch=aarch64&distro=22.03.5',
    display: 'uhttpd (aarch64) 2023-06-25-34a8a74d-r1',
  },
  // github
  {
    identifier: id('github', { name: 'purl-spec', namespace: 'package-url', version: '244fd47e07d1004f0aed9c' }),
    purl: 'pkg:github/package-url/purl-spec@244fd47e07d1004f0aed9c',
    display: 'package-url/purl-spec 244fd47e07d1004f0aed9c',
  },
  // a-name
  { identifier: id('a-name', { name: 'pouchdb', version: '6.3.1' }), purl: 'pkg:a-name/pouchdb@6.3.1', display: 'pouchdb 6.3.1' },
  // generic fallback: the format is the purl type; qualifiers become coordinates of their own name
  { identifier: id('bower', { name: 'js-yaml', version: '2.0.1' }), purl: 'pkg:bower/js-yaml@2.0.1', display: 'js-yaml 2.0.1' },
  { identifier: id('drupal', { name: 'simplenews', version: '2.0.0' }), purl: 'pkg:drupal/simplenews@2.0.0', display: 'simplenews 2.0.0' },
  {
    identifier: id('generic', { name: '0Harmony.dll', namespace: 'BepInEx/HarmonyX', nexustype: 'pecoff', version: '2.0.0.0' }),
    purl: 'pkg:generic/BepInEx/HarmonyX/0Harmony.dll@2.0.0.0?nexustype=pecoff',
    display: 'BepInEx/HarmonyX/0Harmony.dll 2.0.0.0',
  },
  {
    identifier: id('generic', { checksum: 'sha256:de4d501267da', download_url: 'https://openssl.org/source/openssl-1.1.0g.tar.gz', name: 'openssl', version: '1.1.0g' }),
    purl: 'pkg:generic/openssl@1.1.0g?checksum=sha256%3Ade4d501267da&download_url=https%3A%2F%2Fopenssl.org%2Fsource%2Fopenssl-1.1.0g.tar.gz',
    display: 'openssl 1.1.0g',
  },
  {
    identifier: id('generic', { name: 'my lib', vcs_url: 'git+https://example.com/my lib.git', version: '1.0 beta' }),
    purl: 'pkg:generic/my%20lib@1.0%20beta?vcs_url=git%2Bhttps%3A%2F%2Fexample.com%2Fmy%20lib.git',
    display: 'my lib 1.0 beta',
  },
];

describe('componentIdentifier ⇄ package URL, every format', () => {
  it.each(ROUND_TRIPS.map((row) => [row.purl, row]))('%s', (_purl, row) => {
    expect(toPackageUrl(row.identifier)).toBe(row.purl);
    expect(fromPackageUrl(row.purl)).toEqual(row.identifier);
    expect(normalizeIdentifier(row.identifier)).toEqual(row.identifier);
    expect(canonicalPackageUrl(row.purl)).toBe(row.purl);
    expect(displayName(row.identifier)).toBe(row.display);
  });

  it('lists coordinates in alphabetical order, as IQ does', () => {
    for (const row of ROUND_TRIPS) {
      const keys = Object.keys(fromPackageUrl(row.purl).coordinates);
      expect(keys).toEqual([...keys].sort());
    }
  });

  it('covers every format the brief names', () => {
    const formats = new Set(ROUND_TRIPS.map((row) => row.identifier.format));
    for (const format of ['maven', 'npm', 'pypi', 'nuget', 'gem', 'golang', 'cargo', 'composer', 'conda', 'cran', 'cocoapods', 'swift', 'conan', 'rpm', 'deb', 'alpine', 'github', 'a-name', 'generic']) {
      expect(formats, format).toContain(format);
    }
  });
});

/** Purls written other ways: what they mean, and the canonical purl Tollgate writes for them. */
const READS: Array<[string, ComponentIdentifier, string]> = [
  // maven: no type means jar; qualifiers in any order; repository_url does not identify the component
  ['pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1', id('maven', { artifactId: 'batik-anim', classifier: '', extension: 'jar', groupId: 'org.apache.xmlgraphics', version: '1.9.1' }), 'pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?type=jar'],
  ['pkg:maven/g/a@v?type=e&classifier=c', id('maven', { artifactId: 'a', classifier: 'c', extension: 'e', groupId: 'g', version: 'v' }), 'pkg:maven/g/a@v?classifier=c&type=e'],
  ['pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?repository_url=repo.spring.io%2Frelease', id('maven', { artifactId: 'batik-anim', classifier: '', extension: 'jar', groupId: 'org.apache.xmlgraphics', version: '1.9.1' }), 'pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?type=jar'],
  ['pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?type=pom', id('maven', { artifactId: 'batik-anim', classifier: '', extension: 'pom', groupId: 'org.apache.xmlgraphics', version: '1.9.1' }), 'pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?type=pom'],
  // npm: an unencoded scope is accepted; names are lowercased (purl spec); vcs_url dropped
  ['pkg:npm/@angular/animation@12.3.1', id('npm', { packageId: '@angular/animation', version: '12.3.1' }), 'pkg:npm/%40angular/animation@12.3.1'],
  ['pkg:npm/JSONStream@1.3.5', id('npm', { packageId: 'jsonstream', version: '1.3.5' }), 'pkg:npm/jsonstream@1.3.5'],
  ['pkg:npm/mypackage@12.4.5?vcs_url=git://host.com/path/to/repo.git%404345abcd34343', id('npm', { packageId: 'mypackage', version: '12.4.5' }), 'pkg:npm/mypackage@12.4.5'],
  ['pkg:npm/foobar', id('npm', { packageId: 'foobar' }), 'pkg:npm/foobar'],
  ['pkg:npm/angular/core@8.2.14', id('npm', { packageId: '@angular/core', version: '8.2.14' }), 'pkg:npm/%40angular/core@8.2.14'],
  // pypi: lowercase and `_` → `-` (purl spec); a percent-encoded `+` in the version
  ['pkg:pypi/Django_Make_App@0.1.3', id('pypi', { name: 'django-make-app', version: '0.1.3' }), 'pkg:pypi/django-make-app@0.1.3'],
  ['pkg:pypi/torch@2.0.1%2Bcu118', id('pypi', { name: 'torch', version: '2.0.1+cu118' }), 'pkg:pypi/torch@2.0.1+cu118'],
  // golang: subpath (a package inside the module) dropped; `pkg://` tolerated
  ['pkg:golang/google.golang.org/genproto@v0.0.0-20200526211855-cb27e3aa2013#googleapis/api/annotations', id('golang', { name: 'google.golang.org/genproto', version: 'v0.0.0-20200526211855-cb27e3aa2013' }), 'pkg:golang/google.golang.org/genproto@v0.0.0-20200526211855-cb27e3aa2013'],
  ['pkg://golang/github.com/gorilla/context@v1.1.1', id('golang', { name: 'github.com/gorilla/context', version: 'v1.1.1' }), 'pkg:golang/github.com/gorilla/context@v1.1.1'],
  // conan: the purl spec's user qualifier; a vendor namespace beside it is dropped
  ['pkg:conan/openssl.org/openssl@3.0.3?user=bincrafters&channel=stable', id('conan', { channel: 'stable', name: 'openssl', owner: 'bincrafters', version: '3.0.3' }), 'pkg:conan/bincrafters/openssl@3.0.3?channel=stable'],
  // composer: lowercase (purl spec)
  ['pkg:composer/Laravel/Laravel@5.5.0', id('composer', { name: 'laravel', namespace: 'laravel', version: '5.5.0' }), 'pkg:composer/laravel/laravel@5.5.0'],
  // cocoapods: the subspec is dropped
  ['pkg:cocoapods/GoogleUtilities@7.5.2#NSData+zlib', id('cocoapods', { name: 'GoogleUtilities', version: '7.5.2' }), 'pkg:cocoapods/GoogleUtilities@7.5.2'],
  // alpine: a purl without vendor is Alpine's
  ['pkg:apk/curl@7.83.0-r0', id('alpine', { name: 'curl', version: '7.83.0-r0' }), 'pkg:apk/alpine/curl@7.83.0-r0'],
  // github: lowercase (purl spec)
  ['pkg:github/Package-URL/Purl-Spec@v1.0', id('github', { name: 'purl-spec', namespace: 'package-url', version: 'v1.0' }), 'pkg:github/package-url/purl-spec@v1.0'],
  // a literal `+` in a qualifier value stays a `+`, uppercase qualifier keys are lowercased
  ['pkg:generic/bitwarderl?vcs_url=git+https://git.fsfe.org/dxtr/bitwarderl%40cc55108da32', id('generic', { name: 'bitwarderl', vcs_url: 'git+https://git.fsfe.org/dxtr/bitwarderl@cc55108da32' }), 'pkg:generic/bitwarderl?vcs_url=git%2Bhttps%3A%2F%2Fgit.fsfe.org%2Fdxtr%2Fbitwarderl%40cc55108da32'],
  ['pkg:docker/library/nginx@1.25?Arch=amd64', id('docker', { arch: 'amd64', name: 'nginx', namespace: 'library', version: '1.25' }), 'pkg:docker/library/nginx@1.25?arch=amd64'],
];

describe('reading package URLs written other ways', () => {
  it.each(READS)('%s', (purl, identifier, canonical) => {
    expect(fromPackageUrl(purl)).toEqual(identifier);
    expect(toPackageUrl(identifier)).toBe(canonical);
    expect(canonicalPackageUrl(purl)).toBe(canonical);
  });
});

/** Identifiers as clients may send them, and their canonical form. */
const NORMALIZATIONS: Array<[string, ComponentIdentifier, ComponentIdentifier]> = [
  ['maven defaults', id('maven', { artifactId: 'a', groupId: 'g', version: '1' }), id('maven', { artifactId: 'a', classifier: '', extension: 'jar', groupId: 'g', version: '1' })],
  ['surrounding spaces', id('maven', { artifactId: ' a ', groupId: 'g ', version: ' 1' }), id('maven', { artifactId: 'a', classifier: '', extension: 'jar', groupId: 'g', version: '1' })],
  ['format case', id('NPM', { packageId: 'left-pad', version: '1.3.0' }), id('npm', { packageId: 'left-pad', version: '1.3.0' })],
  ['pypi name', id('pypi', { name: 'Django_Foo', version: '1.0' }), id('pypi', { name: 'django-foo', version: '1.0' })],
  ['pypi tarball', id('pypi', { extension: 'tar.gz', name: 'Django', version: '1.6' }), id('pypi', { extension: 'tar.gz', name: 'django', qualifier: '', version: '1.6' })],
  ['npm scope case', id('npm', { packageId: '@Types/Node', version: '20.0.0' }), id('npm', { packageId: '@types/node', version: '20.0.0' })],
  ['debian alias', id('debian', { name: 'curl', namespace: 'debian', version: '7.50.3-1' }), id('deb', { name: 'curl', namespace: 'debian', version: '7.50.3-1' })],
  ['apk alias', id('apk', { name: 'musl', version: '1.2.3-r4' }), id('alpine', { name: 'musl', version: '1.2.3-r4' })],
  ['rubygems alias', id('rubygems', { name: 'rack', version: '2.2.3' }), id('gem', { name: 'rack', version: '2.2.3' })],
  ['conan owner without channel', id('conan', { name: 'libxml2', owner: 'bincrafters', version: '2.9.8' }), id('conan', { channel: '', name: 'libxml2', owner: 'bincrafters', version: '2.9.8' })],
  ['null coordinate', id('gem', { name: 'rack', platform: null as unknown as string, version: '2.2.3' }), id('gem', { name: 'rack', version: '2.2.3' })],
];

describe('normalizeIdentifier', () => {
  it.each(NORMALIZATIONS)('%s', (_label, input, canonical) => {
    expect(normalizeIdentifier(input)).toEqual(canonical);
    expect(toPackageUrl(input)).toBe(toPackageUrl(canonical));
  });
});

/** Malformed input and the message a person gets. */
const IDENTIFIER_ERRORS: Array<[unknown, RegExp]> = [
  [null, /must be an object/],
  [{ coordinates: {} }, /needs a format/],
  [{ format: 'Foo Bar', coordinates: { name: 'x' } }, /"Foo Bar" is not a component format/],
  [{ format: 'npm' }, /needs its coordinates as an object/],
  [{ format: 'maven', coordinates: { artifactId: 'a', version: '1' } }, /format maven needs the coordinate "groupId"/],
  [{ format: 'maven', coordinates: { groupId: ' ', artifactId: 'a' } }, /needs the coordinate "groupId"/],
  [{ format: 'maven', coordinates: { groupID: 'g', artifactId: 'a' } }, /"groupID" is not a maven coordinate; maven takes groupId, artifactId/],
  [{ format: 'maven', coordinates: { groupId: 'g', artifactId: 'a', version: 1 } }, /coordinate "version" must be a string/],
  [{ format: 'npm', coordinates: { name: 'left-pad' } }, /"name" is not a npm coordinate/],
  [{ format: 'npm', coordinates: { packageId: '@scope' } }, /not a valid scoped name/],
  [{ format: 'npm', coordinates: { packageId: 'a/b' } }, /only scoped names/],
  [{ format: 'swift', coordinates: { name: 'RxSwift', version: '5.1.0' } }, /repository path/],
  [{ format: 'swift', coordinates: { name: 'github.com/ReactiveX/RxSwift' } }, /needs the coordinate "version"/],
  [{ format: 'cran', coordinates: { name: 'readxl' } }, /needs the coordinate "version"/],
  [{ format: 'composer', coordinates: { name: 'laravel' } }, /needs the coordinate "namespace"/],
  [{ format: 'golang', coordinates: { name: 'github.com/rs/cors', version: 'v1.4' } }, /semantic version/],
  [{ format: 'bower', coordinates: { version: '1.0' } }, /format bower needs the coordinate "name"/],
];

const PURL_ERRORS: Array<[string, RegExp]> = [
  ['', /empty/],
  ['maven:g/a@1', /"pkg" scheme/],
  ['pkg:npm/', /has no name/],
  ['pkg:maven/commons-io@2.11.0', /maven requires a "namespace"/],
  ['pkg:composer/laravel@5.5.0', /needs the vendor as namespace/],
  ['pkg:github/purl-spec@1.0', /needs the owner as namespace/],
  ['pkg:cran/readxl', /cran requires a "version"/],
  ['pkg:swift/RxSwift@5.1.0', /swift requires a "namespace"/],
  ['pkg:npm/%zz@1', /unable to decode "name"/],
  ['pkg:npm/foo@1?a=%ZZ', /unable to decode "qualifiers"/],
  ['pkg:generic/x@1?name=y', /qualifier named "name"/],
];

describe('clear errors', () => {
  it.each(IDENTIFIER_ERRORS)('identifier %j', (input, message) => {
    for (const operation of [toPackageUrl, normalizeIdentifier]) {
      const run = () => operation(input as ComponentIdentifier);
      expect(run).toThrow(ValidationError);
      expect(run).toThrow(message);
    }
  });

  it('display names need a well-formed identifier, not a complete one', () => {
    expect(() => displayName({ format: 'maven', coordinates: { groupID: 'g' } })).toThrow(/not a maven coordinate/);
    expect(() => displayName({ coordinates: {} } as unknown as ComponentIdentifier)).toThrow(/needs a format/);
    expect(displayName({ format: 'maven', coordinates: { groupId: 'g', artifactId: 'a' } })).toBe('g : a');
  });

  it.each(PURL_ERRORS)('package URL %j', (purl, message) => {
    expect(() => fromPackageUrl(purl)).toThrow(ValidationError);
    expect(() => fromPackageUrl(purl)).toThrow(message);
  });
});

describe('components by hash, identifier or package URL', () => {
  const log4j = id('maven', { artifactId: 'log4j', classifier: '', extension: 'jar', groupId: 'log4j', version: '1.2.8' });

  it('accepts a hash alone, canonicalized', () => {
    expect(resolveComponent({ hash: '3640DD71069D7986C9A1' })).toEqual({ hash: '3640dd71069d7986c9a1', componentIdentifier: null, packageUrl: null });
    const full = '3640dd71069d7986c9a1b2c3d4e5f60718293a4b';
    expect(resolveComponent({ hash: full, packageUrl: null }).hash).toBe('3640dd71069d7986c9a1');
  });

  it('fills the purl in from the identifier and the identifier from the purl', () => {
    const byIdentifier = resolveComponent({ componentIdentifier: { format: 'maven', coordinates: { groupId: 'log4j', artifactId: 'log4j', version: '1.2.8' } } });
    expect(byIdentifier).toEqual({ hash: null, componentIdentifier: log4j, packageUrl: 'pkg:maven/log4j/log4j@1.2.8?type=jar' });
    expect(resolveComponent({ packageUrl: 'pkg:maven/log4j/log4j@1.2.8', hash: '3640dd71069d7986c9a1' })).toEqual({
      hash: '3640dd71069d7986c9a1',
      componentIdentifier: log4j,
      packageUrl: 'pkg:maven/log4j/log4j@1.2.8?type=jar',
    });
  });

  it('accepts an identifier and a purl naming the same component', () => {
    const both = resolveComponent({ componentIdentifier: log4j, packageUrl: 'pkg:maven/log4j/log4j@1.2.8' });
    expect(both.packageUrl).toBe('pkg:maven/log4j/log4j@1.2.8?type=jar');
  });

  it('refuses nothing, a bad hash, and an identifier and purl that disagree', () => {
    expect(() => resolveComponent({})).toThrow(/needs a hash, a componentIdentifier or a packageUrl/);
    expect(() => resolveComponent({ hash: '  ', packageUrl: '' })).toThrow(ValidationError);
    expect(() => resolveComponent({ hash: 'xyz' })).toThrow(/not a component hash/);
    expect(() => resolveComponent({ hash: '3640dd71069d7986c9a' })).toThrow(/not a component hash/);
    expect(() => resolveComponent({ componentIdentifier: log4j, packageUrl: 'pkg:maven/log4j/log4j@1.2.9' })).toThrow(/name different components/);
  });

  it('gives coordinate-only components a stable stand-in hash', () => {
    const hash = coordinateHash(log4j);
    expect(isComponentHash(hash)).toBe(true);
    expect(coordinateHash({ format: 'maven', coordinates: { groupId: 'log4j', artifactId: 'log4j', version: '1.2.8' } })).toBe(hash);
    expect(coordinateHash({ ...log4j, coordinates: { ...log4j.coordinates, version: '1.2.9' } })).not.toBe(hash);
  });
});
