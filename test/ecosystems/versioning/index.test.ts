import { describe, expect, it } from 'vitest';
import { maxVersion, minVersion, sortVersions, versioningFor } from '../../../src/ecosystems/versioning/index.js';

describe('versioningFor', () => {
  it.each([
    ['npm', 'semver'],
    ['PyPI', 'pep440'],
    ['pypi', 'pep440'],
    ['Go', 'go'],
    ['golang', 'go'],
    ['Maven', 'maven'],
    ['maven', 'maven'],
    ['NuGet', 'nuget'],
    ['nuget', 'nuget'],
    ['RubyGems', 'rubygems'],
    ['gem', 'rubygems'],
    ['crates.io', 'cargo'],
    ['cargo', 'cargo'],
    ['Packagist', 'composer'],
    ['composer', 'composer'],
    ['Debian', 'dpkg'],
    ['Debian:12', 'dpkg'],
    ['deb', 'dpkg'],
    ['Ubuntu', 'dpkg'],
    ['Ubuntu:22.04:LTS', 'dpkg'],
    ['Alpine', 'apk'],
    ['Alpine:v3.20', 'apk'],
    ['alpine', 'apk'],
    ['Hex', 'hex'],
    ['Pub', 'pub'],
    ['NPM', 'semver'],
  ])('maps %s to %s', (ecosystem, scheme) => {
    expect(versioningFor(ecosystem)?.name).toBe(scheme);
  });

  it.each(['', 'unknown', 'GIT', 'constructor', 'toString', '__proto__'])('knows no scheme for %j', (ecosystem) => {
    expect(versioningFor(ecosystem)).toBeUndefined();
  });

  it('orders each ecosystem by its own rules', () => {
    // The same two strings, ordered differently by different ecosystems.
    expect(versioningFor('Maven')!.compare('1.0-SNAPSHOT', '1.0')).toBeLessThan(0);
    expect(versioningFor('Debian')!.compare('1.0~rc1', '1.0')).toBeLessThan(0);
    expect(versioningFor('npm')!.compare('1.0.0-rc.1', '1.0.0')).toBeLessThan(0);
    expect(versioningFor('PyPI')!.compare('1.0', '1.0.0')).toBe(0);
    expect(versioningFor('npm')!.compare('1.0.0', '1.0.0+build')).toBe(0);
    expect(versioningFor('Alpine')!.compare('1.0_p1', '1.0')).toBeGreaterThan(0);
    expect(versioningFor('PyPI')!.compare('1.0.post1', '1.0')).toBeGreaterThan(0);
    expect(versioningFor('Maven')!.compare('1.0.post1', '1.0')).toBeGreaterThan(0);
    expect(versioningFor('RubyGems')!.compare('1.0.post1', '1.0')).toBeLessThan(0);
  });
});

describe('sortVersions / maxVersion / minVersion', () => {
  const maven = versioningFor('maven')!;

  it('sorts ascending into a new array, keeping equal versions in input order', () => {
    const input = ['1.0', '1.0-SNAPSHOT', '1', '0.9', '1.0.0', '1.0-alpha-1'];
    expect(sortVersions(maven, input)).toEqual(['0.9', '1.0-alpha-1', '1.0-SNAPSHOT', '1.0', '1', '1.0.0']);
    expect(input[0]).toBe('1.0');
  });

  it('puts strings the scheme does not understand first, in code-unit order', () => {
    const npm = versioningFor('npm')!;
    expect(sortVersions(npm, ['2.0.0', 'latest', '1.0.0', 'beta', '1.0.0-rc.1'])).toEqual(['beta', 'latest', '1.0.0-rc.1', '1.0.0', '2.0.0']);
  });

  it('finds the greatest and least (first of equals), undefined for none', () => {
    expect(maxVersion(maven, ['1.0', '2.0-SNAPSHOT', '1.10', '1.9'])).toBe('2.0-SNAPSHOT');
    expect(maxVersion(maven, ['1', '1.0', '1.0.0'])).toBe('1');
    expect(minVersion(maven, ['1.0', '1.0-rc1', '1.0.1'])).toBe('1.0-rc1');
    expect(maxVersion(maven, [])).toBeUndefined();
    expect(minVersion(maven, [])).toBeUndefined();
  });
});
