import { randomUUID } from 'node:crypto';
import spdxParse from 'spdx-expression-parse';
import { TOLLGATE_VERSION } from '../../version.js';
import { type ExportOptions, advisoryUrl, exportVulnerabilities } from '../export.js';
import type { Sbom, SbomComponent } from '../model.js';
import { spdxDocumentXml } from './xml.js';

/**
 * Sbom model → SPDX 2.3, as JSON (the document object), XML (spdx/xml.ts) or tag-value. Components are packages
 * (files are not analysed); dependency edges are DEPENDS_ON relationships, or
 * OPTIONAL_DEPENDENCY_OF for optional-scoped components; the subject is the package the document
 * DESCRIBES. SPDX 2.3 has no vulnerability section: a vulnerability becomes a SECURITY `advisory`
 * external reference on each package it affects (VEX analysis has no place in SPDX 2.3).
 */

export interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  supplier?: string;
  downloadLocation: string;
  filesAnalyzed: boolean;
  checksums?: Array<{ algorithm: string; checksumValue: string }>;
  licenseConcluded: string;
  licenseDeclared: string;
  copyrightText: string;
  description?: string;
  primaryPackagePurpose?: string;
  externalRefs?: Array<{ referenceCategory: string; referenceType: string; referenceLocator: string; comment?: string }>;
}

export interface SpdxDocument {
  spdxVersion: 'SPDX-2.3';
  dataLicense: 'CC0-1.0';
  SPDXID: 'SPDXRef-DOCUMENT';
  name: string;
  documentNamespace: string;
  creationInfo: { created: string; creators: string[] };
  packages: SpdxPackage[];
  relationships: Array<{ spdxElementId: string; relationshipType: string; relatedSpdxElement: string }>;
  hasExtractedLicensingInfos?: Array<{ licenseId: string; extractedText: string; name?: string }>;
}

export interface SpdxWriteOptions extends ExportOptions {
  /** Document name; default the subject's name (and version). */
  name?: string;
  /** Unique URI of this document; default https://spdx.org/spdxdocs/<name>-<uuid>, as SPDX tools do. */
  documentNamespace?: string;
}

/** The SPDX 2.3 checksum algorithms, by the model's spelling with dashes removed. */
const CHECKSUM_ALGORITHMS = new Map(
  ['SHA1', 'SHA224', 'SHA256', 'SHA384', 'SHA512', 'SHA3-256', 'SHA3-384', 'SHA3-512', 'BLAKE2b-256', 'BLAKE2b-384', 'BLAKE2b-512', 'BLAKE3', 'MD2', 'MD4', 'MD5', 'MD6', 'ADLER32'].map(
    (alg) => [alg.toUpperCase().replace(/-/g, ''), alg],
  ),
);

function spdxChecksumAlgorithm(alg: string): string | undefined {
  return CHECKSUM_ALGORITHMS.get(alg.toUpperCase().replace(/-/g, ''));
}

const PURPOSES = new Set(['APPLICATION', 'FRAMEWORK', 'LIBRARY', 'CONTAINER', 'OPERATING-SYSTEM', 'DEVICE', 'FIRMWARE', 'SOURCE', 'ARCHIVE', 'FILE', 'INSTALL', 'OTHER']);

function purpose(type: string | undefined): string | undefined {
  if (!type) return undefined;
  const upper = type.toUpperCase();
  return PURPOSES.has(upper) ? upper : 'OTHER';
}

/** SPDX times are whole seconds in UTC: 2010-01-29T18:30:22Z. */
function spdxTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Collects the LicenseRef-… ids a document uses: SPDX requires each to be declared. */
class LicenseRefs {
  readonly declared = new Map<string, { licenseId: string; extractedText: string; name?: string }>();

  /** A valid SPDX license expression for the model's license text. */
  expression(license: string | undefined): string {
    if (!license) return 'NOASSERTION';
    try {
      this.noteRefs(spdxParse(license));
      return license;
    } catch {
      // A free-text name: SPDX needs it as a LicenseRef declared with its text.
      const id = `LicenseRef-${license.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'unnamed'}`;
      if (!this.declared.has(id)) this.declared.set(id, { licenseId: id, extractedText: license, name: license });
      return id;
    }
  }

  private noteRefs(node: ReturnType<typeof spdxParse>): void {
    if ('license' in node) {
      if (node.license.startsWith('LicenseRef-') && !this.declared.has(node.license)) {
        const name = node.license.slice('LicenseRef-'.length).replace(/-/g, ' ');
        this.declared.set(node.license, { licenseId: node.license, extractedText: name, name });
      }
    } else {
      this.noteRefs(node.left);
      this.noteRefs(node.right);
    }
  }
}

