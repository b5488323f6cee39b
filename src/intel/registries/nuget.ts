import { ValidationError } from '../../core/errors.js';
import type { AdapterOptions, RegistryAdapter } from './adapter.js';
import { RegistryUnavailableError } from './errors.js';
import { RegistryClient } from './http.js';
import { isRecord, nonEmptyString, readDocument, recordsOf } from './json.js';
import { highestStable } from './latest.js';
import type { PackageMetadata, PackageVersion } from './types.js';
import { sortVersions, toIsoUtc } from './version-list.js';
import { nugetVersioning } from '../../ecosystems/versioning/nuget.js';

const REGISTRY = 'NuGet';
/** Registration resources in order of preference: SemVer 2.0 packages are only in the first two. */
const REGISTRATION_TYPES = [
  'RegistrationsBaseUrl/3.6.0',
  'RegistrationsBaseUrl/Versioned',
  'RegistrationsBaseUrl/3.4.0',
  'RegistrationsBaseUrl/3.0.0-rc',
  'RegistrationsBaseUrl/3.0.0-beta',
  'RegistrationsBaseUrl',
];
/** How long a service index is reused: it names where the other resources live and rarely changes. */
const SERVICE_INDEX_TTL_MS = 3_600_000;
/** Pages of a registration index fetched at most (nuget.org pages hold 64 versions each). */
const MAX_PAGES = 64;

const serviceIndexes = new Map<string, { registrations: Promise<string>; expires: number }>();

/**
 * NuGet's v3 API: the service index (`registries.nuget.url`, `…/v3/index.json`) names the
 * registration base URL; the package's registration index (`<base>/<id-lower>/index.json`) holds
 * pages of versions, inline for small packages and fetched by their URL otherwise. Each version's
 * `catalogEntry` has `published`, `listed`, `licenseExpression` (SPDX) or, for packages from before
 * expressions, `licenseUrl`.
 */
export function nuget(options: AdapterOptions): RegistryAdapter {
  const client = new RegistryClient({ registry: REGISTRY, timeoutMs: options.timeoutMs });
  return {
    ecosystem: 'nuget',
    registry: REGISTRY,
    normalizeName: normalizeNugetId,
    describe: (name) => `NuGet package "${name}"`,
    async fetchPackage(name) {
      const what = `NuGet package "${name}"`;
      const base = await registrationBase(client, options.url);
      const index = await client.getJson(`${base.replace(/\/*$/, '/')}${encodeURIComponent(name)}/index.json`, { what });
      const pages = readDocument(REGISTRY, what, () => recordsOf(isRecord(index) ? index.items : undefined, 'items'));
      if (pages.length > MAX_PAGES) throw new RegistryUnavailableError(`${REGISTRY} lists ${pages.length} pages of versions for ${what}; at most ${MAX_PAGES} are read.`);
      const leaves: Record<string, unknown>[] = [];
      for (const page of pages) {
        if (Array.isArray(page.items)) {
          leaves.push(...page.items.filter(isRecord));
          continue;
        }
        const url = nonEmptyString(page['@id']);
        if (!url) throw new RegistryUnavailableError(`${REGISTRY} answered with a page without items or address for ${what}.`);
        const fetched = await client.getJson(url, { what: `a page of versions of ${what}` });
        leaves.push(...readDocument(REGISTRY, what, () => recordsOf(isRecord(fetched) ? fetched.items : undefined, 'the page’s items')));
      }
      return readDocument(REGISTRY, what, () => parseNugetLeaves(name, leaves));
    },
  };
}

/** NuGet ids are case-insensitive; the registration URLs use them lower-cased (`newtonsoft.json`). */
export function normalizeNugetId(name: string): string {
  const trimmed = name.trim();
  if (!/^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(trimmed) || trimmed.length > 100) throw new ValidationError(`"${name}" is not a valid NuGet package id.`);
  return trimmed.toLowerCase();
}

/** The registration base URL named by the service index, remembered for an hour per index URL. */
function registrationBase(client: RegistryClient, indexUrl: string): Promise<string> {
  const now = Date.now();
  const known = serviceIndexes.get(indexUrl);
  if (known && known.expires > now) return known.registrations;
  const registrations = client.getJson(indexUrl, { what: 'the service index' }).then((index) =>
    readDocument(REGISTRY, 'the service index', () => registrationsIn(index)),
  );
  serviceIndexes.set(indexUrl, { registrations, expires: now + SERVICE_INDEX_TTL_MS });
  // A failed answer is not remembered: the next lookup asks again.
  registrations.catch(() => serviceIndexes.delete(indexUrl));
  return registrations;
}

function registrationsIn(index: unknown): string {
  const resources = recordsOf(isRecord(index) ? index.resources : undefined, 'resources');
  for (const type of REGISTRATION_TYPES) {
    const found = resources.find((r) => r['@type'] === type && typeof r['@id'] === 'string');
    if (found) return found['@id'] as string;
  }
  throw new Error('it names no registration resource (RegistrationsBaseUrl)');
}

/** nuget.org writes this publication date for unlisted versions: it says nothing of the release. */
const UNLISTED_DATE = /^1900-01-01/;

function parseNugetLeaves(name: string, leaves: Record<string, unknown>[]): PackageMetadata {
  const versions: PackageVersion[] = [];
  for (const leaf of leaves) {
    const entry = isRecord(leaf.catalogEntry) ? leaf.catalogEntry : {};
    const version = nonEmptyString(entry.version);
    if (!version) continue;
    const published = nonEmptyString(entry.published);
    const expression = nonEmptyString(entry.licenseExpression);
    const licenseUrl = nonEmptyString(entry.licenseUrl);
    // With an expression, licenseUrl is only nuget.org's page showing it.
    const licenses = expression ? [expression] : licenseUrl ? [licenseUrl] : [];
    const item: PackageVersion = { version, releasedAt: published && !UNLISTED_DATE.test(published) ? toIsoUtc(published) : null, licenses };
    if (entry.listed === false) item.yanked = true;
    const deprecation = isRecord(entry.deprecation) ? entry.deprecation : undefined;
    if (deprecation) {
      const reasons = Array.isArray(deprecation.reasons) ? deprecation.reasons.filter((r): r is string => typeof r === 'string') : [];
      item.deprecated = nonEmptyString(deprecation.message) ?? (reasons.join(', ') || 'deprecated');
    }
    versions.push(item);
  }
  const latest = highestStable('nuget', versions, nugetVersioning);
  const latestEntry = versions.find((v) => v.version === latest);
  return { ecosystem: 'nuget', name, latest, licenses: latestEntry?.licenses ?? [], versions: sortVersions(nugetVersioning, versions) };
}
