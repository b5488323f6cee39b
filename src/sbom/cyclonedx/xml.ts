import { SbomError } from '../errors.js';
import type { Sbom } from '../model.js';
import { parseXml } from '../xml.js';
import { readCycloneDxObject } from './read.js';

/** Parsed XML elements before its fields are checked, each where it is read: loose on purpose, and only inside this module. */
// biome-ignore lint/suspicious/noExplicitAny: untrusted input is inspected field by field.
type Raw = Record<string, any>;

const ARRAY_TAGS = new Set(['component', 'license', 'expression', 'hash', 'dependency', 'tool', 'vulnerability', 'target', 'property', 'response']);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'object' && v !== null && typeof (v as Raw)['#text'] === 'string' ? (v as Raw)['#text'] : undefined);

function component(c: Raw): Raw {
  const licenses = c.licenses as Raw | undefined;
  return {
    'bom-ref': c['@_bom-ref'],
    type: c['@_type'],
    name: text(c.name),
    group: text(c.group),
    version: text(c.version),
    purl: text(c.purl),
    cpe: text(c.cpe),
    scope: text(c.scope),
    description: text(c.description),
    publisher: text(c.publisher),
    author: text(c.author),
    supplier: c.supplier ? { name: text(c.supplier.name) } : undefined,
    hashes: (c.hashes?.hash ?? []).map((h: Raw) => ({ alg: h['@_alg'], content: text(h) })),
    licenses: [
      ...(licenses?.license ?? []).map((l: Raw) => ({ license: { id: text(l.id), name: text(l.name) } })),
      ...(licenses?.expression ?? []).map((e: unknown) => ({ expression: text(e) })),
    ],
    components: (c.components?.component ?? []).map(component),
  };
}

function dependency(d: Raw): Raw[] {
  const children = (d.dependency ?? []) as Raw[];
  return [{ ref: d['@_ref'], dependsOn: children.map((c) => c['@_ref']) }, ...children.flatMap(dependency)];
}

/** CycloneDX XML (1.0–1.6) → the SBOM model, through the JSON shape. */
export function readCycloneDxXml(xml: string): Sbom {
  const root = parseXml(xml, ARRAY_TAGS).bom as Raw | undefined;
  if (!root || typeof root !== 'object') throw new SbomError('not a CycloneDX XML document: the root element must be <bom>');
  // Namespace declarations are stripped by the parser, so the version is read from the raw text.
  const version = /xmlns(?::\w+)?\s*=\s*["']http:\/\/cyclonedx\.org\/schema\/bom\/(\d+\.\d+)["']/.exec(xml.slice(0, 65536))?.[1];
  if (!version) throw new SbomError('not a CycloneDX XML document: the <bom> element has no CycloneDX namespace (http://cyclonedx.org/schema/bom/1.x)');
  const meta = root.metadata as Raw | undefined;
  return readCycloneDxObject({
    bomFormat: 'CycloneDX',
    specVersion: version,
    serialNumber: root['@_serialNumber'],
    metadata: meta
      ? {
          timestamp: text(meta.timestamp),
          tools: (meta.tools?.tool ?? []).map((t: Raw) => ({ vendor: text(t.vendor), name: text(t.name), version: text(t.version) })),
          component: meta.component ? component(Array.isArray(meta.component) ? meta.component[0] : meta.component) : undefined,
        }
      : undefined,
    components: (root.components?.component ?? []).map(component),
    dependencies: (root.dependencies?.dependency ?? []).flatMap(dependency),
    vulnerabilities: (root.vulnerabilities?.vulnerability ?? []).map((v: Raw) => ({
      id: text(v.id),
      analysis: v.analysis
        ? { state: text(v.analysis.state), justification: text(v.analysis.justification), detail: text(v.analysis.detail), response: (v.analysis.responses?.response ?? []).map(text) }
        : undefined,
      affects: (v.affects?.target ?? []).map((t: Raw) => ({ ref: text(t.ref) })),
    })),
  });
}
