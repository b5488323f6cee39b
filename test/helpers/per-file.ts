import { forgetCredentials } from '../../src/http/auth.js';
import { configureRegistryCircuits, resetRegistryCircuits } from '../../src/intel/registries/index.js';

/**
 * Runs before each test file (vitest.config.ts `setupFiles`). Test files share their worker
 * process (`isolate: false`): the product's modules load once per worker instead of once per file.
 * What the product keeps per process is put back here as a fresh process has it, so that no file
 * starts from another's: registry circuit breakers (none open, the real clock, the default
 * back-off) and the cache of verified credentials.
 */
resetRegistryCircuits({ clock: () => new Date() });
configureRegistryCircuits({});
forgetCredentials();
