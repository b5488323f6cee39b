import { readCycloneDxObject } from './cyclonedx/read.js';
import { readCycloneDxXml } from './cyclonedx/xml.js';
import { cycloneDxJsonValidator } from './cyclonedx/schema.js';
import { SbomError } from './errors.js';
import type { Sbom } from './model.js';
import { readSpdxObject } from './spdx/read.js';
import { readSpdxTagValue } from './spdx/tag-value.js';
import { readSpdxXml } from './spdx/xml.js';
import { detectSyntax } from './detect.js';

export { detectSyntax } from './detect.js';

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
function validateCycloneDxJson(doc: unknown, specVersion: string): void {
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
