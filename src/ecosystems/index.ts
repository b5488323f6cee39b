import { aNameEcosystem } from './a-name/index.js';
import { alpineEcosystem } from './alpine/index.js';
import { bitnamiEcosystem } from './bitnami/index.js';
import { cargoEcosystem } from './cargo/index.js';
import { cocoapodsEcosystem } from './cocoapods/index.js';
import { composerEcosystem } from './composer/index.js';
import { conanEcosystem } from './conan/index.js';
import { condaEcosystem } from './conda/index.js';
import { cranEcosystem } from './cran/index.js';
import { debEcosystem } from './deb/index.js';
import { type EcosystemDescriptor, osvEcosystemBase } from './descriptor.js';
import { gemEcosystem } from './gem/index.js';
import { githubEcosystem } from './github/index.js';
import { golangEcosystem } from './golang/index.js';
import { hackageEcosystem } from './hackage/index.js';
import { hexEcosystem } from './hex/index.js';
import { mavenEcosystem } from './maven/index.js';
import { npmEcosystem } from './npm/index.js';
import { nugetEcosystem } from './nuget/index.js';
import { pubEcosystem } from './pub/index.js';
import { pypiEcosystem } from './pypi/index.js';
import { rpmEcosystem } from './rpm/index.js';
import { swiftEcosystem } from './swift/index.js';

export type { EcosystemDescriptor } from './descriptor.js';

/**
 * Every ecosystem Tollgate knows, one descriptor each (ecosystems/<format>/index.ts). The order is
 * the order of the lists built from it (registries in messages, lockfile names).
 */
export const ECOSYSTEMS: readonly EcosystemDescriptor[] = [
  npmEcosystem, mavenEcosystem, pypiEcosystem, cargoEcosystem, gemEcosystem, nugetEcosystem, composerEcosystem,
  golangEcosystem, condaEcosystem, cranEcosystem, cocoapodsEcosystem, swiftEcosystem, conanEcosystem, rpmEcosystem,
  debEcosystem, alpineEcosystem, githubEcosystem, aNameEcosystem, hexEcosystem, pubEcosystem, hackageEcosystem,
  bitnamiEcosystem,
];

const byName = new Map<string, EcosystemDescriptor>();
const byOsvEcosystem = new Map<string, EcosystemDescriptor>();
for (const ecosystem of ECOSYSTEMS) {
  for (const name of [ecosystem.format, ...(ecosystem.aliases ?? [])]) byName.set(name, ecosystem);
  for (const name of ecosystem.osv?.ecosystems ?? []) byOsvEcosystem.set(name.toLowerCase(), ecosystem);
}

/** The descriptor of a format name or alias (`debian` → deb), case-insensitive; undefined when none. */
export function ecosystemOf(format: string): EcosystemDescriptor | undefined {
  return byName.get(format.trim().toLowerCase());
}

/** The descriptor of an OSV ecosystem name, case-insensitive, release suffix ignored (`Debian:11` → deb). */
export function ecosystemOfOsv(ecosystem: string): EcosystemDescriptor | undefined {
  return byOsvEcosystem.get(osvEcosystemBase(ecosystem));
}
