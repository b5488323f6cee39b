import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fromPackageUrl, parsePurl, type PurlParts, toPackageUrl } from '../../src/ecosystems/identity.js';

/**
 * Every package URL in the real SBOMs of ../shared/fixtures/sbom (CycloneDX JSON and XML, SPDX JSON
 * and tag-value) must become a component identifier and come back as an equivalent purl.
 */
const SBOMS = fileURLToPath(new URL('../../../shared/fixtures/sbom/', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The purls an SBOM declares, read the way each format writes them. */
function purlsIn(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  if (path.endsWith('.json')) {
    const purls: string[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        const record = value as Record<string, unknown>;
        if (typeof record.purl === 'string') purls.push(record.purl); // CycloneDX
        if (record.referenceType === 'purl' && typeof record.referenceLocator === 'string') purls.push(record.referenceLocator); // SPDX
        Object.values(record).forEach(walk);
      }
    };
    walk(JSON.parse(text));
    return purls;
  }
  if (path.endsWith('.xml')) {
    return [...text.matchAll(/<purl>\s*(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?\s*<\/purl>/gs)].map(([, purl]) =>
      purl.replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&apos;', "'"),
    );
  }
  if (path.endsWith('.spdx')) {
    return [...text.matchAll(/^ExternalRef:\s*PACKAGE[-_]MANAGER\s+purl\s+(\S+)/gm)].map(([, purl]) => purl);
  }
  return [];
}

/** Qualifier values a purl implies when it leaves them out. */
const DEFAULT_QUALIFIERS: Record<string, Record<string, string>> = { maven: { type: 'jar' } };

/**
 * The purl spec's known qualifiers that say where a package comes from, not which it is; with the
 * subpath (a path inside the package), they are not part of a component's identity. IQ keeps such
 * detail in a component's `originalPurl`, beside the canonical `packageUrl`.
 */
const LOCATION_QUALIFIERS = ['repository_url', 'download_url', 'vcs_url', 'file_name', 'checksum'];

/** What of a purl is not part of the component's identity (reported, not a failure). */
function locationParts(purl: PurlParts): string[] {
  const parts = Object.keys(purl.qualifiers ?? {}).filter((key) => LOCATION_QUALIFIERS.includes(key));
  if (purl.subpath) parts.push('subpath');
  return parts;
}

/** How two parsed purls differ as components, or undefined when they name the same component. */
function difference(original: PurlParts, back: PurlParts): string | undefined {
  for (const part of ['type', 'namespace', 'name', 'version'] as const) {
    if (original[part] !== back[part]) return `${part} ${JSON.stringify(original[part])} came back as ${JSON.stringify(back[part])}`;
  }
  const identifying = (purl: PurlParts) =>
    Object.fromEntries(Object.entries({ ...DEFAULT_QUALIFIERS[purl.type], ...purl.qualifiers }).filter(([key]) => !LOCATION_QUALIFIERS.includes(key)));
  const implied = identifying(original);
  const returned = identifying(back);
  for (const key of new Set([...Object.keys(implied), ...Object.keys(returned)])) {
    if (implied[key] !== returned[key]) return `qualifier ${key}=${JSON.stringify(implied[key])} came back as ${JSON.stringify(returned[key])}`;
  }
  return undefined;
}

const available = existsSync(SBOMS);
if (!available) console.info(`Skipping the SBOM purls: ${SBOMS} is absent`);

describe.skipIf(!available)('package URLs of real SBOMs', () => {
  const files = available ? filesUnder(SBOMS).filter((path) => /\.(json|xml|spdx)$/.test(path)) : [];

  it.each(files.map((path) => [path.slice(SBOMS.length), path]))('%s', (_name, path) => {
    const purls = [...new Set(purlsIn(path))];
    const problems: string[] = [];
    const dropped = new Map<string, number>();
    const formats = new Map<string, number>();
    for (const purl of purls) {
      try {
        const identifier = fromPackageUrl(purl);
        formats.set(identifier.format, (formats.get(identifier.format) ?? 0) + 1);
        const back = toPackageUrl(identifier);
        const original = parsePurl(purl);
        const why = difference(original, parsePurl(back));
        if (why) problems.push(`${purl} → ${back}: ${why}`);
        for (const part of locationParts(original)) dropped.set(part, (dropped.get(part) ?? 0) + 1);
      } catch (error) {
        problems.push(`${purl}: ${(error as Error).message}`);
      }
    }
    const count = (map: Map<string, number>) => [...map].map(([key, n]) => `${key} ${n}`).join(', ');
    console.info(
      `${path.slice(SBOMS.length)}: ${purls.length} purls (${count(formats) || 'none'}); ` +
        `${problems.length} cannot round-trip${problems.length ? `:\n  ${problems.join('\n  ')}` : ''}` +
        (dropped.size ? `; not part of identity, so not written back: ${count(dropped)}` : ''),
    );
    expect(problems).toEqual([]);
  });

  it('reads purls from every SBOM that declares them', () => {
    const withPurls = files.filter((path) => readFileSync(path, 'utf8').includes('pkg:'));
    for (const path of withPurls) expect(purlsIn(path).length, path).toBeGreaterThan(0);
    expect(withPurls.length).toBeGreaterThan(10);
  });
});
