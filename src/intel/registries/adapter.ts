import type { PackageMetadata, RegistryEcosystem, VersionDetails } from './types.js';

/**
 * One registry behind the interface the service uses. Adapters know their registry's URLs and
 * document formats; caching, offline mode and coalescing are the service's, common to all.
 */
export interface RegistryAdapter {
  readonly ecosystem: RegistryEcosystem;
  /** The registry's name in messages: `the npm registry`, `Maven Central`, `PyPI`. */
  readonly registry: string;
  /** The name the registry knows the package by; throws ValidationError for a name it cannot have. */
  normalizeName(name: string): string;
  /** The package in messages: `npm package "left-pad"`. */
  describe(name: string): string;
  /** Asks the registry; throws RegistryNotFoundError / RegistryUnavailableError. */
  fetchPackage(name: string): Promise<PackageMetadata>;
  /**
   * For registries whose package document lacks per-version licenses (Maven, PyPI): the version's
   * own document. Throws RegistryNotFoundError when the registry has no such version.
   */
  fetchVersion?(name: string, version: string): Promise<VersionDetails>;
  /**
   * Versions the package document does not list may still exist and have a document of their own:
   * the Go module proxy lists tags only, and a pseudo-version (`v0.0.0-20200622213623-75b288015ac9`)
   * names a commit.
   */
  readonly unlistedVersions?: boolean;
}

/** What every adapter is configured with. */
export interface AdapterOptions {
  url: string;
  timeoutMs: number;
}
