import { compareDigits, defineVersioning } from './shared.js';
import type { Versioning } from './types.js';

/**
 * NuGet: NuGetVersion ordering (NuGet.Versioning's default comparer). One to four numeric parts
 * (`1` == `1.0.0` == `1.0.0.0`, leading zeros allowed), SemVer 2.0 pre-release labels compared
 * case-insensitively (numeric labels as integers and before alphanumeric ones), build metadata
 * ignored.
 */
export const nugetVersioning: Versioning = defineVersioning<NuGetVersion>({
  name: 'nuget',
  parse: parseNuGet,
  compare: compareNuGet,
});

interface NuGetVersion {
  /** Major, minor, patch, revision as digit strings without leading zeros. */
  parts: [string, string, string, string];
  labels: string[];
}

const NUGET_VERSION = /^([0-9]+(?:\.[0-9]+){0,3})(?:-([0-9A-Za-z.-]*))?(?:\+([0-9A-Za-z.-]*))?$/;
const INT32_MAX = '2147483647';
const LABEL = /^[0-9A-Za-z-]+$/;

function parseNuGet(input: string): NuGetVersion | null {
  const m = NUGET_VERSION.exec(input.trim());
  if (!m) return null;
  const numbers = m[1].split('.').map((n) => n.replace(/^0+(?=[0-9])/, ''));
  // System.Version parts are Int32.
  if (numbers.some((n) => compareDigits(n, INT32_MAX) > 0)) return null;
  while (numbers.length < 4) numbers.push('0');
  const labels = m[2] === undefined ? [] : m[2].split('.');
  if (!labels.every((l) => LABEL.test(l) && !/^0[0-9]+$/.test(l))) return null;
  if (m[3] !== undefined && !m[3].split('.').every((l) => LABEL.test(l))) return null;
  return { parts: numbers as NuGetVersion['parts'], labels };
}

function compareNuGet(a: NuGetVersion, b: NuGetVersion): number {
  for (let i = 0; i < 4; i++) {
    const r = compareDigits(a.parts[i], b.parts[i]);
    if (r !== 0) return r;
  }
  // A release sorts after all of its pre-releases.
  if (a.labels.length === 0 || b.labels.length === 0) {
    return a.labels.length === b.labels.length ? 0 : a.labels.length === 0 ? 1 : -1;
  }
  const n = Math.max(a.labels.length, b.labels.length);
  for (let i = 0; i < n; i++) {
    if (i >= a.labels.length) return -1;
    if (i >= b.labels.length) return 1;
    const r = compareLabel(a.labels[i], b.labels[i]);
    if (r !== 0) return r;
  }
  return 0;
}

/** As NuGet: Int32 labels numerically and first, everything else ordinal ignoring case. */
function compareLabel(x: string, y: string): number {
  const xn = isInt32(x);
  const yn = isInt32(y);
  if (xn && yn) return compareDigits(x, y);
  if (xn !== yn) return xn ? -1 : 1;
  const ux = x.toUpperCase();
  const uy = y.toUpperCase();
  return ux < uy ? -1 : ux > uy ? 1 : 0;
}

function isInt32(s: string): boolean {
  return /^[0-9]+$/.test(s) && compareDigits(s, INT32_MAX) <= 0;
}
