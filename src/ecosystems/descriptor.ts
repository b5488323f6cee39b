import type { Config } from '../config/config.js';
import type { RegistryAdapter } from '../intel/registries/adapter.js';
import type { LockfileReader } from '../sbom/lockfiles/reader.js';
import type { Coordinates, FormatIdentity } from './types.js';
import type { Versioning } from './versioning/types.js';

/**
 * Everything Tollgate knows of one ecosystem, in one place: ecosystems/<format>/index.ts exports
 * one, ecosystems/index.ts lists them, and every per-ecosystem list and switch (known formats and
 * their aliases, OSV ecosystem names, versioningFor, advisory name normalisation, registryFor and
 * registry requests, lockfile readers) is a lookup over that list.
 *
 * Descriptors are data and factories only: they name the modules that do the work (identity,
 * version scheme, registry adapter, lockfile readers), and those modules must not import the
 * lookups built from the descriptors (test/ecosystems/descriptors.test.ts checks the import graph).
 */
export interface EcosystemDescriptor {
  /** The reference's format name (`componentIdentifier.format`), lowercase: `npm`, `golang`, `a-name`. */
  readonly format: string;
  /**
   * Other names clients use for the format: the purl type where it differs (`apk` for alpine), the
   * spellings of the reference's prose (`rubygems`, as the firewall evaluation notes write it).
   */
  readonly aliases?: readonly string[];
  /**
   * Component identity (identity.ts in the folder): coordinates ⇄ package URL, display name. Absent
   * for ecosystems known only from advisories (Hex, Pub, Hackage, Bitnami): the generic fallback
   * names their components by purl type, and they are not formats with a module of their own.
   */
  readonly identity?: FormatIdentity;
  /** How the ecosystem orders its versions; absent where Tollgate knows no scheme. */
  readonly versioning?: Versioning;
  /** How OSV records name the ecosystem and its packages; absent where OSV has no ecosystem for it. */
  readonly osv?: OsvNaming;
  /** The registry Tollgate reads package metadata from; absent where it reads none. */
  readonly registry?: RegistryDescriptor;
  /** Readers of the ecosystem's lockfiles and manifests (sbom/lockfiles/), each with the file names it reads. */
  readonly lockfiles?: readonly LockfileReader[];
}

/** A package as an OSV record's `affected[].package` names it: `{ecosystem: 'Maven', name: 'org.yaml:snakeyaml'}`. */
export interface OsvPackageName {
  ecosystem: string;
  name: string;
}

/** How OSV (https://ossf.github.io/osv-schema/#affectedpackage-field) names an ecosystem's packages. */
export interface OsvNaming {
  /**
   * The OSV ecosystem names whose packages have this format, primary first (several Linux
   * distributions share a package format). Release suffixes (`Debian:12`) are not part of them.
   */
  readonly ecosystems: readonly string[];
  /** Those of `ecosystems` that versioningFor knows no scheme for, although the descriptor has one. */
  readonly unversioned?: readonly string[];
  /** A package name (trimmed) as the ecosystem's advisories compare names (PyPI: PEP 503). Default: as written. */
  normalizeName?(name: string): string;
  /** A component's version (trimmed) as the ecosystem's advisories write it (Go: `v1.2.3` → `1.2.3`). Default: as written. */
  normalizeVersion?(version: string): string;
  /**
   * The coordinates (no version) of an OSV package; a ValidationError when its name cannot be one
   * (a Maven name without `:`). Default: `{name}`, the name trimmed.
   */
  coordinatesOf?(pkg: OsvPackageName): Coordinates;
  /**
   * The OSV package name of a component's coordinates; undefined when they lack it, or when no
   * advisory can be named from coordinates alone (distribution packages: advisories name the
   * release, `Debian:12`). Default: the `name` coordinate.
   */
  nameOf?(coordinates: Coordinates): string | undefined;
}

/** The package registry of an ecosystem (intel/registries/). */
export interface RegistryDescriptor {
  /** The adapter, configured from `registries.*` (each registry has its settings there: config/config.ts). */
  create(registries: Config['registries']): RegistryAdapter;
  /** The package's name at the registry, from a component's coordinates; undefined when they lack it. */
  packageName(coordinates: Coordinates): string | undefined;
  /**
   * deps.dev's name for the ecosystem (`go` for golang) and the registry's name rules, where
   * deps.dev may answer instead of the registry (`registries.depsdev.formats`).
   */
  readonly depsDev?: { readonly system: string; normalizeName(name: string): string };
}

/** The ecosystem part of an OSV ecosystem name, lowercase: `Debian:11` → `debian`, `Ubuntu:22.04:LTS` → `ubuntu`. */
export function osvEcosystemBase(ecosystem: string): string {
  const name = ecosystem.trim().toLowerCase();
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(0, colon);
}