/** SPDXRef-… ids from the model's refs: only letters, digits, `.` and `-`, and unique. */
class SpdxIds {
  private readonly used = new Set<string>(['SPDXRef-DOCUMENT']);
  readonly byRef = new Map<string, string>();

  assign(ref: string): string {
    const rest = ref.replace(/^SPDXRef-/, '').replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '');
    const base = `SPDXRef-${rest || 'package'}`;
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}-${n}`;
    this.used.add(id);
    this.byRef.set(ref, id);
    return id;
  }
}

function packageName(c: Pick<SbomComponent, 'name' | 'group' | 'purl'>): string {
  if (!c.group) return c.name;
  return c.purl?.startsWith('pkg:maven/') ? `${c.group}:${c.name}` : `${c.group}/${c.name}`;
}

function toPackage(c: Partial<SbomComponent> & { ref: string; name: string }, id: string, licenses: LicenseRefs, subject: boolean): SpdxPackage {
  const checksums = Object.entries(c.hashes ?? {}).flatMap(([alg, value]) => {
    const algorithm = spdxChecksumAlgorithm(alg);
    return algorithm && /^[0-9a-f]+$/i.test(value) ? [{ algorithm, checksumValue: value.toLowerCase() }] : [];
  });
  const externalRefs: NonNullable<SpdxPackage['externalRefs']> = [];
  if (c.purl) externalRefs.push({ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: c.purl });
  if (c.cpe) {
    externalRefs.push({ referenceCategory: 'SECURITY', referenceType: c.cpe.startsWith('cpe:2.3:') ? 'cpe23Type' : 'cpe22Type', referenceLocator: c.cpe });
  }
  return {
    SPDXID: id,
    name: packageName({ name: c.name, group: c.group, purl: c.purl }),
    ...(c.version ? { versionInfo: c.version } : {}),
    ...(c.supplier ? { supplier: `Organization: ${c.supplier.replace(/[\r\n]+/g, ' ')}` } : {}),
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    ...(checksums.length ? { checksums } : {}),
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: licenses.expression(c.license),
    copyrightText: 'NOASSERTION',
    ...(c.description ? { description: c.description } : {}),
    ...(subject ? { primaryPackagePurpose: 'APPLICATION' } : c.type ? { primaryPackagePurpose: purpose(c.type) } : {}),
    ...(externalRefs.length ? { externalRefs } : {}),
  };
}

/** The SPDX 2.3 document (the JSON shape) for an Sbom. */
export function toSpdxDocument(sbom: Sbom, options: SpdxWriteOptions = {}): SpdxDocument {
  const ids = new SpdxIds();
  const licenses = new LicenseRefs();
  const packages: SpdxPackage[] = [];
  const relationships: SpdxDocument['relationships'] = [];
  const subjectName = sbom.subject ? [sbom.subject.name, sbom.subject.version].filter(Boolean).join('-') : 'sbom';
  const name = options.name ?? subjectName;

  // SPDX documents describe something: without a subject, an empty package stands for the whole.
  const subject = sbom.subject ?? { ref: 'SPDXRef-Subject', name };
  const subjectId = ids.assign(subject.ref);
  packages.push(toPackage(subject, subjectId, licenses, true));
  relationships.push({ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: subjectId });

  const components = new Map<string, SbomComponent>();
  for (const c of sbom.components) {
    if (ids.byRef.has(c.ref)) continue;
    components.set(c.ref, c);
    packages.push(toPackage(c, ids.assign(c.ref), licenses, false));
  }

  const seen = new Set<string>();
  for (const [from, to] of sbom.dependencies) {
    const a = ids.byRef.get(from);
    if (!a) continue;
    for (const ref of to) {
      const b = ids.byRef.get(ref);
      if (!b || b === a || seen.has(`${a} ${b}`)) continue;
      seen.add(`${a} ${b}`);
      relationships.push(
        components.get(ref)?.scope === 'optional'
          ? { spdxElementId: b, relationshipType: 'OPTIONAL_DEPENDENCY_OF', relatedSpdxElement: a }
          : { spdxElementId: a, relationshipType: 'DEPENDS_ON', relatedSpdxElement: b },
      );
    }
  }

  const byId = new Map(packages.map((p) => [p.SPDXID, p]));
  for (const v of exportVulnerabilities(sbom, options)) {
    const url = advisoryUrl(v);
    if (!url) continue;
    for (const ref of v.affects) {
      const pkg = byId.get(ids.byRef.get(ref) ?? '');
      if (!pkg) continue;
      pkg.externalRefs ??= [];
      if (!pkg.externalRefs.some((r) => r.referenceLocator === url)) {
        // SPDX 2.3 has no place for a score but the reference's comment (7.22): where the score came from.
        const comment = v.ratings?.find((r) => r.justification)?.justification;
        pkg.externalRefs.push({ referenceCategory: 'SECURITY', referenceType: 'advisory', referenceLocator: url, ...(comment ? { comment } : {}) });
      }
    }
  }

  const tool = options.tool ?? { name: 'Tollgate', version: TOLLGATE_VERSION };
  const slug = name.replace(/[^A-Za-z0-9.-]+/g, '-') || 'sbom';
  const document: SpdxDocument = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name,
    documentNamespace: options.documentNamespace ?? `https://spdx.org/spdxdocs/${slug}-${randomUUID()}`,
    creationInfo: {
      created: spdxTime(options.timestamp ?? new Date()),
      creators: [`Tool: ${[tool.name, tool.version].filter(Boolean).join('-')}`],
    },
    packages,
    relationships,
  };
  if (licenses.declared.size) document.hasExtractedLicensingInfos = [...licenses.declared.values()];
  return document;
}

