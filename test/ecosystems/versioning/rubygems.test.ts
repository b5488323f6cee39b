import { describe, it } from 'vitest';
import { rubygemsVersioning as gem } from '../../../src/ecosystems/versioning/rubygems.js';
import { expectAscending, expectEqual, expectTotalOrder, expectValidity, itOrders } from './table.js';

// Cases from the Gem::Version documentation and RubyGems' own version tests (test_gem_version.rb),
// and the RubyGems guide "Patterns: semantic versioning / prerelease gems".
describe('rubygems (Gem::Version)', () => {
  itOrders(
    gem,
    `
    1.0 = 1.0.0
    1.0 > 1.0.a
    1.8.2 > 0.0.0
    1.8.2 > 1.8.2.a
    1.8.2.b > 1.8.2.a
    1.8.2.a < 1.8.2
    1.8.2.a10 > 1.8.2.a9
    0.beta.1 = 0.0.beta.1
    0.0.beta < 0.0.beta.1
    0.0.beta < 0.beta.1
    5.a < 5.0.0.rc2
    5.x > 5.0.0.rc2
    1.9.3 > 1.9.2.99
    1.9.3 < 1.9.3.1
    # a hyphen reads as .pre.
    1.0-1 = 1.0.pre.1
    1.0-1 < 1.0
    `,
  );

  it('sorts a gem release history', () => {
    expectAscending(gem, [
      '6.1.0',
      '6.1.7.10',
      '7.0.0.alpha1',
      '7.0.0.alpha2',
      '7.0.0.rc1',
      '7.0.0.rc3',
      '7.0.0',
      '7.0.1',
      '7.0.10',
      '7.1.0.beta1',
      '7.1.0',
    ]);
  });

  it('treats surrounding spaces and trailing zeros as the same version', () => {
    expectEqual(gem, [['1', '1.0', '1.0.0', ' 1.0 ', '1.0.0.0']]);
  });

  it('validates as Gem::Version.correct?', () => {
    expectValidity(gem, ['1', '1.0', '1.0.a', '1.0.0.rc1', '1.0-rc1', ' 1.0 ', '0.0.0.0.0.1'], ['', ' ', 'junk', '1..2', '1.0 1', '-1', '1.0.', '1.0-', 'a.1']);
  });

  it('is a total order, also over junk', () => {
    expectTotalOrder(gem, ['1', '1.0', '1.0.a', '1.0.b1', '1.0-1', '1.0.pre.1', '5.x', 'junk', '1.0.0.rc2']);
  });
});
