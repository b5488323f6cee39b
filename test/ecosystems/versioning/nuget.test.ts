import { describe, it } from 'vitest';
import { nugetVersioning as nuget } from '../../../src/ecosystems/versioning/nuget.js';
import { expectAscending, expectEqual, expectTotalOrder, expectValidity, itOrders } from './table.js';

// Cases from the NuGet documentation ("Package versioning": pre-release precedence, normalized
// version numbers, SemVer 2.0.0 support) and NuGet.Versioning's comparer rules.
describe('nuget', () => {
  it('puts the release first, then pre-releases in reverse alphabetical order (docs example)', () => {
    expectAscending(nuget, [
      '1.0.1-aaa',
      '1.0.1-alpha10',
      '1.0.1-alpha2',
      '1.0.1-beta',
      '1.0.1-open',
      '1.0.1-rc',
      '1.0.1-zzz',
      '1.0.1',
    ]);
  });

  it('normalizes numbers: missing parts, a zero fourth part, leading zeros; ignores metadata', () => {
    expectEqual(nuget, [
      ['1', '1.0', '1.0.0', '1.0.0.0', '1.00', '01.0.0', '1.0.0+build.7'],
      ['1.1.1', '1.01.1', '1.1.01.0'],
      ['1.0.1', '1.0.01.0'],
      ['1.0.0-beta', '1.0.0-BETA', '1.0.0-Beta+sha.5114f85'],
    ]);
  });

  itOrders(
    nuget,
    `
    # four-part versions
    1.0.0 < 1.0.0.1
    1.0.0.1-beta < 1.0.0.1
    1.0.0.9 < 1.0.0.10
    1.2.3.4 < 1.2.4
    # SemVer 2.0.0 dotted labels: numbers numerically and before text
    1.0.0-alpha.1 < 1.0.0-alpha.2
    1.0.0-alpha.2 < 1.0.0-alpha.10
    1.0.0-alpha.9 < 1.0.0-alpha.beta
    1.0.0-alpha < 1.0.0-alpha.1
    1.0.0-rc.1 < 1.0.0
    # labels compare ignoring case
    1.0.0-Alpha = 1.0.0-alpha
    1.0.0-ALPHA.1 < 1.0.0-beta
    # releases
    6.0.0 < 6.0.1
    12.0.3 < 13.0.1
    4.7.0-preview.1.19504.10 < 4.7.0
    `,
  );

  it('validates as NuGetVersion.TryParse', () => {
    expectValidity(
      nuget,
      ['1', '1.0', '1.0.0', '1.0.0.0', '01.2.3', '1.0.0-beta', '1.0.0-beta.1+meta', '1.0.0-beta-1', ' 1.0.0 ', '1.0.0+0.build.01'],
      ['', '1.0.0.0.0', 'v1.0.0', '1.0.0-', '1.0.0-beta..1', '1.0.0-01', '1.0.0-beta_1', '2147483648.0.0', 'a.b', '[1.0,2.0)', '1.0.0+'],
    );
  });

  it('is a total order, also over junk', () => {
    expectTotalOrder(nuget, ['1', '1.0.0.0', '1.0.0.1', '1.0.0-beta', '1.0.0-BETA', '1.0.0-beta.2', '1.0.0+x', 'v1.0.0', '1.0.0-01']);
  });
});
