import spdxParse from 'spdx-expression-parse';
import { Type } from 'typebox';
import { Value } from 'typebox/value';

/**
 * SPDX 2.3 JSON, as far as Tollgate writes it, checked against the field definitions of the SPDX
 * 2.3 specification (clauses 6 document creation, 7 packages, 10 other licensing information,
 * 11 relationships; Annex B license expressions). The official JSON schema is not on npm, so the
 * rules are written out here from the specification's text.
 */

const literals = (values: string[]) => Type.Union(values.map((v) => Type.Literal(v)));

/** 6.3 / 7.2: "SPDXRef-" followed by letters, digits, "." or "-". */
const SpdxId = Type.String({ pattern: '^SPDXRef-[A-Za-z0-9.\\-]+$' });
/** 10.1: "LicenseRef-" followed by letters, digits, "." or "-". */
const LicenseRefId = Type.String({ pattern: '^LicenseRef-[A-Za-z0-9.\\-]+$' });
const NoAssertion = literals(['NOASSERTION', 'NONE']);

/** 7.10 checksum algorithms. */
const ChecksumAlgorithm = literals([
  'SHA1', 'SHA224', 'SHA256', 'SHA384', 'SHA512', 'SHA3-256', 'SHA3-384', 'SHA3-512',
  'BLAKE2b-256', 'BLAKE2b-384', 'BLAKE2b-512', 'BLAKE3', 'MD2', 'MD4', 'MD5', 'MD6', 'ADLER32',
]);

/** 7.24 primary package purpose. */
const Purpose = literals(['APPLICATION', 'FRAMEWORK', 'LIBRARY', 'CONTAINER', 'OPERATING-SYSTEM', 'DEVICE', 'FIRMWARE', 'SOURCE', 'ARCHIVE', 'FILE', 'INSTALL', 'OTHER']);

/** 11.1 relationship types. */
const RelationshipType = literals([
  'DESCRIBES', 'DESCRIBED_BY', 'CONTAINS', 'CONTAINED_BY', 'DEPENDS_ON', 'DEPENDENCY_OF', 'DEPENDENCY_MANIFEST_OF',
  'BUILD_DEPENDENCY_OF', 'DEV_DEPENDENCY_OF', 'OPTIONAL_DEPENDENCY_OF', 'PROVIDED_DEPENDENCY_OF', 'TEST_DEPENDENCY_OF',
  'RUNTIME_DEPENDENCY_OF', 'EXAMPLE_OF', 'GENERATES', 'GENERATED_FROM', 'ANCESTOR_OF', 'DESCENDANT_OF', 'VARIANT_OF',
  'DISTRIBUTION_ARTIFACT', 'PATCH_FOR', 'PATCH_APPLIED', 'COPY_OF', 'FILE_ADDED', 'FILE_DELETED', 'FILE_MODIFIED',
  'EXPANDED_FROM_ARCHIVE', 'DYNAMIC_LINK', 'STATIC_LINK', 'DATA_FILE_OF', 'TEST_CASE_OF', 'BUILD_TOOL_OF', 'DEV_TOOL_OF',
  'TEST_OF', 'TEST_TOOL_OF', 'DOCUMENTATION_OF', 'OPTIONAL_COMPONENT_OF', 'METAFILE_OF', 'PACKAGE_OF', 'AMENDS',
  'PREREQUISITE_FOR', 'HAS_PREREQUISITE', 'REQUIREMENT_DESCRIPTION_FOR', 'SPECIFICATION_FOR', 'OTHER',
]);

/** 7.21 external references: category and, for the listed categories, the types Annex F allows. */
const REFERENCE_TYPES: Record<string, string[] | undefined> = {
  SECURITY: ['cpe22Type', 'cpe23Type', 'advisory', 'fix', 'url', 'swid'],
  'PACKAGE-MANAGER': ['maven-central', 'nuget', 'bower', 'purl', 'npm'],
  'PERSISTENT-ID': ['swh', 'gitoid'],
  OTHER: undefined,
};

