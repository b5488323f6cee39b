import { ValidationError } from '../../core/errors.js';
import type { AdapterOptions, RegistryAdapter } from './adapter.js';
import { joinUrl, RegistryClient } from './http.js';
import { isRecord, nonEmptyString, readDocument, recordsOf } from './json.js';
import { highestStable } from './latest.js';
import type { PackageMetadata, PackageVersion } from './types.js';
import { sortVersions, toIsoUtc } from './version-list.js';
import { cargoVersioning } from '../../ecosystems/versioning/cargo.js';

const REGISTRY = 'crates.io';

/**
 * crates.io's API (`/api/v1/crates/<name>`): the crate with every version, each with its own
 * `license` (an SPDX expression; before 2018 often `MIT/Apache-2.0`, the old way of writing OR),
 * `created_at` and `yanked`. The sparse index has no dates or licenses, so it is not used.
 */
export function cratesIo(options: AdapterOptions): RegistryAdapter {
  const client = new RegistryClient({ registry: REGISTRY, timeoutMs: options.timeoutMs });
  return {
    ecosystem: 'cargo',
    registry: REGISTRY,
    normalizeName: normalizeCrateName,
    describe: (name) => `crate "${name}"`,
    async fetchPackage(name) {
      const what = `crate "${name}"`;
      const document = await client.getJson(joinUrl(options.url, `api/v1/crates/${encodeURIComponent(name)}`), { what });
      return readDocument(REGISTRY, what, () => parseCratesDocument(name, document));
    },
  };
}

/**
 * Crate names: ASCII letters, digits, `-` and `_`, starting with a letter, at most 64 characters
 * (crates.io's rules). crates.io looks names up case-insensitively; they are kept lower-case so one
 * crate is cached once.
 */
export function normalizeCrateName(name: string): string {
  const trimmed = name.trim();
  if (!/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(trimmed)) throw new ValidationError(`"${name}" is not a valid crate name.`);
  return trimmed.toLowerCase();
}

function parseCratesDocument(name: string, document: unknown): PackageMetadata {
  if (!isRecord(document)) throw new Error('the document is not a JSON object');
  const crate = isRecord(document.crate) ? document.crate : {};
  const versions: PackageVersion[] = recordsOf(document.versions, 'versions')
    .filter((v) => typeof v.num === 'string')
    .map((v) => {
      const license = nonEmptyString(v.license);
      const entry: PackageVersion = { version: v.num as string, releasedAt: toIsoUtc(v.created_at), licenses: license ? [license] : [] };
      if (v.yanked === true) entry.yanked = true;
      return entry;
    });
  // `max_stable_version` is what `cargo add` picks; older answers lack it.
  const latest = nonEmptyString(crate.max_stable_version) ?? highestStable('cargo', versions, cargoVersioning);
  const latestEntry = versions.find((v) => v.version === latest);
  return { ecosystem: 'cargo', name, latest, licenses: latestEntry?.licenses ?? [], versions: sortVersions(cargoVersioning, versions) };
}
