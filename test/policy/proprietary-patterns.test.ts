import { describe, expect, it } from 'vitest';
import { canonicalPackageUrl } from '../../src/ecosystems/identity.js';
import { compileProprietaryPatterns, globMatches, patternProblem, purlKey } from '../../src/policy/proprietary-patterns.js';

describe('proprietary package URL patterns', () => {
  it.each([
    ['pkg:npm/@acme/*', 'pkg:npm/@acme/widgets@1.2.3', true],
    ['pkg:npm/@acme/*', 'pkg:npm/@acmecorp/widgets@1.2.3', false],
    ['pkg:npm/@acme/*', 'pkg:npm/acme@1.0.0', false],
    ['pkg:npm/@acme*', 'pkg:npm/@acmecorp/widgets@1.2.3', true],
    ['pkg:maven/com.acme*/*', 'pkg:maven/com.acme.billing/ledger@2.0?type=jar', true],
    ['pkg:maven/com.acme*/*', 'pkg:maven/org.acme/ledger@2.0', false],
    ['pkg:pypi/acme-*', 'pkg:pypi/acme-tools@0.1', true],
    ['pkg:pypi/acme-*', 'pkg:pypi/not-acme-tools@0.1', false],
    // case-insensitive, and the literal characters of a pattern are not regex syntax
    ['PKG:NPM/@ACME/*', 'pkg:npm/@acme/widgets@1.2.3', true],
    ['pkg:maven/com.acme/*', 'pkg:maven/comxacme/a@1', false],
    // without @version every version matches; with one, only matching versions
    ['pkg:npm/left-pad', 'pkg:npm/left-pad@1.3.0', true],
    ['pkg:npm/left-pad', 'pkg:npm/left-pad-extra@1.3.0', false],
    ['pkg:npm/left-pad@1.*', 'pkg:npm/left-pad@1.3.0', true],
    ['pkg:npm/left-pad@1.*', 'pkg:npm/left-pad@2.0.0', false],
    ['pkg:npm/@acme/*@1.*', 'pkg:npm/@acme/widgets@1.0.0', true],
    // a percent-encoded pattern means the same as the decoded one
    ['pkg:npm/%40acme/*', 'pkg:npm/@acme/widgets@1.2.3', true],
  ])('%s against %s → %s', (pattern, purl, expected) => {
    expect(patternProblem(pattern)).toBeUndefined();
    expect(compileProprietaryPatterns([pattern]).matches(canonicalPackageUrl(purl))).toBe(expected);
  });

  it('matches stars by the classic wildcard rules, and quickly whatever the pattern', () => {
    expect(globMatches('a*b*c', 'axxbyyc')).toBe(true);
    expect(globMatches('a*b*c', 'axxbyy')).toBe(false);
    expect(globMatches('*', '')).toBe(true);
    expect(globMatches('a**', 'a')).toBe(true);
    expect(globMatches('*ab', 'aab')).toBe(true);
    // As a regular expression (^.*a.*a…b$) this pattern takes seconds against 200 "a"s: here it is a walk.
    const hostile = `pkg:npm/${'*a'.repeat(90)}*b`;
    expect(patternProblem(hostile)).toBeUndefined();
    expect(compileProprietaryPatterns([hostile]).matches(`pkg:npm/${'a'.repeat(200)}@1.0.0`)).toBe(false);
  });

  it('never matches a component without a package URL, nor anything with no patterns', () => {
    expect(compileProprietaryPatterns(['pkg:npm/*']).matches(undefined)).toBe(false);
    expect(compileProprietaryPatterns([]).matches('pkg:npm/a@1')).toBe(false);
  });

  it('reads canonical purls: the npm scope is percent-encoded, qualifiers and subpaths dropped', () => {
    expect(canonicalPackageUrl('pkg:npm/@acme/widgets@1.2.3')).toBe('pkg:npm/%40acme/widgets@1.2.3');
    expect(purlKey('pkg:npm/%40acme/widgets@1.2.3')).toEqual({ base: 'pkg:npm/@acme/widgets', version: '1.2.3' });
    expect(purlKey('pkg:maven/g/a@1.0?type=jar#sub/path')).toEqual({ base: 'pkg:maven/g/a', version: '1.0' });
    expect(purlKey('pkg:generic/thing')).toEqual({ base: 'pkg:generic/thing' });
  });

  it.each([
    ['npm/@acme/*', 'does not start with "pkg:"'],
    ['pkg:npm', 'has no "/" after the package type'],
    ['pkg:/foo', 'has no valid package type'],
    ['pkg:n*m/foo', 'has no valid package type'],
    ['pkg:npm/', 'has no name'],
    ['pkg:npm//', 'has no name'],
    ['pkg:npm/foo?type=jar', 'qualifiers or a subpath'],
    ['pkg:npm/foo@', 'no version after it'],
    ['pkg:npm/foo bar', 'white space'],
    [`pkg:npm/${'a'.repeat(200)}`, 'longer than 200 characters'],
  ])('%s is refused: %s', (pattern, problem) => {
    expect(patternProblem(pattern)).toContain(problem);
  });
});
