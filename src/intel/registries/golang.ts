import type { AdapterOptions, RegistryAdapter } from './adapter.js';
import { fetchDepsDevVersion } from './depsdev.js';
import { RegistryNotFoundError, RegistryUnavailableError } from './errors.js';
import { escapeGoPath, normalizeGoModule } from './go-modules.js';
import { joinUrl, RegistryClient } from './http.js';
import { isRecord, nonEmptyString, readDocument } from './json.js';
import { highestStable } from './latest.js';
import type { PackageMetadata, PackageVersion } from './types.js';
import { sortVersions, toIsoUtc } from './version-list.js';
import { goVersioning } from '../../ecosystems/versioning/go.js';

const REGISTRY = 'the Go module proxy';

export interface GoOptions extends AdapterOptions {
  /** deps.dev's API, for licenses: the module proxy serves none. */
  depsDevUrl: string;
}

/**
 * The Go module proxy (GOPROXY protocol): `/<module>/@v/list` lists the tagged versions, one per
 * line; `/<module>/@v/<version>.info` gives one version's `Time`, fetched per version on demand
 * (like a Maven POM) rather than for every version of the module. Licenses come from deps.dev's
 * version document, the one service that reads them out of module sources; when deps.dev does not
 * know the version or cannot be reached, the date is still given and the licenses stay unknown.
 */
export function goProxy(options: GoOptions): RegistryAdapter {
  const client = new RegistryClient({ registry: REGISTRY, timeoutMs: options.timeoutMs });
  const depsDev = new RegistryClient({ registry: 'deps.dev', timeoutMs: options.timeoutMs });
  const moduleUrl = (name: string, path: string) => joinUrl(options.url, `${escapeGoPath(name)}/@v/${path}`);
  return {
    ecosystem: 'golang',
    registry: REGISTRY,
    unlistedVersions: true,
    normalizeName: normalizeGoModule,
    describe: (name) => `Go module "${name}"`,
    async fetchPackage(name) {
      const what = `Go module "${name}"`;
      const list = await client.get(moduleUrl(name, 'list'), { what, accept: 'text/plain' });
      const versions: PackageVersion[] = parseGoVersionList(list.text).map((version) => ({ version, releasedAt: null, licenses: null }));
      if (versions.length === 0) {
        // No tagged version: `go get` takes the pseudo-version of the latest commit, as @latest tells.
        const latest = await client.getJson(joinUrl(options.url, `${escapeGoPath(name)}/@latest`), { what });
        const info = readDocument(REGISTRY, what, () => parseGoInfo(latest));
        versions.push({ version: info.version, releasedAt: info.time, licenses: null });
      }
      const metadata: PackageMetadata = { ecosystem: 'golang', name, latest: highestStable('golang', versions, goVersioning), licenses: null, versions: sortVersions(goVersioning, versions) };
      return metadata;
    },
    async fetchVersion(name, version) {
      const what = `version ${version} of Go module "${name}"`;
      const answer = await client.getJson(moduleUrl(name, `${escapeGoPath(version)}.info`), { what });
      const info = readDocument(REGISTRY, what, () => parseGoInfo(answer));
      let licenses: string[] | null = null;
      try {
        licenses = (await fetchDepsDevVersion(depsDev, options.depsDevUrl, 'go', name, version, `Go module "${name}"`)).licenses;
      } catch (err) {
        // The proxy answered; a missing or failing license source leaves only the licenses unknown.
        if (!(err instanceof RegistryNotFoundError || err instanceof RegistryUnavailableError)) throw err;
      }
      return { licenses, releasedAt: info.time };
    },
  };
}

/** The `@v/list` answer: one version per line, in no particular order. */
function parseGoVersionList(text: string): string[] {
  return [...new Set(text.split('\n').map((line) => line.trim()).filter(Boolean))];
}

/** An `.info` (or `@latest`) answer: `{"Version": "v1.3.0", "Time": "2019-04-19T01:47:04Z"}`. */
function parseGoInfo(document: unknown): { version: string; time: string | null } {
  const version = isRecord(document) ? nonEmptyString(document.Version) : undefined;
  if (!version) throw new Error('it names no Version');
  return { version, time: toIsoUtc((document as Record<string, unknown>).Time) };
}
