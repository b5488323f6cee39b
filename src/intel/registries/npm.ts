import { ValidationError } from '../../core/errors.js';
import type { AdapterOptions, RegistryAdapter } from './adapter.js';
import { RegistryUnavailableError } from './errors.js';
import { joinUrl, RegistryClient } from './http.js';
import type { PackageMetadata, PackageVersion } from './types.js';
import { sortVersions, toIsoUtc } from './version-list.js';
import { npmVersioning } from '../../ecosystems/versioning/semver.js';
import { isRecord, stringRecord } from './json.js';

const REGISTRY = 'the npm registry';

/**
 * The npm registry. One GET of the package document (`/<name>`, scoped names as `@scope%2fname`)
 * gives every version with its license and dependencies, `time` and `dist-tags`. The abbreviated
 * ("corgi") document is not enough: it carries neither `time` nor `license`.
 */
export function npmRegistry(options: AdapterOptions): RegistryAdapter {
  const client = new RegistryClient({ registry: REGISTRY, timeoutMs: options.timeoutMs });
  return {
    ecosystem: 'npm',
    registry: REGISTRY,
    normalizeName: normalizeNpmName,
    describe: (name) => `npm package "${name}"`,
    async fetchPackage(name) {
      const what = `npm package "${name}"`;
      const document = await client.getJson(joinUrl(options.url, npmDocumentPath(name)), { what });
      try {
        return parseNpmDocument(name, document);
      } catch (err) {
        throw new RegistryUnavailableError(`${REGISTRY} answered with an unexpected document for ${what}: ${(err as Error).message}`);
      }
    },
  };
}

/** npm names: `name` or `@scope/name`, URL-safe, at most 214 characters (npm's own limit). */
export function normalizeNpmName(name: string): string {
  const trimmed = name.trim();
  const valid = /^(@[a-z0-9][\w.~-]*\/)?[a-z0-9_~.-][\w.~-]*$/i.test(trimmed) && trimmed.length <= 214;
  if (!valid) throw new ValidationError(`"${name}" is not a valid npm package name.`);
  return trimmed;
}

/** The document's path: the registry expects the scope's slash encoded (`@types%2fsemver`). */
export function npmDocumentPath(name: string): string {
  if (name.startsWith('@')) {
    const [scope, rest] = name.split('/');
    return `${encodeURIComponent(scope).replace(/^%40/, '@')}%2f${encodeURIComponent(rest)}`;
  }
  return encodeURIComponent(name);
}

/** Reads an npm package document (full format) into the normalized metadata. */
export function parseNpmDocument(name: string, document: unknown): PackageMetadata {
  if (!isRecord(document)) throw new Error('the document is not a JSON object');
  const versionsDoc = isRecord(document.versions) ? document.versions : {};
  const time = isRecord(document.time) ? document.time : {};
  const versions: PackageVersion[] = Object.entries(versionsDoc).map(([version, manifest]) => {
    const m = isRecord(manifest) ? manifest : {};
    const entry: PackageVersion = { version, releasedAt: toIsoUtc(time[version]), licenses: npmLicenses(m) };
    entry.dependencies = stringRecord(m.dependencies);
    if (typeof m.deprecated === 'string' && m.deprecated !== '') entry.deprecated = m.deprecated;
    return entry;
  });
  const distTags = isRecord(document['dist-tags']) ? document['dist-tags'] : {};
  const latest = typeof distTags.latest === 'string' ? distTags.latest : null;
  const latestEntry = versions.find((v) => v.version === latest);
  return {
    ecosystem: 'npm',
    name,
    latest,
    licenses: latestEntry?.licenses ?? npmLicenses(document),
    versions: sortVersions(npmVersioning, versions),
  };
}

/**
 * A manifest's declared licenses: `license` as an SPDX expression (the current form), or the
 * deprecated `{ type, url }` object and `licenses: [{ type, url }]` array that older packages still
 * carry (the array lists alternatives: intel/licenses/registry-licenses.ts joins them with OR).
 */
export function npmLicenses(manifest: Record<string, unknown>): string[] {
  const found: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'string' && value.trim() !== '') found.push(value.trim());
    else if (isRecord(value) && typeof value.type === 'string' && value.type.trim() !== '') found.push(value.type.trim());
    // Some legacy objects carry only the license's address: it is what they declare.
    else if (isRecord(value) && typeof value.url === 'string' && value.url.trim() !== '') found.push(value.url.trim());
  };
  add(manifest.license);
  if (Array.isArray(manifest.licenses)) manifest.licenses.forEach(add);
  else add(manifest.licenses);
  return [...new Set(found)];
}
