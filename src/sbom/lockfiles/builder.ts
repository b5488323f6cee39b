import { PackageURL } from 'packageurl-js';
import { SBOM_LIMITS, type Sbom, type SbomComponent } from '../model.js';
import { SbomError } from '../errors.js';

export const LOCKFILE_ROOT = 'lockfile-root';

export interface LockedPackage {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers?: Record<string, string>;
  hashes?: Record<string, string>;
  license?: string;
  /** `optional` for development/test-only dependencies. */
  scope?: 'required' | 'optional';
}

/** Collects a lockfile's packages and edges, then hands them over as an Sbom. */
export class LockfileGraph {
  private components = new Map<string, SbomComponent>();
  private edges = new Map<string, Set<string>>();
  private directRefs = new Set<string>();

  constructor(
    private readonly lockfile: string,
    private readonly format: string,
  ) {}

  static purl(p: LockedPackage): string {
    return new PackageURL(p.type, p.namespace || undefined, p.name, p.version || undefined, p.qualifiers, undefined).toString();
  }

  /** Adds a package (once; later additions only fill in missing data) and returns its ref. */
  add(p: LockedPackage): string {
    let purl: string;
    try {
      purl = LockfileGraph.purl(p);
    } catch (err) {
      const name = [p.namespace, p.name].filter(Boolean).join('/');
      throw new SbomError(`${this.lockfile}: cannot make a package URL of "${name.slice(0, 120)}"${p.version ? ` ${String(p.version).slice(0, 40)}` : ''}: ${(err as Error).message}`);
    }
    const existing = this.components.get(purl);
    if (existing) {
      if (p.scope === 'required') existing.scope = 'required';
      existing.license ??= p.license;
      return purl;
    }
    if (this.components.size >= SBOM_LIMITS.maxComponents) throw new SbomError(`${this.lockfile} lists more than ${SBOM_LIMITS.maxComponents} packages`);
    this.components.set(purl, {
      ref: purl,
      name: p.name,
      group: p.namespace,
      version: p.version,
      purl,
      hashes: p.hashes ?? {},
      license: p.license,
      scope: p.scope,
      type: 'library',
    });
    return purl;
  }

  depend(from: string, to: string): void {
    if (from === to) return;
    const set = this.edges.get(from) ?? new Set<string>();
    this.edges.set(from, set);
    set.add(to);
  }

  direct(ref: string): void {
    this.directRefs.add(ref);
  }

  /**
   * The SBOM. When the lockfile does not say which packages are direct, the packages nothing else
   * depends on are taken as the direct ones.
   */
  build(): Sbom {
    let direct = [...this.directRefs];
    if (direct.length === 0) {
      const dependedOn = new Set([...this.edges.values()].flatMap((s) => [...s]));
      direct = [...this.components.keys()].filter((r) => !dependedOn.has(r));
    }
    const dependencies = new Map<string, string[]>([[LOCKFILE_ROOT, direct]]);
    for (const [from, to] of this.edges) dependencies.set(from, [...to]);
    return {
      format: 'lockfile',
      specVersion: this.format,
      subject: { ref: LOCKFILE_ROOT, name: this.lockfile },
      tools: [`tollgate ${this.format} reader`],
      components: [...this.components.values()],
      dependencies,
      vulnerabilities: [],
    };
  }
}

/** Splits an npm-style `@scope/name` into purl namespace and name. */
export function npmName(full: string): { namespace?: string; name: string } {
  if (full.startsWith('@') && full.includes('/')) {
    const slash = full.indexOf('/');
    return { namespace: full.slice(0, slash), name: full.slice(slash + 1) };
  }
  return { name: full };
}

/** npm-style integrity (`sha512-<base64>`) as an algorithm → hex pair. */
export function integrityHashes(integrity: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof integrity !== 'string') return out;
  for (const part of integrity.split(/\s+/)) {
    const m = /^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/=]+)$/.exec(part);
    if (m) out[m[1].toUpperCase().replace('SHA', 'SHA-')] = Buffer.from(m[2], 'base64').toString('hex');
  }
  return out;
}
