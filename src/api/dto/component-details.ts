import { Type } from 'typebox';
import { ComponentIdentifierDTO } from './component.js';

/** The reference's ApiComponentDTOV2 as a request names a component: checked by the service, which says what is wrong. */
export const RequestedComponentDTO = Type.Object({
  hash: Type.Optional(Type.Union([Type.String({ description: "the component's SHA-1, 20 or 40 hexadecimal characters" }), Type.Null()])),
  componentIdentifier: Type.Optional(
    Type.Union([Type.Object({ format: Type.Optional(Type.String()), coordinates: Type.Optional(Type.Record(Type.String(), Type.String())) }), Type.Null()]),
  ),
  packageUrl: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  displayName: Type.Optional(Type.String()),
  originalPurl: Type.Optional(Type.String()),
  proprietary: Type.Optional(Type.Boolean()),
  sha256: Type.Optional(Type.String()),
  thirdParty: Type.Optional(Type.Boolean()),
});

/** The reference's ApiComponentDetailsRequestDTOV2. */
export const ApiComponentDetailsRequestDTOV2 = Type.Object({
  components: Type.Optional(Type.Array(RequestedComponentDTO)),
});

const ApiLicenseDTO = Type.Object({ licenseId: Type.String(), licenseName: Type.String() });

/** The reference's ApiSecurityIssueDTO, in the part the advisory data fills. */
const ApiSecurityIssueDTO = Type.Object({
  source: Type.String({ description: 'the database of the canonical id: cve, ghsa, pysec, go, …' }),
  reference: Type.String({ description: 'canonical id of the alias group' }),
  severity: Type.Optional(
    Type.Number({ description: "the score evaluations use: a matched record's CVSS, else another record's of the vulnerability, else NVD's, else a qualitative rating's" }),
  ),
  url: Type.String(),
  threatCategory: Type.Optional(Type.String({ description: 'critical, severe, moderate, low or none' })),
  status: Type.String({ description: 'Open: there is no owner whose overrides could apply' }),
  cvssVector: Type.Optional(Type.String()),
  cvssVectorSource: Type.Optional(
    Type.String({ description: 'where the score came from: osv:<record>, alias:<record>, nvd:<CVE>, qualitative:<record>, or unscored' }),
  ),
  cwe: Type.Optional(Type.String()),
});

/** The reference's ApiComponentDetailsDTOV2: popularity, hygiene/integrity ratings, project and policy data have no source here. */
const ApiComponentDetailsDTOV2 = Type.Object({
  component: Type.Object({
    hash: Type.Optional(Type.String({ description: 'as given; for a component named by coordinates, the stand-in hash evaluation uses' })),
    componentIdentifier: Type.Optional(ComponentIdentifierDTO),
    packageUrl: Type.Optional(Type.String()),
    originalPurl: Type.Optional(Type.String({ description: 'the package URL as given, when it differs from the canonical one' })),
    displayName: Type.Optional(Type.String()),
  }),
  matchState: Type.String({ description: 'exact (a known format, or a claimed hash) or unknown' }),
  catalogDate: Type.Optional(Type.String({ description: "release date from the registry, or a claim's createTime" })),
  licenseData: Type.Optional(
    Type.Object({
      declaredLicenses: Type.Array(ApiLicenseDTO),
      observedLicenses: Type.Array(ApiLicenseDTO),
      effectiveLicenses: Type.Array(ApiLicenseDTO),
      overriddenLicenses: Type.Array(ApiLicenseDTO),
      status: Type.String(),
    }),
  ),
  securityData: Type.Optional(Type.Object({ securityIssues: Type.Array(ApiSecurityIssueDTO) })),
});

/** The reference's ApiComponentDetailsResultDTOV2. */
export const ApiComponentDetailsResultDTOV2 = Type.Object({ componentDetails: Type.Array(ApiComponentDetailsDTOV2) });
