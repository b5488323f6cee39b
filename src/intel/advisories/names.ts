import { ecosystemOfOsv } from '../../ecosystems/index.js';

/**
 * Package names and versions as each ecosystem compares them, so that a component named the way a
 * lockfile or SBOM writes it finds the advisory named the way its database writes it. The rules
 * are the descriptors' (`osv.normalizeName`, `osv.normalizeVersion` in ecosystems/<format>/index.ts),
 * found by OSV ecosystem name.
 */

/** The ecosystem part of an OSV ecosystem name: `Debian:11` → `debian`, lowercase. */
export function ecosystemKey(ecosystem: string): string {
  return ecosystem.trim().toLowerCase();
}

/** A package name as the ecosystem's advisories compare names (PyPI: PEP 503; NuGet, Packagist, Hex: case-insensitive). */
export function normalizePackageName(ecosystem: string, name: string): string {
  const trimmed = name.trim();
  const normalize = ecosystemOfOsv(ecosystem)?.osv?.normalizeName;
  return normalize ? normalize(trimmed) : trimmed;
}

/** A component's version as the ecosystem's advisories write it (Go: `v1.2.3` → `1.2.3`). */
export function normalizeVersion(ecosystem: string, version: string): string {
  const trimmed = version.trim();
  const normalize = ecosystemOfOsv(ecosystem)?.osv?.normalizeVersion;
  return normalize ? normalize(trimmed) : trimmed;
}
