import { describe, expect, it } from 'vitest';
import { AdvisoryIndex } from '../../../src/intel/advisories/advisory-index.js';
import { type Advisory, recordRating, toAdvisory } from '../../../src/intel/advisories/osv.js';
import { resolveScore } from '../../../src/intel/severity/resolve-score.js';
import { osvRecord } from './helpers.js';

/**
 * What the index keeps to score a finding: each severity entry with its record, and the records'
 * qualitative ratings. Records are hand-written in the real formats of their databases.
 */
const V31_98 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

describe('the qualitative rating a record gives', () => {
  it.each([
    ['GitHub: database_specific.severity', { database_specific: { cwe_ids: [], github_reviewed: true, severity: 'MODERATE' } }, 'MODERATE'],
    ['Bitnami: database_specific.severity', { database_specific: { cpes: ['cpe:2.3:a:x:y:*:*:*:*:*:*:*:*'], severity: 'Critical' } }, 'CRITICAL'],
    ['OSS-Fuzz: affected[].ecosystem_specific.severity', { affected: [{ package: { ecosystem: 'OSS-Fuzz', name: 'lib' }, ecosystem_specific: { severity: 'HIGH' } }] }, 'HIGH'],
    ['Ubuntu severity entries', { severity: [{ type: 'Ubuntu', score: 'medium' }], affected: [{ severity: [{ type: 'Ubuntu', score: 'high' }] }] }, 'HIGH'],
    ['the highest of several', { database_specific: { severity: 'LOW' }, affected: [{ database_specific: { severity: 'CRITICAL' } }] }, 'CRITICAL'],
    ['none: the Go database', { database_specific: { url: 'https://pkg.go.dev/vuln/GO-2022-0969', review_status: 'REVIEWED' } }, undefined],
    ['none: a word that rates nothing', { database_specific: { severity: 'UNKNOWN' }, severity: [{ type: 'Ubuntu', score: 'untriaged' }] }, undefined],
    ['none: a CVSS vector is not a rating', { severity: [{ type: 'CVSS_V3', score: V31_98 }] }, undefined],
  ])('%s', (_name, fields, expected) => {
    expect(recordRating(osvRecord('X-1', fields as never))).toBe(expected);
  });

  it('is kept on the parsed record', () => {
    const parsed = toAdvisory(osvRecord('GHSA-aaaa-bbbb-cccc', { database_specific: { severity: 'HIGH' } }));
    expect(parsed.ok && parsed.advisory.rating).toBe('HIGH');
  });
});

function parse(record: ReturnType<typeof osvRecord>): Advisory {
  const parsed = toAdvisory(record);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.advisory;
}

const PKG = { ecosystem: 'PyPI', name: 'django' };
// PYSEC names the versions its way, without severity; GHSA carries the vector and a rating; GO adds nothing.
const pysec = osvRecord('PYSEC-2021-98', {
  aliases: ['CVE-2021-33203', 'GHSA-68w8-qjq3-2gfm'],
  affected: [{ package: PKG, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '3.2' }, { fixed: '3.2.4' }] }] }],
});
const ghsa = osvRecord('GHSA-68w8-qjq3-2gfm', {
  aliases: ['CVE-2021-33203'],
  severity: [{ type: 'CVSS_V3', score: V31_98 }],
  database_specific: { severity: 'MODERATE' },
  affected: [{ package: PKG, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '3.2.1' }, { fixed: '3.2.4' }] }] }],
});

describe('the index’s scoring data', () => {
  const index = AdvisoryIndex.fromAdvisories([parse(pysec), parse(ghsa)], {
    nvd: new Map([['CVE-2021-33203', [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:N/A:N', cve: 'CVE-2021-33203', source: 'nvd@nist.gov', primary: true }]]]),
  });

  it('names each severity entry’s record and each record’s rating, and NVD’s entries of the group’s CVE', () => {
    const [[finding]] = index.match([{ ...PKG, version: '3.2.0' }]);
    expect(finding.vulnerability.id).toBe('CVE-2021-33203');
    expect(finding.matchedBy).toEqual(['PYSEC-2021-98']);
    expect(finding.vulnerability.scoring.severities).toEqual([{ type: 'CVSS_V3', score: V31_98, record: 'GHSA-68w8-qjq3-2gfm' }]);
    expect(finding.vulnerability.scoring.ratings).toEqual([{ rating: 'MODERATE', record: 'GHSA-68w8-qjq3-2gfm' }]);
    // The GHSA record's vector comes first: NVD's (the third tier) is not kept for this group.
    expect(finding.vulnerability.scoring.nvd).toBeUndefined();
    expect(finding.vulnerability.severity).toEqual([{ type: 'CVSS_V3', score: V31_98 }]);
  });

  it('keeps NVD’s vectors of a group no record scores, and a finding then scores by NVD', () => {
    const NVD_V31 = 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:N/A:N';
    const unscored = AdvisoryIndex.fromAdvisories([parse(pysec)], {
      nvd: new Map([['CVE-2021-33203', [{ type: 'CVSS_V3', score: NVD_V31, cve: 'CVE-2021-33203', source: 'nvd@nist.gov', primary: true }]]]),
    });
    const [[finding]] = unscored.match([{ ...PKG, version: '3.2.0' }]);
    expect(finding.vulnerability.scoring.nvd?.map((n) => n.cve)).toEqual(['CVE-2021-33203']);
    expect(resolveScore({ ...finding.vulnerability.scoring, matchedBy: finding.matchedBy })).toMatchObject({ kind: 'nvd', source: 'nvd:CVE-2021-33203', score: 4.9 });
  });

  it('a PYSEC match without severity borrows the GHSA vector; a GHSA match scores by its own', () => {
    const [[byPysec], [byBoth]] = index.match([
      { ...PKG, version: '3.2.0' },
      { ...PKG, version: '3.2.2' },
    ]);
    expect(resolveScore({ ...byPysec.vulnerability.scoring, matchedBy: byPysec.matchedBy })).toMatchObject({ kind: 'alias', source: 'alias:GHSA-68w8-qjq3-2gfm', score: 9.8 });
    expect(byBoth.matchedBy.sort()).toEqual(['GHSA-68w8-qjq3-2gfm', 'PYSEC-2021-98']);
    expect(resolveScore({ ...byBoth.vulnerability.scoring, matchedBy: byBoth.matchedBy })).toMatchObject({ kind: 'osv', source: 'osv:GHSA-68w8-qjq3-2gfm', score: 9.8 });
  });
});
