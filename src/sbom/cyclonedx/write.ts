import { randomUUID } from 'node:crypto';
// The library's parts one by one: its main entry also loads the validators (Ajv, libxmljs2
// bindings), which the bundled client (scripts/build-cli.mjs) cannot carry.
import * as CdxEnums from '@cyclonedx/cyclonedx-library/Enums';
import * as CdxModels from '@cyclonedx/cyclonedx-library/Models';
import * as CdxSerialize from '@cyclonedx/cyclonedx-library/Serialize';
import * as CdxSPDX from '@cyclonedx/cyclonedx-library/SPDX';
import * as CdxSpec from '@cyclonedx/cyclonedx-library/Spec';
import * as CdxTypes from '@cyclonedx/cyclonedx-library/Types';
import spdxParse from 'spdx-expression-parse';
import { TOLLGATE_VERSION } from '../../version.js';
import { type ExportOptions, type ExportRating, type ExportVulnerability, exportVulnerabilities } from '../export.js';
import type { Sbom, SbomComponent } from '../model.js';
import { stringifyXml } from './xml-stringify.js';

/**
 * Sbom model (+ vulnerabilities and VEX) → CycloneDX 1.2 to 1.6, JSON or XML, through the
 * library's models and normalizers, which leave out what a spec version does not have (1.2 and
 * 1.3 have no vulnerabilities). Anything the schema would reject (unknown hash algorithms,
 * malformed hashes or CPEs, unknown enum values) is left out rather than written wrong.
 */

export type CycloneDxVersion = '1.2' | '1.3' | '1.4' | '1.5' | '1.6';
export type CycloneDxFormat = 'json' | 'xml';
/** A spec version's capabilities (the library does not export the interface by name). */
type Spec = typeof CdxSpec.Spec1dot6;

export const CYCLONEDX_WRITE_VERSIONS: readonly CycloneDxVersion[] = ['1.2', '1.3', '1.4', '1.5', '1.6'];

const SPECS: Record<CycloneDxVersion, Spec> = {
  '1.2': CdxSpec.Spec1dot2,
  '1.3': CdxSpec.Spec1dot3,
  '1.4': CdxSpec.Spec1dot4,
  '1.5': CdxSpec.Spec1dot5,
  '1.6': CdxSpec.Spec1dot6,
};

/** Hex digits each algorithm's digest has, as the schema's patterns require. */
const HASH_LENGTHS: Record<string, number> = {
  MD5: 32,
  'SHA-1': 40,
  'SHA-256': 64,
  'SHA-384': 96,
  'SHA-512': 128,
  'SHA3-256': 64,
  'SHA3-384': 96,
  'SHA3-512': 128,
  'BLAKE2b-256': 64,
  'BLAKE2b-384': 96,
  'BLAKE2b-512': 128,
  BLAKE3: 64,
};
/** The model's algorithm names (upper-cased, maybe spelled the SPDX way) → CycloneDX's. */
const HASH_ALGORITHMS = new Map<string, CdxEnums.HashAlgorithm>(
  Object.keys(HASH_LENGTHS).map((alg) => [alg.toUpperCase().replace(/-/g, ''), alg as CdxEnums.HashAlgorithm]),
);

function cycloneDxHashAlgorithm(alg: string): CdxEnums.HashAlgorithm | undefined {
  return HASH_ALGORITHMS.get(alg.toUpperCase().replace(/-/g, ''));
}

const COMPONENT_TYPES = new Set<string>(Object.values(CdxEnums.ComponentType));

function componentType(type: string | undefined, spec: Spec): CdxEnums.ComponentType {
  const t = type?.toLowerCase();
  if (t && COMPONENT_TYPES.has(t) && spec.supportsComponentType(t as CdxEnums.ComponentType)) return t as CdxEnums.ComponentType;
  return CdxEnums.ComponentType.Library;
}

function isSpdxExpression(text: string): boolean {
  try {
    spdxParse(text);
    return true;
  } catch {
    return false;
  }
}

function licenseEntry(text: string): CdxModels.SpdxLicense | CdxModels.NamedLicense {
  const fixed = CdxSPDX.fixupSpdxId(text);
  return fixed === text && CdxSPDX.isSupportedSpdxId(text) ? new CdxModels.SpdxLicense(text) : new CdxModels.NamedLicense(text);
}

