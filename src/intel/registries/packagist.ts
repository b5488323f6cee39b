import { ValidationError } from '../../core/errors.js';
import type { AdapterOptions, RegistryAdapter } from './adapter.js';
import { joinUrl, RegistryClient } from './http.js';
import { isRecord, nonEmptyString, readDocument, recordsOf } from './json.js';
import { highestStable } from './latest.js';
import type { PackageMetadata, PackageVersion } from './types.js';
import { sortVersions, toIsoUtc } from './version-list.js';
import { composerVersioning } from '../../ecosystems/versioning/composer.js';

const REGISTRY = 'Packagist';

/**
 * Packagist's Composer v2 metadata (`/p2/<vendor>/<name>.json`): the tagged versions, newest first,
 * each with `time` and `license`. Development branches live in `~dev.json` and are not releases.
 */
export function packagist(options: AdapterOptions): RegistryAdapter {
  const client = new RegistryClient({ registry: REGISTRY, timeoutMs: options.timeoutMs });
  return {
    ecosystem: 'composer',
    registry: REGISTRY,
    normalizeName: normalizeComposerName,
    describe: (name) => `Composer package "${name}"`,
    async fetchPackage(name) {
      const what = `Composer package "${name}"`;
      const [vendor, project] = name.split('/');
      const url = joinUrl(options.url, `p2/${encodeURIComponent(vendor)}/${encodeURIComponent(project)}.json`);
      const document = await client.getJson(url, { what });
      return readDocument(REGISTRY, what, () => parsePackagistDocument(name, document));
    },
  };
}

/** `vendor/name`, lower-case (Composer's own name rule; Packagist serves lower-case names only). */
export function normalizeComposerName(name: string): string {
  const trimmed = name.trim().toLowerCase();
  if (!/^[a-z0-9]([_.-]?[a-z0-9]+)*\/[a-z0-9](([_.]|-{1,2})?[a-z0-9]+)*$/.test(trimmed)) {
    throw new ValidationError(`"${name}" is not a Composer package name; expected vendor/name, e.g. monolog/monolog.`);
  }
  return trimmed;
}

/**
 * Expands Composer's `composer/2.0` minified version list: each entry holds only what changed from
 * the entry before it, and the value `__unset` removes a key (Composer's MetadataMinifier::expand).
 */
export function expandMinified(entries: Record<string, unknown>[]): Record<string, unknown>[] {
  const expanded: Record<string, unknown>[] = [];
  let current: Record<string, unknown> | undefined;
  for (const entry of entries) {
    const next: Record<string, unknown> = { ...(current ?? {}) };
    for (const [key, value] of Object.entries(entry)) {
      if (value === '__unset') delete next[key];
      else next[key] = value;
    }
    expanded.push(next);
    current = next;
  }
  return expanded;
}

/** Composer's `license` is an SPDX id, an array of them (a choice), or absent. */
function composerLicenses(value: unknown): string[] {
  if (typeof value === 'string') return value.trim() ? [value.trim()] : [];
  if (!Array.isArray(value)) return [];
  return value.filter((l): l is string => typeof l === 'string' && l.trim() !== '').map((l) => l.trim());
}

function parsePackagistDocument(name: string, document: unknown): PackageMetadata {
  if (!isRecord(document) || !isRecord(document.packages)) throw new Error('it has no packages object');
  const listed = recordsOf(document.packages[name], `the versions of ${name}`);
  const entries = document.minified === 'composer/2.0' ? expandMinified(listed) : listed;
  const versions: PackageVersion[] = entries
    .map((entry) => ({ entry, version: nonEmptyString(entry.version) }))
    .filter((e): e is { entry: Record<string, unknown>; version: string } => e.version !== undefined)
    .map(({ entry, version }) => ({ version, releasedAt: toIsoUtc(entry.time), licenses: composerLicenses(entry.license) }));
  const latest = highestStable('composer', versions, composerVersioning);
  const latestEntry = versions.find((v) => v.version === latest);
  return { ecosystem: 'composer', name, latest, licenses: latestEntry?.licenses ?? [], versions: sortVersions(composerVersioning, versions) };
}
