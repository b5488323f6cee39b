// Package registry metadata: versions, release dates, declared licenses, latest versions.
export { clearRegistryCache } from './cache.js';
export { configureRegistryCircuits, resetRegistryCircuits } from './circuit-breaker.js';
export { RegistryNotFoundError, RegistryOfflineError, RegistryUnavailableError, RegistryUnreachableError } from './errors.js';
export { REGISTRY_FORMATS, registryFor } from './registries.js';
export { registryRequestFor } from './registry-request.js';
export {
  recentLookupFailure,
  registryMetadata,
  registryUnreachable,
  registryVersionFacts,
} from './service.js';
export type { PackageMetadata, PackageVersion, RegistryVersionFacts, VersionDetails } from './types.js';
export { ageInDays, distanceFromLatest, findVersion, isLatest } from './versions.js';
