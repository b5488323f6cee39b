import { describe, expect, it } from 'vitest';
import { parseLicenseExpression } from '../../../src/intel/licenses/expression.js';
import { licenseOfUrl } from '../../../src/intel/licenses/license-urls.js';
import { declaredLicenseExpression } from '../../../src/intel/licenses/registry-licenses.js';
import { classifierLicense, TROVE_LICENSES } from '../../../src/intel/licenses/trove-classifiers.js';

describe('registry license declarations → SPDX', () => {
  // Each row: the strings as a registry recording gives them for one version, and the reading.
  it.each<[string, string, string[], string | undefined, string[]]>([
    // PyPI (../shared recordings: asgiref 3.11.0, luigi 3.6.0, celery 4.4.0; test/fixtures: requests, attrs)
    ['asgiref', 'pypi', ['BSD-3-Clause', 'License :: OSI Approved :: BSD License'], 'BSD-3-Clause', []],
    ['luigi', 'pypi', ['Apache License 2.0', 'License :: OSI Approved :: Apache Software License'], 'Apache-2.0', []],
    ['celery: the field decides over the classifier', 'pypi', ['BSD', 'License :: OSI Approved :: BSD License'], 'BSD-2-Clause', []],
    ['requests 2.31.0', 'pypi', ['Apache 2.0', 'License :: OSI Approved :: Apache Software License'], 'Apache-2.0', []],
    ['a classifier alone', 'pypi', ['License :: OSI Approved :: MIT License'], 'MIT', []],
    ['several classifiers are a choice', 'pypi', ['License :: OSI Approved :: Apache Software License', 'License :: OSI Approved :: BSD License'], 'Apache-2.0 OR BSD-3-Clause', []],
    ['an unreadable field falls back to the classifiers and is kept', 'pypi', ['Dual License', 'License :: OSI Approved :: MIT License', 'License :: OSI Approved'], 'MIT', ['Dual License']],
    ['a classifier naming no one license', 'pypi', ['License :: OSI Approved :: Zope Public License'], undefined, ['License :: OSI Approved :: Zope Public License']],
    ['PEP 639 license_expression', 'pypi', ['MIT AND (Apache-2.0 OR BSD-2-Clause)'], 'MIT AND (Apache-2.0 OR BSD-2-Clause)', []],
    // Maven POMs (../shared: mockito-core 2.11.0, okhttp parent 3.10.0, mockk 1.10.0; test/fixtures: junit)
    ['mockito-core', 'maven', ['The MIT License'], 'MIT', []],
    ['okhttp parent', 'maven', ['Apache 2.0'], 'Apache-2.0', []],
    ['mockk', 'maven', ['Apache License, Version 2.0'], 'Apache-2.0', []],
    ['junit', 'maven', ['Eclipse Public License 1.0'], 'EPL-1.0', []],
    ['several <license> entries are a choice', 'maven', ['Eclipse Public License - v 2.0', 'GNU General Public License, version 2 with the GNU Classpath Exception'], 'EPL-2.0 OR GPL-2.0-only WITH Classpath-exception-2.0', []],
    ['a name read by its URL', 'maven', ['CDDL + GPLv2 with classpath exception (https://glassfish.dev.java.net/nonav/public/CDDL+GPL.html)'], 'CDDL-1.0 OR GPL-2.0-only WITH Classpath-exception-2.0', []],
    ['a URL alone', 'maven', ['http://www.apache.org/licenses/LICENSE-2.0.txt'], 'Apache-2.0', []],
    ['the Eclipse Distribution License is BSD-3-Clause', 'maven', ['Eclipse Distribution License - v 1.0'], 'BSD-3-Clause', []],
    ['a project’s own license page', 'maven', ['Bespoke License (https://example.org/LICENSE)'], undefined, ['Bespoke License (https://example.org/LICENSE)']],
    // npm (test/fixtures/registries/replay: json-schema, tweetnacl; test/fixtures: left-pad, legacy-widget)
    ['json-schema 0.2.3: the legacy licenses array', 'npm', ['AFLv2.1', 'BSD'], 'AFL-2.1 OR BSD-2-Clause', []],
    ['json-schema 0.4.0', 'npm', ['(AFL-2.1 OR BSD-3-Clause)'], 'AFL-2.1 OR BSD-3-Clause', []],
    ['tweetnacl 0.14.2', 'npm', ['SEE LICENSE IN COPYING.txt'], undefined, ['SEE LICENSE IN COPYING.txt']],
    ['tweetnacl 0.13.3', 'npm', ['Public domain'], undefined, ['Public domain']],
    ['tweetnacl 1.0.3', 'npm', ['Unlicense'], 'Unlicense', []],
    ['left-pad 1.3.0', 'npm', ['WTFPL'], 'WTFPL', []],
    ['UNLICENSED is not the Unlicense', 'npm', ['UNLICENSED'], 'UNLICENSED', []],
    // crates.io (../shared: rand), RubyGems, NuGet, Packagist, deps.dev
    ['rand before 2018', 'cargo', ['MIT/Apache-2.0'], 'MIT OR Apache-2.0', []],
    ['rand 0.7.3', 'cargo', ['MIT OR Apache-2.0'], 'MIT OR Apache-2.0', []],
    ['i18n', 'gem', ['MIT'], 'MIT', []],
    ['a gem for Ruby’s terms too', 'RubyGems', ['MIT', 'Ruby'], 'MIT OR Ruby', []],
    ['OpenTelemetry.Instrumentation.SqlClient', 'nuget', ['Apache-2.0'], 'Apache-2.0', []],
    ['a NuGet license URL', 'nuget', ['https://licenses.nuget.org/MIT'], 'MIT', []],
    ['a NuGet package’s embedded license file', 'nuget', ['https://www.nuget.org/packages/Foo/1.0.0/license'], undefined, ['https://www.nuget.org/packages/Foo/1.0.0/license']],
    ['monolog', 'composer', ['MIT'], 'MIT', []],
    ['Composer’s closed-source value', 'composer', ['proprietary'], 'UNLICENSED', []],
    ['defangjs via deps.dev', 'golang', ['GPL-3.0'], 'GPL-3.0', []],
    ['deps.dev could not read it', 'golang', ['non-standard'], undefined, ['non-standard']],
  ])('%s (%s)', (_label, ecosystem, values, expression, unrecognized) => {
    const read = declaredLicenseExpression(values, ecosystem);
    expect(read.expression).toBe(expression);
    expect(read.unrecognized).toEqual(unrecognized);
  });

  it('nothing declared reads as no expression and nothing unrecognized', () => {
    expect(declaredLicenseExpression([], 'npm')).toEqual({ unrecognized: [] });
    expect(declaredLicenseExpression(['  ', ''], 'gem')).toEqual({ unrecognized: [] });
  });

  it('the same license declared twice is one', () => {
    expect(declaredLicenseExpression(['MIT', 'mit', 'MIT License'], 'gem').expression).toBe('MIT');
  });

  it('a correction to another version is refused, leaving the text unrecognized', () => {
    // spdx-correct reads these as EPL-1.0 and GPL-3.0-or-later.
    expect(declaredLicenseExpression(['Eclipse Public License 3.0'], 'maven')).toEqual({ unrecognized: ['Eclipse Public License 3.0'] });
    expect(declaredLicenseExpression(['GNU Lesser General Public License v2.1 or later'], 'maven')).toEqual({
      unrecognized: ['GNU Lesser General Public License v2.1 or later'],
    });
  });
});

