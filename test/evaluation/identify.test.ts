import { describe, expect, it } from 'vitest';
import { firstFix, fixedVersionsOf } from '../../src/evaluation/advisories.js';
import { escapeHtml } from '../../src/evaluation/html-escape.js';
import { applyClaim, identifyComponent } from '../../src/evaluation/identify.js';
import { coordinateHash, osvPackageOf } from '../../src/ecosystems/identity.js';
import type { OsvAffected } from '../../src/intel/advisories/osv.js';
import { policyActionName, threatBand } from '../../src/evaluation/report.js';

describe('identifyComponent', () => {
  it.each([
    // purl as an SBOM writes it → canonical purl, format, match state
    ['pkg:npm/%40angular/core@16.0.0', 'pkg:npm/%40angular/core@16.0.0', 'npm', 'exact'],
    ['pkg:pypi/Django_Rest@3.0', 'pkg:pypi/django-rest@3.0', 'pypi', 'exact'],
    ['pkg:maven/org.apache.commons/commons-lang3@3.12.0', 'pkg:maven/org.apache.commons/commons-lang3@3.12.0?type=jar', 'maven', 'exact'],
    ['pkg:golang/golang.org/x/text@v0.3.5', 'pkg:golang/golang.org/x/text@v0.3.5', 'golang', 'exact'],
  ])('%s is %s (%s, %s)', (purl, canonical, format, state) => {
    const c = identifyComponent({ ref: 'r', name: 'x', hashes: {}, purl });
    expect(c.packageUrl).toBe(canonical);
    expect(c.componentIdentifier?.format).toBe(format);
    expect(c.matchState).toBe(state);
    expect(c.identificationSource).toBe('Package Manifest');
    expect(c.hash).toBe(coordinateHash(c.componentIdentifier!));
    if (canonical !== purl) expect(c.originalPurl).toBe(purl);
    else expect(c.originalPurl).toBeUndefined();
  });

  it('leaves a malformed purl, an unknown purl type or no purl unknown, named by what was given', () => {
    for (const purl of ['pkg:', 'not a purl', 'pkg:nosuchtype/thing@1.0', undefined]) {
      const c = identifyComponent({ ref: 'r', group: 'acme', name: 'widget', version: '2.0', hashes: {}, purl });
      expect(c.matchState, String(purl)).toBe('unknown');
      expect(c.packageUrl).toBeUndefined();
      expect(c.hash).toMatch(/^[0-9a-f]{20}$/);
      if (!purl?.startsWith('pkg:nosuchtype')) expect(c.displayName).toBe('acme : widget : 2.0');
    }
  });

  it('takes the hash from the SHA-1, truncated to 20 hex; ignores malformed hashes', () => {
    const sha1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
    expect(identifyComponent({ ref: 'r', name: 'x', hashes: { 'SHA-1': sha1 } }).hash).toBe('da39a3ee5e6b4b0d3255');
    expect(identifyComponent({ ref: 'r', name: 'x', hashes: { 'SHA-1': 'xyz' }, purl: 'pkg:npm/x@1.0.0' }).hash).toBe(
      coordinateHash({ format: 'npm', coordinates: { packageId: 'x', version: '1.0.0' } }),
    );
    const sha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    expect(identifyComponent({ ref: 'r', name: 'x', hashes: { 'SHA-256': sha256 } }).sha256).toBe(sha256);
  });

  it('a claim identifies an unknown component manually, and never overrides a known one', () => {
    const claim = { hash: 'aaaaaaaaaaaaaaaaaaaa', componentIdentifier: { format: 'npm', coordinates: { packageId: 'ours', version: '1.0.0' } }, packageUrl: 'pkg:npm/ours@1.0.0' };
    const unknown = identifyComponent({ ref: 'r', name: 'blob', hashes: {} });
    expect(applyClaim(unknown, claim)).toMatchObject({ matchState: 'exact', identificationSource: 'Manual', packageUrl: 'pkg:npm/ours@1.0.0', displayName: 'ours 1.0.0' });
    const known = identifyComponent({ ref: 'r', name: 'x', hashes: {}, purl: 'pkg:npm/x@1.0.0' });
    expect(applyClaim(known, claim)).toBe(known);
  });
});

