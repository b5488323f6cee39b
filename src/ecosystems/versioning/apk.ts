import { compareDigits, compareStrings, defineVersioning } from './shared.js';
import type { Versioning } from './types.js';

/**
 * Alpine: apk-tools' version ordering, `number{.number}…{letter}{_suffix{number}}…{~hash}{-r#}`.
 * Tokens are compared pairwise while they are of the same kind; `_alpha` `_beta` `_pre` `_rc` sort
 * before the release and `_cvs` `_svn` `_git` `_hg` `_p` after it; a dotted number with a leading
 * zero compares as a string (`8.2.0015` < `8.2.002`); when one version runs out first, the longer
 * one is greater unless what follows is a pre-release suffix.
 *
 * apk compares even malformed versions (`1.0` < `1.0bc`), so ordering follows apk for any string
 * starting with a digit; `isValid` is apk's own validation.
 */
export const apkVersioning: Versioning = defineVersioning<ApkVersion>({
  name: 'apk',
  parse: parseApk,
  compare: compareApk,
  isValid: (_v, p) => p.tokens[p.tokens.length - 1].kind === Kind.End,
});

/** Token kinds in the order apk allows them to follow each other. */
const Kind = {
  InitialDigit: 0,
  Digit: 1,
  Letter: 2,
  Suffix: 3,
  SuffixNumber: 4,
  CommitHash: 5,
  Revision: 6,
  End: 7,
  Invalid: 8,
} as const;
type Kind = (typeof Kind)[keyof typeof Kind];

const SUFFIX_NONE = 5;
/** Suffix weights around the release (5). */
const SUFFIXES: Record<string, number> = { alpha: 1, beta: 2, pre: 3, rc: 4, cvs: 6, svn: 7, git: 8, hg: 9, p: 10 };

interface Token {
  kind: Kind;
  /** The token's text: digits, the letter, the suffix name or the hash. */
  text: string;
  suffix: number;
}

interface ApkVersion {
  raw: string;
  /** Ends with an End or an Invalid token. */
  tokens: Token[];
}

const DIGITS = /[0-9]*/y;
const LOWER = /[a-z]*/y;
const HEX = /[0-9a-f]*/y;

function run(re: RegExp, s: string, at: number): string {
  re.lastIndex = at;
  return re.exec(s)?.[0] ?? '';
}

function parseApk(v: string): ApkVersion | null {
  const tokens: Token[] = [];
  let text = run(DIGITS, v, 0);
  // Not starting with a number: nothing apk could order, left to the generic fallback.
  if (text === '') return null;
  let kind: Kind = Kind.InitialDigit;
  let pos = text.length;
  tokens.push({ kind, text, suffix: 0 });
  for (;;) {
    let suffix = 0;
    if (pos >= v.length) {
      kind = Kind.End;
      text = '';
    } else {
      const c = v[pos];
      kind = nextKind(kind, c);
      if (c >= 'a' && c <= 'z' && kind === Kind.Letter) {
        text = c;
        pos++;
      } else if (kind === Kind.Digit || kind === Kind.SuffixNumber) {
        if (c === '.') pos++;
        text = run(DIGITS, v, pos);
        pos += text.length;
        if (text === '') kind = Kind.Invalid;
      } else if (kind === Kind.Suffix) {
        text = run(LOWER, v, pos + 1);
        pos += 1 + text.length;
        suffix = SUFFIXES[text] ?? 0;
        if (suffix === 0) kind = Kind.Invalid;
      } else if (kind === Kind.CommitHash) {
        text = run(HEX, v, pos + 1);
        pos += 1 + text.length;
        if (text === '') kind = Kind.Invalid;
      } else if (kind === Kind.Revision) {
        text = v[pos + 1] === 'r' ? run(DIGITS, v, pos + 2) : '';
        pos += 2 + text.length;
        if (text === '') kind = Kind.Invalid;
      }
    }
    tokens.push({ kind, text, suffix });
    if (kind === Kind.End || kind === Kind.Invalid) return { raw: v, tokens };
  }
}

/** Which token the character at hand starts, given the previous token (apk's token_next rules). */
function nextKind(prev: Kind, c: string): Kind {
  if (c >= 'a' && c <= 'z') return prev > Kind.Digit ? Kind.Invalid : Kind.Letter;
  if (c === '.') return prev > Kind.Digit ? Kind.Invalid : Kind.Digit;
  if (c >= '0' && c <= '9') {
    if (prev === Kind.InitialDigit || prev === Kind.Digit) return Kind.Digit;
    return prev === Kind.Suffix ? Kind.SuffixNumber : Kind.Invalid;
  }
  if (c === '_') return prev > Kind.SuffixNumber ? Kind.Invalid : Kind.Suffix;
  if (c === '~') return prev >= Kind.CommitHash ? Kind.Invalid : Kind.CommitHash;
  if (c === '-') return prev >= Kind.Revision ? Kind.Invalid : Kind.Revision;
  return Kind.Invalid;
}

function compareToken(a: Token, b: Token): number {
  switch (a.kind) {
    case Kind.Digit:
      // A leading zero makes the component a fraction-like string (Gentoo's rule).
      if (a.text[0] === '0' || b.text[0] === '0') return compareBytes(a.text, b.text);
      return compareDigits(a.text, b.text);
    case Kind.InitialDigit:
    case Kind.SuffixNumber:
    case Kind.Revision:
      return compareDigits(a.text, b.text);
    case Kind.Letter:
      return compareStrings(a.text, b.text);
    case Kind.Suffix:
      return a.suffix - b.suffix;
    default:
      return compareBytes(a.text, b.text);
  }
}

/** apk_blob_sort: common prefix bytes first, then the shorter one. */
function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function compareApk(x: ApkVersion, y: ApkVersion): number {
  const a = x.tokens;
  const b = y.tokens;
  let i = 0;
  for (; a[i].kind === b[i].kind && a[i].kind < Kind.End; i++) {
    const r = compareToken(a[i], b[i]);
    if (r !== 0) return r;
  }
  const ta = a[i];
  const tb = b[i];
  if (ta.kind === tb.kind) {
    // apk calls two malformed tails equal; keep the order total with the raw strings.
    return ta.kind === Kind.Invalid ? compareStrings(x.raw, y.raw) : 0;
  }
  if (ta.kind === Kind.Suffix && ta.suffix < SUFFIX_NONE) return -1;
  if (tb.kind === Kind.Suffix && tb.suffix < SUFFIX_NONE) return 1;
  return ta.kind > tb.kind ? -1 : 1;
}
