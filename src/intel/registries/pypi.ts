import { ValidationError } from '../../core/errors.js';
import type { AdapterOptions, RegistryAdapter } from './adapter.js';
import { RegistryUnavailableError } from './errors.js';
import { joinUrl, RegistryClient } from './http.js';
import { isRecord } from './json.js';
import type { PackageMetadata, PackageVersion } from './types.js';
import { sortVersions, toIsoUtc } from './version-list.js';
import { pep440Versioning } from '../../ecosystems/versioning/pep440.js';

const REGISTRY = 'PyPI';
/** A `license` field longer than this, or spanning lines, is a pasted license text, not a declaration. */
const MAX_LICENSE_FIELD = 200;

/**
 * PyPI's JSON API (`/pypi/<name>/json`): every release with its files' upload times, and the
 * latest release's metadata (`info`), whose license fields describe that release only.
 */
export function pypi(options: AdapterOptions): RegistryAdapter {
  const client = new RegistryClient({ registry: REGISTRY, timeoutMs: options.timeoutMs });
  return {
    ecosystem: 'pypi',
    registry: REGISTRY,
    normalizeName: normalizePypiName,
    describe: (name) => `PyPI project "${name}"`,
    async fetchPackage(name) {
      const what = `PyPI project "${name}"`;
      const document = await client.getJson(joinUrl(options.url, `pypi/${encodeURIComponent(name)}/json`), { what });
      try {
        return parsePypiDocument(name, document);
      } catch (err) {
        throw new RegistryUnavailableError(`${REGISTRY} answered with an unexpected document for ${what}: ${(err as Error).message}`);
      }
    },
    // The release document (`/pypi/<name>/<version>/json`) carries that release's own metadata.
    async fetchVersion(name, version) {
      const what = `version ${version} of PyPI project "${name}"`;
      const url = joinUrl(options.url, `pypi/${encodeURIComponent(name)}/${encodeURIComponent(version)}/json`);
      const document = await client.getJson(url, { what });
      const info = isRecord(document) && isRecord(document.info) ? document.info : {};
      const files = isRecord(document) && Array.isArray(document.urls) ? document.urls : [];
      return { licenses: pypiLicenses(info), releasedAt: firstUpload(files) };
    },
  };
}

/** PEP 503 normalization (`Flask_SQLAlchemy` → `flask-sqlalchemy`) of a valid PEP 508 name. */
export function normalizePypiName(name: string): string {
  const trimmed = name.trim();
  if (!/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(trimmed)) {
    throw new ValidationError(`"${name}" is not a valid Python package name.`);
  }
  return trimmed.toLowerCase().replace(/[-_.]+/g, '-');
}

export function parsePypiDocument(name: string, document: unknown): PackageMetadata {
  if (!isRecord(document)) throw new Error('the document is not a JSON object');
  const info = isRecord(document.info) ? document.info : {};
  const releases = isRecord(document.releases) ? document.releases : {};
  const latest = typeof info.version === 'string' && info.version !== '' ? info.version : null;
  const latestLicenses = pypiLicenses(info);
  const versions: PackageVersion[] = Object.entries(releases).map(([version, files]) => {
    const list = Array.isArray(files) ? files.filter(isRecord) : [];
    const entry: PackageVersion = { version, releasedAt: firstUpload(list), licenses: version === latest ? latestLicenses : null };
    if (list.length > 0 && list.every((f) => f.yanked === true)) entry.yanked = true;
    return entry;
  });
  return { ecosystem: 'pypi', name, latest, licenses: latestLicenses, versions: sortVersions(pep440Versioning, versions) };
}

/**
 * The declared licenses in a release's core metadata: the PEP 639 `license_expression` when given,
 * else a short `license` field, plus every `License ::` trove classifier (kept whole).
 */
export function pypiLicenses(info: Record<string, unknown>): string[] {
  const found: string[] = [];
  const expression = typeof info.license_expression === 'string' ? info.license_expression.trim() : '';
  const field = typeof info.license === 'string' ? info.license.trim() : '';
  if (expression) found.push(expression);
  else if (field && field.length <= MAX_LICENSE_FIELD && !field.includes('\n') && !/^(unknown|none)$/i.test(field)) found.push(field);
  if (Array.isArray(info.classifiers)) {
    for (const c of info.classifiers) if (typeof c === 'string' && c.startsWith('License ::')) found.push(c);
  }
  return [...new Set(found)];
}

/** A release's date is its first upload; files added later (e.g. wheels built afterwards) do not move it. */
function firstUpload(files: unknown[]): string | null {
  const uploads = files
    .filter(isRecord)
    .map((f) => toIsoUtc(f.upload_time_iso_8601) ?? toIsoUtc(typeof f.upload_time === 'string' ? `${f.upload_time}Z` : undefined))
    .filter((t): t is string => t !== null)
    .sort();
  return uploads[0] ?? null;
}
