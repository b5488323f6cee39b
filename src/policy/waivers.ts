import type { ComponentFacts } from './facts.js';

/**
 * A waiver as the engine needs it: which policy, which component(s), made where. The waiver
 * lifecycle (requests, expiry, reasons, storage) lives elsewhere; the engine only marks the
 * violations a waiver covers.
 */
export interface WaiverInput {
  id: string;
  policyId: string;
  /**
   * `component`: this component exactly (by hash, else by package URL); `allVersions`: any version
   * of the component named by the package URL; `allComponents`: every component.
   */
  match: { type: 'component'; hash?: string; packageUrl?: string } | { type: 'allVersions'; packageUrl: string } | { type: 'allComponents' };
  /** Where the waiver was made; it applies to the applications at or below that owner. */
  scope: { ownerType: 'organization' | 'application'; ownerId: string };
  /** ISO time; an expired waiver waives nothing. */
  expiresAt?: string;
}

/** A package URL without its version, qualifiers and subpath: what "all versions" compares. */
function versionlessPackageUrl(packageUrl: string): string {
  const base = packageUrl.split(/[?#]/, 1)[0];
  const at = base.lastIndexOf('@');
  return at > base.lastIndexOf('/') ? base.slice(0, at) : base;
}

interface PreparedWaiver {
  id: string;
  test: (facts: ComponentFacts) => boolean;
}

/** Waivers indexed by policy, filtered to the ones that apply, with their component tests built once. */
export class WaiverIndex {
  private readonly byPolicy = new Map<string, PreparedWaiver[]>();

  constructor(waivers: readonly WaiverInput[], options: { ownerIds?: readonly string[]; now?: Date } = {}) {
    const owners = options.ownerIds ? new Set(options.ownerIds) : undefined;
    const now = (options.now ?? new Date()).toISOString();
    for (const w of waivers) {
      if (owners && !owners.has(w.scope.ownerId)) continue;
      if (w.expiresAt && w.expiresAt <= now) continue;
      const list = this.byPolicy.get(w.policyId) ?? [];
      list.push({ id: w.id, test: componentTest(w.match) });
      this.byPolicy.set(w.policyId, list);
    }
  }

  /** The id of the first waiver covering this policy's violation by this component, if any. */
  waiverFor(policyId: string, facts: ComponentFacts): string | undefined {
    const list = this.byPolicy.get(policyId);
    if (!list) return undefined;
    for (const w of list) if (w.test(facts)) return w.id;
    return undefined;
  }
}

function componentTest(match: WaiverInput['match']): (facts: ComponentFacts) => boolean {
  switch (match.type) {
    case 'allComponents':
      return () => true;
    case 'allVersions': {
      const wanted = versionlessPackageUrl(match.packageUrl);
      return (f) => f.packageUrl !== undefined && versionlessPackageUrl(f.packageUrl) === wanted;
    }
    default:
      if (match.hash) {
        const hash = match.hash;
        return (f) => f.hash === hash;
      }
      if (match.packageUrl) {
        const purl = match.packageUrl;
        return (f) => f.packageUrl === purl;
      }
      return () => false;
  }
}