export function writeSpdxJson(sbom: Sbom, options: SpdxWriteOptions & { space?: number } = {}): string {
  return `${JSON.stringify(toSpdxDocument(sbom, options), null, options.space ?? 2)}\n`;
}

/** SPDX 2.3 XML: the same document as writeSpdxJson, its fields as elements. */
export function writeSpdxXml(sbom: Sbom, options: SpdxWriteOptions = {}): string {
  return spdxDocumentXml(toSpdxDocument(sbom, options));
}

/** A tag-value value: `<text>` when it spans lines or could be misread. */
function tv(value: string): string {
  return /[\r\n]|^\s|\s$|<text>/.test(value) ? `<text>${value.replace(/<\/text>/g, '&lt;/text>')}</text>` : value;
}

/** SPDX 2.3 tag-value: the same document as writeSpdxJson, in the older line format. */
export function writeSpdxTagValue(sbom: Sbom, options: SpdxWriteOptions = {}): string {
  const doc = toSpdxDocument(sbom, options);
  const lines: string[] = [
    `SPDXVersion: ${doc.spdxVersion}`,
    `DataLicense: ${doc.dataLicense}`,
    `SPDXID: ${doc.SPDXID}`,
    `DocumentName: ${tv(doc.name)}`,
    `DocumentNamespace: ${doc.documentNamespace}`,
    ...doc.creationInfo.creators.map((c) => `Creator: ${c}`),
    `Created: ${doc.creationInfo.created}`,
  ];
  for (const p of doc.packages) {
    lines.push('', `PackageName: ${tv(p.name)}`, `SPDXID: ${p.SPDXID}`);
    if (p.versionInfo) lines.push(`PackageVersion: ${tv(p.versionInfo)}`);
    if (p.supplier) lines.push(`PackageSupplier: ${tv(p.supplier)}`);
    lines.push(`PackageDownloadLocation: ${p.downloadLocation}`, `FilesAnalyzed: ${p.filesAnalyzed}`);
    for (const c of p.checksums ?? []) lines.push(`PackageChecksum: ${c.algorithm}: ${c.checksumValue}`);
    lines.push(`PackageLicenseConcluded: ${p.licenseConcluded}`, `PackageLicenseDeclared: ${p.licenseDeclared}`, `PackageCopyrightText: ${tv(p.copyrightText)}`);
    if (p.description) lines.push(`PackageDescription: <text>${p.description.replace(/<\/text>/g, '&lt;/text>')}</text>`);
    if (p.primaryPackagePurpose) lines.push(`PrimaryPackagePurpose: ${p.primaryPackagePurpose}`);
    for (const r of p.externalRefs ?? []) {
      lines.push(`ExternalRef: ${r.referenceCategory} ${r.referenceType} ${r.referenceLocator}`);
      if (r.comment) lines.push(`ExternalRefComment: <text>${r.comment.replace(/<\/text>/g, '&lt;/text>')}</text>`);
    }
  }
  lines.push('');
  for (const r of doc.relationships) lines.push(`Relationship: ${r.spdxElementId} ${r.relationshipType} ${r.relatedSpdxElement}`);
  for (const l of doc.hasExtractedLicensingInfos ?? []) {
    lines.push('', `LicenseID: ${l.licenseId}`, `ExtractedText: <text>${l.extractedText.replace(/<\/text>/g, '&lt;/text>')}</text>`);
    if (l.name) lines.push(`LicenseName: ${tv(l.name)}`);
  }
  return `${lines.join('\n')}\n`;
}
