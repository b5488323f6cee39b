import { SbomError } from '../errors.js';
import type { Sbom } from '../model.js';
import { parseXml } from '../xml.js';
import { readSpdxObject } from './read.js';

/**
 * SPDX 2.x XML, both ways. SPDX defines its XML as the JSON schema's structure written as
 * elements (the spdx-spec examples SPDXXMLExample-v2.2/v2.3 and spdx/tools-java write it so):
 *
 * - the root element is `<Document>`, without a namespace;
 * - every JSON property is an element of the same name, in the same place: `<spdxVersion>`,
 *   `<creationInfo><created>…</created></creationInfo>`, `<packages><SPDXID>…</SPDXID>…</packages>`;
 * - an array is its property's element repeated, once per item, and never wrapped:
 *   `<packages>` per package, `<relationships>` per relationship, `<checksums>`, `<externalRefs>`,
 *   `<creators>`, `<hasExtractedLicensingInfos>`; an empty array is no element;
 * - booleans and numbers are their JSON text (`<filesAnalyzed>false</filesAnalyzed>`).
 *
 * Reading accepts the same with a namespace or prefix on the elements (`<spdx:Document>`), and the
 * `<SpdxDocument>` root that older spdx/tools-python releases wrote. XML cannot say which elements
 * are arrays, so the reader knows them by name (ARRAY_FIELDS, from the SPDX 2.3 JSON schema).
 */

/** Properties the SPDX 2.3 JSON schema declares as arrays, wherever they occur. */
const ARRAY_FIELDS = new Set([
  // document, creation information
  'creators', 'externalDocumentRefs', 'hasExtractedLicensingInfos', 'seeAlsos', 'crossRefs', 'annotations', 'documentDescribes',
  'packages', 'files', 'snippets', 'relationships', 'revieweds',
  // packages
  'checksums', 'externalRefs', 'attributionTexts', 'hasFiles', 'licenseInfoFromFiles', 'packageVerificationCodeExcludedFiles',
  // files and snippets
  'fileTypes', 'fileContributors', 'fileDependencies', 'licenseInfoInFiles', 'artifactOfs', 'ranges', 'licenseInfoInSnippets',
]);
const BOOLEAN_FIELDS = new Set(['filesAnalyzed']);
const NUMBER_FIELDS = new Set(['offset', 'lineNumber']);

// ---- writing ------------------------------------------------------------------------------------

const PREDEFINED: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Escapes a value for element content. Markup characters become the predefined entities; a
 * carriage return, C1 controls and whitespace at either end become character references (parsers
 * normalise a literal CR away, and most XML-to-object mappers trim values); characters XML 1.0
 * cannot carry at all, even as references (C0 controls other than tab and newline, U+FFFE/U+FFFF,
 * unpaired surrogates), become U+FFFD, the replacement character, so that the loss is visible.
 */
export function escapeXmlText(value: string): string {
  const escaped = value.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this escapes.
    /[&<>"']|\r|[\u007F-\u009F]|[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    (c) => PREDEFINED[c] ?? (/[\r\u007F-\u009F]/.test(c) ? `&#${c.charCodeAt(0)};` : '\uFFFD'),
  );
  return escaped.replace(/^[ \t\n]+|[ \t\n]+$/g, (ws) => [...ws].map((c) => `&#${c.charCodeAt(0)};`).join(''));
}

const XML_NAME = /^[A-Za-z_][\w.-]*$/;

function writeElement(name: string, value: unknown, indent: string, out: string[]): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) writeElement(name, item, indent, out);
    return;
  }
  if (!XML_NAME.test(name)) throw new Error(`"${name}" cannot be an XML element name`);
  if (typeof value === 'object') {
    const inner: string[] = [];
    for (const [key, child] of Object.entries(value)) writeElement(key, child, `${indent}  `, inner);
    out.push(inner.length ? `${indent}<${name}>\n${inner.join('\n')}\n${indent}</${name}>` : `${indent}<${name}/>`);
    return;
  }
  out.push(`${indent}<${name}>${escapeXmlText(String(value))}</${name}>`);
}

/** An SPDX document (the JSON shape, as toSpdxDocument makes it) as SPDX XML. */
export function spdxDocumentXml(document: object): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  writeElement('Document', document, '', out);
  return `${out.join('\n')}\n`;
}

// ---- reading ------------------------------------------------------------------------------------

/** The parsed element tree as the JSON shape: attributes (namespace declarations) dropped, values typed. */
function jsonShape(node: unknown, name: string): unknown {
  if (Array.isArray(node)) return node.map((item) => jsonShape(item, name));
  if (typeof node === 'string') {
    if (BOOLEAN_FIELDS.has(name) && /^(true|false)$/i.test(node)) return node.toLowerCase() === 'true';
    if (NUMBER_FIELDS.has(name) && /^\d+$/.test(node)) return Number(node);
    return node;
  }
  if (typeof node !== 'object' || node === null) return node;
  const fields = Object.entries(node as Record<string, unknown>).filter(([key]) => !key.startsWith('@_'));
  // An element with attributes and text only (e.g. a namespace declaration on a value): its text.
  if (fields.length === 1 && fields[0][0] === '#text') return jsonShape(fields[0][1], name);
  const out: Record<string, unknown> = {};
  for (const [key, value] of fields) if (key !== '#text') out[key] = jsonShape(value, key);
  return out;
}

/** SPDX XML → the SPDX document in its JSON shape (what readSpdxObject and the JSON schema take). */
export function spdxXmlDocument(xml: string): Record<string, unknown> {
  const parsed = parseXml(xml, ARRAY_FIELDS);
  let root = parsed.Document ?? parsed.SpdxDocument;
  // Older spdx/tools-python: <SpdxDocument><Document>…</Document></SpdxDocument>.
  if (root && typeof root === 'object' && 'Document' in root && !('spdxVersion' in root)) root = root.Document;
  if (!root || typeof root !== 'object' || Array.isArray(root)) {
    throw new SbomError('not an SPDX XML document: the root element must be <Document> with the SPDX fields in it');
  }
  return jsonShape(root, 'Document') as Record<string, unknown>;
}

/** SPDX 2.2/2.3 XML → the SBOM model, through the JSON shape. */
export function readSpdxXml(xml: string): Sbom {
  return readSpdxObject(spdxXmlDocument(xml));
}
