/**
 * NVD CVE API 2.0 data written here in the real format (field names, nesting and value forms as
 * the API answers: see ../shared/fixtures/nvd for recorded pages). Ids in the CVE-2099 range are
 * made up; the recorded pages are read from ../shared, never copied.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sharedFile } from '../../helpers/shared.js';

/** A recorded NVD file under ../shared/fixtures/nvd, or undefined (with a notice) when absent. */
export function sharedNvd(relative: string): string | undefined {
  return sharedFile(`fixtures/nvd/${relative}`);
}

export const PAGE_38 = 'api-2.0/page-38-cves.json';
export const PAGE_RAILS = 'api-2.0/page1-rails-CVE-2020-8167-CVE-2021-22903.json';
export const PAGE_V4 = 'api-2.0/page2-CVE-2024-5732-cvss40.json';
export const SINGLE_2011 = 'api-2.0/single-CVE-2011-0022.json';
export const CVE_DJANGO = 'cve/CVE-2021-35042.json';

export interface CveFields {
  lastModified?: string;
  published?: string;
  vulnStatus?: string;
  description?: string;
  v31?: { vector: string; source?: string; type?: 'Primary' | 'Secondary' }[];
  v2?: { vector: string; source?: string; type?: 'Primary' | 'Secondary' }[];
  v40?: { vector: string; source?: string; type?: 'Primary' | 'Secondary' }[];
  cwes?: string[];
  references?: { url: string; source?: string; tags?: string[] }[];
}

/** One `cve` object as the API writes it (cvssData reduced to version, vector and base score). */
export function nvdCve(id: string, fields: CveFields = {}): Record<string, unknown> {
  const metric = (version: string, list: CveFields['v31'] = []) =>
    list.map((m) => ({
      source: m.source ?? 'nvd@nist.gov',
      type: m.type ?? 'Primary',
      cvssData: { version, vectorString: m.vector, baseScore: 0 },
    }));
  const metrics: Record<string, unknown> = {};
  if (fields.v40) metrics.cvssMetricV40 = metric('4.0', fields.v40);
  if (fields.v31) metrics.cvssMetricV31 = metric('3.1', fields.v31);
  if (fields.v2) metrics.cvssMetricV2 = metric('2.0', fields.v2);
  return {
    id,
    sourceIdentifier: 'cve@mitre.org',
    published: fields.published ?? '2099-01-02T10:15:07.653',
    lastModified: fields.lastModified ?? '2099-01-03T03:36:29.017',
    vulnStatus: fields.vulnStatus ?? 'Analyzed',
    cveTags: [],
    descriptions: [
      { lang: 'en', value: fields.description ?? `Description of ${id}.` },
      { lang: 'es', value: `Descripción de ${id}.` },
    ],
    metrics,
    weaknesses: fields.cwes ? [{ source: 'nvd@nist.gov', type: 'Primary', description: fields.cwes.map((value) => ({ lang: 'en', value })) }] : [],
    configurations: [
      {
        nodes: [
          {
            operator: 'OR',
            negate: false,
            cpeMatch: [{ vulnerable: true, criteria: 'cpe:2.3:a:example:example:*:*:*:*:*:*:*:*', versionEndExcluding: '1.0', matchCriteriaId: '00000000-0000-0000-0000-000000000000' }],
          },
        ],
      },
    ],
    references: fields.references ?? [{ url: `https://example.org/${id}`, source: 'cve@mitre.org' }],
  };
}

/** An API response page (or a feed file: the same envelope) holding `cves`. */
export function nvdPage(cves: unknown[], envelope: { startIndex?: number; totalResults?: number; timestamp?: string } = {}): Record<string, unknown> {
  return {
    resultsPerPage: cves.length,
    startIndex: envelope.startIndex ?? 0,
    totalResults: envelope.totalResults ?? cves.length,
    format: 'NVD_CVE',
    version: '2.0',
    timestamp: envelope.timestamp ?? '2099-02-01T00:00:00.000',
    vulnerabilities: cves.map((cve) => ({ cve })),
  };
}

const scratch = mkdtempSync(join(tmpdir(), 'tollgate-nvd-test-'));
let n = 0;

/** Writes text or bytes (gzipped when asked) to a fresh temporary file and returns its path. */
export function tempFile(data: string | Buffer, options: { gzip?: boolean; suffix?: string } = {}): string {
  const path = join(scratch, `${++n}${options.suffix ?? '.json'}`);
  writeFileSync(path, options.gzip ? gzipSync(data) : data);
  return path;
}

export function tempFolder(): string {
  return mkdtempSync(join(scratch, 'dir-'));
}
