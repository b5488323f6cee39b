import { SbomError } from '../errors.js';
import { SBOM_LIMITS, type Sbom, type SbomComponent } from '../model.js';

/**
 * Maps an SPDX 2.2/2.3 document (the JSON shape; the tag-value reader converts to it) to the SBOM
 * model. Packages are the components; files and snippets are not. Relationships that mean "A needs
 * B" become dependency edges A → B, whichever direction the relationship is written in.
 */

const SPDX_VERSIONS = ['SPDX-2.2', 'SPDX-2.3'];

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' && v !== 'NOASSERTION' && v !== 'NONE' ? v : undefined;
/** The parsed document before its fields are checked, each where it is read: loose on purpose, and only inside this module. */
// biome-ignore lint/suspicious/noExplicitAny: untrusted input is inspected field by field.
type Raw = Record<string, any>;
const asArray = (v: unknown): Raw[] => (Array.isArray(v) ? v : []) as Raw[];

/** Relationship types whose subject depends on (or contains) the related element. */
const FORWARD = new Set(['DEPENDS_ON', 'CONTAINS', 'HAS_PREREQUISITE', 'DYNAMIC_LINK', 'STATIC_LINK']);
/** Relationship types written from the dependency's side: the related element depends on the subject. */
const REVERSE = new Set([
  'DEPENDENCY_OF', 'CONTAINED_BY', 'PREREQUISITE_FOR', 'BUILD_DEPENDENCY_OF', 'DEV_DEPENDENCY_OF',
  'OPTIONAL_DEPENDENCY_OF', 'PROVIDED_DEPENDENCY_OF', 'TEST_DEPENDENCY_OF', 'RUNTIME_DEPENDENCY_OF',
]);
/** Dependencies that do not ship with the product: kept, but scoped optional. */
const NON_RUNTIME = new Set(['BUILD_DEPENDENCY_OF', 'DEV_DEPENDENCY_OF', 'TEST_DEPENDENCY_OF', 'OPTIONAL_DEPENDENCY_OF', 'PROVIDED_DEPENDENCY_OF']);

const REQUIRED_DOCUMENT_FIELDS = ['spdxVersion', 'SPDXID', 'name', 'dataLicense', 'documentNamespace'];
const REQUIRED_PACKAGE_FIELDS = ['SPDXID', 'name', 'downloadLocation'];

function checksums(list: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of asArray(list)) {
    const alg = str(c.algorithm);
    const value = str(c.checksumValue);
    if (alg && value) out[alg.toUpperCase().replace(/^SHA(1|224|256|384|512)$/, 'SHA-$1')] = value.toLowerCase();
  }
  return out;
}

/**
 * The reference type's name: SPDX tools that went through RDF write it as a URI
 * (`http://spdx.org/rdf/references/cpe23Type`, `…#purl`), others as the bare name.
 */
function referenceType(value: unknown): string {
  return String(value).replace(/^.*[/#]/, '').toLowerCase();
}

function externalRef(pkg: Raw, type: string): string | undefined {
  return str(asArray(pkg.externalRefs).find((r) => referenceType(r.referenceType) === type)?.referenceLocator);
}

/** Validates the fields the SPDX 2.x JSON schema requires, naming the first one missing. */
function checkRequired(doc: Raw): void {
  for (const field of REQUIRED_DOCUMENT_FIELDS) {
    if (doc[field] === undefined || doc[field] === '') throw new SbomError(`SPDX document is missing the required field ${field}`);
  }
  if (!SPDX_VERSIONS.includes(doc.spdxVersion)) {
    throw new SbomError(`unsupported SPDX version ${JSON.stringify(doc.spdxVersion)} (supported: ${SPDX_VERSIONS.join(', ')})`);
  }
  if (doc.packages !== undefined && !Array.isArray(doc.packages)) throw new SbomError('SPDX packages must be an array');
  asArray(doc.packages).forEach((p, i) => {
    if (typeof p !== 'object' || p === null) throw new SbomError(`packages[${i}] is not an object`);
    for (const field of REQUIRED_PACKAGE_FIELDS) {
      if (p[field] === undefined || p[field] === '') throw new SbomError(`packages[${i}] is missing the required field ${field}`);
    }
  });
}

/** An SPDX document in its JSON shape (parsed JSON, or what the XML and tag-value readers make) → the SBOM model. */
export function readSpdxObject(input: unknown): Sbom {
  if (typeof input !== 'object' || input === null) throw new SbomError('an SPDX document must be a JSON object');
  const doc = input as Raw;
  checkRequired(doc);
  const packages = asArray(doc.packages);
  if (packages.length > SBOM_LIMITS.maxComponents) throw new SbomError(`more than ${SBOM_LIMITS.maxComponents} packages`);
  const relationships = asArray(doc.relationships);

  const described = new Set<string>(asArray(doc.documentDescribes).map(String));
  for (const r of relationships) {
    if (r.relationshipType === 'DESCRIBES' && r.spdxElementId === doc.SPDXID) described.add(String(r.relatedSpdxElement));
    if (r.relationshipType === 'DESCRIBED_BY' && r.relatedSpdxElement === doc.SPDXID) described.add(String(r.spdxElementId));
  }
  const packageIds = new Set(packages.map((p) => String(p.SPDXID)));
  const subjectId = [...described].find((id) => packageIds.has(id));

  const dependencies = new Map<string, string[]>();
  const optional = new Set<string>();
  const edge = (from: string, to: string) => dependencies.set(from, [...(dependencies.get(from) ?? []), to]);
  for (const r of relationships) {
    const type = String(r.relationshipType);
    const a = String(r.spdxElementId);
    const b = String(r.relatedSpdxElement);
    if (!packageIds.has(a) || !packageIds.has(b)) continue;
    if (FORWARD.has(type)) edge(a, b);
    else if (REVERSE.has(type)) {
      edge(b, a);
      if (NON_RUNTIME.has(type)) optional.add(a);
    }
  }
  // Several described packages: the first is the subject; the others are its direct dependencies.
  if (subjectId) for (const other of described) if (other !== subjectId && packageIds.has(other)) edge(subjectId, other);

  const components: SbomComponent[] = [];
  let subject: Sbom['subject'];
  for (const p of packages) {
    const ref = String(p.SPDXID);
    const purl = externalRef(p, 'purl');
    if (ref === subjectId) {
      subject = { ref, name: String(p.name), version: str(p.versionInfo), purl };
      continue;
    }
    components.push({
      ref,
      name: String(p.name),
      version: str(p.versionInfo),
      purl,
      cpe: externalRef(p, 'cpe23type') ?? externalRef(p, 'cpe22type'),
      hashes: checksums(p.checksums),
      license: str(p.licenseDeclared) ?? str(p.licenseConcluded),
      scope: optional.has(ref) ? 'optional' : undefined,
      type: str(p.primaryPackagePurpose)?.toLowerCase(),
      description: str(p.summary) ?? str(p.description),
      supplier: str(p.supplier)?.replace(/^(Organization|Person):\s*/, ''),
    });
  }
  return {
    format: 'SPDX',
    specVersion: String(doc.spdxVersion).replace(/^SPDX-/, ''),
    subject,
    serialNumber: str(doc.documentNamespace),
    timestamp: str(doc.creationInfo?.created),
    tools: asArray(doc.creationInfo?.creators)
      .map(String)
      .filter((c) => c.startsWith('Tool:'))
      .map((c) => c.slice(5).trim()),
    components,
    dependencies,
    vulnerabilities: [],
  };
}
