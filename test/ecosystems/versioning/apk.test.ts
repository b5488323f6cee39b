import { describe, expect, it } from 'vitest';
import { apkVersioning as apk } from '../../../src/ecosystems/versioning/apk.js';
import { expectAscending, expectTotalOrder, expectValidity, itOrders } from './table.js';

// Cases from apk-tools' own version test data (test/version.data, test/unit/version.data) and the
// version format in apk-package(5).
describe('apk (Alpine)', () => {
  itOrders(
    apk,
    `
    2.34 > 0.1.0_alpha
    23_foo > 4_beta
    1.0 < 1.0bc                 # malformed tail: still ordered, below the well-formed prefix
    0.1.0_alpha = 0.1.0_alpha
    0.1.0_alpha < 0.1.3_alpha
    0.1.0_alpha2 > 0.1.0_alpha
    0.1.0_alpha < 2.2.39-r1
    1.0.4-r3 < 1.0.4-r4
    1.0.1 < 1.1
    1.1 > 1.1_alpha1
    1.2.1 > 1.2
    1.2 < 1.3_alpha
    1.3_alpha < 1.3_alpha2
    1.3_alpha2 < 1.3_alpha3
    0.7.0 < 0.8_beta1
    0.8_beta1 < 0.8_beta2
    0.8_beta4 < 4.8-r1
    3.10.18-r1 > 2.3.0b-r1
    2.3.0b-r1 < 2.3.0b-r2
    0.12.3 > 0.12
    0.12 < 0.13_beta1
    1.2.11 < 1.2.12.1
    1.2.12.1 < 1.2.13
    0.2.0-r1 < 3.1_p16
    3.1_p16 < 3.1_p17
    3.1_p17 > 1.06-r6
    1.06-r6 < 006
    006 > 1.0.0
    1.2.2-r1 > 1.2.2
    9.3.4-r2 > 9.3.4
    2.59 < 20050718-r1
    3.9.8-r5 > 2.01.01_alpha10
    1.0 > 0.99.3.20040818
    1.39 > 1.00_beta2
    1.02 < 1.03-r1
    1.02.07 < 1.02.10-r1
    4.2.52_p2-r1 < 4.2.52_p4-r2
    2.18.3-r10 > 1.05-r18
    1.05-r18 < 1.05-r19
    1.0.0 < 10-r1
    20060720 > 3.0.20060720
    2.1.9.200602141850 > 1.6
    2.5.1-r8 < 2.5.1a-r1
    1.3.5-r10 > 1.3.5-r8
    20040401 > 2.0.0_rc3-r1
    3.0.0-r2 < 021109-r3
    0.9.16-r1 < 3.9_pre20060124
    0.01 < 0.06
    1.1.7 < 6b-r7
    0.10.0 < 0.10.1_rc1
    1.1a < 1.3a
    1.0-r1 > 0.15.1b
    0.15.1b-r2 > 0.15.1b
    22.7-r1 < 22.7.3-r1
    2.1_pre20 < 2.1_pre26
    2.10.1 > 02.08.01b
    3.81 > 1.6d
    1.6d > 1.2.07.8
    1.2.07.8 < 1.2.12.04
    1.2.12.04 < 1.2.12.05
    1.07-r1 < 1.07.5
    0.1_pre20060810 < 0.1_pre20060817
    0.59s-r11 < 0.65
    0.20070118 < 0.20070207_rc1
    0.20070207_rc1 < 1.0
    2.3.30-r2 < 3.7_p1
    4.5_p1-r1 > 4.5_p1
    0.9.8c-r1 < 0.9.8d
    2.2.3-r2 < 013
    013 < 014-r1
    1.7 < 1.7b
    1.8.5 < 1.8.5_p2
    0.98 < 1.00
    2.9.11_pre20051101-r3 > 2.9.11_pre20051101
    1.6.8_p12-r1 > 1.6.8_p9-r2
    0.9.28-r2 < 0.9.28.1
    0.9.28.1 < 087-r1
    104-r11 > 104-r9
    20040406-r1 > 2.12r-r4
    2.12r-r4 < 2.12r-r5
    7.0.17 < 7.0.174
    1.3-r0 < 1.3.1-r0
    1.3_pre1-r1 < 1.3.2
    1.0_p10-r0 > 1.0_p9-r0
    0.1.0_alpha_pre2 < 0.1.0_alpha
    1.0.0_pre20191002222144-r0 < 1.0.0_pre20210530193627-r0
    6.0_pre1 < 6.0
    6.0_p1 > 6.0
    8.2.0 < 8.2.001
    8.2.0015 < 8.2.002
    1.0~1234 < 1.0~2345
    1.0~1234-r1 < 1.0~2345-r0
    1.0~1234-r1 > 1.0~1234-r0
    `,
  );

  it('orders suffixes around the release: alpha < beta < pre < rc < (none) < cvs < svn < git < hg < p', () => {
    expectAscending(apk, [
      '1.2_alpha',
      '1.2_beta',
      '1.2_pre',
      '1.2_rc',
      '1.2',
      '1.2_cvs',
      '1.2_svn',
      '1.2_git',
      '1.2_hg',
      '1.2_p',
      '1.2_p1',
      '1.2a',
      '1.2b',
      '1.2.1',
    ]);
    expectAscending(apk, ['1.2', '1.2-r0', '1.2-r1', '1.2-r10', '1.2_p1-r0']);
  });

  it('validates as apk does', () => {
    expectValidity(
      apk,
      ['1.2', '0.1_pre2', '0.1_pre2~1234abcd', '0.1_p1_pre2', '0.1_alpha1_pre2', '0.1_git20240101_pre1', '1.2.3a_rc1-r4'],
      [
        '',
        '0.1bc',
        '0.1bc1',
        '0.1a1',
        '0.1a.1',
        '0.1_pre2~',
        '0.1_pre2~1234xbcd',
        '0.1_pre2~1234abcd_pre1',
        '0.1_pre2-r1~1234xbcd',
        '0.1_foobar',
        '0.1_foobar1',
        '0.1-pre1.1',
        '0.1-r',
        '0.1-r2_pre1',
        '0.1-r2_p3_pre1',
        '0.1-r2-r3',
        '0.1-r2.1',
        '.1',
        'a',
        '_pre1',
        '-r1',
        '0.1_',
        '0.1_-r0',
        '0.1__alpha',
        '0.1_1_alpha',
        '1.2A',
      ],
    );
  });

  it('keeps malformed versions in a total order', () => {
    expect(apk.compare('1.0bc', '1.0bd')).toBeLessThan(0);
    expectTotalOrder(apk, ['1.0', '1.0bc', '1.0bd', '1.0-r1', '1.0_rc1', '1.0_p1', '1.0~ab', '1.0a', '01.0', '1.00', '1.0.0', '1-x', '23_foo']);
  });
});
