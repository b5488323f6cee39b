/**
 * What every reader produces: the components of one SBOM and how they depend on each other,
 * whatever the input format. Identity (purl ⇄ componentIdentifier) and matching come later.
 */
export interface SbomComponent {
  /** The component's id within its document: CycloneDX bom-ref, SPDX SPDXID, or one made up. */
  ref: string;
  name: string;
  group?: string;
  version?: string;
  purl?: string;
  cpe?: string;
  /** Hashes by algorithm, lowercase hex: `SHA-1`, `SHA-256`, `MD5`, … */
  hashes: Record<string, string>;
  /** The declared license as one SPDX-like expression (ids, `LicenseRef-…` or free names). */
  license?: string;
  /** CycloneDX scope (`required` | `optional` | `excluded`). */
  scope?: string;
  /** CycloneDX type or SPDX primary purpose, lowercased (`library`, `application`, `file`, …). */
  type?: string;
  description?: string;
  supplier?: string;
}

/** A VEX statement (CycloneDX vulnerabilities[].analysis) about a vulnerability in components. */
export interface SbomVulnerabilityAnalysis {
  id: string;
  /** The refs (bom-ref) of the components it speaks about. */
  affects: string[];
  state?: string;
  justification?: string;
  response?: string[];
  detail?: string;
}

export interface Sbom {
  format: 'CycloneDX' | 'SPDX' | 'lockfile';
  /** The spec version, or for lockfiles the lockfile kind (`package-lock.json`, `poetry.lock`, …). */
  specVersion: string;
  /** The subject: CycloneDX metadata.component, or the SPDX package the document describes. */
  subject?: { ref: string; name: string; version?: string; purl?: string };
  serialNumber?: string;
  timestamp?: string;
  tools: string[];
  components: SbomComponent[];
  /** ref → the refs it depends on directly. The subject's entry lists the direct dependencies. */
  dependencies: Map<string, string[]>;
  vulnerabilities: SbomVulnerabilityAnalysis[];
}

/** Limits that keep a hostile document from exhausting the server. */
export const SBOM_LIMITS = {
  maxComponents: 200_000,
  maxDepth: 64,
} as const;
