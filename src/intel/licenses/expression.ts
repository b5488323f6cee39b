import spdxCorrect from 'spdx-correct';
import spdxParse from 'spdx-expression-parse';
import { isUrl, licenseOfUrl } from './license-urls.js';
import { canonicalSpecialId } from './special-licenses.js';
import { canonicalSpdxId, isLicenseRef } from './spdx-ids.js';

/** A parsed license expression: a leaf license, or a conjunction of two expressions. */
export type LicenseExpression =
  | { license: string; plus?: boolean; exception?: string }
  | { conjunction: 'and' | 'or'; left: LicenseExpression; right: LicenseExpression };

export type LicenseLeaf = Extract<LicenseExpression, { license: string }>;

/** One rewrite made to turn what was written into a valid expression. */
export interface LicenseCorrection {
  from: string;
  to: string;
}

export interface ParsedLicense {
  /** What was given, trimmed. */
  input: string;
  expression: LicenseExpression;
  /** The expression written back in canonical SPDX form. */
  normalized: string;
  /** Empty when the input was valid SPDX as written. */
  corrections: LicenseCorrection[];
}

export class LicenseExpressionError extends Error {}

/**
 * Common names that spdx-correct leaves alone or gets wrong. `UNLICENSED` (npm: no rights granted)
 * must not become the Unlicense (public domain), which is what spdx-correct would make of it.
 */
const ALIASES = new Map<string, string>([
  ['asl 2.0', 'Apache-2.0'],
  ['asl-2.0', 'Apache-2.0'],
  ['apache software license 2.0', 'Apache-2.0'],
  ['isc license', 'ISC'],
  ['unlicensed', 'UNLICENSED'],
  ['bsd license', 'BSD-3-Clause'],
  ['python software foundation license', 'PSF-2.0'],
  ['zlib license', 'Zlib'],
  ['wtfpl', 'WTFPL'],
  ['cc0', 'CC0-1.0'],
]);

/** Ids Tollgate accepts besides the SPDX list: LicenseRef-…, and the reference product's special ids. */
function canonicalId(id: string): string | undefined {
  if (isLicenseRef(id)) return id;
  return canonicalSpdxId(id) ?? canonicalSpecialId(id);
}

function tryParse(text: string): LicenseExpression | undefined {
  try {
    return spdxParse(text) as LicenseExpression;
  } catch {
    return undefined;
  }
}

/** Corrects one license name (no operators): alias table, then case, then spdx-correct. */
function correctName(name: string): string | undefined {
  const trimmed = name.trim().replace(/^\(+|\)+$/g, '').trim();
  if (!trimmed) return undefined;
  const alias = ALIASES.get(trimmed.toLowerCase());
  if (alias) return alias;
  const exact = canonicalId(trimmed);
  if (exact) return exact;
  return keepsVersions(trimmed, spdxCorrect(trimmed));
}

/** Version numbers written in a license name or id (`2`, `2.1`; `2.0` counts as `2`); years are not versions. */
function versionsIn(text: string): string[] {
  return [...text.matchAll(/(?<![\d.])(\d{1,2}(?:\.\d+)*)(?!\d)/g)].map((m) => m[1].replace(/(\.0)+$/, ''));
}

/**
 * spdx-correct's answer, unless it names another version than the text did: it reads "Eclipse
 * Public License 2.0" as EPL-1.0 and "GNU Lesser General Public License v2.1 or later" as
 * GPL-3.0-or-later. A wrong license is worse than an unread one, which stays visible as written.
 */
function keepsVersions(text: string, corrected: string | null): string | undefined {
  if (!corrected) return undefined;
  const written = versionsIn(text);
  const meant = new Set(versionsIn(corrected));
  return written.every((v) => meant.has(v)) ? corrected : undefined;
}

/**
 * Terms of a non-SPDX text: operators (AND / OR / WITH in any case), parentheses, and runs of words
 * between them ("Apache 2", "MIT License") to correct as one name. Slashes and ampersands, which
 * people write for "or" and "and", become the SPDX words.
 */