/**
 * The license entries for the model's license: a listed SPDX id; else an SPDX expression; else,
 * for names joined with AND (how the readers join several licenses), one entry per name; else
 * the text as one named license.
 */
function cycloneDxLicenses(license: string): CdxModels.License[] {
  if (!/\s/.test(license)) return [licenseEntry(license)];
  if (isSpdxExpression(license)) return [new CdxModels.LicenseExpression(license)];
  const parts = license.split(' AND ');
  if (parts.length > 1 && parts.every((p) => p !== '' && !/[\s()]/.test(p))) return parts.map(licenseEntry);
  return [new CdxModels.NamedLicense(license)];
}

function component(c: SbomComponent | NonNullable<Sbom['subject']>, spec: Spec, isSubject: boolean): CdxModels.Component {
  const full = c as Partial<SbomComponent>;
  const result = new CdxModels.Component(isSubject ? CdxEnums.ComponentType.Application : componentType(full.type, spec), c.name, {
    bomRef: c.ref,
    group: full.group,
    version: c.version,
    purl: c.purl,
    description: full.description,
    supplier: full.supplier ? new CdxModels.OrganizationalEntity({ name: full.supplier }) : undefined,
    cpe: full.cpe && CdxTypes.isCPE(full.cpe) ? full.cpe : undefined,
    scope: full.scope && (Object.values(CdxEnums.ComponentScope) as string[]).includes(full.scope) ? (full.scope as CdxEnums.ComponentScope) : undefined,
  });
  for (const [alg, content] of Object.entries(full.hashes ?? {})) {
    const algorithm = cycloneDxHashAlgorithm(alg);
    if (!algorithm || !spec.supportsHashAlgorithm(algorithm)) continue;
    if (new RegExp(`^[0-9a-f]{${HASH_LENGTHS[algorithm]}}$`, 'i').test(content)) result.hashes.set(algorithm, content.toLowerCase());
  }
  for (const license of full.license ? cycloneDxLicenses(full.license) : []) result.licenses.add(license);
  return result;
}

