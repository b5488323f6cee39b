// Package registry metadata: versions, release dates, declared licenses, latest versions.
export type { AdapterOptions, RegistryAdapter } from './adapter.js';
export { clearRegistryCache } from './cache.js';
export { RegistryNotFoundError, RegistryOfflineError, RegistryUnavailableError } from './errors.js';
export { REGISTRY_FORMATS, registryFor } from './registries.js';
export { type RegistryRequest, registryRequestFor } from './registry-request.js';
export { type RegistryMetadataRequest, type RegistryVersionRequest, registryMetadata, registryVersionFacts } from './service.js';
export type { PackageMetadata, PackageVersion, RegistryEcosystem, RegistryMetadata, RegistryVersionFacts, VersionDetails } from './types.js';
export { ageInDays, distanceFromLatest, findVersion, isLatest, versionAgeInDays } from './versions.js';
