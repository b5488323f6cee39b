import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SbomError } from './errors.js';

/**
 * Parses XML safely: documents declaring a DTD or entities are refused outright (no entity
 * expansion, no external entities), and nothing is parsed as a number behind our back.
 */
export function parseXml(text: string, arrayTags: ReadonlySet<string>): Record<string, unknown> {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new SbomError('XML documents with a DOCTYPE or ENTITY declaration are not accepted (entity expansion is a known attack).');
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new SbomError(`malformed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    // Only the predefined entities (&amp; …) remain to decode: DTDs are refused above.
    processEntities: true,
    trimValues: true,
    isArray: (name) => arrayTags.has(name),
  });
  return parser.parse(text) as Record<string, unknown>;
}
