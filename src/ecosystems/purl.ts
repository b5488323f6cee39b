import { PackageURL } from 'packageurl-js';
import { ValidationError } from '../core/errors.js';
import type { PurlParts } from './types.js';

/**
 * Package URL parsing and formatting over `packageurl-js`, which applies each purl type's
 * normalization rules (npm and pypi names lowercased, pypi `_` → `-`, …). Two deviations, both to
 * accept purls real tools write:
 * - a literal `+` in qualifiers stays a `+` (the WHATWG URL parser would read it as a space);
 * - conan purls skip packageurl-js's conan rule, which refuses both Sonatype's form
 *   (`pkg:conan/bincrafters/libxml2@2.9.8`, the owner as namespace) and the purl spec's
 *   (`pkg:conan/libxml2@2.9.8?user=bincrafters&channel=stable`).
 */

/** Parses and normalizes a package URL; a ValidationError says what is wrong with it. */
export function parsePurl(text: string): PurlParts {
  if (typeof text !== 'string' || text.trim() === '') throw new ValidationError('The package URL is empty');
  const trimmed = text.trim();
  let parts: ReturnType<typeof PackageURL.parseString>;
  try {
    parts = PackageURL.parseString(keepPlusInQualifiers(trimmed));
  } catch (error) {
    throw invalid(trimmed, error);
  }
  const [type, namespace, name, version, qualifiers, subpath] = parts as unknown[];
  if (typeof type !== 'string' || type === '') throw new ValidationError(`Invalid package URL "${trimmed}": it has no type`);
  if (typeof name !== 'string' || name === '') throw new ValidationError(`Invalid package URL "${trimmed}": it has no name`);
  return normalizeParts(
    {
      type,
      namespace: namespace as string | undefined,
      name,
      version: version as string | undefined,
      qualifiers: qualifiers instanceof URLSearchParams ? Object.fromEntries(qualifiers) : undefined,
      subpath: subpath as string | undefined,
    },
    trimmed,
  );
}

/** The canonical string of purl parts (normalized, qualifiers sorted, empty qualifiers dropped). */
export function formatPurl(parts: PurlParts): string {
  return build(parts, undefined).toString();
}

/** Purl parts with their type's normalization applied, as `parsePurl` returns them. */
export function normalizeParts(parts: PurlParts, source?: string): PurlParts {
  const purl = build(parts, source);
  const result: PurlParts = { type: purl.type, name: purl.name };
  if (purl.namespace) result.namespace = purl.namespace;
  if (purl.version) result.version = purl.version;
  if (purl.qualifiers && Object.keys(purl.qualifiers).length > 0) result.qualifiers = { ...purl.qualifiers };
  if (purl.subpath) result.subpath = purl.subpath;
  return result;
}

function build(parts: PurlParts, source: string | undefined): PackageURL {
  const qualifiers = withoutEmptyValues(parts.qualifiers);
  const lenient = parts.type.toLowerCase() === 'conan';
  try {
    const purl = new PackageURL(
      parts.type,
      lenient ? undefined : parts.namespace || undefined,
      parts.name,
      parts.version || undefined,
      lenient ? undefined : qualifiers,
      parts.subpath || undefined,
    );
    if (lenient) {
      // packageurl-js ties a conan namespace to qualifiers and a channel to a namespace; neither
      // Sonatype's `pkg:conan/owner/name@v` nor `pkg:conan/name@v?user=u&channel=c` passes it.
      const { Component } = PackageURL;
      purl.namespace = parts.namespace ? Component.namespace.normalize(parts.namespace) : undefined;
      purl.qualifiers = qualifiers ? (Component.qualifiers.normalize(qualifiers) as unknown as Record<string, string>) : undefined;
      Component.namespace.validate(purl.namespace, true);
      Component.qualifiers.validate(purl.qualifiers, true);
    }
    return purl;
  } catch (error) {
    throw invalid(source ?? describe(parts), error, parts.type);
  }
}

function withoutEmptyValues(qualifiers: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!qualifiers) return undefined;
  const entries = Object.entries(qualifiers).filter(([, value]) => value !== undefined && value !== '');
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function keepPlusInQualifiers(text: string): string {
  const hash = text.indexOf('#');
  const head = hash < 0 ? text : text.slice(0, hash);
  const tail = hash < 0 ? '' : text.slice(hash);
  const question = head.indexOf('?');
  if (question < 0) return text;
  return head.slice(0, question + 1) + head.slice(question + 1).replaceAll('+', '%2B') + tail;
}

function invalid(what: string, error: unknown, type?: string): ValidationError {
  const message = error instanceof Error ? error.message : '';
  let reason: string;
  if (message.startsWith('Invalid purl:')) reason = message.replace(/^Invalid purl:\s*/, '');
  // packageurl-js 2.0.1 fails with a ReferenceError in its own golang version check.
  else if (type?.toLowerCase() === 'golang') reason = 'a golang version starting with "v" must be a semantic version, e.g. v1.2.3';
  else reason = 'it is not a valid package URL';
  return new ValidationError(`Invalid package URL "${what}": ${reason}`);
}

function describe(parts: PurlParts): string {
  const namespace = parts.namespace ? `${parts.namespace}/` : '';
  const version = parts.version ? `@${parts.version}` : '';
  return `pkg:${parts.type}/${namespace}${parts.name}${version}`;
}