describe('PyPI trove classifiers', () => {
  it('map to SPDX expressions valid as written', () => {
    for (const [classifier, id] of Object.entries(TROVE_LICENSES)) {
      expect(parseLicenseExpression(id).corrections, classifier).toEqual([]);
    }
  });

  it('are matched whatever the spacing and case', () => {
    expect(classifierLicense('License::OSI Approved::MIT License')).toBe('MIT');
    expect(classifierLicense('license :: osi approved :: gnu general public license v3 (gplv3)')).toBe('GPL-3.0-only');
    expect(classifierLicense('License :: Other/Proprietary License')).toBeUndefined();
  });
});

describe('license URLs', () => {
  it.each([
    ['http://www.apache.org/licenses/LICENSE-2.0', 'Apache-2.0'],
    ['https://www.apache.org/licenses/LICENSE-2.0.txt', 'Apache-2.0'],
    ['http://opensource.org/licenses/MIT', 'MIT'],
    ['https://spdx.org/licenses/BSD-3-Clause.html', 'BSD-3-Clause'],
    ['https://www.eclipse.org/legal/epl-2.0/', 'EPL-2.0'],
    ['https://licenses.nuget.org/MIT%20OR%20Apache-2.0', 'MIT OR Apache-2.0'],
    ['https://github.com/mockito/mockito/blob/master/LICENSE', undefined],
    ['http://www.opensource.org/licenses/bsd-license.php', undefined],
    ['not a url', undefined],
  ])('%s → %s', (url, expected) => {
    expect(licenseOfUrl(url)).toBe(expected);
  });

  it('map to SPDX expressions valid as written', () => {
    for (const url of ['https://glassfish.java.net/public/CDDL+GPL_1_1.html', 'http://www.bouncycastle.org/licence.html', 'https://www.gnu.org/licenses/old-licenses/lgpl-2.1.html']) {
      expect(parseLicenseExpression(licenseOfUrl(url)!).corrections).toEqual([]);
    }
  });
});
