import type { Sbom } from './model.js';

/**
 * What the SBOM writers (cyclonedx/write.ts, spdx/write.ts) take besides the Sbom model: what
 * Tollgate knows about the components' vulnerabilities, and its VEX analysis of them.
 */

export interface ExportRating {
  score?: number;
  /** CVSS vector, e.g. `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`; the method is taken from it. */
  vector?: string;
  /** critical | high | medium | low | info | none | unknown (any case). */
  severity?: string;
  /** Who rated it (e.g. NVD); default: the vulnerability's source. */
  source?: { name?: string; url?: string };
  /** `other` for a score that is not a CVSS vector's (a qualitative rating's); default: the vector's CVSS version. */
  method?: 'other';
  /** How the rating was arrived at, in words (CycloneDX's rating justification; SPDX's external reference comment). */
  justification?: string;
}

/** VEX: what is known about the vulnerability in this product (CycloneDX analysis). */
export interface ExportAnalysis {
  /** resolved | resolved_with_pedigree | exploitable | in_triage | false_positive | not_affected */
  state?: string;
  /** code_not_present | code_not_reachable | requires_configuration | … */
  justification?: string;
  /** can_not_fix | will_not_fix | update | rollback | workaround_available */
  response?: string[];
  detail?: string;
}

export interface ExportVulnerability {
  /** CVE-…, GHSA-…, OSV id, or Sonatype reference. */
  id: string;
  source?: { name?: string; url?: string };
  ratings?: ExportRating[];
  /** CWE numbers (79, not `CWE-79`). */
  cwes?: number[];
  description?: string;
  recommendation?: string;
  published?: string;
  updated?: string;
  /** The refs (SbomComponent.ref, or the subject's ref) of the components it affects. */
  affects: string[];
  analysis?: ExportAnalysis;
}

export interface ExportOptions {
  /** Vulnerabilities to include; default: the VEX statements the Sbom was read with. */
  vulnerabilities?: ExportVulnerability[];
  /** Default: now. */
  timestamp?: Date;
  /** Tool named as the document's creator; default Tollgate. */
  tool?: { vendor?: string; name: string; version?: string };
}

/** The vulnerabilities to write: the given ones, else the Sbom's own VEX statements. */
export function exportVulnerabilities(sbom: Sbom, options: ExportOptions): ExportVulnerability[] {
  if (options.vulnerabilities) return options.vulnerabilities;
  return sbom.vulnerabilities.map((v) => ({
    id: v.id,
    affects: v.affects,
    analysis: v.state || v.justification || v.response?.length || v.detail
      ? { state: v.state, justification: v.justification, response: v.response, detail: v.detail }
      : undefined,
  }));
}

/** A page where a person can read about the vulnerability, from its id's form. */
export function advisoryUrl(v: Pick<ExportVulnerability, 'id' | 'source'>): string | undefined {
  if (v.source?.url && /^https?:\/\//.test(v.source.url)) return v.source.url;
  if (/^CVE-\d{4}-\d+$/i.test(v.id)) return `https://nvd.nist.gov/vuln/detail/${v.id.toUpperCase()}`;
  if (/^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/i.test(v.id)) return `https://github.com/advisories/${v.id}`;
  if (/^[A-Z]+-[\w.-]+$/i.test(v.id)) return `https://osv.dev/vulnerability/${encodeURIComponent(v.id)}`;
  return undefined;
}
