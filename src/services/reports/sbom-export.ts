import { gzipSync } from 'node:zlib';
import * as CDX from '@cyclonedx/cyclonedx-library';
import spdxParse from 'spdx-expression-parse';
import { parsePurl } from '../../ecosystems/identity.js';
import { identifyComponent } from '../../evaluation/identify.js';
import { type ReportComponent, type ReportData, type ReportSecurityIssue, scoreSourceOf } from '../../evaluation/report.js';
import { isPlaceholderLicense } from '../../intel/licenses/special-licenses.js';
import { cweNumber } from '../../intel/severity/cwe.js';
import { type CycloneDxFormat, type CycloneDxVersion, CYCLONEDX_WRITE_VERSIONS, serializeCycloneDx, toCycloneDxBom } from '../../sbom/cyclonedx/write.js';
import type { ExportAnalysis, ExportVulnerability } from '../../sbom/export.js';
import type { Sbom, SbomComponent } from '../../sbom/model.js';
import { type SpdxDocument, toSpdxDocument } from '../../sbom/spdx/write.js';
import { spdxDocumentXml } from '../../sbom/spdx/xml.js';
import type { AppContext } from '../../core/context.js';
import { ValidationError, NotFoundError } from '../../core/errors.js';
import { checkStage, readScanInput } from '../evaluation/evaluations.js';
import { getReport, latestReportOfStage } from './reports.js';
import { exportRating } from './sbom-export-rating.js';

export { cvssSeverity } from './sbom-export-rating.js';

/**
 * SBOM export: a stored report as CycloneDX or SPDX. The application is the subject; each reported
 * component is one entry (canonical package URL, the scanned SBOM's hashes, declared license; the
 * effective license as SPDX licenseConcluded, or a CycloneDX property when it differs from the
 * declared one); the dependency edges are the report's graph; the vulnerabilities are the report's
 * security issues, grouped by id.
 *
 * VEX analysis (CycloneDX) from security override statuses:
 *   NOT_APPLICABLE → not_affected, ACKNOWLEDGED → in_triage, CONFIRMED → exploitable,
 *   OPEN → no analysis (unless the scanned SBOM made a VEX statement about it, which is kept).
 * A status other than Open wins over the scanned SBOM's statement: it is the later human decision.
 */

export interface ExportApplication {
  id: string;
  publicId: string;
  name: string;
}

export interface ReportSbom {
  application: ExportApplication;
  reportId: string;
  createdAt: string;
  sbom: Sbom;
  vulnerabilities: ExportVulnerability[];
  /** Component ref → the effective licenses as one expression, where that differs from the declared one. */
  effective: Map<string, string>;
}

export type ReportTarget = { reportId: string } | { stage: string };

/** The report to export: by id, or the newest of a stage. NotFoundError when there is none. */
export async function reportToExport(ctx: AppContext, applicationId: string, target: ReportTarget): Promise<ReportSbom> {
  const app = await ctx.store.db.selectFrom('applications').select(['id', 'public_id', 'name']).where('id', '=', applicationId).executeTakeFirst();
  if (!app) throw new NotFoundError(`Application ${applicationId} not found`);
  let reportId: string;
  if ('reportId' in target) reportId = target.reportId;
  else {
    const stage = checkStage(target.stage);
    const latest = await latestReportOfStage(ctx, applicationId, stage);
    if (!latest) throw new NotFoundError(`The application has no report at stage ${stage}`);
    reportId = latest.id;
  }
  const { row, data } = await getReport(ctx, applicationId, reportId);
  const scanned = row.input_request_id ? await scannedEntries(ctx, row.input_request_id) : undefined;
  return reportSbom({ id: app.id, publicId: app.public_id, name: app.name }, row.id, row.created_at, data, scanned);
}

/**
 * The entries of the SBOM a report evaluated, by the keys identification gives them (canonical
 * purl, and component hash): what the report does not keep (full SHA-1 and other hashes, the
 * names and versions of unknown components, supplier, description) is taken from there.
 */