const Package = Type.Object(
  {
    SPDXID: SpdxId,
    name: Type.String({ minLength: 1 }),
    versionInfo: Type.Optional(Type.String({ minLength: 1 })),
    /** 7.5: "Person: …", "Organization: …" or NOASSERTION. */
    supplier: Type.Optional(Type.String({ pattern: '^((Person|Organization): .+|NOASSERTION)$' })),
    /** 7.7: a download location URL or VCS locator, NONE or NOASSERTION. */
    downloadLocation: Type.Union([NoAssertion, Type.String({ pattern: '^(https?|ftp|git\\+|svn\\+|hg\\+|bzr\\+)' })]),
    filesAnalyzed: Type.Boolean(),
    checksums: Type.Optional(Type.Array(Type.Object({ algorithm: ChecksumAlgorithm, checksumValue: Type.String({ pattern: '^[0-9a-f]+$' }) }, { additionalProperties: false }))),
    licenseConcluded: Type.String({ minLength: 1 }),
    licenseDeclared: Type.String({ minLength: 1 }),
    copyrightText: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    primaryPackagePurpose: Type.Optional(Purpose),
    externalRefs: Type.Optional(
      Type.Array(
        Type.Object(
          {
            referenceCategory: literals(Object.keys(REFERENCE_TYPES)),
            referenceType: Type.String({ minLength: 1 }),
            /** 7.21: no spaces. */
            referenceLocator: Type.String({ pattern: '^\\S+$' }),
            /** 7.22: external reference comment. */
            comment: Type.Optional(Type.String({ minLength: 1 })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);

const Document = Type.Object(
  {
    spdxVersion: Type.Literal('SPDX-2.3'),
    dataLicense: Type.Literal('CC0-1.0'),
    SPDXID: Type.Literal('SPDXRef-DOCUMENT'),
    name: Type.String({ minLength: 1 }),
    /** 6.5: an absolute URI without a "#". */
    documentNamespace: Type.String({ pattern: '^[a-z][a-z0-9+.-]*:[^#\\s]+$' }),
    creationInfo: Type.Object(
      {
        /** 6.9: YYYY-MM-DDThh:mm:ssZ. */
        created: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$' }),
        /** 6.8: at least one "Person: …", "Organization: …" or "Tool: …". */
        creators: Type.Array(Type.String({ pattern: '^(Person|Organization|Tool): .+$' }), { minItems: 1 }),
      },
      { additionalProperties: false },
    ),
    packages: Type.Array(Package),
    relationships: Type.Array(
      Type.Object({ spdxElementId: SpdxId, relationshipType: RelationshipType, relatedSpdxElement: Type.Union([SpdxId, NoAssertion]) }, { additionalProperties: false }),
    ),
    hasExtractedLicensingInfos: Type.Optional(
      Type.Array(Type.Object({ licenseId: LicenseRefId, extractedText: Type.String({ minLength: 1 }), name: Type.Optional(Type.String()) }, { additionalProperties: false })),
    ),
  },
  { additionalProperties: false },
);

// biome-ignore lint/suspicious/noExplicitAny: a parsed document, checked field by field.
export type Json = Record<string, any>;

function licenseRefs(expression: string): string[] {
  const walk = (node: ReturnType<typeof spdxParse>): string[] => ('license' in node ? [node.license] : [...walk(node.left), ...walk(node.right)]);
  return walk(spdxParse(expression)).filter((id) => id.startsWith('LicenseRef-'));
}

/** Problems found, as `path: message`; empty when the document is valid. */
export function checkSpdx23(doc: Json): string[] {
  const problems = [...Value.Errors(Document, doc)].map((e) => `${e.instancePath || '/'}: ${e.message}`);
  if (problems.length) return problems;

  const ids = new Set<string>(['SPDXRef-DOCUMENT']);
  const declared = new Set((doc.hasExtractedLicensingInfos ?? []).map((l: Json) => l.licenseId));
  doc.packages.forEach((p: Json, i: number) => {
    if (ids.has(p.SPDXID)) problems.push(`/packages/${i}/SPDXID: ${p.SPDXID} is not unique`);
    ids.add(p.SPDXID);
    for (const field of ['licenseConcluded', 'licenseDeclared']) {
      const value = p[field] as string;
      if (value === 'NOASSERTION' || value === 'NONE') continue;
      // Annex B: a license expression; every LicenseRef in it declared in the document (10.1).
      try {
        for (const ref of licenseRefs(value)) if (!declared.has(ref)) problems.push(`/packages/${i}/${field}: ${ref} is not declared`);
      } catch {
        problems.push(`/packages/${i}/${field}: ${JSON.stringify(value)} is not an SPDX license expression`);
      }
    }
    for (const [j, r] of (p.externalRefs ?? []).entries()) {
      const allowed = REFERENCE_TYPES[r.referenceCategory];
      if (allowed && !allowed.includes(r.referenceType)) problems.push(`/packages/${i}/externalRefs/${j}: ${r.referenceType} is not a ${r.referenceCategory} reference type`);
      if (r.referenceType === 'purl' && !r.referenceLocator.startsWith('pkg:')) problems.push(`/packages/${i}/externalRefs/${j}: not a purl`);
      if (r.referenceType === 'advisory' && !/^https?:\/\//.test(r.referenceLocator)) problems.push(`/packages/${i}/externalRefs/${j}: an advisory must be a URL`);
    }
  });
  doc.relationships.forEach((r: Json, i: number) => {
    for (const end of [r.spdxElementId, r.relatedSpdxElement]) {
      if (!ids.has(end) && end !== 'NOASSERTION' && end !== 'NONE') problems.push(`/relationships/${i}: ${end} is not an element of the document`);
    }
  });
  // 6: the document describes at least one element.
  if (!doc.relationships.some((r: Json) => r.spdxElementId === 'SPDXRef-DOCUMENT' && r.relationshipType === 'DESCRIBES')) {
    problems.push('/relationships: nothing is DESCRIBED by the document');
  }
  return problems;
}
