import { describe, expect, it } from 'vitest';
import { bestCvssScore } from '../../../src/intel/severity/best-score.js';
import { cweNumber, normalizeCweId, normalizeCweIds } from '../../../src/intel/severity/cwe.js';

describe('best score of a record', () => {
  it('prefers the highest CVSS version', () => {
    const result = bestCvssScore([
      { type: 'CVSS_V2', score: 'AV:N/AC:M/Au:N/C:C/I:C/A:C' },
      { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N' },
      { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' },
    ]);
    expect(result.best).toMatchObject({ version: '4.0', baseScore: 5.3 });
    expect(result.scored.map((s) => s.version)).toEqual(['4.0', '3.1', '2.0']);
    expect(result.skipped).toEqual([]);
  });

  it('prefers 3.1 over 3.0, and the higher score within one version', () => {
    expect(
      bestCvssScore([
        { score: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' },
        { score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' },
      ]).best,
    ).toMatchObject({ version: '3.1', baseScore: 7.5 });
    expect(
      bestCvssScore([
        { score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' },
        { score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
      ]).best?.baseScore,
    ).toBe(9.8);
  });

  it('skips invalid and non-CVSS entries with the reason, and falls back', () => {
    const result = bestCvssScore([
      { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N' },
      { type: 'Ubuntu', score: 'medium' },
      { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' },
    ]);
    expect(result.best).toMatchObject({ version: '3.1', baseScore: 7.5 });
    expect(result.skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/lacks the base metrics/), 'type Ubuntu is not a CVSS vector']);
    expect(bestCvssScore([]).best).toBeUndefined();
    expect(bestCvssScore(undefined).best).toBeUndefined();
  });
});

describe('CWE ids', () => {
  it.each([
    ['CWE-79', 'CWE-79', 79],
    ['cwe-79', 'CWE-79', 79],
    ['79', 'CWE-79', 79],
    [79, 'CWE-79', 79],
    [' CWE-0022 ', 'CWE-22', 22],
    ['CWE_1321', 'CWE-1321', 1321],
  ])('%j → %s', (input, id, n) => {
    expect(normalizeCweId(input)).toBe(id);
    expect(cweNumber(input)).toBe(n);
  });

  it.each(['NVD-CWE-Other', 'NVD-CWE-noinfo', 'CWE-', 'CWE-0', '', 'seventy-nine', 7.9, -1, null, undefined])('%j is not a CWE id', (input) => {
    expect(normalizeCweId(input as string)).toBeUndefined();
  });

  it('normalizes lists, dropping repeats and noise', () => {
    expect(normalizeCweIds(['CWE-79', '79', 'NVD-CWE-Other', 'CWE-89'])).toEqual(['CWE-79', 'CWE-89']);
  });
});