async function scannedEntries(ctx: AppContext, requestId: string): Promise<Map<string, SbomComponent> | undefined> {
  const request = await ctx.store.db
    .selectFrom('evaluation_requests')
    .select(['kind', 'source', 'input', 'input_name'])
    .where('id', '=', requestId)
    .executeTakeFirst();
  if (request?.kind !== 'sbom' || !request.input) return undefined;
  let sbom: Sbom;
  try {
    sbom = await readScanInput(request.source, request.input, request.input_name ?? undefined, { validate: false });
  } catch {
    // It was read when it was evaluated; should that ever fail now, the report alone still exports.
    return undefined;
  }
  const out = new Map<string, SbomComponent>();
  for (const entry of sbom.components) {
    const identified = identifyComponent(entry);
    if (identified.packageUrl && !out.has(identified.packageUrl)) out.set(identified.packageUrl, entry);
    if (!out.has(`hash:${identified.hash}`)) out.set(`hash:${identified.hash}`, entry);
  }
  return out;
}

const SECURITY_ANALYSIS: Record<string, ExportAnalysis | undefined> = {
  'Not Applicable': { state: 'not_affected' },
  Acknowledged: { state: 'in_triage' },
  Confirmed: { state: 'exploitable' },
};

function analysisOf(issue: ReportSecurityIssue): ExportAnalysis | undefined {
  const byStatus = SECURITY_ANALYSIS[issue.status];
  if (byStatus) return byStatus;
  const a = issue.analysis;
  if (!a) return undefined;
  return {
    state: a.state,
    justification: a.justification,
    response: a.response?.split(/,\s*/).filter(Boolean),
    detail: a.detail,
  };
}

/** The licenses as one expression: each listed entry applies (AND); placeholders say nothing. */
function joinLicenses(ids: readonly { licenseId: string }[]): string | undefined {
  const real = ids.map((l) => l.licenseId).filter((id) => !isPlaceholderLicense(id));
  if (!real.length) return undefined;
  if (real.length === 1) return real[0];
  return real.map((id) => (/\s/.test(id) ? `(${id})` : id)).join(' AND ');
}

function sbomComponent(c: ReportComponent, ref: string, scanned: SbomComponent | undefined): SbomComponent {
  const out: SbomComponent = { ref, name: c.displayName, hashes: { ...scanned?.hashes }, type: scanned?.type ?? 'library' };
  if (scanned?.supplier) out.supplier = scanned.supplier;
  if (scanned?.description) out.description = scanned.description;
  if (scanned?.scope) out.scope = scanned.scope;
  if (!c.packageUrl && scanned) {
    // An unknown component: named as the SBOM named it, so that it is the same one when read again.
    out.name = scanned.name;
    if (scanned.group) out.group = scanned.group;
    if (scanned.version) out.version = scanned.version;
  }
  if (c.packageUrl) {
    try {
      const p = parsePurl(c.packageUrl);
      out.name = p.name;
      if (p.namespace) out.group = p.namespace;
      if (p.version) out.version = p.version;
      out.purl = c.packageUrl;
    } catch {
      // A stored purl that no longer parses: the component keeps its display name.
    }
  }
  if (c.sha256) out.hashes['SHA-256'] = c.sha256;
  if (c.cpe) out.cpe = c.cpe;
  const declared = joinLicenses(c.licenseData.declaredLicenses);
  if (declared) out.license = declared;
  return out;
}

