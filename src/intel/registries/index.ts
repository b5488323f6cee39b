// Package registry metadata: versions, release dates, declared licenses, latest versions.
export type { AdapterOptions, RegistryAdapter } from './adapter.js';
export { clearRegistryCache } from './cache.js';
export { configureRegistryCircuits, registryDown, resetRegistryCircuits } from './circuit-breaker.js';
export { RegistryNotFoundError, RegistryOfflineError, RegistryUnavailableError, RegistryUnreachableError } from './errors.js';
export { REGISTRY_FORMATS, registryFor } from './registries.js';
export { type RegistryRequest, registryRequestFor } from './registry-request.js';
export {
  type RegistryMetadataRequest,
  type RegistryVersionRequest,
  recentLookupFailure,
  registryMetadata,
  registryUnreachable,
  registryVersionFacts,
} from './service.js';
export type { PackageMetadata, PackageVersion, RegistryEcosystem, RegistryMetadata, RegistryVersionFacts, VersionDetails } from './types.js';
export { ageInDays, distanceFromLatest, findVersion, isLatest, versionAgeInDays } from './versions.js';
