import { readdirSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { Sbom } from '../../src/sbom/model.js';
import { detectSyntax, readSbom } from '../../src/sbom/read.js';
import { toSpdxDocument, writeSpdxXml } from '../../src/sbom/spdx/write.js';
import { escapeXmlText, spdxDocumentXml, spdxXmlDocument } from '../../src/sbom/spdx/xml.js';
import { readShared, sharedFile } from '../helpers/shared.js';
import { checkSpdx23, type Json } from './write-spdx-schema.js';

/**
 * SPDX XML as the SPDX examples and tools write it (root <Document>, JSON properties as elements,
 * arrays as repeated elements): what Tollgate writes is the JSON document, and what it reads is
 * what the tools write, hostile input refused.
 */

const FIXED = { timestamp: new Date('2026-03-04T05:06:07Z'), documentNamespace: 'https://example.com/spdx/xml-test' };

const SAMPLE: Sbom = {
  format: 'CycloneDX',
  specVersion: '1.6',
  subject: { ref: 'app', name: 'Shop & Co <web>', version: '2.0.0' },
  tools: [],
  components: [
    {
      ref: 'pkg:npm/lodash@4.17.20',
      name: 'lodash',
      version: '4.17.20',
      purl: 'pkg:npm/lodash@4.17.20',
      hashes: { 'SHA-1': 'a'.repeat(40), 'SHA-256': 'b'.repeat(64) },
      license: 'MIT',
      type: 'library',
      description: '"Quoted" & \'apostrophes\' <b>tags</b>\r\nsecond line',
      supplier: 'Lodash & Friends',
    },
    {
      ref: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
      name: 'log4j-core',
      group: 'org.apache.logging.log4j',
      version: '2.14.1',
      purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
      cpe: 'cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*',
      hashes: {},
      license: 'Apache-2.0 OR Some Custom License',
      scope: 'optional',
    },
  ],
  dependencies: new Map([
    ['app', ['pkg:npm/lodash@4.17.20', 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1']],
    ['pkg:npm/lodash@4.17.20', ['pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1']],
  ]),
  vulnerabilities: [],
};
const VULNERABILITIES = [{ id: 'CVE-2021-44228', affects: ['pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1'] }];

/**
 * An independent reading of SPDX XML into the JSON shape: fast-xml-parser on its own, told which
 * paths are arrays by the SPDX 2.3 JSON schema (only those Tollgate writes), booleans typed.
 */
function independentlyParsed(xml: string): Record<string, unknown> {
  const arrays = new Set([
    'Document.creationInfo.creators', 'Document.packages', 'Document.packages.checksums', 'Document.packages.externalRefs',
    'Document.relationships', 'Document.hasExtractedLicensingInfos',
  ]);
  const parser = new XMLParser({
    parseTagValue: false,
    htmlEntities: true,
    isArray: (_name, jPath) => arrays.has(String(jPath)),
    tagValueProcessor: (name, value) => (name === 'filesAnalyzed' ? value === 'true' : value),
  });
  return parser.parse(xml).Document;
}

describe('escapeXmlText', () => {
  it.each([
    ['plain text', 'plain text'],
    ['a & b', 'a &amp; b'],
    ['<tag>', '&lt;tag&gt;'],
    [`"double" 'single'`, '&quot;double&quot; &apos;single&apos;'],
    ['&amp; stays text', '&amp;amp; stays text'],
    ['line\nbreak\ttab', 'line\nbreak\ttab'],
    ['carriage\r\nreturn', 'carriage&#13;\nreturn'],
    ['  padded\n', '&#32;&#32;padded&#10;'],
    ['nul\u0000 bell\u0007 vt\u000B esc\u001B', 'nul\uFFFD bell\uFFFD vt\uFFFD esc\uFFFD'],
    ['del\u007F nel\u0085', 'del&#127; nel&#133;'],
    ['\uFFFE\uFFFF', '\uFFFD\uFFFD'],
    ['lone \uD800 high, lone \uDC00 low', 'lone \uFFFD high, lone \uFFFD low'],
    ['pair \uD83D\uDE00 ok', 'pair \uD83D\uDE00 ok'],
    [']]> ends CDATA', ']]&gt; ends CDATA'],
  ])('%j → %j', (input, expected) => {
    expect(escapeXmlText(input)).toBe(expected);
  });

  it('gives well-formed XML for every character of the Basic Multilingual Plane, read back as written where XML allows it', () => {
    // Surrogates apart (unpaired ones are in the table above; here neighbours would pair up).
    const codes = Array.from({ length: 0x10000 }, (_, code) => code).filter((code) => code < 0xd800 || code > 0xdfff);
    const all = String.fromCharCode(...codes);
    const xml = spdxDocumentXml({ name: all });
    expect(XMLValidator.validate(xml)).toBe(true);
    const legal = (c: number) => c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd);
    const expected = String.fromCharCode(...codes.map((c) => (legal(c) ? c : 0xfffd)));
    /** Where two long strings first differ (-1: equal), so that a failure does not print 64k characters. */
    const firstDifference = (a: string, b: string) => {
      for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
      return -1;
    };
    expect(firstDifference(independentlyParsed(xml).name as string, expected)).toBe(-1);
    expect(firstDifference(spdxXmlDocument(xml).name as string, expected)).toBe(-1);
  });
});

describe('writing SPDX XML', () => {
  const doc = toSpdxDocument(SAMPLE, { ...FIXED, vulnerabilities: VULNERABILITIES });
  const xml = writeSpdxXml(SAMPLE, { ...FIXED, vulnerabilities: VULNERABILITIES });

  it('is the JSON document as <Document>: arrays as repeated elements, fields in the JSON order', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Document>\n  <spdxVersion>SPDX-2.3</spdxVersion>\n')).toBe(true);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml.match(/^ {2}<packages>$/gm)).toHaveLength(doc.packages.length);
    expect(xml.match(/^ {2}<relationships>$/gm)).toHaveLength(doc.relationships.length);
    expect(xml).toContain('    <filesAnalyzed>false</filesAnalyzed>');
    expect(xml).toContain(
      '    <checksums>\n      <algorithm>SHA1</algorithm>\n      <checksumValue>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</checksumValue>\n    </checksums>\n    <checksums>\n      <algorithm>SHA256</algorithm>',
    );
    expect(xml).toContain('<creationInfo>\n    <created>2026-03-04T05:06:07Z</created>\n    <creators>Tool: Tollgate');
    expect(xml).toContain('<name>Shop &amp; Co &lt;web&gt;-2.0.0</name>');
    expect(xml).toContain('<supplier>Organization: Lodash &amp; Friends</supplier>');
    expect(xml).toContain('<description>&quot;Quoted&quot; &amp; &apos;apostrophes&apos; &lt;b&gt;tags&lt;/b&gt;&#13;\nsecond line</description>');
  });

  it('reads back, independently of Tollgate’s reader, to exactly the JSON document, which is valid SPDX 2.3', () => {
    expect(checkSpdx23(doc)).toEqual([]);
    const parsed = independentlyParsed(xml);
    expect(parsed).toEqual(JSON.parse(JSON.stringify(doc)));
    expect(checkSpdx23(parsed)).toEqual([]);
    // Tollgate's own reader gives the same JSON shape.
    expect(spdxXmlDocument(xml)).toEqual(JSON.parse(JSON.stringify(doc)));
  });

  it('carries the same packages, licenses, checksums, external references and relationships as the JSON', async () => {
    const fromXml = await readSbom(xml);
    const fromJson = await readSbom(JSON.stringify(doc));
    expect(fromXml).toEqual(fromJson);
    const log4j = fromXml.components.find((c) => c.name === 'org.apache.logging.log4j:log4j-core');
    expect(log4j).toMatchObject({ purl: SAMPLE.components[1].purl, cpe: SAMPLE.components[1].cpe, license: 'LicenseRef-Apache-2.0-OR-Some-Custom-License', scope: 'optional' });
    expect(fromXml.components.find((c) => c.name === 'lodash')).toMatchObject({
      hashes: { 'SHA-1': 'a'.repeat(40), 'SHA-256': 'b'.repeat(64) },
      description: SAMPLE.components[0].description,
      supplier: 'Lodash & Friends',
    });
  });
});

// ---- reading what the SPDX tools write ---------------------------------------------------------

/**
 * A document shaped like the SPDX 2.3 XML example (spdx/spdx-spec examples/): elements in the
 * alphabetical order tools-java writes, reference types as URIs, files, snippets, annotations.
 */
const TOOLS_STYLE = `<?xml version='1.0' encoding='UTF-8'?>
<!-- written by a tool -->
<Document>
  <SPDXID>SPDXRef-DOCUMENT</SPDXID>
  <spdxVersion>SPDX-2.3</spdxVersion>
  <creationInfo>
    <created>2024-05-06T07:08:09Z</created>
    <creators>Tool: example-writer-1.0</creators>
    <creators>Organization: Example Org ()</creators>
  </creationInfo>
  <name>example-app</name>
  <dataLicense>CC0-1.0</dataLicense>
  <annotations>
    <annotationDate>2024-05-06T07:08:09Z</annotationDate>
    <annotationType>OTHER</annotationType>
    <annotator>Person: Someone</annotator>
    <comment>An annotation</comment>
  </annotations>
  <documentDescribes>SPDXRef-App</documentDescribes>
  <documentNamespace>https://example.com/spdxdocs/example-app-1</documentNamespace>
  <packages>
    <SPDXID>SPDXRef-App</SPDXID>
    <copyrightText>NOASSERTION</copyrightText>
    <downloadLocation>NOASSERTION</downloadLocation>
    <filesAnalyzed>true</filesAnalyzed>
    <hasFiles>SPDXRef-Main</hasFiles>
    <licenseConcluded>NOASSERTION</licenseConcluded>
    <licenseDeclared>NOASSERTION</licenseDeclared>
    <licenseInfoFromFiles>Apache-2.0</licenseInfoFromFiles>
    <name>example-app</name>
    <packageVerificationCode>
      <packageVerificationCodeValue>d6a770ba38583ed4bb4525bd96e50461655d2758</packageVerificationCodeValue>
    </packageVerificationCode>
    <versionInfo>1.0.0</versionInfo>
  </packages>
  <packages>
    <SPDXID>SPDXRef-Jackson</SPDXID>
    <checksums>
      <algorithm>SHA1</algorithm>
      <checksumValue>85ED0817AF83A24AD8DA68C2B5094DE69833983C</checksumValue>
    </checksums>
    <copyrightText>NOASSERTION</copyrightText>
    <downloadLocation>https://repo1.maven.org/maven2/com/fasterxml/jackson/core/jackson-databind/2.9.8/</downloadLocation>
    <externalRefs>
      <referenceCategory>PACKAGE-MANAGER</referenceCategory>
      <referenceLocator>pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.8</referenceLocator>
      <referenceType>https://example.com/spdxdocs/example-app-1#purl</referenceType>
    </externalRefs>
    <externalRefs>
      <referenceCategory>SECURITY</referenceCategory>
      <referenceLocator>cpe:2.3:a:fasterxml:jackson-databind:2.9.8:*:*:*:*:*:*:*</referenceLocator>
      <referenceType>http://spdx.org/rdf/references/cpe23Type</referenceType>
    </externalRefs>
    <filesAnalyzed>false</filesAnalyzed>
    <licenseConcluded>Apache-2.0</licenseConcluded>
    <licenseDeclared>Apache-2.0</licenseDeclared>
    <name>jackson-databind</name>
    <supplier>Organization: FasterXML</supplier>
    <versionInfo>2.9.8</versionInfo>
  </packages>
  <files>
    <SPDXID>SPDXRef-Main</SPDXID>
    <checksums>
      <algorithm>SHA1</algorithm>
      <checksumValue>2fd4e1c67a2d28fced849ee1bb76e7391b93eb12</checksumValue>
    </checksums>
    <fileName>./src/Main.java</fileName>
    <fileTypes>SOURCE</fileTypes>
    <licenseConcluded>Apache-2.0</licenseConcluded>
    <licenseInfoInFiles>Apache-2.0</licenseInfoInFiles>
  </files>
  <snippets>
    <SPDXID>SPDXRef-Snippet</SPDXID>
    <licenseConcluded>Apache-2.0</licenseConcluded>
    <name>a snippet</name>
    <ranges>
      <endPointer><offset>420</offset><reference>SPDXRef-Main</reference></endPointer>
      <startPointer><offset>310</offset><reference>SPDXRef-Main</reference></startPointer>
    </ranges>
    <snippetFromFile>SPDXRef-Main</snippetFromFile>
  </snippets>
  <relationships>
    <spdxElementId>SPDXRef-App</spdxElementId>
    <relationshipType>DYNAMIC_LINK</relationshipType>
    <relatedSpdxElement>SPDXRef-Jackson</relatedSpdxElement>
  </relationships>
</Document>
`;

describe('reading SPDX XML', () => {
  it('reads the tools’ document: subject, purl and CPE from URI reference types, checksums, edges', async () => {
    expect(detectSyntax(TOOLS_STYLE)).toBe('spdx-xml');
    const sbom = await readSbom(TOOLS_STYLE);
    expect(sbom).toMatchObject({
      format: 'SPDX',
      specVersion: '2.3',
      subject: { ref: 'SPDXRef-App', name: 'example-app', version: '1.0.0' },
      serialNumber: 'https://example.com/spdxdocs/example-app-1',
      timestamp: '2024-05-06T07:08:09Z',
      tools: ['example-writer-1.0'],
    });
    expect(sbom.components).toEqual([
      {
        ref: 'SPDXRef-Jackson',
        name: 'jackson-databind',
        version: '2.9.8',
        purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.8',
        cpe: 'cpe:2.3:a:fasterxml:jackson-databind:2.9.8:*:*:*:*:*:*:*',
        hashes: { 'SHA-1': '85ed0817af83a24ad8da68c2b5094de69833983c' },
        license: 'Apache-2.0',
        scope: undefined,
        type: undefined,
        description: undefined,
        supplier: 'FasterXML',
      },
    ]);
    expect([...sbom.dependencies]).toEqual([['SPDXRef-App', ['SPDXRef-Jackson']]]);
    // The JSON shape: one-element arrays are arrays, booleans and numbers typed.
    const doc: Json = spdxXmlDocument(TOOLS_STYLE);
    expect(doc.documentDescribes).toEqual(['SPDXRef-App']);
    expect(doc.packages[0]).toMatchObject({ filesAnalyzed: true, hasFiles: ['SPDXRef-Main'], licenseInfoFromFiles: ['Apache-2.0'] });
    expect(doc.snippets[0].ranges[0].endPointer).toEqual({ offset: 420, reference: 'SPDXRef-Main' });
    expect(doc.files[0].fileTypes).toEqual(['SOURCE']);
  });

  it.each([
    ['a prefixed namespace', (x: string) => x.replace(/<(\/?)([A-Za-z]\w*)>/g, '<$1spdx:$2>').replace('<spdx:Document>', '<spdx:Document xmlns:spdx="https://spdx.org/spdxdocs/xml">')],
    ['a default namespace', (x: string) => x.replace('<Document>', '<Document xmlns="https://spdx.org/spdxdocs/xml">')],
    ['the <SpdxDocument> wrapper of older spdx/tools-python', (x: string) => x.replace('<Document>', '<SpdxDocument><Document>').replace('</Document>', '</Document></SpdxDocument>')],
    ['no declaration, a byte order mark, CRLF line ends', (x: string) => `\uFEFF${x.replace(/^<\?xml[^>]*>\n/, '').replace(/\n/g, '\r\n')}`],
  ])('reads the same with %s', async (_what, variant) => {
    const text = variant(TOOLS_STYLE);
    expect(text).not.toBe(TOOLS_STYLE);
    expect(await readSbom(text)).toEqual(await readSbom(TOOLS_STYLE));
  });

  it.each([
    [
      'a billion laughs',
      '<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Document><spdxVersion>&b;</spdxVersion></Document>',
      /DOCTYPE or ENTITY declaration are not accepted/,
    ],
    ['an external entity', '<!DOCTYPE Document SYSTEM "file:///etc/passwd"><Document/>', /DOCTYPE or ENTITY declaration are not accepted/],
    ['an entity without a DOCTYPE', '<Document><!ENTITY x "y"><name>x</name></Document>', /DOCTYPE or ENTITY declaration are not accepted/],
    ['deep nesting', `<Document>${'<packages>'.repeat(5000)}${'</packages>'.repeat(5000)}</Document>`, /nested deeper than \d+ levels/],
    ['malformed XML', '<Document><spdxVersion>SPDX-2.3</Document>', /malformed XML at line 1/],
    ['SPDX RDF/XML', '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><spdx:SpdxDocument/></rdf:RDF>', /SPDX RDF\/XML is not supported/],
    ['another XML document', '<?xml version="1.0"?><project><name>x</name></project>', /neither a CycloneDX <bom> nor an SPDX <Document> \(the root element is <project>\)/],
    ['a document without its required fields', '<Document><name>x</name></Document>', /missing the required field spdxVersion/],
    ['an SPDX 2.1 document', TOOLS_STYLE.replace('SPDX-2.3', 'SPDX-2.1'), /unsupported SPDX version "SPDX-2.1"/],
    ['a package without a name', TOOLS_STYLE.replace('<name>jackson-databind</name>', ''), /packages\[1\] is missing the required field name/],
  ])('refuses %s with a clear message', async (_what, text, message) => {
    await expect(readSbom(text)).rejects.toThrow(message);
  });
});

// ---- real SPDX documents -----------------------------------------------------------------------

const spdxDir = sharedFile('fixtures/sbom/spdx/sbom-2.3.spdx.json') ? 'fixtures/sbom/spdx/' : undefined;
const realJson = spdxDir ? readdirSync(sharedFile(spdxDir)!).filter((f) => f.endsWith('.json')) : [];

/** The document without empty arrays (XML has no way to say "an empty list"). */
function withoutEmptyArrays(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmptyArrays);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => !(Array.isArray(v) && v.length === 0)).map(([k, v]) => [k, withoutEmptyArrays(v)]));
}

describe.skipIf(!spdxDir)('real SPDX documents of public projects, as XML', () => {
  it.each(realJson)('%s: its XML form reads to the same JSON document and the same SBOM', async (file) => {
    const text = readShared(`${spdxDir}${file}`).toString('utf8');
    const doc = JSON.parse(text);
    const xml = spdxDocumentXml(doc);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(spdxXmlDocument(xml)).toEqual(withoutEmptyArrays(doc));
    const fromXml = await readSbom(xml);
    expect(fromXml).toEqual(await readSbom(text));
  });
});
