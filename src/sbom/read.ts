import { readCycloneDxObject } from './cyclonedx/read.js';
import { readCycloneDxXml } from './cyclonedx/xml.js';
import { cycloneDxJsonValidator } from './cyclonedx/schema.js';
import { SbomError } from './errors.js';
import type { Sbom } from './model.js';
import { readSpdxObject } from './spdx/read.js';
import { readSpdxTagValue } from './spdx/tag-value.js';
import { readSpdxXml } from './spdx/xml.js';
import { refuseDtd } from './xml.js';

export type SbomSyntax = 'cyclonedx-json' | 'cyclonedx-xml' | 'spdx-json' | 'spdx-xml' | 'spdx-tag-value';

/** The root element's name without its prefix (after the declaration, comments and processing instructions). */
function rootElement(head: string): string | undefined {
  return /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(head)?.[1];
}

/** Tells the format from the content itself (content types lie too often to trust). */
export function detectSyntax(text: string): SbomSyntax {
  const head = text.slice(0, 4096).trimStart();
  if (head.startsWith('{')) return /"spdxVersion"\s*:/.test(text.slice(0, 65536)) && !/"bomFormat"\s*:/.test(head) ? 'spdx-json' : 'cyclonedx-json';
  if (head.startsWith('<')) {
    // Whatever the root, a DTD is refused first: the answer to a hostile document is always the same.
    refuseDtd(text);
    const root = rootElement(head);
    if (root === 'Document' || root === 'SpdxDocument') return 'spdx-xml';
    if (root === 'bom' || (!root && /<(\w+:)?bom[\s>]/.test(text.slice(0, 65536)))) return 'cyclonedx-xml';
    if (root === 'RDF' || /spdx\.org\/rdf/.test(head)) throw new SbomError('SPDX RDF/XML is not supported: send SPDX JSON, XML or tag-value, or CycloneDX');
    throw new SbomError(`XML that is neither a CycloneDX <bom> nor an SPDX <Document>${root ? ` (the root element is <${root}>)` : ''}`);
  }
  if (/^SPDXVersion:/m.test(head)) return 'spdx-tag-value';
  throw new SbomError('not a recognised SBOM: expected CycloneDX (JSON or XML) or SPDX (JSON, XML or tag-value)');
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SbomError('the SBOM must be a JSON object');
    return value as Record<string, unknown>;
  } catch (err) {
    if (err instanceof SbomError) throw err;
    throw new SbomError(`the SBOM is not valid JSON: ${(err as Error).message}`);
  }
}

/** Validates a CycloneDX JSON document (parsed) against the official schema of its version. */
export function validateCycloneDxJson(doc: unknown, specVersion: string): void {
  const validate = cycloneDxJsonValidator(specVersion);
  if (!validate || validate(doc)) return;
  const list = validate.errors ?? [];
  const first = list.slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
  throw new SbomError(`the CycloneDX ${specVersion} document does not match its schema: ${first.join('; ')}${list.length > 5 ? ` (and ${list.length - 5} more)` : ''}`);
}

export interface ReadOptions {
  /** Check CycloneDX JSON against the official schema (default true). */
  validate?: boolean;
}

/** Reads any supported SBOM: CycloneDX 1.2–1.6 JSON/XML, SPDX 2.2/2.3 JSON/XML/tag-value. */
export async function readSbom(input: string | Buffer, options: ReadOptions = {}): Promise<Sbom> {
  let text = typeof input === 'string' ? input : input.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  switch (detectSyntax(text)) {
    case 'cyclonedx-json': {
      const doc = parseJson(text);
      const sbom = readCycloneDxObject(doc);
      if (options.validate !== false) validateCycloneDxJson(doc, sbom.specVersion);
      return sbom;
    }
    case 'cyclonedx-xml':
      return readCycloneDxXml(text);
    case 'spdx-json':
      return readSpdxObject(parseJson(text));
    case 'spdx-xml':
      return readSpdxXml(text);
    case 'spdx-tag-value':
      return readSpdxTagValue(text);
  }
}