/** The Sbom model, vulnerabilities and effective licenses of a stored report. */
export function reportSbom(
  application: ExportApplication,
  reportId: string,
  createdAt: string,
  data: ReportData,
  scanned?: Map<string, SbomComponent>,
): ReportSbom {
  const subjectRef = `application:${application.publicId}`;
  const refs = data.components.map((c, i) => c.packageUrl ?? `component:${i}:${c.hash}`);
  const components = data.components.map((c, i) =>
    sbomComponent(c, refs[i], (c.packageUrl ? scanned?.get(c.packageUrl) : undefined) ?? scanned?.get(`hash:${c.hash}`)),
  );
  const dependencies = new Map<string, string[]>();
  if (data.graph) {
    dependencies.set(subjectRef, data.graph.roots.map((i) => refs[i]).filter(Boolean));
    for (const [from, to] of Object.entries(data.graph.children)) {
      const source = refs[Number(from)];
      if (source) dependencies.set(source, to.map((i) => refs[i]).filter(Boolean));
    }
  }
  const effective = new Map<string, string>();
  data.components.forEach((c, i) => {
    const e = joinLicenses(c.licenseData.effectiveLicenses);
    if (e && e !== components[i].license) effective.set(refs[i], e);
  });

  // One vulnerability per id and analysis: components whose status differs get their own entry.
  const vulnerabilities = new Map<string, ExportVulnerability>();
  data.components.forEach((c, i) => {
    for (const issue of c.securityIssues) {
      const analysis = analysisOf(issue);
      // The score too: different records may have matched (and scored) one vulnerability on different components.
      const key = `${issue.reference} ${scoreSourceOf(issue)} ${issue.severity ?? ''} ${JSON.stringify(analysis ?? null)}`;
      const existing = vulnerabilities.get(key);
      if (existing) {
        if (!existing.affects.includes(refs[i])) existing.affects.push(refs[i]);
        continue;
      }
      const source = { name: issue.source.toUpperCase(), url: issue.url };
      const v: ExportVulnerability = { id: issue.reference, source, affects: [refs[i]], ratings: [exportRating(issue)] };
      const cwe = cweNumber(issue.cwe);
      if (cwe) v.cwes = [cwe];
      if (issue.summary) v.description = issue.summary;
      if (issue.fixVersion) v.recommendation = `Upgrade to version ${issue.fixVersion} or later`;
      if (analysis) v.analysis = analysis;
      vulnerabilities.set(key, v);
    }
  });

  const sbom: Sbom = {
    format: 'CycloneDX',
    specVersion: '1.6',
    subject: { ref: subjectRef, name: application.name },
    tools: [],
    components,
    dependencies,
    vulnerabilities: [],
  };
  return { application, reportId, createdAt, sbom, vulnerabilities: [...vulnerabilities.values()], effective };
}

// ---- CycloneDX --------------------------------------------------------------------------------

/** The versions the reference names; Tollgate writes the ones with vulnerabilities (1.4 and later). */
export const REFERENCE_CYCLONEDX_VERSIONS = ['1.1', '1.2', '1.3', '1.4', '1.5', '1.6'];

export function checkCycloneDxVersion(version: string): CycloneDxVersion {
  if ((CYCLONEDX_WRITE_VERSIONS as readonly string[]).includes(version)) return version as CycloneDxVersion;
  const known = REFERENCE_CYCLONEDX_VERSIONS.includes(version);
  throw new ValidationError(
    `${known ? 'Tollgate does not write' : 'Unknown'} CycloneDX version "${version}": use ${CYCLONEDX_WRITE_VERSIONS.join(', ')}`,
  );
}

export const REPORT_PROPERTY = 'tollgate:reportId';
export const EFFECTIVE_LICENSE_PROPERTY = 'tollgate:license:effective';

export function cycloneDxOf(r: ReportSbom, version: CycloneDxVersion, format: CycloneDxFormat): string {
  const bom = toCycloneDxBom(r.sbom, version, { vulnerabilities: r.vulnerabilities, timestamp: new Date(r.createdAt) });
  bom.metadata.properties.add(new CDX.Models.Property(REPORT_PROPERTY, r.reportId));
  for (const c of bom.components) {
    const ref = c.bomRef.value;
    // The declared licenses are what the component says (1.6 can say so; older versions drop it).
    for (const l of c.licenses) l.acknowledgement = CDX.Enums.LicenseAcknowledgement.Declared;
    const effective = ref ? r.effective.get(ref) : undefined;
    if (effective) c.properties.add(new CDX.Models.Property(EFFECTIVE_LICENSE_PROPERTY, effective));
  }
  return serializeCycloneDx(bom, version, format);
}

// ---- SPDX -------------------------------------------------------------------------------------

export const SPDX_VERSIONS = ['2.2', '2.3'];

