import type { EcosystemDescriptor } from '../../ecosystems/descriptor.js';
import type { Versioning } from '../../ecosystems/versioning/types.js';
import type { AdapterOptions, RegistryAdapter } from './adapter.js';
import { joinUrl, RegistryClient } from './http.js';
import { isRecord, nonEmptyString, readDocument, recordsOf } from './json.js';
import { highestStable } from './latest.js';
import type { PackageMetadata, PackageVersion, RegistryEcosystem, VersionDetails } from './types.js';
import { sortVersions, toIsoUtc } from './version-list.js';

const REGISTRY = 'deps.dev';

export interface DepsDevOptions extends AdapterOptions {
  /** The ecosystem answered; its descriptor names deps.dev's system for it (`registry.depsDev`). */
  ecosystem: EcosystemDescriptor;
}

/**
 * deps.dev's API v3 for one ecosystem, used in place of its registry when configured
 * (`registries.depsdev.formats`): the package (`/v3/systems/<system>/packages/<name>`) lists every
 * version with `publishedAt` and marks the default (latest) one; licenses, SPDX already, are in each
 * version's own document (`…/versions/<version>`), fetched on demand like a Maven POM.
 */
export function depsDev(options: DepsDevOptions): RegistryAdapter {
  const { format: ecosystem, versioning } = options.ecosystem;
  const system = options.ecosystem.registry?.depsDev;
  if (!system) throw new Error(`deps.dev serves no ${ecosystem} packages`);
  const client = new RegistryClient({ registry: REGISTRY, timeoutMs: options.timeoutMs });
  const describe = (name: string) => `${ecosystem} package "${name}"`;
  return {
    ecosystem,
    registry: REGISTRY,
    normalizeName: system.normalizeName,
    describe,
    async fetchPackage(name) {
      const what = describe(name);
      const document = await client.getJson(depsDevPackageUrl(options.url, system.system, name), { what });
      return readDocument(REGISTRY, what, () => parseDepsDevPackage(ecosystem, name, document, versioning));
    },
    fetchVersion: (name, version) => fetchDepsDevVersion(client, options.url, system.system, name, version, describe(name)),
  };
}

/** Names and versions are one path segment each: `@types/node` → `%40types%2Fnode`, `g:a` → `g%3Aa`. */
function depsDevPackageUrl(base: string, system: string, name: string): string {
  return joinUrl(base, `v3/systems/${system}/packages/${encodeURIComponent(name)}`);
}

/** One version's licenses and date from deps.dev; throws RegistryNotFoundError when it does not know the version. */
export async function fetchDepsDevVersion(
  client: RegistryClient,
  base: string,
  system: string,
  name: string,
  version: string,
  describe: string,
): Promise<VersionDetails> {
  const what = `version ${version} of ${describe}`;
  const document = await client.getJson(`${depsDevPackageUrl(base, system, name)}/versions/${encodeURIComponent(version)}`, { what });
  return readDocument(REGISTRY, what, () => parseDepsDevVersion(document));
}

/** A deps.dev package document, its versions in the ecosystem's order (`scheme`; else by date). */
function parseDepsDevPackage(ecosystem: RegistryEcosystem, name: string, document: unknown, scheme: Versioning | undefined): PackageMetadata {
  if (!isRecord(document)) throw new Error('the document is not a JSON object');
  let latest: string | null = null;
  const versions: PackageVersion[] = [];
  for (const entry of recordsOf(document.versions, 'versions')) {
    const version = isRecord(entry.versionKey) ? nonEmptyString(entry.versionKey.version) : undefined;
    if (!version) continue;
    if (entry.isDefault === true) latest = version;
    const item: PackageVersion = { version, releasedAt: toIsoUtc(entry.publishedAt), licenses: null };
    if (entry.isDeprecated === true) item.deprecated = nonEmptyString(entry.deprecatedReason) ?? 'deprecated';
    versions.push(item);
  }
  return { ecosystem, name, latest: latest ?? highestStable(ecosystem, versions, scheme), licenses: null, versions: sortVersions(scheme, versions) };
}

/** deps.dev writes `non-standard` for license text it could not read; it is kept, and shown, as such. */
function parseDepsDevVersion(document: unknown): VersionDetails {
  if (!isRecord(document)) throw new Error('the document is not a JSON object');
  const licenses = Array.isArray(document.licenses) ? document.licenses.filter((l): l is string => typeof l === 'string' && l.trim() !== '') : [];
  return { licenses, releasedAt: toIsoUtc(document.publishedAt) };
}
