import { describe, expect, it } from 'vitest';
import { coordinateHash } from '../../src/ecosystems/identity.js';
import { candidateOf, remediable } from '../../src/evaluation/remediation.js';
import { registryDeclaredLicense } from '../../src/evaluation/registry-licenses.js';

describe('remediation building blocks', () => {
  it('turns registry license statements into one declared expression', () => {
    const cases: Array<[string[] | null, string, string | undefined]> = [
      [null, 'npm', undefined],
      [[], 'npm', undefined],
      [['MIT'], 'npm', 'MIT'],
      // PyPI: a license field and a trove classifier saying the same thing count once.
      [['Apache 2.0', 'License :: OSI Approved :: Apache Software License'], 'pypi', 'Apache-2.0'],
      // A POM's several licenses are a choice (intel/licenses/registry-licenses.ts).
      [['MIT OR GPL-2.0', 'Apache-2.0'], 'maven', 'MIT OR GPL-2.0 OR Apache-2.0'],
      // Nothing parses: the statement as written, so that it is seen rather than dropped.
      [['  See LICENSE file  '], 'gem', 'See LICENSE file'],
    ];
    for (const [given, format, expected] of cases) expect(registryDeclaredLicense(given, format), JSON.stringify(given)).toBe(expected);
  });

  it('names another version of a component with its identity and stand-in hash', () => {
    const c = candidateOf({ format: 'maven', coordinates: { groupId: 'junit', artifactId: 'junit', version: '4.12', extension: 'jar', classifier: '' } }, '4.13.2');
    expect(c.packageUrl).toBe('pkg:maven/junit/junit@4.13.2?type=jar');
    expect(c.componentIdentifier.coordinates).toMatchObject({ groupId: 'junit', artifactId: 'junit', version: '4.13.2', extension: 'jar' });
    expect(c.hash).toBe(coordinateHash(c.componentIdentifier));
    expect(c.version).toBe('4.13.2');
  });

  it('remediates only components with a version whose registry Tollgate reads', () => {
    expect(remediable({ format: 'npm', coordinates: { packageId: 'left-pad', version: '1.0.0' } })).toBe(true);
    expect(remediable({ format: 'pypi', coordinates: { name: 'requests', version: '2.28.2' } })).toBe(true);
    expect(remediable({ format: 'npm', coordinates: { packageId: 'left-pad' } })).toBe(false);
    expect(remediable({ format: 'golang', coordinates: { name: 'github.com/rs/cors', version: 'v1.4.0' } })).toBe(true);
    expect(remediable({ format: 'cran', coordinates: { name: 'readxl', version: '1.1.0' } })).toBe(false);
    expect(remediable(null)).toBe(false);
  });
});
