import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SbomError } from './errors.js';
import { SBOM_LIMITS } from './model.js';

/**
 * Parses XML safely: documents declaring a DTD or entities are refused outright (no entity
 * expansion, no external entities), nesting is bounded, and nothing is parsed as a number behind
 * our back.
 */

/** Refuses a document that declares a DTD or entities, before anything else looks at it. */
export function refuseDtd(text: string): void {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new SbomError('XML documents with a DOCTYPE or ENTITY declaration are not accepted (entity expansion is a known attack).');
  }
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** A code point XML 1.0 allows (section 2.2); a reference to any other is replaced by U+FFFD. */
function xmlChar(code: number): string {
  const allowed =
    code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
  return allowed ? String.fromCodePoint(code) : '\uFFFD';
}

/**
 * What XML itself defines, decoded in one pass: the five predefined entities and character
 * references (`&#13;`, `&#x7F;`), which writers use for characters that text cannot carry
 * literally. One pass matters: `&amp;#13;` is the text `&#13;`, not a carriage return.
 * With DTDs refused there are no other entities; an unknown `&name;` stays as written.
 */
const xmlEntities = {
  setExternalEntities: () => {},
  addInputEntities: () => {},
  reset: () => {},
  setXmlVersion: () => {},
  decode: (text: string) =>
    text.replace(/&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/g, (_whole, hex?: string, dec?: string, name?: string) => {
      if (name) return PREDEFINED[name];
      return xmlChar(Number.parseInt(hex ?? dec ?? '', hex ? 16 : 10));
    }),
};

/**
 * Element nesting the parser accepts: room for components nested as deep as the model allows
 * (two elements a level in CycloneDX), refused beyond with a 400 rather than a stack to exhaust.
 */
const MAX_NESTED_ELEMENTS = 2 * SBOM_LIMITS.maxDepth + 16;

export function parseXml(text: string, arrayTags: ReadonlySet<string>): Record<string, unknown> {
  refuseDtd(text);
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new SbomError(`malformed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    processEntities: true,
    entityDecoder: xmlEntities,
    trimValues: true,
    maxNestedTags: MAX_NESTED_ELEMENTS,
    isArray: (name) => arrayTags.has(name),
  });
  try {
    return parser.parse(text) as Record<string, unknown>;
  } catch (err) {
    if (/nested/i.test((err as Error).message)) throw new SbomError(`XML elements are nested deeper than ${MAX_NESTED_ELEMENTS} levels`);
    throw new SbomError(`the XML cannot be read: ${(err as Error).message}`);
  }
}
