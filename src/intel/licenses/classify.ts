import {
  formatLeaf,
  type LicenseExpression,
  type LicenseLeaf,
  type ParsedLicense,
  parseLicenseExpression,
} from './expression.js';
import { canonicalSpdxId } from './spdx-ids.js';

/** A threat group as classification needs it (whatever owner it was defined on). */
export interface ThreatGroupLike {
  name: string;
  threatLevel: number;
  licenseIds: readonly string[];
}

export interface LeafThreat {
  /** The leaf as written in SPDX form: `GPL-2.0+`, `GPL-2.0-only WITH Classpath-exception-2.0`. */
  license: string;
  /** The group entry it matched, which may be less specific than the leaf (`GPL-2.0-only`). */
  matchedLicenseId?: string;
  /** The most threatening group holding it; absent when no group does. */
  group?: { name: string; threatLevel: number };
}

export interface LicenseClassification {
  /** The highest threat level that applies; null when no license in it belongs to any group. */
  threatLevel: number | null;
  /** The group giving that level. */
  groupName: string | null;
  /** The licenses that decide the result: for OR the chosen alternative, for AND all of them. */
  licenses: LeafThreat[];
  /** Licenses in the deciding part that no group holds (the reference's "threat not assigned"). */
  unassigned: string[];
}

/** An index from license id to the groups holding it, built once per set of effective groups. */
export class ThreatGroupIndex {
  private readonly byLicense = new Map<string, Array<{ name: string; threatLevel: number }>>();

  constructor(groups: readonly ThreatGroupLike[]) {
    for (const group of groups) {
      for (const id of group.licenseIds) {
        const list = this.byLicense.get(id) ?? [];
        list.push({ name: group.name, threatLevel: group.threatLevel });
        this.byLicense.set(id, list);
      }
    }
    // A license may be in several groups: the most threatening one speaks for it.
    for (const list of this.byLicense.values()) list.sort((a, b) => b.threatLevel - a.threatLevel || a.name.localeCompare(b.name));
  }

  /**
   * The ids to look a leaf up by, most specific first: the whole `X WITH exception`, then the
   * license written as is (`GPL-2.0+` is a deprecated id of its own), then the spellings SPDX
   * treats as the same license (`GPL-2.0+` ≡ `GPL-2.0-or-later`, `GPL-2.0` ≡ `GPL-2.0-only`).
   */
  private candidates(leaf: LicenseLeaf): string[] {
    const base = leaf.license;
    const ids: string[] = [];
    const variants = leaf.plus
      ? [`${base}+`, `${base}-or-later`, base.replace(/-only$/, '-or-later'), base]
      : [base, base.endsWith('-only') ? base.slice(0, -5) : `${base}-only`];
    if (leaf.exception) for (const v of variants) ids.push(`${v} WITH ${leaf.exception}`);
    ids.push(...variants);
    return [...new Set(ids.map((id) => canonicalSpdxId(id) ?? id))];
  }

  leaf(leaf: LicenseLeaf): LeafThreat {
    for (const id of this.candidates(leaf)) {
      const groups = this.byLicense.get(id);
      if (groups?.length) return { license: formatLeaf(leaf), matchedLicenseId: id, group: groups[0] };
    }
    return { license: formatLeaf(leaf) };
  }

  /**
   * The threat of an expression. AND: every license applies, so the most threatening decides.
   * OR: the consumer may choose, so the least threatening alternative decides; an alternative with
   * an unassigned license is a worse choice than any known one (nothing says it is safe).
   */
  classify(expression: LicenseExpression): LicenseClassification {
    if (!('conjunction' in expression)) {
      const threat = this.leaf(expression);
      return {
        threatLevel: threat.group?.threatLevel ?? null,
        groupName: threat.group?.name ?? null,
        licenses: [threat],
        unassigned: threat.group ? [] : [threat.license],
      };
    }
    const left = this.classify(expression.left);
    const right = this.classify(expression.right);
    if (expression.conjunction === 'and') {
      const top = (right.threatLevel ?? -1) > (left.threatLevel ?? -1) ? right : left;
      return {
        threatLevel: top.threatLevel,
        groupName: top.groupName,
        licenses: [...left.licenses, ...right.licenses],
        unassigned: [...new Set([...left.unassigned, ...right.unassigned])],
      };
    }
    return rank(left) <= rank(right) ? left : right;
  }

  /** Parses (with corrections) and classifies a written expression. */
  classifyText(text: string): LicenseClassification & { parsed: ParsedLicense } {
    const parsed = parseLicenseExpression(text);
    return { ...this.classify(parsed.expression), parsed };
  }
}

/** Ordering of OR alternatives: fully known ones by level, then partly unknown, then unknown. */
function rank(c: LicenseClassification): number {
  if (c.threatLevel === null) return 1000;
  return c.unassigned.length ? 100 + c.threatLevel : c.threatLevel;
}

/**
 * The reference's category for a license threat level (ApiLicenseThreatDTOV2
 * licenseThreatGroupCategory): critical above 7, severe above 3, moderate above 0, else no-threat.
 * The bands differ from the security ones (threatCategory in intel/severity) on purpose, as there.
 */
export function licenseThreatCategory(threatLevel: number): 'critical' | 'severe' | 'moderate' | 'no-threat' {
  if (threatLevel > 7) return 'critical';
  if (threatLevel > 3) return 'severe';
  if (threatLevel > 0) return 'moderate';
  return 'no-threat';
}
