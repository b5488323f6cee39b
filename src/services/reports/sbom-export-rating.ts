import { type ReportSecurityIssue, scoreSourceOf } from '../../evaluation/report.js';
import { scoreKindOf, scoreSourceId } from '../../intel/severity/resolve-score.js';
import type { ExportRating } from '../../sbom/export.js';
import { vulnerabilityLink } from '../../intel/vulnerability-sources.js';

/** CVSS qualitative rating of a base score (CVSS v3.x section 5). */
export function cvssSeverity(score: number | undefined): string | undefined {
  if (score === undefined) return undefined;
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

const score1 = (n: number | undefined) => (n ?? 0).toFixed(1);

/**
 * The rating of a reported issue in an SBOM export, saying where its score came from: the source
 * is named as reports name it (`osv:PYSEC-…`, `alias:GHSA-…`, `nvd:CVE-…`, `qualitative:GHSA-…`)
 * with the record's page, the method is the vector's CVSS version (`other` for a qualitative
 * rating), and the justification says it in words, for CycloneDX readers and as SPDX's external
 * reference comment. An unscored issue gets a rating of severity `unknown` that says so.
 */
export function exportRating(issue: ReportSecurityIssue): ExportRating {
  const source = scoreSourceOf(issue);
  const kind = scoreKindOf(source);
  const id = scoreSourceId(source);
  if (kind === 'unscored') {
    return { severity: 'unknown', justification: 'unscored: no CVSS vector or severity rating is known for this vulnerability', source: { name: source } };
  }
  const url = kind === 'nvd' && id ? `https://nvd.nist.gov/vuln/detail/${id}` : id ? vulnerabilityLink(id) : issue.url;
  const rating: ExportRating = { score: issue.severity, vector: issue.cvssVector, severity: cvssSeverity(issue.severity), source: { name: source, url } };
  const vector = issue.cvssVector ? ` (${issue.cvssVector})` : '';
  switch (kind) {
    case 'alias':
      rating.justification = `CVSS ${score1(issue.severity)}${vector} from ${id}, another record of the same vulnerability`;
      break;
    case 'nvd':
      rating.justification = `CVSS ${score1(issue.severity)}${vector} from NVD for ${id}`;
      break;
    case 'qualitative':
      rating.method = 'other';
      rating.justification = `rated ${issue.scoreRating ?? 'qualitatively'} by ${id}, scored as ${score1(issue.severity)}`;
      break;
    default:
      rating.justification = `CVSS ${score1(issue.severity)}${vector} from ${id ?? 'the matched record'}`;
  }
  return rating;
}
