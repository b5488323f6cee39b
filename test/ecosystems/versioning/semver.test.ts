import { describe, it } from 'vitest';
import { npmVersioning as npm } from '../../../src/ecosystems/versioning/semver.js';
import { expectAscending, expectEqual, expectTotalOrder, expectValidity, itOrders } from './table.js';

// Cases from the SemVer 2.0.0 specification (§9–§11) and node-semver's documentation.
describe('semver (npm)', () => {
  it('orders releases and pre-releases by SemVer precedence (spec §11)', () => {
    expectAscending(npm, ['1.0.0', '2.0.0', '2.1.0', '2.1.1']);
    expectAscending(npm, [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
    ]);
  });

  itOrders(
    npm,
    `
    1.0.0-alpha.1 < 1.0.0-alpha.-1      # numeric identifiers sort before alphanumeric ones
    1.0.0-Alpha < 1.0.0-alpha           # ASCII order, case-sensitive
    1.0.0-0 < 1.0.0-alpha
    1.0.0-rc.9 < 1.0.0-rc.10
    0.0.0 < 0.0.1
    1.9.9 < 1.10.0
    10.0.0 > 9.99.99
    1.0.0+build.1 = 1.0.0+build.2       # build metadata has no precedence (§10)
    1.0.0-rc.1+build.1 < 1.0.0
    1.0.0-x.7.z.92 > 1.0.0-x.7.z.91
    `,
  );

  it('parses loosely like npm: v prefix, =, spaces, leading zeros, glued pre-release', () => {
    expectEqual(npm, [
      ['1.2.3', 'v1.2.3', '=1.2.3', ' 1.2.3 ', 'v 1.2.3', '01.2.3'],
      ['1.2.3-beta', '1.2.3beta', 'v1.2.3-beta'],
    ]);
  });

  it('validates', () => {
    expectValidity(
      npm,
      ['0.0.0', '1.2.3', 'v1.2.3', '1.2.3-alpha.1+build.5', '1.0.0-x-y-z.--', '1.2.3beta'],
      ['', '1', '1.2', '1.2.3.4', 'latest', '^1.2.3', '1.2.x', '~1.2.3', 'a.b.c', '9007199254740992.0.0'],
    );
  });

  it('is a total order, also over junk', () => {
    expectTotalOrder(npm, ['1.0.0', 'v1.0.0', '1.0.0-rc.1', '1.0.0+b', '1.0.0-0', '2.0.0', '1.2', 'latest', '1.2.3beta']);
  });
});
