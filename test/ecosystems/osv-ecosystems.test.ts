import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import {
  canonicalPackageUrl,
  ecosystemForFormat,
  ecosystemsForFormat,
  formatForEcosystem,
  identifierForOsvPackage,
  toPackageUrl,
} from '../../src/ecosystems/identity.js';
import { ValidationError } from '../../src/core/errors.js';

describe('OSV ecosystems ⇄ reference formats', () => {
  // Ecosystem names as the OSV schema lists them.
  it.each([
    ['PyPI', 'pypi'],
    ['Go', 'golang'],
    ['Maven', 'maven'],
    ['npm', 'npm'],
    ['crates.io', 'cargo'],
    ['Packagist', 'composer'],
    ['RubyGems', 'gem'],
    ['NuGet', 'nuget'],
    ['Debian', 'deb'],
    ['Debian:11', 'deb'],
    ['Ubuntu:22.04:LTS', 'deb'],
    ['Alpine', 'alpine'],
    ['Alpine:v3.16', 'alpine'],
    ['Wolfi', 'alpine'],
    ['Red Hat', 'rpm'],
    ['Rocky Linux:8', 'rpm'],
    ['CRAN', 'cran'],
    ['SwiftURL', 'swift'],
    ['ConanCenter', 'conan'],
    ['GitHub Actions', 'github'],
    ['Hex', 'hex'],
    ['pypi', 'pypi'],
  ])('%s → %s', (ecosystem, format) => {
    expect(formatForEcosystem(ecosystem)).toBe(format);
  });

  it('has no format for ecosystems it cannot name', () => {
    expect(formatForEcosystem('Linux')).toBeUndefined();
    expect(formatForEcosystem('')).toBeUndefined();
  });

  it.each([
    ['pypi', 'PyPI'],
    ['golang', 'Go'],
    ['maven', 'Maven'],
    ['npm', 'npm'],
    ['cargo', 'crates.io'],
    ['composer', 'Packagist'],
    ['gem', 'RubyGems'],
    ['nuget', 'NuGet'],
    ['deb', 'Debian'],
    ['debian', 'Debian'],
    ['alpine', 'Alpine'],
  ])('format %s → primary ecosystem %s', (format, ecosystem) => {
    expect(ecosystemForFormat(format)).toBe(ecosystem);
    expect(formatForEcosystem(ecosystem)).toBe(format === 'debian' ? 'deb' : format);
  });

  it('lists every ecosystem of a shared package format, and none for formats OSV lacks', () => {
    expect(ecosystemsForFormat('deb')).toEqual(['Debian', 'Ubuntu']);
    expect(ecosystemsForFormat('rpm')).toContain('Rocky Linux');
    expect(ecosystemsForFormat('a-name')).toEqual([]);
    expect(ecosystemForFormat('cocoapods')).toBeUndefined();
  });

  it.each([
    [{ ecosystem: 'Maven', name: 'org.yaml:snakeyaml' }, '1.29', 'pkg:maven/org.yaml/snakeyaml@1.29?type=jar'],
    [{ ecosystem: 'npm', name: '@angular/core' }, '8.2.14', 'pkg:npm/%40angular/core@8.2.14'],
    [{ ecosystem: 'PyPI', name: 'Django' }, '1.6', 'pkg:pypi/django@1.6'],
    [{ ecosystem: 'Go', name: 'github.com/coder/coder/v2' }, 'v2.3.1', 'pkg:golang/github.com/coder/coder/v2@v2.3.1'],
    [{ ecosystem: 'crates.io', name: 'tokio' }, '1.19.2', 'pkg:cargo/tokio@1.19.2'],
    [{ ecosystem: 'Packagist', name: 'laravel/framework' }, 'v7.30.6', 'pkg:composer/laravel/framework@v7.30.6'],
    [{ ecosystem: 'RubyGems', name: 'rack' }, '2.2.3', 'pkg:gem/rack@2.2.3'],
    [{ ecosystem: 'NuGet', name: 'Newtonsoft.Json' }, '13.0.1', 'pkg:nuget/Newtonsoft.Json@13.0.1'],
    [{ ecosystem: 'Debian:11', name: 'curl' }, '7.74.0-1.3', 'pkg:deb/debian/curl@7.74.0-1.3'],
    [{ ecosystem: 'Ubuntu:22.04:LTS', name: 'openssl' }, '3.0.2-0ubuntu1', 'pkg:deb/ubuntu/openssl@3.0.2-0ubuntu1'],
    [{ ecosystem: 'Alpine:v3.16', name: 'curl' }, '7.83.0-r0', 'pkg:apk/alpine/curl@7.83.0-r0'],
    [{ ecosystem: 'PyPI', name: 'zope' }, undefined, 'pkg:pypi/zope'],
  ])('OSV package %j at %s', (pkg, version, purl) => {
    expect(toPackageUrl(identifierForOsvPackage(pkg, version))).toBe(purl);
  });

  it('refuses OSV packages it cannot name', () => {
    expect(() => identifierForOsvPackage({ ecosystem: 'Linux', name: 'kernel' })).toThrow(ValidationError);
    expect(() => identifierForOsvPackage({ ecosystem: 'Maven', name: 'snakeyaml' })).toThrow(/groupId:artifactId/);
    expect(() => identifierForOsvPackage({ ecosystem: 'Packagist', name: 'laravel' })).toThrow(/vendor\/name/);
  });
});