function parses(expression: string): boolean {
  try {
    spdxParse(expression);
    return true;
  } catch {
    return false;
  }
}

/** SPDX 2.3 (or 2.2: the same without primaryPackagePurpose, which 2.3 added). */
export function spdxOf(r: ReportSbom, spdxVersion: string): SpdxDocument | (Omit<SpdxDocument, 'spdxVersion'> & { spdxVersion: 'SPDX-2.2' }) {
  if (!SPDX_VERSIONS.includes(spdxVersion)) throw new ValidationError(`Unknown SPDX version "${spdxVersion}": use 2.2 or 2.3`);
  const doc = toSpdxDocument(r.sbom, {
    vulnerabilities: r.vulnerabilities,
    timestamp: new Date(r.createdAt),
    name: `${r.application.name} ${r.reportId}`,
  });
  // The writer numbers packages in model order after the subject, refs being unique.
  const declared = new Set((doc.hasExtractedLicensingInfos ?? []).map((l) => l.licenseId));
  r.sbom.components.forEach((c, i) => {
    const pkg = doc.packages[i + 1];
    const concluded = r.effective.get(c.ref) ?? pkg.licenseDeclared;
    if (concluded === 'NOASSERTION' || !parses(concluded)) return;
    for (const ref of concluded.match(/LicenseRef-[A-Za-z0-9.-]+/g) ?? []) {
      if (declared.has(ref)) continue;
      declared.add(ref);
      const name = ref.slice('LicenseRef-'.length).replace(/-/g, ' ');
      doc.hasExtractedLicensingInfos = [...(doc.hasExtractedLicensingInfos ?? []), { licenseId: ref, extractedText: name, name }];
    }
    pkg.licenseConcluded = concluded;
  });
  if (spdxVersion === '2.2') {
    for (const p of doc.packages) delete p.primaryPackagePurpose;
    return { ...doc, spdxVersion: 'SPDX-2.2' };
  }
  return doc;
}

export type SpdxFormat = 'json' | 'xml';

/** The `format` query parameter: json (the default) or xml, in any case. */
export function checkSpdxFormat(format: string | undefined): SpdxFormat {
  const f = (format ?? 'json').trim().toLowerCase();
  if (f === 'json' || f === 'xml') return f;
  throw new ValidationError(`Unknown format "${format}": use json or xml`);
}

/** The SPDX document as text: JSON, or the same document as SPDX XML. */
export function spdxText(r: ReportSbom, spdxVersion: string, format: SpdxFormat): string {
  const doc = spdxOf(r, spdxVersion);
  return format === 'xml' ? spdxDocumentXml(doc) : `${JSON.stringify(doc, null, 2)}\n`;
}

// ---- tar.gz of both (generateCycloneDx=true) ----------------------------------------------------

/** A POSIX ustar archive of small text files, gzipped. */
export function tarGz(files: Array<{ name: string; text: string }>, mtime: Date): Buffer {
  const blocks: Buffer[] = [];
  for (const f of files) {
    const body = Buffer.from(f.text, 'utf8');
    const header = Buffer.alloc(512);
    const field = (offset: number, length: number, value: string) => header.write(value, offset, length, 'ascii');
    const octal = (offset: number, length: number, n: number) => field(offset, length, `${n.toString(8).padStart(length - 1, '0')}\0`);
    field(0, 100, f.name);
    octal(100, 8, 0o644);
    octal(108, 8, 0);
    octal(116, 8, 0);
    octal(124, 12, body.length);
    octal(136, 12, Math.floor(mtime.getTime() / 1000));
    field(148, 8, '        ');
    field(156, 1, '0');
    field(257, 6, 'ustar\0');
    field(263, 2, '00');
    let sum = 0;
    for (const b of header) sum += b;
    field(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/** A file name for the download: the application, the report and the format. */
export function exportFileName(r: ReportSbom, kind: string, extension: string): string {
  const safe = r.application.publicId.replace(/[^A-Za-z0-9._-]+/g, '_');
  return `${safe}-${r.reportId}-${kind}.${extension}`;
}