function splitTerms(text: string): string[] {
  return text
    .replace(/\s+&\s+/g, ' AND ')
    .replace(/\s*\/\s*(?=[A-Za-z])/g, ' OR ')
    .split(/(\(|\)|(?:^|\s+)(?:AND|OR|WITH)(?:\s+|$))/i)
    .map((t) => t.trim())
    .filter(Boolean);
}

/** One name, with a trailing `+` (or later) kept in the SPDX way. */
function correctTerm(term: string): string | undefined {
  const listed = term.endsWith('+') ? canonicalSpdxId(term.slice(0, -1)) : undefined;
  if (listed) return `${listed}+`;
  const direct = correctName(term);
  if (direct && !/\+$/.test(direct)) return direct;
  if (!term.endsWith('+')) return direct;
  const base = correctName(term.slice(0, -1));
  if (!base) return undefined;
  if (base.endsWith('-or-later')) return base;
  if (base.endsWith('-only')) return base.replace(/-only$/, '-or-later');
  return `${base}+`;
}

/** Rebuilds one comma-free part, correcting each license name; undefined when one cannot be. */
function correctTerms(text: string, corrections: LicenseCorrection[]): string | undefined {
  const out: string[] = [];
  let afterWith = false;
  if (/\s&\s/.test(text)) corrections.push({ from: '&', to: 'AND' });
  if (/\/\s*[A-Za-z]/.test(text)) corrections.push({ from: '/', to: 'OR' });
  for (const term of splitTerms(text)) {
    const op = term.toUpperCase();
    if (term === '(' || term === ')' || op === 'AND' || op === 'OR' || op === 'WITH') {
      out.push(op);
      afterWith = op === 'WITH';
      continue;
    }
    if (afterWith) {
      out.push(term);
      afterWith = false;
      continue;
    }
    const corrected = canonicalId(term) ?? correctTerm(term);
    if (!corrected) return undefined;
    if (corrected !== term) corrections.push({ from: term, to: corrected });
    out.push(corrected);
  }
  return out.join(' ');
}

/**
 * Commas join licenses that all apply, and bind loosest: the reference reads
 * "EPL-1.0 or LGPL-2.0+, BSD-3-Clause" as (EPL-1.0 OR LGPL-2.0+) AND BSD-3-Clause.
 */
function correctText(text: string, corrections: LicenseCorrection[]): string | undefined {
  const parts = text.split(/\s*,\s*/).filter(Boolean);
  if (parts.length === 1) return correctTerms(text, corrections);
  const rebuilt: string[] = [];
  for (const part of parts) {
    const one = correctTerms(part, corrections);
    if (!one) return undefined;
    rebuilt.push(`(${one})`);
  }
  corrections.push({ from: ',', to: 'AND' });
  return rebuilt.join(' AND ');
}

/** Special ids are not SPDX; they pass the parser as LicenseRef-shaped placeholders and come back. */
function withPlaceholders(text: string, corrections: LicenseCorrection[]): { text: string; restore: Map<string, string> } {
  const restore = new Map<string, string>();
  const replaced = text.replace(/[A-Za-z0-9.-]+/g, (word) => {
    const special = canonicalSpecialId(word);
    if (!special || canonicalSpdxId(word)) return word;
    if (special !== word) corrections.push({ from: word, to: special });
    const key = `LicenseRef-tollgate-special-${restore.size}`;
    restore.set(key, special);
    return key;
  });
  return { text: replaced, restore };
}

function restoreSpecial(node: LicenseExpression, restore: Map<string, string>): LicenseExpression {
  if ('conjunction' in node) {
    return { conjunction: node.conjunction, left: restoreSpecial(node.left, restore), right: restoreSpecial(node.right, restore) };
  }
  return restore.has(node.license) ? { ...node, license: restore.get(node.license)! } : node;
}

