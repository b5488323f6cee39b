import { describe, expect, it } from 'vitest';
import { ThreatGroupIndex } from '../../../src/intel/licenses/classify.js';
import { DEFAULT_THREAT_GROUPS } from '../../../src/intel/licenses/default-threat-groups.js';
import { parseLicenseExpression } from '../../../src/intel/licenses/expression.js';

const index = new ThreatGroupIndex(DEFAULT_THREAT_GROUPS);
const classify = (text: string) => index.classifyText(text);

describe('default license threat groups', () => {
  it('ship the reference product’s group names and levels', () => {
    expect(DEFAULT_THREAT_GROUPS.map((g) => [g.name, g.threatLevel])).toEqual([
      ['Banned', 10],
      ['Copyleft', 9],
      ['Commercial', 7],
      ['Non Standard', 6],
      ['Sonatype Special Licenses', 5],
      ['Weak Copyleft', 2],
      ['Liberal', 0],
      ['Sonatype Informational', 0],
    ]);
  });

  it('put each default license in exactly one group', () => {
    const seen = new Map<string, string>();
    for (const group of DEFAULT_THREAT_GROUPS) {
      for (const id of group.licenseIds) {
        expect(seen.get(id), `${id} in ${seen.get(id)} and ${group.name}`).toBeUndefined();
        seen.set(id, group.name);
      }
    }
    expect(seen.size).toBeGreaterThan(600);
  });

  it.each([
    ['AGPL-3.0-only', 'Banned'],
    ['AGPL-3.0', 'Banned'],
    ['GPL-3.0-only', 'Copyleft'],
    ['GPL-2.0', 'Copyleft'],
    ['CC-BY-SA-4.0', 'Copyleft'],
    ['EUPL-1.2', 'Copyleft'],
    ['BUSL-1.1', 'Commercial'],
    ['CC-BY-NC-4.0', 'Commercial'],
    ['SSPL-1.0', 'Commercial'],
    ['UNLICENSED', 'Commercial'],
    ['Beerware', 'Non Standard'],
    ['JSON', 'Non Standard'],
    ['WTFPL', 'Non Standard'],
    ['Not-Declared', 'Sonatype Special Licenses'],
    ['No-Sources', 'Sonatype Special Licenses'],
    ['LGPL-2.1-only', 'Weak Copyleft'],
    ['LGPL-3.0-or-later', 'Weak Copyleft'],
    ['MPL-2.0', 'Weak Copyleft'],
    ['EPL-2.0', 'Weak Copyleft'],
    ['CDDL-1.1', 'Weak Copyleft'],
    ['GPL-2.0-with-classpath-exception', 'Weak Copyleft'],
    ['GPL-2.0-only WITH Classpath-exception-2.0', 'Weak Copyleft'],
    ['MIT', 'Liberal'],
    ['Apache-2.0', 'Liberal'],
    ['BSD-3-Clause', 'Liberal'],
    ['ISC', 'Liberal'],
    ['0BSD', 'Liberal'],
    ['Unlicense', 'Liberal'],
    ['CC0-1.0', 'Liberal'],
    ['Python-2.0', 'Liberal'],
    ['Not-Supported', 'Sonatype Informational'],
  ])('%s is %s', (license, group) => {
    expect(classify(license).groupName).toBe(group);
  });
});

describe('classifying expressions', () => {
  it('takes the least threatening choice for OR', () => {
    expect(classify('GPL-3.0-only OR MIT')).toMatchObject({ threatLevel: 0, groupName: 'Liberal' });
    expect(classify('AGPL-3.0-only OR LGPL-3.0-only')).toMatchObject({ threatLevel: 2, groupName: 'Weak Copyleft' });
  });

  it('takes the most threatening for AND, listing every license that applies', () => {
    const result = classify('MIT AND GPL-2.0-only');
    expect(result).toMatchObject({ threatLevel: 9, groupName: 'Copyleft' });
    expect(result.licenses.map((l) => l.license)).toEqual(['MIT', 'GPL-2.0-only']);
  });

  it('follows precedence and parentheses', () => {
    // AND binds tighter: MIT OR (GPL AND Apache) → MIT.
    expect(classify('MIT OR GPL-3.0-only AND Apache-2.0').threatLevel).toBe(0);
    expect(classify('(MIT OR GPL-3.0-only) AND AGPL-3.0-only').threatLevel).toBe(10);
    expect(classify('(MIT OR GPL-3.0-only) AND (LGPL-2.1-only OR CC-BY-NC-4.0)').threatLevel).toBe(2);
  });

  it('reads + and WITH: or-later ids and linking exceptions', () => {
    const plus = classify('GPL-2.0+');
    expect(plus).toMatchObject({ threatLevel: 9, groupName: 'Copyleft' });
    expect(classify('LGPL-2.1+').groupName).toBe('Weak Copyleft');
    const cpe = classify('GPL-2.0-only WITH Classpath-exception-2.0');
    expect(cpe).toMatchObject({ threatLevel: 2, groupName: 'Weak Copyleft' });
    expect(cpe.licenses[0].matchedLicenseId).toBe('GPL-2.0-only WITH Classpath-exception-2.0');
    // An exception no group knows falls back to the license itself.
    expect(classify('GPL-3.0-or-later WITH Bootloader-exception')).toMatchObject({ threatLevel: 9, groupName: 'Copyleft' });
  });

  it('classifies corrected names', () => {
    const result = classify('Apache 2');
    expect(result).toMatchObject({ threatLevel: 0, groupName: 'Liberal' });
    expect(result.parsed.corrections).toEqual([{ from: 'Apache 2', to: 'Apache-2.0' }]);
    expect(classify('GPLv2').groupName).toBe('Copyleft');
  });

  it('reports licenses no group holds, and prefers a known choice over them', () => {
    expect(classify('LicenseRef-Acme')).toMatchObject({ threatLevel: null, groupName: null, unassigned: ['LicenseRef-Acme'] });
    expect(classify('LicenseRef-Acme OR GPL-3.0-only')).toMatchObject({ threatLevel: 9, unassigned: [] });
    expect(classify('LicenseRef-Acme AND MIT')).toMatchObject({ threatLevel: 0, unassigned: ['LicenseRef-Acme'] });
  });

  it('lets the most threatening group speak for a license in several groups', () => {
    const custom = new ThreatGroupIndex([
      { name: 'Liberal', threatLevel: 0, licenseIds: ['MIT'] },
      { name: 'Audit', threatLevel: 4, licenseIds: ['MIT'] },
    ]);
    expect(custom.classify(parseLicenseExpression('MIT').expression)).toMatchObject({ threatLevel: 4, groupName: 'Audit' });
  });
});
