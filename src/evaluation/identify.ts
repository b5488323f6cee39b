import { knownFormat } from '../ecosystems/formats.js';
import {
  type ComponentIdentifier,
  componentHash,
  coordinateHash,
  displayName,
  fromPackageUrl,
  normalizeIdentifier,
  toPackageUrl,
} from '../ecosystems/identity.js';
import type { Sbom, SbomComponent } from '../sbom/model.js';

/** One SBOM entry as evaluation knows it: identity settled, nothing looked up yet. */
export interface IdentifiedComponent {
  /** The entry's ref in its SBOM (bom-ref, SPDXID), for dependency data. */
  ref: string;
  /** The reference's 20-hex component hash: the file's SHA-1 truncated, else a stand-in from its coordinates. */
  hash: string;
  sha256?: string;
  componentIdentifier?: ComponentIdentifier;
  /** Canonical package URL (as identity.ts writes it). */
  packageUrl?: string;
  /** The package URL exactly as the SBOM wrote it, when it differs from the canonical one. */
  originalPurl?: string;
  displayName: string;
  matchState: 'exact' | 'unknown';
  identificationSource?: string;
  /** The declared license expression of the SBOM entry. */
  declaredLicense?: string;
  cpe?: string;
}

/** Identification source of a component whose SBOM or lockfile names it by package URL. */
const MANIFEST_SOURCE = 'Package Manifest';
const MANUAL_SOURCE = 'Manual';

interface PurlIdentity {
  identifier: ComponentIdentifier;
  packageUrl: string;
  known: boolean;
  displayName: string;
  coordinateHash: string;
}

/**
 * Identities by package URL as SBOMs write them: parsing and normalizing a purl is most of what
 * identifying costs, and the same purls come back scan after scan. Bounded: past the limit it
 * starts over. Entries are read-only (undefined: the purl does not parse).
 */
const MAX_CACHED_PURLS = 50_000;
const purlIdentities = new Map<string, PurlIdentity | undefined>();

function purlIdentity(purl: string): PurlIdentity | undefined {
  if (purlIdentities.has(purl)) return purlIdentities.get(purl);
  let identity: PurlIdentity | undefined;
  try {
    const identifier = normalizeIdentifier(fromPackageUrl(purl));
    identity = {
      identifier,
      packageUrl: toPackageUrl(identifier),
      known: knownFormat(identifier.format) !== undefined,
      displayName: displayName(identifier),
      coordinateHash: coordinateHash(identifier),
    };
  } catch {
    // A purl that does not parse identifies nothing; the entry stays an unknown component.
    identity = undefined;
  }
  if (purlIdentities.size >= MAX_CACHED_PURLS) purlIdentities.clear();
  purlIdentities.set(purl, identity);
  return identity;
}

/**
 * The identity of one SBOM entry. A package URL of a format Tollgate knows makes an exact match;
 * a malformed one, or none, leaves the component unknown under a name built from what was given.
 */
export function identifyComponent(entry: SbomComponent): IdentifiedComponent {
  const sha1 = entry.hashes['SHA-1'];
  const fileHash = sha1 && /^[0-9a-f]{40}$/.test(sha1) ? sha1.slice(0, 20) : undefined;
  const sha256 = entry.hashes['SHA-256'];
  const identity = entry.purl ? purlIdentity(entry.purl) : undefined;
  const identifier = identity?.identifier;
  const packageUrl = identity?.packageUrl;
  const known = identity?.known ?? false;
  const name = [entry.group, entry.name].filter(Boolean).join(' : ');
  const component: IdentifiedComponent = {
    ref: entry.ref,
    hash: fileHash ?? (identity ? identity.coordinateHash : componentHash(`unknown:${name}@${entry.version ?? ''}`)),
    displayName: identity ? identity.displayName : [name, entry.version].filter(Boolean).join(' : '),
    matchState: known ? 'exact' : 'unknown',
  };
  if (sha256 && /^[0-9a-f]{64}$/.test(sha256)) component.sha256 = sha256;
  if (identifier && known) {
    component.componentIdentifier = identifier;
    component.packageUrl = packageUrl;
    component.identificationSource = MANIFEST_SOURCE;
  }
  if (entry.purl && entry.purl !== packageUrl) component.originalPurl = entry.purl;
  if (entry.license) component.declaredLicense = entry.license;
  if (entry.cpe) component.cpe = entry.cpe;
  return component;
}

/** Every entry of an SBOM, identified; entries that name the same component twice are kept once. */
export function identifySbom(sbom: Sbom): IdentifiedComponent[] {
  const seen = new Set<string>();
  const out: IdentifiedComponent[] = [];
  for (const entry of sbom.components) {
    const c = identifyComponent(entry);
    const key = c.packageUrl ?? `hash:${c.hash}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
  }
  return out;
}

/** What a component claim (services/decisions/component-claims.ts) says a component known only by its hash is. */
export interface ComponentClaim {
  componentIdentifier: ComponentIdentifier;
  packageUrl: string;
}

/** The component claims of the given hashes, by hash: one batched lookup per evaluation. */
export type ClaimsLookup = (hashes: readonly string[]) => Promise<Map<string, ComponentClaim>>;

/** A claim names a component nobody recognised: it becomes an exact, manually identified one. */
export function applyClaim(component: IdentifiedComponent, claim: ComponentClaim | undefined): IdentifiedComponent {
  if (!claim || component.matchState === 'exact') return component;
  return {
    ...component,
    componentIdentifier: claim.componentIdentifier,
    packageUrl: claim.packageUrl,
    displayName: displayName(claim.componentIdentifier),
    matchState: 'exact',
    identificationSource: MANUAL_SOURCE,
  };
}