/** The CVSS version a vector is written in, as CycloneDX names rating methods. */
function ratingMethod(vector: string | undefined, spec: Spec): CdxEnums.Vulnerability.RatingMethod | undefined {
  if (!vector) return undefined;
  const M = CdxEnums.Vulnerability.RatingMethod;
  let method: CdxEnums.Vulnerability.RatingMethod;
  if (vector.startsWith('CVSS:4.0/')) method = M.CVSSv4;
  else if (vector.startsWith('CVSS:3.1/')) method = M.CVSSv31;
  else if (vector.startsWith('CVSS:3.0/')) method = M.CVSSv3;
  else if (/^(\()?AV:[LAN]\/AC:[HML]\/Au:/.test(vector)) method = M.CVSSv2;
  else method = M.Other;
  return spec.supportsVulnerabilityRatingMethod(method) ? method : M.Other;
}

function enumValue<E extends string>(values: Record<string, E>, value: string | undefined): E | undefined {
  const v = value?.toLowerCase();
  return (Object.values(values) as string[]).includes(v ?? '') ? (v as E) : undefined;
}

function source(s: { name?: string; url?: string } | undefined): CdxModels.Vulnerability.Source | undefined {
  return s && (s.name || s.url) ? new CdxModels.Vulnerability.Source({ name: s.name, url: s.url }) : undefined;
}

function rating(r: ExportRating, fallbackSource: ExportVulnerability['source'], spec: Spec): CdxModels.Vulnerability.Rating {
  return new CdxModels.Vulnerability.Rating({
    score: typeof r.score === 'number' && Number.isFinite(r.score) ? r.score : undefined,
    severity: enumValue(CdxEnums.Vulnerability.Severity, r.severity),
    vector: r.vector,
    method: r.method === 'other' ? CdxEnums.Vulnerability.RatingMethod.Other : ratingMethod(r.vector, spec),
    source: source(r.source ?? fallbackSource),
    justification: r.justification,
  });
}

function date(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function vulnerability(v: ExportVulnerability, refs: Map<string, CdxModels.BomRef>, spec: Spec): CdxModels.Vulnerability.Vulnerability {
  const V = CdxModels.Vulnerability;
  const result = new V.Vulnerability({
    id: v.id,
    source: source(v.source),
    description: v.description,
    recommendation: v.recommendation,
    published: date(v.published),
    updated: date(v.updated),
  });
  for (const r of v.ratings ?? []) result.ratings.add(rating(r, v.source, spec));
  for (const cwe of v.cwes ?? []) if (Number.isInteger(cwe) && cwe > 0) result.cwes.add(cwe);
  for (const ref of v.affects) {
    const bomRef = refs.get(ref);
    if (bomRef) result.affects.add(new V.Affect(bomRef));
  }
  if (v.analysis) {
    const A = CdxEnums.Vulnerability;
    const analysis = new V.Analysis({
      state: enumValue(A.AnalysisState, v.analysis.state),
      justification: enumValue(A.AnalysisJustification, v.analysis.justification),
      detail: v.analysis.detail,
    });
    for (const r of v.analysis.response ?? []) {
      const response = enumValue(A.AnalysisResponse, r);
      if (response) analysis.response.add(response);
    }
    result.analysis = analysis;
  }
  return result;
}

function validSerialNumber(serial: string | undefined): string {
  return serial && /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(serial) ? serial : `urn:uuid:${randomUUID()}`;
}

/** The library's BOM model of an Sbom, for the given spec version. */
export function toCycloneDxBom(sbom: Sbom, version: CycloneDxVersion, options: ExportOptions = {}): CdxModels.Bom {
  const spec = SPECS[version];
  const bom = new CdxModels.Bom({ serialNumber: validSerialNumber(sbom.serialNumber), version: 1 });
  bom.metadata.timestamp = options.timestamp ?? new Date();
  const tool = options.tool ?? { vendor: 'Tollgate', name: 'Tollgate', version: TOLLGATE_VERSION };
  bom.metadata.tools.tools.add(new CdxModels.Tool(tool));

  const byRef = new Map<string, CdxModels.Component>();
  if (sbom.subject) {
    bom.metadata.component = component(sbom.subject, spec, true);
    byRef.set(sbom.subject.ref, bom.metadata.component);
  }
  for (const c of sbom.components) {
    if (byRef.has(c.ref)) continue;
    const model = component(c, spec, false);
    byRef.set(c.ref, model);
    bom.components.add(model);
  }
  for (const [from, to] of sbom.dependencies) {
    const source = byRef.get(from);
    if (!source) continue;
    for (const ref of to) {
      const target = byRef.get(ref);
      if (target && target !== source) source.dependencies.add(target.bomRef);
    }
  }
  if (spec.supportsVulnerabilities) {
    const refs = new Map([...byRef].map(([ref, c]) => [ref, c.bomRef]));
    for (const v of exportVulnerabilities(sbom, options)) bom.vulnerabilities.add(vulnerability(v, refs, spec));
  }
  return bom;
}

/** XML through the library's normalizer and Tollgate's stringifier (see xml-stringify.ts). */
class XmlStringSerializer extends CdxSerialize.XmlBaseSerializer {
  protected _serialize(normalized: CdxSerialize.XML.Types.SimpleXml.Element, options: CdxSerialize.Types.SerializerOptions = {}): string {
    return stringifyXml(normalized, typeof options.space === 'number' ? options.space : 2);
  }
}

export interface CycloneDxWriteOptions extends ExportOptions {
  version?: CycloneDxVersion;
  format?: CycloneDxFormat;
  /** Indentation; 0 writes compact output. Default 2. */
  space?: number;
}

/** Writes a CycloneDX document (default 1.6 JSON). */
export function writeCycloneDx(sbom: Sbom, options: CycloneDxWriteOptions = {}): string {
  const version = options.version ?? '1.6';
  if (!SPECS[version]) throw new Error(`CycloneDX ${version} cannot be written (supported: ${CYCLONEDX_WRITE_VERSIONS.join(', ')})`);
  return serializeCycloneDx(toCycloneDxBom(sbom, version, options), version, options.format ?? 'json', options.space ?? 2);
}

/** Serializes a BOM model (as toCycloneDxBom builds it, maybe amended) for a spec version. */
export function serializeCycloneDx(bom: CdxModels.Bom, version: CycloneDxVersion, format: CycloneDxFormat, space = 2): string {
  const spec = SPECS[version];
  if (format === 'xml') {
    return new XmlStringSerializer(new CdxSerialize.XML.Normalize.Factory(spec)).serialize(bom, { space, sortLists: false });
  }
  return new CdxSerialize.JsonSerializer(new CdxSerialize.JSON.Normalize.Factory(spec)).serialize(bom, { space, sortLists: false });
}
