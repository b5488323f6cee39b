import { describe, expect, it } from 'vitest';
import { CvssError, scoreCvss, tryScoreCvss } from '../../../src/intel/severity/cvss.js';
import { threatCategory } from '../../../src/intel/severity/threat-category.js';

describe('CVSS scoring', () => {
  // Scores published by NVD for well-known CVEs, and FIRST's specification examples.
  it.each([
    // CVE-2021-44228 (Log4Shell), NVD v3.1 and v2
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', '3.1', 10.0],
    ['AV:N/AC:M/Au:N/C:C/I:C/A:C', '2.0', 9.3],
    // CVE-2014-0160 (Heartbleed), NVD v3.x and v2 (NVD's parenthesised v2 form)
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', '3.1', 7.5],
    ['(AV:N/AC:L/Au:N/C:P/I:N/A:N)', '2.0', 5.0],
    // CVE-2014-6271 (Shellshock), FIRST v3.1 examples
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', '3.1', 9.8],
    // CVE-2013-1937 (phpMyAdmin reflected XSS), FIRST v3.1 examples
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', '3.1', 6.1],
    // CVE-2013-0375 (MySQL), FIRST v3.0 examples
    ['CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', '3.0', 6.4],
    // CVE-2017-5638 (Struts 2), NVD v3.0 and v2
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', '3.0', 10.0],
    ['AV:N/AC:L/Au:N/C:C/I:C/A:C', '2.0', 10.0],
    // CVSS v4.0, FIRST calculator values
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H', '4.0', 10.0],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', '4.0', 9.3],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:H/SI:H/SA:H', '4.0', 7.9],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N', '4.0', 6.9],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', '4.0', 0.0],
    // CVE-2024-7657, NVD v4.0
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N', '4.0', 5.3],
  ])('%s scores %s / %d', (vector, version, base) => {
    const result = scoreCvss(vector);
    expect(result.version).toBe(version);
    expect(result.baseScore).toBe(base);
  });

  it('scores temporal, threat and environmental metrics beside the base score', () => {
    // v3.1: 9.8 × E:U 0.91 × RL:O 0.95 = 8.47 → 8.5
    expect(scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:C')).toMatchObject({ baseScore: 9.8, score: 8.5 });
    // v4.0 CVSS-BT and CVSS-BE (FIRST calculator)
    expect(scoreCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U')).toMatchObject({ baseScore: 10, score: 9.1 });
    expect(scoreCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/MVI:L/MSA:S')).toMatchObject({ baseScore: 10, score: 9.8 });
    expect(scoreCvss('CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P')).toMatchObject({ version: '2.0', baseScore: 7.5 });
  });

  it.each([
    ['', /empty/],
    ['garbage', /not a CVSS vector/],
    ['XY:Z/AC:L', /CVSS 2.0 has no metric "XY"/],
    ['CVSS:3.1/AV:N/AC:L', /lacks the base metrics PR, UI, S, C, I, A/],
    ['CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /"Q" is not a value of CVSS 3.1 metric AV/],
    ['CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /AV appears twice/],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y', /no metric "XX"/],
    ['CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', /lacks the base metric AT/],
    ['CVSS:5.0/AV:N', /version 5.0/],
    ['CVSS:3.1/', /not METRIC:VALUE/],
    ['CVSS:3.1', /prefix but no metrics/],
    ['AV:N/AC:L/Au:N/C:P/I:P', /lacks the base metric A\b/],
  ])('rejects %j with a clear error', (vector, message) => {
    expect(() => scoreCvss(vector)).toThrow(CvssError);
    expect(() => scoreCvss(vector)).toThrow(message);
    expect(tryScoreCvss(vector)).toBeUndefined();
  });

  it('never crashes on values that are not strings', () => {
    expect(tryScoreCvss(undefined)).toBeUndefined();
    expect(tryScoreCvss(null)).toBeUndefined();
    expect(() => scoreCvss(42 as unknown as string)).toThrow(CvssError);
  });
});

describe('threat categories', () => {
  it.each([
    [10, 'critical'],
    [9, 'critical'],
    [8.9, 'severe'],
    [7, 'severe'],
    [6.9, 'moderate'],
    [4, 'moderate'],
    [3.9, 'low'],
    [0.1, 'low'],
    [0, 'none'],
  ])('%d is %s', (score, category) => {
    expect(threatCategory(score)).toBe(category);
  });

  it('rejects scores off the scale and gives whole threat levels', () => {
    expect(() => threatCategory(11)).toThrow(RangeError);
    expect(() => threatCategory(Number.NaN)).toThrow(RangeError);
  });
});
