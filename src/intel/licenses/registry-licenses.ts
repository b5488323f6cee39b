import { type LicenseExpression, formatLicenseExpression, tryParseLicenseExpression } from './expression.js';
import { isUrl, licenseOfUrl } from './license-urls.js';
import { SPECIAL_LICENSES } from './special-licenses.js';
import { classifierLicense, isCategoryClassifier, isLicenseClassifier } from './trove-classifiers.js';

/**
 * What package registries declare about licenses, read as one SPDX expression. Registries write
 * licenses many ways: npm an SPDX expression (or legacy `{type}` objects, flattened by the npm
 * adapter), PyPI a PEP 639 `license_expression`, a free-text `license` field and `License ::`
 * classifiers, POMs `<license>` names and URLs, NuGet an expression or a URL, RubyGems / crates.io /
 * Packagist strings (crates.io's old `MIT/Apache-2.0` meaning OR), deps.dev SPDX already.
 *
 * Several declarations of one version are alternatives in every ecosystem read here, so they join
 * with OR: a POM's `<license>` entries ("it is assumed that the user can select any of those
 * licenses", Maven's POM reference), npm's legacy `licenses` array (npm's docs replace it with
 * `(MIT OR Apache-2.0)`), Composer's license array ("disjunctive", Composer's schema docs), gem
 * `licenses` (`["MIT", "Ruby"]`: Ruby's own dual licensing), PyPI classifiers and deps.dev's list
 * (which carries the source registry's declarations one by one).
 *
 * Text that cannot be read is never dropped: it comes back in `unrecognized`, as written, for the
 * caller to show.
 */
export interface DeclaredLicense {
  /** The declared licenses as one SPDX expression; absent when none could be read. */
  expression?: string;
  /** Declarations that could not be read, trimmed, as written. */
  unrecognized: string[];
}

/** Ecosystem names as formats (`gem`) or as OSV / registries name them (`RubyGems`). */
const ECOSYSTEM_ALIASES: Record<string, string> = { rubygems: 'gem', 'crates.io': 'cargo', packagist: 'composer', go: 'golang' };

/**
 * Names registries write that the generic reading (expression.ts: SPDX, then spdx-correct) gets
 * wrong or misses: families written with their version ("Eclipse Public License - v 2.0", which
 * spdx-correct reads as EPL-1.0), names with a slash that are one license ("MIT/X11", read
 * otherwise as two), and a few common POM names.
 */
const NAMES: ReadonlyArray<[RegExp, (m: RegExpMatchArray) => string]> = [
  [/^(the )?eclipse public license,?( -)? (v\.? ?|version )?([12])(\.0)?$/, (m) => `EPL-${m[4]}.0`],
  [/^(the )?eclipse distribution license,?( -)? (v\.? ?|version )?1(\.0)?$|^edl[- ]?(v\.? ?)?1(\.0)?$/, () => 'BSD-3-Clause'],
  [
    /^(the )?(gnu general public license|gpl),? (v(ersion)?\.? ?)?2(\.0)? (with|w\/) (the )?(gnu )?(classpath exception|cpe)$|^gplv?2 (with|w\/) (the )?(classpath exception|cpe)$/,
    () => 'GPL-2.0-only WITH Classpath-exception-2.0',
  ],
  [/^(the )?gnu general public license,? (v|version )?([23])(\.0)?$/, (m) => `GPL-${m[3]}.0-only`],
  [/^(the )?bouncy castle licen[cs]e$/, () => 'MIT'],
  [/^(mit\/x11|x11\/mit)( license)?$/, () => 'MIT'],
  [/^zlib\/libpng( license)?$/, () => 'Zlib'],
];

function knownName(text: string): string | undefined {
  const key = text.toLowerCase().replace(/\s+/g, ' ');
  for (const [pattern, expression] of NAMES) {
    const m = key.match(pattern);
    if (m) return expression(m);
  }
  return undefined;
}

/** A name with its abbreviation in parentheses ("The MIT License (MIT)"), which the generic reading refuses, without it. */
function withoutAbbreviations(text: string): string {
  return text.replace(/\s*\((?!\s*(and|or|with)\b)[A-Za-z][\w.+-]*\)/gi, '').trim();
}

/** The Maven adapter stores a POM license whose name alone is not readable as `name (url)`. */
const NAME_AND_URL = /^(.*?)\s*\((https?:\/\/[^\s()]+)\)$/i;

/** One declaration as an SPDX expression, or undefined when it cannot be read. */
function readDeclaration(text: string, ecosystem: string): string | undefined {
  const paired = text.match(NAME_AND_URL);
  if (paired?.[1]) return readDeclaration(paired[1], ecosystem) ?? licenseOfUrl(paired[2]);
  // A URL is read only through the table: spdx-correct guesses from any address's words.
  if (isUrl(text)) return licenseOfUrl(text);
  // npm: the license is in a file of the package, which the registry does not show.
  if (/^see licen[cs]e in /i.test(text)) return undefined;
  // Composer's documented value for closed-source packages: no rights granted, like npm's UNLICENSED.
  if (ecosystem === 'composer' && text.toLowerCase() === 'proprietary') return SPECIAL_LICENSES.UNLICENSED;
  const named = knownName(text);
  if (named) return named;
  const parsed = tryParseLicenseExpression(text) ?? tryParseLicenseExpression(withoutAbbreviations(text));
  return parsed?.normalized;
}

function orAll(expressions: string[]): string | undefined {
  const trees: LicenseExpression[] = [];
  const seen = new Set<string>();
  for (const text of expressions) {
    const parsed = tryParseLicenseExpression(text);
    if (!parsed || seen.has(parsed.normalized)) continue;
    seen.add(parsed.normalized);
    trees.push(parsed.expression);
  }
  if (!trees.length) return undefined;
  const tree = trees.reduce((left, right) => ({ conjunction: 'or', left, right }));
  return formatLicenseExpression(tree);
}

/**
 * The declared licenses of one package version, as its registry gave them (PackageVersion.licenses),
 * read as one SPDX expression for `ecosystem` (a component format: `npm`, `pypi`, `maven`, `nuget`,
 * `gem`, `cargo`, `composer`, `golang`; OSV names are accepted too).
 *
 * PyPI: `license_expression` or a readable `license` field decides; the `License ::` classifiers
 * count only when neither can be read (they are categories; the field is often more precise, as
 * "BSD-3-Clause" is next to the classifier "BSD License"). Category classifiers (`License :: OSI
 * Approved`) name no license and are passed over.
 */
export function declaredLicenseExpression(values: readonly string[], ecosystem: string): DeclaredLicense {
  const eco = ECOSYSTEM_ALIASES[ecosystem.toLowerCase()] ?? ecosystem.toLowerCase();
  const texts: string[] = [];
  const classifiers: string[] = [];
  const unrecognized: string[] = [];
  const seen = new Set<string>();
  for (const value of values) {
    const text = typeof value === 'string' ? value.trim() : '';
    if (!text || seen.has(text)) continue;
    seen.add(text);
    if (eco === 'pypi' && isLicenseClassifier(text)) {
      if (isCategoryClassifier(text)) continue;
      const mapped = classifierLicense(text);
      if (mapped) classifiers.push(mapped);
      else unrecognized.push(text);
      continue;
    }
    const read = readDeclaration(text, eco);
    if (read) texts.push(read);
    else unrecognized.push(text);
  }
  const expression = orAll(texts.length ? texts : classifiers);
  return expression ? { expression, unrecognized } : { unrecognized };
}
