import { SbomError } from '../errors.js';
import { SBOM_LIMITS, type Sbom, type SbomComponent, type SbomVulnerabilityAnalysis } from '../model.js';

/**
 * Maps a CycloneDX document (the JSON shape; the XML reader converts to it) to the SBOM model.
 * Nested components are flattened; a nested component depends on nothing implicitly.
 */

/** The parsed document before its fields are checked, each where it is read: loose on purpose, and only inside this module. */
// biome-ignore lint/suspicious/noExplicitAny: untrusted input is inspected field by field.
type Raw = Record<string, any>;

const asArray = (v: unknown): Raw[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]) as Raw[];
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

export const CYCLONEDX_VERSIONS = ['1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7'];

function licenseExpression(licenses: unknown): string | undefined {
  const parts: string[] = [];
  for (const entry of asArray(licenses)) {
    if (str(entry.expression)) parts.push(`(${entry.expression})`);
    const license = entry.license ?? (entry.id || entry.name ? entry : undefined);
    if (license) {
      const id = str(license.id) ?? str(license.name);
      if (id) parts.push(/\s/.test(id) && !str(license.id) ? `LicenseRef-${id.replace(/[^A-Za-z0-9.-]+/g, '-')}` : id);
    }
  }
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return parts[0].replace(/^\((.*)\)$/, '$1');
  // Several licenses listed without an expression: CycloneDX means all of them apply.
  return parts.join(' AND ');
}

function hashes(list: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of asArray(list)) {
    const alg = str(h.alg);
    const content = str(h.content);
    if (alg && content) out[alg.toUpperCase()] = content.toLowerCase();
  }
  return out;
}

function toolNames(tools: unknown): string[] {
  // 1.2–1.4: an array of tools; 1.5+: { components: [...], services: [...] }.
  const list = Array.isArray(tools) ? tools : [...asArray((tools as Raw)?.components), ...asArray((tools as Raw)?.services)];
  return list.map((t: Raw) => [str(t.vendor) ?? str(t.group), str(t.name), str(t.version)].filter(Boolean).join(' ')).filter(Boolean);
}

/** A CycloneDX document in its JSON shape (parsed JSON, or what the XML reader makes of XML) → the SBOM model. */
export function readCycloneDxObject(input: unknown): Sbom {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new SbomError('a CycloneDX document must be a JSON object');
  const doc = input as Raw;
  if (doc?.bomFormat !== undefined && doc.bomFormat !== 'CycloneDX') throw new SbomError(`bomFormat must be "CycloneDX", got ${JSON.stringify(doc.bomFormat)}`);
  const specVersion = str(doc.specVersion) ?? '';
  if (!CYCLONEDX_VERSIONS.includes(specVersion)) {
    throw new SbomError(`unsupported CycloneDX specVersion ${JSON.stringify(doc.specVersion)} (supported: ${CYCLONEDX_VERSIONS.join(', ')})`);
  }
  const components: SbomComponent[] = [];
  const seen = new Set<string>();
  let generated = 0;

  const uniqueRef = (ref: string | undefined): string => {
    let candidate = ref ?? `component-${++generated}`;
    while (seen.has(candidate)) candidate = `${ref ?? 'component'}#${++generated}`;
    seen.add(candidate);
    return candidate;
  };

  const visit = (list: unknown, depth: number, where: string) => {
    if (depth > SBOM_LIMITS.maxDepth) throw new SbomError(`components are nested deeper than ${SBOM_LIMITS.maxDepth} levels at ${where}`);
    asArray(list).forEach((c, i) => {
      const at = `${where}[${i}]`;
      if (typeof c !== 'object' || c === null) throw new SbomError(`${at} is not a component object`);
      const name = str(c.name);
      if (!name) throw new SbomError(`${at} has no name`);
      if (components.length >= SBOM_LIMITS.maxComponents) throw new SbomError(`more than ${SBOM_LIMITS.maxComponents} components`);
      components.push({
        ref: uniqueRef(str(c['bom-ref'])),
        name,
        group: str(c.group),
        version: str(c.version),
        purl: str(c.purl),
        cpe: str(c.cpe),
        hashes: hashes(c.hashes),
        license: licenseExpression(c.licenses),
        scope: str(c.scope),
        type: str(c.type)?.toLowerCase(),
        description: str(c.description),
        supplier: str(c.supplier?.name) ?? str(c.publisher) ?? str(c.author),
      });
      if (c.components) visit(c.components, depth + 1, `${at}.components`);
    });
  };
  visit(doc.components, 0, 'components');

  const main = doc.metadata?.component as Raw | undefined;
  const subject = main && str(main.name)
    ? { ref: uniqueRef(str(main['bom-ref'])), name: str(main.name)!, version: str(main.version), purl: str(main.purl) }
    : undefined;

  const dependencies = new Map<string, string[]>();
  for (const d of asArray(doc.dependencies)) {
    const ref = str(d.ref);
    if (!ref) continue;
    const on = asArray(d.dependsOn).map((x) => (typeof x === 'string' ? x : str(x?.ref))).filter((x): x is string => !!x);
    dependencies.set(ref, [...(dependencies.get(ref) ?? []), ...on]);
  }

  const vulnerabilities: SbomVulnerabilityAnalysis[] = asArray(doc.vulnerabilities).flatMap((v) => {
    const id = str(v.id);
    if (!id) return [];
    const a = (v.analysis ?? {}) as Raw;
    return [{
      id,
      affects: asArray(v.affects).map((x) => str(x.ref)).filter((x): x is string => !!x),
      state: str(a.state),
      justification: str(a.justification),
      response: asArray(a.response).map((r) => String(r)),
      detail: str(a.detail),
    }];
  });

  return {
    format: 'CycloneDX',
    specVersion,
    subject,
    serialNumber: str(doc.serialNumber),
    timestamp: str(doc.metadata?.timestamp),
    tools: toolNames(doc.metadata?.tools),
    components,
    dependencies,
    vulnerabilities,
  };
}