/** Every JSON record of an OSV export zip. */
async function osvRecords(path: string): Promise<Array<{ id: string; affected?: Array<{ package?: { ecosystem: string; name: string; purl?: string } }> }>> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true });
  const records = [];
  try {
    for await (const entry of zip.eachEntry()) {
      if (!entry.fileName.endsWith('.json')) continue;
      const stream = await zip.openReadStreamPromise(entry);
      records.push(JSON.parse(Buffer.concat(await stream.toArray()).toString('utf8')));
    }
  } finally {
    zip.close();
  }
  return records;
}

function pep503Equal(a: string, b: string): boolean {
  const normalize = (purl: string) => (purl.startsWith('pkg:pypi/') ? purl.replace(/[-_.]+/g, '-') : purl);
  return normalize(a) === normalize(b);
}

const EXPORTS = ['PyPI', 'Go'].map((ecosystem) => ({
  ecosystem,
  path: fileURLToPath(new URL(`../../../shared/osv/${ecosystem}-all.zip`, import.meta.url)),
}));

describe.each(EXPORTS)('the real OSV $ecosystem export', ({ ecosystem, path }) => {
  const available = existsSync(path);
  if (!available) console.info(`Skipping the OSV ${ecosystem} records: ${path} is absent`);

  it.skipIf(!available)('names every affected package, and agrees with the purls the records give', async () => {
    const records = await osvRecords(path);
    expect(records.length).toBeGreaterThan(1000);
    const problems: string[] = [];
    const pep503: string[] = [];
    let packages = 0;
    let withPurl = 0;
    for (const record of records) {
      for (const affected of record.affected ?? []) {
        const pkg = affected.package;
        if (!pkg) continue;
        packages++;
        try {
          const identifier = identifierForOsvPackage(pkg);
          expect(identifier.format).toBe(formatForEcosystem(ecosystem));
          const purl = toPackageUrl(identifier);
          if (pkg.purl) {
            withPurl++;
            const theirs = canonicalPackageUrl(pkg.purl);
            const disagreement = `${record.id} ${pkg.name}: record says ${pkg.purl}, Tollgate writes ${purl}`;
            // PyPA writes names in PEP 503 form (`.` → `-` too); the purl spec only lowercases and
            // turns `_` into `-`, so `jw.util` stays `jw.util`. Reported, not a failure.
            if (theirs !== purl) (pep503Equal(theirs, purl) ? pep503 : problems).push(disagreement);
          }
        } catch (error) {
          problems.push(`${record.id} ${pkg.name}: ${(error as Error).message}`);
        }
      }
    }
    console.info(
      `OSV ${ecosystem}: ${records.length} records, ${packages} affected packages, ${withPurl} with a purl; ` +
        `${problems.length} disagree; ${pep503.length} differ only in PEP 503 spelling${pep503.length ? `: ${pep503.join('; ')}` : ''}`,
    );
    expect(problems.slice(0, 20)).toEqual([]);
  });
});