function parseStrict(text: string, corrections: LicenseCorrection[]): LicenseExpression | undefined {
  const found: LicenseCorrection[] = [];
  const { text: prepared, restore } = withPlaceholders(text, found);
  const tree = tryParse(prepared);
  if (tree) corrections.push(...found);
  return tree && restoreSpecial(tree, restore);
}

/**
 * Parses a license expression as written in package metadata. Valid SPDX parses as is; otherwise
 * ids in the wrong case, the reference product's special ids, and common non-SPDX names ("Apache 2",
 * "GPLv2", "MIT License", "BSD") are corrected, each correction recorded. Throws
 * LicenseExpressionError when no reading is found.
 */
export function parseLicenseExpression(input: string): ParsedLicense {
  const text = (input ?? '').trim();
  if (!text) throw new LicenseExpressionError('The license expression is empty.');
  if (isUrl(text)) return parseUrl(text);
  const corrections: LicenseCorrection[] = [];
  let tree = parseStrict(text, corrections);
  if (!tree) {
    const rebuilt = correctText(text, corrections);
    tree = rebuilt ? parseStrict(rebuilt, corrections) : undefined;
  }
  if (!tree && !/[()+]|(^|\s)(and|or|with)(\s|$)/i.test(text)) {
    // A single name spdx-correct knows as a whole ("Apache License, Version 2.0"). Text with
    // operators is never guessed at this way: it would drop parts ("MIT AND" → "MIT").
    corrections.length = 0;
    const whole = keepsVersions(text, spdxCorrect(text));
    tree = whole ? parseStrict(whole, []) : undefined;
    if (whole && tree) corrections.push({ from: text, to: whole });
  }
  if (!tree) throw new LicenseExpressionError(`"${text}" is not a license expression Tollgate can read.`);
  return { input: text, expression: tree, normalized: formatLicenseExpression(tree), corrections };
}

/**
 * A license given by its address is read only through the table of license pages (license-urls.ts):
 * spdx-correct guesses from any address's words (a project's `…/blob/master/LICENSE.txt` became MPL-2.0).
 */
function parseUrl(url: string): ParsedLicense {
  const mapped = licenseOfUrl(url);
  const tree = mapped ? parseStrict(mapped, []) : undefined;
  if (!mapped || !tree) throw new LicenseExpressionError(`"${url}" is the address of a license page Tollgate does not know.`);
  return { input: url, expression: tree, normalized: formatLicenseExpression(tree), corrections: [{ from: url, to: mapped }] };
}

/** Parses, or returns undefined (never throws): for data where a bad expression is only a notice. */
export function tryParseLicenseExpression(input: string | null | undefined): ParsedLicense | undefined {
  try {
    return input ? parseLicenseExpression(input) : undefined;
  } catch {
    return undefined;
  }
}

/** SPDX text of a tree, with parentheses only where precedence needs them (AND binds tighter). */
export function formatLicenseExpression(node: LicenseExpression, parent?: 'and' | 'or'): string {
  if ('conjunction' in node) {
    const text = `${formatLicenseExpression(node.left, node.conjunction)} ${node.conjunction.toUpperCase()} ${formatLicenseExpression(node.right, node.conjunction)}`;
    return parent === 'and' && node.conjunction === 'or' ? `(${text})` : text;
  }
  return `${node.license}${node.plus ? '+' : ''}${node.exception ? ` WITH ${node.exception}` : ''}`;
}

/** The leaves of a tree, left to right. */
export function licenseLeaves(node: LicenseExpression): LicenseLeaf[] {
  return 'conjunction' in node ? [...licenseLeaves(node.left), ...licenseLeaves(node.right)] : [node];
}

/** The text of one leaf: `GPL-2.0+`, `GPL-2.0-only WITH Classpath-exception-2.0`. */
export function formatLeaf(leaf: LicenseLeaf): string {
  return formatLicenseExpression(leaf);
}
