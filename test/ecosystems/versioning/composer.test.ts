import { describe, expect, it } from 'vitest';
import { composerVersioning as composer, normalizeComposerVersion } from '../../../src/ecosystems/versioning/composer.js';
import { expectAscending, expectEqual, expectTotalOrder, expectValidity, itOrders } from './table.js';

// Cases from Composer's documentation ("Versions and constraints": stabilities, branches) and
// composer/semver's VersionParser normalisation and Comparator behaviour.
describe('composer (Packagist)', () => {
  it.each([
    ['1.0.0', '1.0.0.0'],
    ['1.2.3.4', '1.2.3.4'],
    ['1.0.0RC1dev', '1.0.0.0-RC1-dev'],
    ['1.0.0-rC15-dev', '1.0.0.0-RC15-dev'],
    ['1.0.0.RC.15-dev', '1.0.0.0-RC15-dev'],
    ['1.0.0-rc1', '1.0.0.0-RC1'],
    ['1.0.0.pl3-dev', '1.0.0.0-patch3-dev'],
    ['1.0-dev', '1.0.0.0-dev'],
    ['0', '0.0.0.0'],
    ['10.4.13-beta', '10.4.13.0-beta'],
    ['10.4.13beta2', '10.4.13.0-beta2'],
    ['10.4.13beta.2', '10.4.13.0-beta2'],
    ['v1.13.11-beta.0', '1.13.11.0-beta0'],
    ['10.4.13-b5', '10.4.13.0-beta5'],
    ['1.0.0-a1', '1.0.0.0-alpha1'],
    ['1.0.0-p1', '1.0.0.0-patch1'],
    ['v1.0.0', '1.0.0.0'],
    ['2010.01', '2010.01.0.0'],
    ['2010.01.02', '2010.01.02.0'],
    ['v20100102', '20100102'],
    ['2010-01-02', '2010.01.02'],
    ['2010-01-02.5', '2010.01.02.5'],
    ['20100102-203040', '20100102.203040'],
    ['20100102.x-dev', '20100102.9999999.9999999.9999999-dev'],
    ['20100102-203040-p1', '20100102.203040-patch1'],
    ['201903.0-p2', '201903.0-patch2'],
    ['1.x-dev', '1.9999999.9999999.9999999-dev'],
    ['2.1.*-dev', '2.1.9999999.9999999-dev'],
    ['dev-master', 'dev-master'],
    ['master', 'dev-master'],
    ['DEV-FOOBAR', 'dev-FOOBAR'],
    ['dev-master as 1.0.0', 'dev-master'],
    ['1.0.0+foo@dev', '1.0.0.0'],
    ['1.0.0-beta.5+foo', '1.0.0.0-beta5'],
    ['1.0.0-alpha.3.1+foo', '1.0.0.0-alpha3.1'],
    ['1.0.0-alpha-2.1-3+foo', '1.0.0.0-alpha2.1-3'],
    ['1.0.0+foo as 2.0', '1.0.0.0'],
    ['00.01.03.04', '00.01.03.04'],
    ['0700', '0700.0.0.0'],
    [' 1.0.0 ', '1.0.0.0'],
    ['1.0.0-stable', '1.0.0.0'],
  ])('normalizes %s to %s', (input, normalized) => {
    expect(normalizeComposerVersion(input)).toBe(normalized);
  });

  it.each(['', 'a', '1.0.0-meh', '1.0.0.0.0', 'feature-foo', '1.0.0+foo bar', '1.0.1-SNAPSHOT', '1.0.0<1.0.5-dev', '1.0 .2', '^1', '~1', '1.*', '20100102.0.3.4'])(
    'rejects %j as Composer does',
    (input) => {
      expect(normalizeComposerVersion(input)).toBeNull();
      expect(composer.isValid(input)).toBe(false);
    },
  );

  it('orders stabilities dev < alpha < beta < RC < stable < patch', () => {
    expectAscending(composer, [
      '1.0.0-dev',
      '1.0.0-alpha',
      '1.0.0-alpha1',
      '1.0.0-alpha2',
      '1.0.0-beta1-dev',
      '1.0.0-beta1',
      '1.0.0-beta2',
      '1.0.0-beta10',
      '1.0.0-RC1',
      '1.0.0',
      '1.0.0-p1',
      '1.0.0-patch2',
      '1.0.0.1',
      '1.0.1',
    ]);
  });

  it('treats spellings of one version as equal', () => {
    expectEqual(composer, [
      ['1', '1.0', '1.0.0', '1.0.0.0', 'v1.0.0', 'V1.0.0', '1.0.0+build', '1.0.0-stable'],
      ['1.0.0-rc1', '1.0.0-RC1', '1.0.0RC1', '1.0.0.rc.1'],
      ['1.0.0-b2', '1.0.0-beta2', '1.0.0beta.2'],
      ['1.0.0-pl1', '1.0.0-p1', '1.0.0-patch1'],
    ]);
  });

  itOrders(
    composer,
    `
    1.x-dev > 1.99.99
    2.0.x-dev > 2.0.99
    2.0.x-dev < 2.1.0
    2010-01-02 > 1.0.0
    v2.7.7 < 2.8.0-RC1
    2.8.0-RC1 < 2.8.0
    v10.48.29 < v11.0.0-beta1
    v11.0.0-beta1 < v11.0.0
    # named branches compare with nothing in Composer: invalid, before every version
    dev-main < 0.0.1-dev
    `,
  );

  it('validates', () => {
    expectValidity(composer, ['1.0.0', 'v2.3', '1.0.0-beta.5+foo', '2010-01-02', '1.x-dev', '3.4.5.6-p1'], ['dev-main', 'master', '', 'latest']);
  });

  it('is a total order, also over junk', () => {
    expectTotalOrder(composer, ['1', '1.0.0-dev', '1.0.0-alpha', '1.0.0-RC1', '1.0.0-p1', '1.x-dev', 'dev-main', '2010-01-02', 'v1.0.0', '1.0.0.0.0']);
  });
});
