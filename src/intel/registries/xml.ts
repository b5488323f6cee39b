import { XMLParser, XMLValidator } from 'fast-xml-parser';

export class XmlDocumentError extends Error {}

/**
 * Parses registry XML (maven-metadata.xml, POMs) safely. Entity processing is off, so a document
 * cannot expand entities ("billion laughs") or pull in external ones; documents declaring entities
 * are refused outright, as no real Maven metadata or POM has a DTD. The five predefined XML entities
 * and character references are decoded by hand. Values stay strings: `2.10` is a version, not 2.1.
 */
export function parseRegistryXml(text: string, arrays: readonly string[]): Record<string, unknown> {
  if (/<!ENTITY/i.test(text)) throw new XmlDocumentError('it declares XML entities, which are refused');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlDocumentError(`it is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const parser = new XMLParser({
    processEntities: false,
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: true,
    removeNSPrefix: true,
    isArray: (_name, jpath) => arrays.includes(String(jpath)),
    tagValueProcessor: (_name, value) => decodeXmlEntities(value),
  });
  const parsed = parser.parse(text) as Record<string, unknown>;
  return parsed;
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXmlEntities(value: string): string {
  return value.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return safeCodePoint(Number.parseInt(ref.slice(2), 16)) ?? whole;
    if (ref.startsWith('#')) return safeCodePoint(Number.parseInt(ref.slice(1), 10)) ?? whole;
    return PREDEFINED[ref] ?? whole;
  });
}

function safeCodePoint(code: number): string | undefined {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

/** The text of an element that may be absent, empty or (mis)repeated. */
export function text(value: unknown): string | undefined {
  if (Array.isArray(value)) return text(value[0]);
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number') return String(value);
  return undefined;
}
