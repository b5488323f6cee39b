import { describe, it } from 'vitest';
import { goVersioning as go } from '../../../src/ecosystems/versioning/go.js';
import { expectAscending, expectEqual, expectTotalOrder, expectValidity, itOrders } from './table.js';

// Cases from golang.org/x/mod/semver's documentation and tests, and the Go modules reference
// (go.dev/ref/mod: "Versions", "Pseudo-versions", "Compatibility with non-module repositories").
describe('go (modules)', () => {
  it('orders as x/mod/semver, with shorthands equal to their full form', () => {
    expectAscending(go, [
      'v1.0.0-alpha',
      'v1.0.0-alpha.1',
      'v1.0.0-alpha.beta',
      'v1.0.0-beta',
      'v1.0.0-beta.2',
      'v1.0.0-beta.11',
      'v1.0.0-rc.1',
      'v1.0.0',
      'v1.2.0',
      'v1.2.3-456',
      'v1.2.3-456.789',
      'v1.2.3-456-789',
      'v1.2.3-456a',
      'v1.2.3-pre',
      'v1.2.3-pre.1',
      'v1.2.3-zzz',
      'v1.2.3',
      'v1.10.0',
      'v2.0.0',
    ]);
    expectEqual(go, [
      ['v1', 'v1.0', 'v1.0.0', '1.0.0'],
      ['v1.2', 'v1.2.0'],
      ['v1.2.3-pre', 'v1.2.3-pre+meta'],
      ['v1.2.3', 'v1.2.3+meta', 'v1.2.3+meta-pre', 'v1.2.3+meta-pre.sha.256a', '1.2.3'],
    ]);
  });

  it('orders pseudo-versions between their base and the next tag', () => {
    // vX.0.0-yyyymmddhhmmss-abcdefabcdef: no tag before it
    expectAscending(go, [
      'v0.0.0-20191109021931-daa7c04131f5',
      'v0.0.0-20200101000000-0123456789ab',
      'v0.0.0',
      'v0.0.1',
    ]);
    // vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdefabcdef: after release vX.Y.Z
    expectAscending(go, [
      'v1.2.3',
      'v1.2.4-0.20191109021931-daa7c04131f5',
      'v1.2.4-0.20211231235959-aaaaaaaaaaaa',
      'v1.2.4-alpha',
      'v1.2.4',
    ]);
    // vX.Y.Z-pre.0.yyyymmddhhmmss-abcdefabcdef: after pre-release vX.Y.Z-pre
    expectAscending(go, ['v1.2.3-pre', 'v1.2.3-pre.0.20191109021931-daa7c04131f5', 'v1.2.3-pre.1', 'v1.2.3']);
  });

  itOrders(
    go,
    `
    # +incompatible is build metadata: v2+ tags of repositories without a go.mod
    v2.0.0+incompatible = v2.0.0
    v2.0.0+incompatible > v1.9.9
    v4.1.2+incompatible < v4.1.3-0.20200101000000-abcdefabcdef+incompatible
    v4.1.3-0.20200101000000-abcdefabcdef+incompatible < v4.1.3+incompatible
    # OSV spells Go versions without the v
    1.2.3 = v1.2.3
    0.0.0-20191109021931-daa7c04131f5 < 0.0.0-20200101000000-0123456789ab
    2.14.4 < 2.15.0
    # invalid strings sort before every version
    0 < 0.0.0-20191109021931-daa7c04131f5
    `,
  );

  it('validates as x/mod/semver (v optional, then with three numbers)', () => {
    expectValidity(
      go,
      ['v1', 'v1.2', 'v1.2.3', 'v1.2.3-pre.1+meta', 'v0.0.0-20191109021931-daa7c04131f5', 'v2.0.0+incompatible', '1.2.3', '0.0.0-20191109021931-daa7c04131f5'],
      [
        '',
        'bad',
        'v1-alpha.beta.gamma',
        'v1-pre',
        'v1+meta',
        'v1.2-pre',
        'v1.2+meta',
        'v1.2.3.4',
        'v01.2.3',
        'v1.02.3',
        'v1.2.03',
        'v1.2.3-01',
        'v1.2.3-',
        'v1.2.3+',
        'v1.2.3-a..b',
        'V1.2.3',
        '0',
        '1.2',
        'vv1.2.3',
      ],
    );
  });

  it('is a total order, also over junk', () => {
    expectTotalOrder(go, ['v1', '1.0.0', 'v1.0.0-rc.1', 'v1.0.0+x', 'v0.0.0-20191109021931-daa7c04131f5', 'v2.0.0+incompatible', '0', 'v1-pre']);
  });
});
