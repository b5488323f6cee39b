import { SbomError } from './errors.js';
import { refuseDtd } from './xml.js';

/**
 * Which SBOM syntax a document is in, told from its content alone. Kept apart from the readers so
 * that the command-line client can use it without loading the schema validators.
 */
export type SbomSyntax = 'cyclonedx-json' | 'cyclonedx-xml' | 'spdx-json' | 'spdx-xml' | 'spdx-tag-value';

/** The root element's name without its prefix (after the declaration, comments and processing instructions). */
function rootElement(head: string): string | undefined {
  return /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(head)?.[1];
}

/** Tells the format from the content itself (content types lie too often to trust). */
export function detectSyntax(text: string): SbomSyntax {
  const head = text.slice(0, 4096).trimStart();
  if (head.startsWith('{')) {
    if (/"spdxVersion"\s*:/.test(text.slice(0, 65536)) && !/"bomFormat"\s*:/.test(head)) return 'spdx-json';
    // Keys may come in any order, so the whole text is searched (once, linearly).
    if (/"bomFormat"\s*:/.test(text)) return 'cyclonedx-json';
    if (/"spdxVersion"\s*:/.test(text)) return 'spdx-json';
    throw new SbomError('JSON that is neither CycloneDX (it has no "bomFormat") nor SPDX (it has no "spdxVersion")');
  }
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
