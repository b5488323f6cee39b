import { describe, expect, it } from 'vitest';
import { dpkgVersioning as dpkg } from '../../../src/ecosystems/versioning/dpkg.js';
import { expectAscending, expectEqual, expectTotalOrder, expectValidity, itOrders } from './table.js';

// Cases from deb-version(7), Debian Policy §5.6.12 and dpkg's own version tests.
describe('dpkg (Debian, Ubuntu)', () => {
  it('sorts ~ before everything, even the end of the part (Policy: ~~ < ~~a < ~ < "" < a)', () => {
    expectAscending(dpkg, ['1.0~~', '1.0~~a', '1.0~', '1.0', '1.0a']);
    expectAscending(dpkg, ['1.2.3~rc1', '1.2.3~rc2', '1.2.3', '1.2.3+dfsg', '1.2.3.1']);
  });

  itOrders(
    dpkg,
    `
    # epochs
    1:0.1 > 2.0
    0:1.0 = 1.0
    1:1.0 < 2:0.1
    10:1 > 9:1
    # digits compare as numbers, leading zeros ignored
    1.10 > 1.9
    1.001 = 1.1
    1.0 = 1.00
    0:0-0-0 = 0-0-0
    # letters sort before non-letters
    1.0a < 1.0+
    1.0a < 1.0.
    1.0z < 1.0+
    1.0A < 1.0a
    1.0+b1 > 1.0
    7.6p1-4 > 7.6-4
    # revisions
    1.0-1 < 1.0-2
    1.0-9 < 1.0-10
    1.0 = 1.0-0
    1.2.3-1 < 1.2.3-1.1
    1.2.3~rc1-1 < 1.2.3-1
    2.30-1 < 2.30-1ubuntu1
    2.30-1ubuntu1 < 2.30-2
    1.0-1~bpo1 < 1.0-1
    1.0-1 < 1.0-1+deb12u1
    1.0-1+deb12u1 < 1.0-1+deb12u2
    # the last hyphen splits the revision
    1.0-2-1 > 1.0-1-9
    # real Debian and Ubuntu security fixes
    1.1.1n-0+deb11u4 < 1.1.1n-0+deb11u5
    2.7.4-0ubuntu1.6 < 2.7.4-0ubuntu1.10
    1:2.3.4-1ubuntu0.1 < 1:2.3.4-1ubuntu0.2
    3.0.2-0ubuntu1.10 < 3.0.2-0ubuntu1.12
    2.36.1-8+deb11u1 > 2.36.1-8
    1:9.16.44-1~deb11u1 < 1:9.16.48-0+deb11u1
    `,
  );

  it('validates like dpkg: errors and warnings both make a version invalid', () => {
    expectValidity(
      dpkg,
      ['1.0', '1:1.0-1', '2.30-1ubuntu1', '1.0~rc1+dfsg-1~bpo11+1', '0:0-0-0', '1:1.2:3-1'],
      ['', ' ', '1:', ':1.0', 'a:1.0', '-1:1.0', '1.0-', '1 0', '-1', '1:-1', '99999999999:1.0', 'a1.0', '1.0_1', '1.0-a_b', '1.0-1:2', '1.2.3:4-1'],
    );
  });

  it('still orders what dpkg only warns about, as dpkg --compare-versions does', () => {
    expect(dpkg.compare('a1.0', '1.0')).toBeGreaterThan(0);
    expect(dpkg.compare('1.0_1', '1.0')).toBeGreaterThan(0);
    expectEqual(dpkg, [[' 1.0 ', '1.0', '0:1.0']]);
  });

  it('is a total order, also over junk', () => {
    expectTotalOrder(dpkg, ['1.0', '1.0~', '1.0~~', '1:0', '1.0-1', '1.0-0', '1.0a', '1.0+', 'a1.0', '1.0_1', '1:', ':1']);
  });
});
