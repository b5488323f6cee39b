import { describe, it } from 'vitest';
import { mavenVersioning as maven } from '../../../src/ecosystems/versioning/maven.js';
import { expectAscending, expectEqual, expectTotalOrder, expectValidity, itOrders } from './table.js';

// Cases from Maven's ComparableVersionTest and the POM reference's "Version Order Specification".
describe('maven (ComparableVersion)', () => {
  it('orders qualifiers: alpha < beta < milestone < rc/cr < snapshot < release < sp < unknown', () => {
    expectAscending(maven, [
      '1-alpha2snapshot',
      '1-alpha2',
      '1-alpha-123',
      '1-beta-2',
      '1-beta123',
      '1-m2',
      '1-m11',
      '1-rc',
      '1-cr2',
      '1-rc123',
      '1-SNAPSHOT',
      '1',
      '1-sp',
      '1-sp2',
      '1-sp123',
      '1-abc',
      '1-def',
      '1-pom-1',
      '1-1-snapshot',
      '1-1',
      '1-2',
      '1-123',
    ]);
  });

  it('orders numbers, dots before dashes, letter transitions', () => {
    expectAscending(maven, [
      '2.0',
      '2.0.a',
      '2-1',
      '2.0.2',
      '2.0.123',
      '2.1.0',
      '2.1-a',
      '2.1b',
      '2.1-c',
      '2.1-1',
      '2.1.0.1',
      '2.2',
      '2.123',
      '11.a2',
      '11.a11',
      '11.b2',
      '11.b11',
      '11.m2',
      '11.m11',
      '11',
      '11.a',
      '11b',
      '11c',
      '11m',
    ]);
  });

  it('pads with zeros and treats separators and aliases as the same version', () => {
    expectEqual(maven, [
      ['1', '1.0', '1.0.0', '1-0', '1.0-0'],
      ['1a', '1-a', '1.0-a', '1.0.0-a', '1.0a', '1.0.0a'],
      ['1x', '1-x', '1.0-x', '1.0.0-x', '1.0x', '1.0.0x'],
      ['1cr', '1rc', '1Cr', '1Rc', '1cR', '1rC'],
      ['1a1', '1-alpha-1', '1alpha1'],
      ['1b2', '1-beta-2'],
      ['1m3', '1-milestone-3', '1Milestone3', '1MileStone3', '1MILESTONE3'],
      ['1X', '1x'],
      ['1A', '1a'],
      ['1B', '1b'],
      ['1M', '1m'],
      ['1-abcdefghijklmnopqrstuvwxyz', '1-ABCDEFGHIJKLMNOPQRSTUVWXYZ'],
      ['1.0.0-alpha1', '1.0.0-ALPHA1'],
      ['1.a', '1.A'],
      ['1.é', '1.É'],
    ]);
  });

  it('sorts ga, final and release like no qualifier', () => {
    expectEqual(maven, [['1', '1ga', '1release', '1final', '1Ga', '1GA', '1RELEASE', '1RELeaSE', '1Final', '1FinaL', '1FINAL']]);
  });

  itOrders(
    maven,
    `
    1 < 2
    1.5 < 2
    1 < 2.5
    1.0 < 1.1
    1.1 < 1.2
    1.0.0 < 1.1
    1.0.1 < 1.1
    1.1 < 1.2.0
    1.0-alpha-1 < 1.0
    1.0-alpha-1 < 1.0-alpha-2
    1.0-alpha-1 < 1.0-beta-1
    1.0-beta-1 < 1.0-SNAPSHOT
    1.0-SNAPSHOT < 1.0
    1-SNAPSHOT < 1
    1.0-alpha-1-SNAPSHOT < 1.0-alpha-1
    1.0 < 1.0-1
    1.0-1 < 1.0-2
    1.0.0 < 1.0-1
    2.0-1 < 2.0.1
    2.0.1-klm < 2.0.1-lmn
    2.0.1 < 2.0.1-xyz
    2.0.1 < 2.0.1-123
    2.0.1-xyz < 2.0.1-123
    0.7 < 2
    0.2 < 1.0.7
    # digits are greater than letters and than non-ASCII digits
    7 > J
    7 > c
    1 > é
    1 > \u0668
    aardvark < zebra
    zebra < ζέβρα
    # MNG-5568: transitivity around an odd qualifier
    6.1.0rc3 < 6.1.0
    6.1.0rc3 < 6.1H.5-beta
    6.1.0 < 6.1H.5-beta
    # MNG-6572: long numbers
    20190126.230843 < 1234567890.12345
    1234567890.12345 < 123456789012345.1H.5-beta
    123456789012345.1H.5-beta < 12345678901234567890.1H.5-beta
    20190126.230843 < 12345678901234567890.1H.5-beta
    # MNG-6964: qualifiers after -0.
    1-0.alpha < 1
    1-0.beta < 1
    1-0.alpha < 1-0.beta
    # MNG-7644: 1.0.0.X1 < 1.0.0-X2 and 2-X = 2.0.X = 2.0.0.X
    1.0.0.RC1 < 1.0.0-RC2
    1.0.0.abc1 < 1.0.0-abc2
    1.0.0.alpha1 < 1.0.0-alpha2
    1.0.0.a1 < 1.0.0-a2
    1.0.0.m1 < 1.0.0-m2
    2-RC = 2.0.RC
    2-abc = 2.0.0.abc
    2-def = 2.0.def
    2.0.beta = 2.0.0.beta
    # MNG-7714: final < sp
    1.0.final-redhat < 1.0-sp1-redhat
    1.0.final-redhat < 1.0-sp-1-redhat
    1.0.final-redhat < 1.0-sp.1-redhat
    # the POM reference's examples
    1-foo2 < 1-foo10
    1.foo = 1-foo
    1-foo < 1-1
    1-1 < 1.1
    1.ga = 1-ga
    1-ga = 1-0
    1-0 = 1.0
    1 = 1.0
    1-sp > 1-ga
    1-sp.1 > 1-ga.1
    # The POM reference still shows 1-sp-1 < 1-ga-1; since MNG-7644 ComparableVersion reads X-1 as X1
    1-sp-1 > 1-ga-1
    1-a1 = 1-alpha-1
    `,
  );

  it('ignores leading zeros, however many', () => {
    expectEqual(maven, [
      ['1', '01', '001', '0001', '0000000000000000001', '000000000000000001'],
      ['0', '00', '000', '0000000000000000000'],
    ]);
  });

  it('sorts real Maven Central versions', () => {
    expectAscending(maven, ['2.9.10', '2.9.10.1', '2.9.10.8', '2.10.0-rc1', '2.10.0', '2.10.1']);
    // Jackson's "pr" is no known qualifier, so Maven puts 2.10.0.pr1 after 2.10.0 (a known wart).
    expectAscending(maven, ['2.10.0', '2.10.0.pr1', '2.10.0.pr3', '2.10.1']);
    expectAscending(maven, ['5.3.0-M1', '5.3.0-RC1', '5.3.0-SNAPSHOT', '5.3.0', '5.3.0.RELEASE-sp1', '5.3.1']);
    expectAscending(maven, ['30.0-android', '30.0-jre', '30.1-android', '30.1-jre', '31.0.1-jre']);
  });

  it('treats Maven-rejected strings as invalid', () => {
    expectValidity(maven, ['1.0', '1.0-SNAPSHOT', '2.10.0.pr1', 'RELEASE', '1.0.0+build'], ['', '1.0 ', '[1.0,2.0)', 'x'.repeat(257)]);
  });

  it('is a total order, also over junk', () => {
    expectTotalOrder(maven, ['1', '1.0', '1-SNAPSHOT', '1-sp', '1-rc1', '1.0.0.RC1', '2-1', '2.0.a', '1-0.alpha', 'abc', '1-ga1', '1-ga2', '1-ga']);
  });
});
