/**
 * A registry by the component format it serves (`npm`, `maven`, `golang`, …): the format of an
 * ecosystem descriptor with a `registry` (ecosystems/<format>/index.ts; REGISTRY_FORMATS lists them).
 */
export type RegistryEcosystem = string;

/** One published version of a package, as its registry describes it. */
export interface PackageVersion {
  version: string;
  /** When it was published, ISO-8601 UTC; null when the registry does not say. */
  releasedAt: string | null;
  /**
   * Declared licenses as the registry states them (an SPDX expression, POM license names, PyPI
   * license fields and classifiers), not yet interpreted (intel/licenses/registry-licenses.ts
   * reads them). `[]`: the version declares none. `null`: not in this document: the registry gives
   * licenses per version only in documents not fetched (Maven POMs and PyPI release documents of
   * versions other than the latest, deps.dev version documents).
   */
  licenses: string[] | null;
  /** npm: the version's runtime dependencies, name → range. */
  dependencies?: Record<string, string>;
  /** The deprecation message: npm, NuGet (message or reasons), deps.dev. */
  deprecated?: string;
  /** Withdrawn but still installable when pinned: PyPI (every file yanked), crates.io (yanked), NuGet (unlisted). */
  yanked?: boolean;
}

/** What a registry says about one package: the normalized document that is cached. */
export interface PackageMetadata {
  ecosystem: RegistryEcosystem;
  /** The package's name as the registry knows it, e.g. `@types/semver`, `junit:junit`, `requests`. */
  name: string;
  /**
   * The version the registry calls latest (npm `dist-tags.latest`, Maven `<release>`, PyPI
   * `info.version`, crates.io `max_stable_version`, deps.dev `isDefault`); where the registry names
   * none (RubyGems versions, NuGet, Packagist, the Go proxy), the highest stable version.
   */
  latest: string | null;
  /** The package's declared licenses: those of the latest version; null when the package document has none (deps.dev, the Go proxy). */
  licenses: string[] | null;
  /** Every version, oldest first (by the ecosystem's version order where known, else release date). */
  versions: PackageVersion[];
}

/** A registry answer with where it came from. */
export interface RegistryMetadata extends PackageMetadata {
  /** When the registry was asked. */
  fetchedAt: string;
  /** When the cached answer is due to be fetched again. */
  expiresAt: string;
  /** True when the answer is past its expiry (served from cache in offline mode). */
  stale: boolean;
}

/** What a registry says about one version in a document of its own (a Maven POM, a PyPI release, a deps.dev version). */
export interface VersionDetails {
  /** Declared licenses of the version (`[]`: none declared; null: no source could tell, e.g. a Go module deps.dev does not know). */
  licenses: string[] | null;
  /** When it was published, where that document tells (a POM's Last-Modified). */
  releasedAt: string | null;
}

/** One version of a package with what policies ask about it. */
export interface RegistryVersionFacts {
  /** The package as its registry describes it. */
  metadata: RegistryMetadata;
  /** The version's entry; null when the registry does not list the version. */
  version: PackageVersion | null;
  /** Days since the version was published; null when unknown. */
  ageInDays: number | null;
  isLatest: boolean;
  /** Published versions between it and the latest (see distanceFromLatest); null when unknown. */
  distanceFromLatest: number | null;
}