describe('osvPackageOf', () => {
  it.each([
    [{ format: 'maven', coordinates: { groupId: 'org.yaml', artifactId: 'snakeyaml', version: '1.30' } }, { ecosystem: 'Maven', name: 'org.yaml:snakeyaml', version: '1.30' }],
    [{ format: 'npm', coordinates: { packageId: '@types/node', version: '1.0.0' } }, { ecosystem: 'npm', name: '@types/node', version: '1.0.0' }],
    [{ format: 'pypi', coordinates: { name: 'jinja2', version: '2.10' } }, { ecosystem: 'PyPI', name: 'jinja2', version: '2.10' }],
    [{ format: 'golang', coordinates: { name: 'golang.org/x/net', version: 'v0.1.0' } }, { ecosystem: 'Go', name: 'golang.org/x/net', version: 'v0.1.0' }],
    [{ format: 'composer', coordinates: { namespace: 'laravel', name: 'framework', version: '7.0.0' } }, { ecosystem: 'Packagist', name: 'laravel/framework', version: '7.0.0' }],
    [{ format: 'nuget', coordinates: { packageId: 'Newtonsoft.Json', version: '12.0.1' } }, { ecosystem: 'NuGet', name: 'Newtonsoft.Json', version: '12.0.1' }],
  ])('%j → %j', (identifier, expected) => {
    expect(osvPackageOf(identifier)).toEqual(expected);
  });

  it('names nothing for distribution packages (the release is unknown) or formats without OSV data', () => {
    expect(osvPackageOf({ format: 'deb', coordinates: { name: 'openssl', version: '1.1' } })).toBeUndefined();
    expect(osvPackageOf({ format: 'a-name', coordinates: { name: 'x', version: '1' } })).toBeUndefined();
    expect(osvPackageOf(undefined)).toBeUndefined();
  });
});

describe('firstFix', () => {
  const entries: Array<[string, OsvAffected]> = [
    ['PYSEC-1|pypi|demo', { ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.5' }, { introduced: '2.0' }, { fixed: '2.0.3' }] }] }],
    ['PYSEC-2|pypi|demo', { ranges: [{ type: 'GIT', repo: 'x', events: [{ introduced: '0' }, { fixed: 'abc123' }] }, { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.4.1' }] }] }],
  ];
  const fixed = new Map(entries.map(([key, affected]) => [key, fixedVersionsOf(affected)]));
  it('keeps the fixed versions of version ranges, not GIT commits', () => {
    expect(fixed.get('PYSEC-2|pypi|demo')).toEqual(['1.4.1']);
  });
  it.each([
    ['1.0', ['PYSEC-1'], '1.5'],
    ['1.0', ['PYSEC-1', 'PYSEC-2'], '1.4.1'],
    ['2.0.1', ['PYSEC-1'], '2.0.3'],
    ['1.6', ['PYSEC-1'], '2.0.3'],
    ['3.0', ['PYSEC-1'], undefined],
  ])('version %s, records %j: first fix %s', (version, ids, expected) => {
    expect(firstFix({ ecosystem: 'PyPI', name: 'Demo', version }, ids, fixed)).toBe(expected);
  });
});

describe('report helpers', () => {
  it('bands threat levels as the reference colours them', () => {
    expect([10, 8, 7, 4, 3, 2, 1, 0].map(threatBand)).toEqual(['critical', 'critical', 'severe', 'severe', 'moderate', 'moderate', 'low', 'low']);
    expect([policyActionName('fail'), policyActionName('warn'), policyActionName('none')]).toEqual(['Failure', 'Warning', 'None']);
  });

  it('escapes HTML', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
  });
});
