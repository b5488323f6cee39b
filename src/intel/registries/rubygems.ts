import { ValidationError } from '../../core/errors.js';
import type { AdapterOptions, RegistryAdapter } from './adapter.js';
import { joinUrl, RegistryClient } from './http.js';
import { readDocument, recordsOf } from './json.js';
import { highestStable } from './latest.js';
import type { PackageMetadata, PackageVersion } from './types.js';
import { sortVersions, toIsoUtc } from './version-list.js';
import { rubygemsVersioning } from '../../ecosystems/versioning/rubygems.js';

const REGISTRY = 'RubyGems';

/**
 * RubyGems.org's versions API (`/api/v1/versions/<name>.json`): one entry per version and platform
 * (`ruby`, `java`, `x86_64-linux`, …), newest first, each with `licenses`, `created_at` and
 * `prerelease`. Yanked versions are not listed. The latest is the highest non-prerelease version,
 * as `gem install` picks it, so the gem document (`/api/v1/gems/<name>.json`) is not needed.
 */
export function rubygems(options: AdapterOptions): RegistryAdapter {
  const client = new RegistryClient({ registry: REGISTRY, timeoutMs: options.timeoutMs });
  return {
    ecosystem: 'gem',
    registry: REGISTRY,
    normalizeName: normalizeGemName,
    describe: (name) => `gem "${name}"`,
    async fetchPackage(name) {
      const what = `gem "${name}"`;
      const document = await client.getJson(joinUrl(options.url, `api/v1/versions/${encodeURIComponent(name)}.json`), { what });
      return readDocument(REGISTRY, what, () => parseGemVersions(name, document));
    },
  };
}

/** Gem names: letters, digits, `.`, `_`, `-`; case matters on RubyGems.org (`RedCloth`). */
export function normalizeGemName(name: string): string {
  const trimmed = name.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(trimmed) || trimmed.length > 100) throw new ValidationError(`"${name}" is not a valid gem name.`);
  return trimmed;
}

/**
 * One entry per version number. Platform builds of a version are released together and declare the
 * same licenses; the `ruby` (pure Ruby) entry speaks for the version, else the first published.
 */
function parseGemVersions(name: string, document: unknown): PackageMetadata {
  const byNumber = new Map<string, Record<string, unknown>>();
  for (const entry of recordsOf(document, 'the versions document')) {
    if (typeof entry.number !== 'string' || entry.number === '') continue;
    const seen = byNumber.get(entry.number);
    const better = !seen || (entry.platform === 'ruby' && seen.platform !== 'ruby') || (seen.platform !== 'ruby' && String(entry.created_at) < String(seen.created_at));
    if (better) byNumber.set(entry.number, entry);
  }
  const versions: PackageVersion[] = [...byNumber.values()].map((entry) => ({
    version: entry.number as string,
    releasedAt: toIsoUtc(entry.created_at),
    // `licenses: null` is what RubyGems.org shows for gems whose gemspec names none.
    licenses: Array.isArray(entry.licenses) ? entry.licenses.filter((l): l is string => typeof l === 'string' && l.trim() !== '') : [],
  }));
  const latest = highestStable('gem', versions, rubygemsVersioning);
  const latestEntry = versions.find((v) => v.version === latest);
  return { ecosystem: 'gem', name, latest, licenses: latestEntry?.licenses ?? [], versions: sortVersions(rubygemsVersioning, versions) };
}
