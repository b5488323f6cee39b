/**
 * Package-URL patterns that declare components proprietary (`pkg:npm/@acme/*`,
 * `pkg:maven/com.acme*` `/*`, `pkg:pypi/acme-*`). A pattern is `pkg:` + type + `/` + namespace and
 * name as a purl writes them (decoded: `@acme`, not `%40acme`), optionally `@version`; `*` matches
 * any run of characters (slashes included), everything else literally, case-insensitively.
 * A pattern without `@version` matches every version; qualifiers and subpaths never take part,
 * so a pattern may not name them.
 */

const MAX_PATTERN_LENGTH = 200;
export const MAX_PATTERNS_PER_OWNER = 500;

const TYPE = /^[a-z][a-z0-9.+-]*$/i;

/** What is wrong with a pattern, or undefined when it is usable. */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `is longer than ${MAX_PATTERN_LENGTH} characters`;
  if (/\s/.test(pattern)) return 'contains white space';
  if (!pattern.toLowerCase().startsWith('pkg:')) return 'does not start with "pkg:"';
  const rest = pattern.slice(4);
  const slash = rest.indexOf('/');
  if (slash < 0) return 'has no "/" after the package type (e.g. pkg:npm/name)';
  if (!TYPE.test(rest.slice(0, slash))) return `has no valid package type before the first "/" (letters, digits, ".", "+", "-")`;
  const path = rest.slice(slash + 1);
  if (path.replace(/\//g, '') === '') return 'has no name after the package type';
  if (/[?#]/.test(path)) return 'names qualifiers or a subpath ("?", "#"), which patterns do not match';
  const { name, version } = splitVersion(path);
  if (name.replace(/[/*]/g, '') === '' && name !== '*') return 'has no name after the package type';
  if (version === '') return 'has an "@" but no version after it';
  return undefined;
}

/**
 * Splits `namespace/name@version` at the version: an `@` inside the last path segment, not at its
 * start (an npm scope `@acme/…` is a namespace, not a version).
 */
function splitVersion(path: string): { name: string; version?: string } {
  const segmentStart = path.lastIndexOf('/') + 1;
  const at = path.indexOf('@', segmentStart + 1);
  return at < 0 ? { name: path } : { name: path.slice(0, at), version: path.slice(at + 1) };
}

/**
 * Whether `text` matches the glob `pattern` (`*`: any run of characters), both lower case. The
 * classic two-pointer walk: on a mismatch it only goes back to the last `*`, so its time is bounded
 * by the product of the lengths whatever the pattern. A pattern turned into a regular expression
 * (`.*a.*a.*a…`) backtracks polynomially in the number of stars, and patterns are configured by
 * people, for every component of every evaluation.
 */
export function globMatches(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Whether a component's package URL matches any of the patterns; compiled once, tested per component. */
export interface ProprietaryMatcher {
  readonly empty: boolean;
  matches(packageUrl: string | undefined): boolean;
}

const NO_PROPRIETARY: ProprietaryMatcher = { empty: true, matches: () => false };

/**
 * Patterns without a version are tested against `pkg:type/namespace/name`, those with one against
 * `…@version`, all lower case. Patterns are expected to pass `patternProblem`; any that do not are
 * ignored rather than failing an evaluation.
 */
export function compileProprietaryPatterns(patterns: readonly string[]): ProprietaryMatcher {
  const unversioned: string[] = [];
  const versioned: string[] = [];
  for (const p of patterns) {
    if (patternProblem(p)) continue;
    const { name, version } = splitVersion(safeDecode(p.slice(4)));
    if (version === undefined) unversioned.push(`pkg:${name}`.toLowerCase());
    else versioned.push(`pkg:${name}@${version}`.toLowerCase());
  }
  if (unversioned.length === 0 && versioned.length === 0) return NO_PROPRIETARY;
  return {
    empty: false,
    matches(packageUrl) {
      if (!packageUrl) return false;
      const { base, version } = purlKey(packageUrl);
      const name = base.toLowerCase();
      if (unversioned.some((g) => globMatches(g, name))) return true;
      if (version === undefined || versioned.length === 0) return false;
      const withVersion = `${name}@${version.toLowerCase()}`;
      return versioned.some((g) => globMatches(g, withVersion));
    },
  };
}

/**
 * `pkg:type/namespace/name` (decoded) and the version of a canonical package URL, qualifiers and
 * subpath dropped. Canonical purls percent-encode `@` in a namespace, so the first `@` after the
 * last `/` starts the version.
 */
export function purlKey(packageUrl: string): { base: string; version?: string } {
  let end = packageUrl.length;
  const q = packageUrl.indexOf('?');
  if (q >= 0) end = q;
  const h = packageUrl.indexOf('#');
  if (h >= 0 && h < end) end = h;
  const bare = end === packageUrl.length ? packageUrl : packageUrl.slice(0, end);
  const at = bare.indexOf('@', bare.lastIndexOf('/') + 1);
  const base = at < 0 ? bare : bare.slice(0, at);
  const version = at < 0 ? undefined : bare.slice(at + 1);
  return { base: base.includes('%') ? safeDecode(base) : base, version: version?.includes('%') ? safeDecode(version) : version };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
