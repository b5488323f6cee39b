/**
 * Package names and versions as each ecosystem compares them, so that a component named the way a
 * lockfile or SBOM writes it finds the advisory named the way its database writes it.
 */

/** The ecosystem part of an OSV ecosystem name: `Debian:11` → `debian`, lowercase. */
export function ecosystemKey(ecosystem: string): string {
  return ecosystem.trim().toLowerCase();
}

function base(ecosystem: string): string {
  const key = ecosystemKey(ecosystem);
  const colon = key.indexOf(':');
  return colon < 0 ? key : key.slice(0, colon);
}

export function normalizePackageName(ecosystem: string, name: string): string {
  const trimmed = name.trim();
  switch (base(ecosystem)) {
    case 'pypi':
      // PEP 503: case-insensitive, and runs of `-`, `_`, `.` are the same character.
      return trimmed.toLowerCase().replace(/[-_.]+/g, '-');
    case 'nuget':
    case 'packagist':
    case 'hex':
      // Case-insensitive registries.
      return trimmed.toLowerCase();
    default:
      return trimmed;
  }
}

/** A component's version as the ecosystem's advisories write it (Go: `v1.2.3` → `1.2.3`). */
export function normalizeVersion(ecosystem: string, version: string): string {
  const trimmed = version.trim();
  if (base(ecosystem) === 'go' && /^v\d/.test(trimmed)) return trimmed.slice(1);
  return trimmed;
}
