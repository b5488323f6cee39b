import { readFileSync } from 'node:fs';

/**
 * The product version in the reference product's format `{major}.{release}.{patch}-{build}`.
 * The release is the reference API release Tollgate implements (1.204), so clients that check the
 * server release before using an endpoint see what they expect; patch and build are Tollgate's.
 */
const API_RELEASE = 204;

/** Written in by the bundler for the self-contained client (scripts/build-cli.mjs), which has no package.json beside it. */
declare const __TOLLGATE_VERSION__: string | undefined;

function packageVersion(): string {
  if (typeof __TOLLGATE_VERSION__ === 'string') return __TOLLGATE_VERSION__;
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export const TOLLGATE_VERSION = packageVersion();
const [, minor, patch] = TOLLGATE_VERSION.split('.').map(Number);
export const PRODUCT_VERSION = `1.${API_RELEASE}.${minor * 100 + patch}-01`;
