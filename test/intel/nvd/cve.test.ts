import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCve } from '../../../src/intel/nvd/cve.js';
import { scoreCvss } from '../../../src/intel/severity/cvss.js';
import { CVE_DJANGO, PAGE_38, PAGE_RAILS, PAGE_V4, SINGLE_2011, nvdCve, sharedNvd } from './helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: recorded JSON read freely; the parser under test checks its shape.
type Json = Record<string, any>;

/** The `cve` objects of a recorded file (a page, or a single CVE object); undefined when ../shared is absent. */
function recorded(relative: string): Json[] | undefined {
  const path = sharedNvd(relative);
  if (!path) return undefined;
  const doc = JSON.parse(readFileSync(path, 'utf8')) as Json;
  return doc.vulnerabilities ? doc.vulnerabilities.map((v: Json) => v.cve) : [doc];
}

function parsed(relative: string, id: string) {
  const cve = recorded(relative)?.find((c) => c.id === id);
  if (!cve) return undefined;
  const result = parseCve(cve);
  if (!result.ok) throw new Error(result.reason);
  return result.cve;
}

describe('reading NVD CVE API 2.0 records', () => {
  it('keeps every CVSS vector with its assessor, newest version first, NVD before the CNA (CVE-2024-5732: v4.0, v3.1, v2)', (t) => {
    const cve = parsed(PAGE_V4, 'CVE-2024-5732');
    if (!cve) return t.skip();
    expect(cve.severity).toEqual([
      {
        type: 'CVSS_V4',
        score:
          'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N/E:X/CR:X/IR:X/AR:X/MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X/S:X/AU:X/R:X/V:X/RE:X/U:X',
        source: 'cna@vuldb.com',
        primary: false,
      },
      { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', source: 'nvd@nist.gov', primary: true },
      { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L', source: 'cna@vuldb.com', primary: false },
      { type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:P/I:P/A:P', source: 'cna@vuldb.com', primary: false },
    ]);
    expect(cve).toMatchObject({
      id: 'CVE-2024-5732',
      status: 'Analyzed',
      published: '2024-06-07T10:15:12.293000000Z',
      lastModified: '2024-06-11T17:57:13.767000000Z',
      cweIds: ['CWE-287'],
    });
    expect(cve.description).toMatch(/^A vulnerability was found in Clash up to 0\.20\.1 on Windows\./);
    expect(cve.references[0]).toEqual({
      url: 'https://github.com/GTA12138/vul/blob/main/clash%20for%20windows.md',
      source: 'cna@vuldb.com',
      tags: ['Exploit', 'Third Party Advisory'],
    });
  });

  it('reads a single CVE object (CVE-2021-35042): CWE-89, v3.1 and v2 vectors, references with and without tags', (t) => {
    const cve = parsed(CVE_DJANGO, 'CVE-2021-35042');
    if (!cve) return t.skip();
    expect(cve.cweIds).toEqual(['CWE-89']);
    expect(cve.severity.map((s) => [s.type, s.score, s.primary])).toEqual([
      ['CVSS_V3', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', true],
      ['CVSS_V2', 'AV:N/AC:L/Au:N/C:P/I:P/A:P', true],
    ]);
    expect(cve.description).toBe(
      'Django 3.1.x before 3.1.13 and 3.2.x before 3.2.5 allows QuerySet.order_by SQL injection if order_by is untrusted input from a client of a web application.',
    );
    expect(cve.references).toContainEqual({ url: 'https://docs.djangoproject.com/en/3.2/releases/security/', source: 'cve@mitre.org', tags: ['Patch', 'Vendor Advisory'] });
    expect(cve.references).toContainEqual({ url: 'https://groups.google.com/forum/#%21forum/django-announce', source: 'cve@mitre.org' });
    expect(cve.references).toHaveLength(6);
  });

  it('keeps CWE-n ids only, once each: NVD-CWE-noinfo and NVD-CWE-Other are left out', (t) => {
    const page = recorded(PAGE_38);
    if (!page) return t.skip();
    const byId = new Map(page.map((c) => [c.id, parseCve(c)]));
    const cwes = (id: string) => {
      const r = byId.get(id)!;
      return r.ok ? r.cve.cweIds : undefined;
    };
    expect(cwes('CVE-2023-27314')).toEqual(['CWE-400']); // NVD-CWE-noinfo, CWE-400
    expect(cwes('CVE-2022-22377')).toEqual(['CWE-311']); // listed by NVD and by IBM
    expect(cwes('CVE-2023-22068')).toEqual([]); // NVD-CWE-noinfo alone
    expect(cwes('CVE-2023-43250')).toEqual([]); // no weaknesses yet (Awaiting Analysis)
    expect(parseCve(nvdCve('CVE-2099-0001', { cwes: ['NVD-CWE-Other', 'CWE-79', 'cwe-79', 'CWE-352'] }))).toMatchObject({ cve: { cweIds: ['CWE-79', 'CWE-352'] } });
    const awaiting = byId.get('CVE-2023-43250')!;
    expect(awaiting.ok && awaiting.cve.severity).toEqual([]);
  });

  it('every vector in the recorded pages scores as NVD scored it, v2 vectors as NVD writes them included', (t) => {
    const files = [PAGE_38, PAGE_RAILS, PAGE_V4, SINGLE_2011, CVE_DJANGO].map(recorded);
    if (files.some((f) => !f)) return t.skip();
    let checked = 0;
    const versions = new Set<string>();
    for (const cve of files.flat() as Json[]) {
      const result = parseCve(cve);
      expect(result.ok, cve.id).toBe(true);
      if (!result.ok) continue;
      expect(result.invalidVectors).toEqual([]);
      const published = Object.values(cve.metrics ?? {}).flat() as Json[];
      expect(result.cve.severity).toHaveLength(new Set(published.map((m) => `${m.source} ${m.cvssData.vectorString}`)).size);
      for (const m of published) {
        const score = scoreCvss(m.cvssData.vectorString);
        expect(score.baseScore, `${cve.id} ${m.cvssData.vectorString}`).toBe(m.cvssData.baseScore);
        versions.add(score.version);
        checked++;
      }
    }
    expect([...versions].sort()).toEqual(['2.0', '3.1', '4.0']);
    expect(checked).toBe(59);
  });

  it('a Rejected CVE keeps its status, reason and references but never any severity or CWE id', () => {
    const vectors = { v31: [{ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }], cwes: ['CWE-79'] };
    const now = parseCve(
      nvdCve('CVE-2099-0002', { ...vectors, vulnStatus: 'Rejected', description: 'Rejected reason: This CVE ID has been rejected or withdrawn by its CVE Numbering Authority.' }),
    );
    expect(now).toMatchObject({ ok: true, cve: { status: 'Rejected', severity: [], cweIds: [], description: expect.stringMatching(/^Rejected reason:/) } });
    expect(now.ok && now.cve.references).toEqual([{ url: 'https://example.org/CVE-2099-0002', source: 'cve@mitre.org' }]);
    // Older records said so in the description only.
    const old = parseCve(nvdCve('CVE-2099-0003', { ...vectors, vulnStatus: 'Modified', description: '** REJECT ** DO NOT USE THIS CANDIDATE NUMBER. ConsultIDs: CVE-2099-0004.' }));
    expect(old).toMatchObject({ ok: true, cve: { status: 'Rejected', severity: [] } });
  });

  it('refuses records without a CVE id or lastModified, and leaves out vectors that are not CVSS, naming them', () => {
    expect(parseCve({ ...nvdCve('CVE-2099-0005'), id: undefined })).toEqual({ ok: false, reason: '"id" is missing' });
    expect(parseCve(nvdCve('GHSA-aaaa-bbbb-cccc'))).toEqual({ ok: false, id: 'GHSA-AAAA-BBBB-CCCC', reason: '"id" is not a CVE id (CVE-YYYY-NNNN)' });
    expect(parseCve({ ...nvdCve('CVE-2099-0005'), lastModified: 'yesterday' })).toEqual({ ok: false, id: 'CVE-2099-0005', reason: '"lastModified" is missing or not a time' });
    expect(parseCve('CVE-2099-0005')).toEqual({ ok: false, reason: 'not a JSON object' });
    const bad = parseCve(nvdCve('cve-2099-0006', { v31: [{ vector: 'CVSS:3.1/AV:N/AC:L' }, { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' }] }));
    expect(bad.ok && bad.cve.id).toBe('CVE-2099-0006');
    expect(bad.ok && bad.cve.severity.map((s) => s.score)).toEqual(['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N']);
    expect(bad.ok && bad.invalidVectors).toEqual([{ id: 'CVE-2099-0006', vector: 'CVSS:3.1/AV:N/AC:L', reason: expect.stringMatching(/lacks the base metrics PR/) }]);
  });
});
