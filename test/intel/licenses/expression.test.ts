import { describe, expect, it } from 'vitest';
import { LicenseExpressionError, licenseLeaves, parseLicenseExpression, tryParseLicenseExpression } from '../../../src/intel/licenses/expression.js';
import { canonicalSpdxId, isDeprecatedSpdxId, isLicenseRef, isSpdxLicenseId, SPDX_LICENSE_IDS } from '../../../src/intel/licenses/spdx-ids.js';

describe('SPDX license list', () => {
  it('knows current and deprecated ids, in canonical case', () => {
    expect(SPDX_LICENSE_IDS.length).toBeGreaterThan(600);
    expect(isSpdxLicenseId('Apache-2.0')).toBe(true);
    expect(isSpdxLicenseId('apache-2.0')).toBe(false);
    expect(canonicalSpdxId('apache-2.0')).toBe('Apache-2.0');
    expect(isSpdxLicenseId('GPL-2.0')).toBe(true);
    expect(isDeprecatedSpdxId('GPL-2.0')).toBe(true);
    expect(isDeprecatedSpdxId('GPL-2.0-only')).toBe(false);
    expect(canonicalSpdxId('Not-A-License')).toBeUndefined();
    expect(isLicenseRef('LicenseRef-Acme-1.0')).toBe(true);
    expect(isLicenseRef('DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2')).toBe(true);
    expect(isLicenseRef('LicenseRef-')).toBe(false);
  });
});

describe('license expressions', () => {
  // Valid SPDX expressions from the SPDX specification, annex D: parsed as written, nothing corrected.
  it.each([
    ['MIT', 'MIT'],
    ['LGPL-2.1-only OR MIT', 'LGPL-2.1-only OR MIT'],
    ['LGPL-2.1-only OR MIT OR BSD-3-Clause', 'LGPL-2.1-only OR MIT OR BSD-3-Clause'],
    ['LGPL-2.1-only AND MIT', 'LGPL-2.1-only AND MIT'],
    ['GPL-2.0-or-later WITH Bison-exception-2.2', 'GPL-2.0-or-later WITH Bison-exception-2.2'],
    ['MIT AND (LGPL-2.1-or-later OR BSD-3-Clause)', 'MIT AND (LGPL-2.1-or-later OR BSD-3-Clause)'],
    ['(MIT AND LGPL-2.1-or-later) OR BSD-3-Clause', 'MIT AND LGPL-2.1-or-later OR BSD-3-Clause'],
    ['LGPL-2.1+', 'LGPL-2.1+'],
    ['LicenseRef-23', 'LicenseRef-23'],
    ['DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2', 'DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2'],
    ['MIT or Apache-2.0', 'MIT OR Apache-2.0'],
    ['Not-Declared', 'Not-Declared'],
  ])('%s', (input, normalized) => {
    const parsed = parseLicenseExpression(input);
    expect(parsed.normalized).toBe(normalized);
    expect(parsed.corrections).toEqual([]);
  });

  it('keeps AND tighter than OR and the parts of WITH and +', () => {
    const { expression } = parseLicenseExpression('MIT AND (LGPL-2.1-or-later OR BSD-3-Clause)');
    expect(expression).toEqual({
      conjunction: 'and',
      left: { license: 'MIT' },
      right: { conjunction: 'or', left: { license: 'LGPL-2.1-or-later' }, right: { license: 'BSD-3-Clause' } },
    });
    expect(licenseLeaves(parseLicenseExpression('GPL-2.0+ WITH Classpath-exception-2.0').expression)).toEqual([
      { license: 'GPL-2.0', plus: true, exception: 'Classpath-exception-2.0' },
    ]);
  });

  // Names found in real package metadata (npm, PyPI classifiers, Maven POMs) and what they mean.
  it.each([
    ['Apache 2', 'Apache-2.0'],
    ['GPLv2', 'GPL-2.0-only'],
    ['GPLv3+', 'GPL-3.0-or-later'],
    ['MIT License', 'MIT'],
    ['The MIT License', 'MIT'],
    ['BSD', 'BSD-2-Clause'],
    ['new BSD', 'BSD-3-Clause'],
    ['ASL 2.0', 'Apache-2.0'],
    ['Apache License, Version 2.0', 'Apache-2.0'],
    ['Eclipse Public License 1.0', 'EPL-1.0'],
    ['MPL 2.0', 'MPL-2.0'],
    ['mit', 'MIT'],
    ['apache-2.0 OR mit', 'Apache-2.0 OR MIT'],
    ['(MIT OR Apache 2) AND GPLv2', '(MIT OR Apache-2.0) AND GPL-2.0-only'],
    ['MIT/Apache-2.0', 'MIT OR Apache-2.0'],
    // The reference reads commas as AND binding loosest.
    ['EPL-1.0 or LGPL-2.0+, BSD-3-Clause', '(EPL-1.0 OR LGPL-2.0+) AND BSD-3-Clause'],
    ['not-declared', 'Not-Declared'],
  ])('corrects %j to %s and records it', (input, normalized) => {
    const parsed = parseLicenseExpression(input);
    expect(parsed.normalized).toBe(normalized);
    expect(parsed.corrections.length).toBeGreaterThan(0);
    expect(parsed.input).toBe(input);
  });

  it('records each correction made', () => {
    expect(parseLicenseExpression('(MIT OR Apache 2) AND GPLv2').corrections).toEqual([
      { from: 'Apache 2', to: 'Apache-2.0' },
      { from: 'GPLv2', to: 'GPL-2.0-only' },
    ]);
  });

  it('keeps npm UNLICENSED (no rights) apart from the Unlicense (public domain)', () => {
    expect(parseLicenseExpression('UNLICENSED').normalized).toBe('UNLICENSED');
    expect(parseLicenseExpression('Unlicense').normalized).toBe('Unlicense');
  });

  it.each(['', '   ', 'zzz', 'MIT AND', 'AND MIT', '(MIT', 'CDDL + GPLv2 with classpath exception', 'MIT WITH'])('rejects %j with a clear error', (input) => {
    expect(() => parseLicenseExpression(input)).toThrow(LicenseExpressionError);
    expect(tryParseLicenseExpression(input)).toBeUndefined();
  });
});

describe('corrections that would change the license', () => {
  it.each([
    // spdx-correct answers EPL-1.0, GPL-3.0-or-later, MPL-2.0 and CDDL-1.1 for these.
    'Eclipse Public License 3.0',
    'GNU Lesser General Public License v2.1 or later',
    'Mozilla Public License 1.0 (MPL)',
    'Common Development and Distribution License (CDDL) v1.0',
  ])('refuses a reading of %j with another version', (text) => {
    expect(tryParseLicenseExpression(text)).toBeUndefined();
  });

  it('reads a license address only through the table of license pages', () => {
    expect(parseLicenseExpression('http://www.apache.org/licenses/LICENSE-2.0').normalized).toBe('Apache-2.0');
    // spdx-correct reads MPL-2.0 into this project's own LICENSE file.
    expect(() => parseLicenseExpression('https://github.com/example/widget/blob/master/LICENSE.txt')).toThrow(LicenseExpressionError);
  });
});
