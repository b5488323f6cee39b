import { SbomError } from '../errors.js';
import type { Sbom } from '../model.js';
import { readSpdxObject } from './read.js';

/** The SPDX JSON shape as tag-value fills it: what readSpdxObject reads of a document and its packages. */
interface TagValueDocument {
  packages: TagValuePackage[];
  relationships: Array<{ spdxElementId: string; relationshipType: string; relatedSpdxElement: string }>;
  creationInfo: { creators: string[]; created?: string };
  SPDXID?: string;
  [field: string]: unknown;
}
interface TagValuePackage {
  name: string;
  SPDXID?: string;
  externalRefs: Array<{ referenceCategory: string; referenceType: string; referenceLocator: string }>;
  checksums: Array<{ algorithm: string; checksumValue: string }>;
  [field: string]: unknown;
}

/** Document-level tags and their SPDX JSON field names. */
const DOCUMENT_TAGS: Record<string, string> = {
  SPDXVersion: 'spdxVersion',
  DataLicense: 'dataLicense',
  DocumentName: 'name',
  DocumentNamespace: 'documentNamespace',
};
const PACKAGE_TAGS: Record<string, string> = {
  PackageVersion: 'versionInfo',
  PackageDownloadLocation: 'downloadLocation',
  PackageLicenseDeclared: 'licenseDeclared',
  PackageLicenseConcluded: 'licenseConcluded',
  PackageSupplier: 'supplier',
  PackageSummary: 'summary',
  PackageDescription: 'description',
  PrimaryPackagePurpose: 'primaryPackagePurpose',
};

/** Splits tag-value text into [tag, value] pairs; `<text>…</text>` values may span lines. */
function* pairs(text: string): Generator<[string, string, number]> {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new SbomError(`SPDX tag-value line ${i + 1} is not "Tag: value": ${line.slice(0, 80)}`);
    const tag = line.slice(0, colon).trim();
    let value = line.slice(colon + 1).trim();
    if (value.startsWith('<text>')) {
      const start = i;
      value = value.slice('<text>'.length);
      while (!value.includes('</text>')) {
        if (++i >= lines.length) throw new SbomError(`SPDX tag-value line ${start + 1}: <text> is never closed`);
        value += `\n${lines[i]}`;
      }
      value = value.slice(0, value.indexOf('</text>'));
    }
    yield [tag, value, i + 1];
  }
}

/** SPDX 2.2/2.3 tag-value → the SBOM model, through the JSON shape. */
export function readSpdxTagValue(text: string): Sbom {
  const doc: TagValueDocument = { packages: [], relationships: [], creationInfo: { creators: [] } };
  let pkg: TagValuePackage | undefined;
  let inFile = false;
  for (const [tag, value, line] of pairs(text)) {
    if (tag === 'PackageName') {
      pkg = { name: value, externalRefs: [], checksums: [] };
      doc.packages.push(pkg);
      inFile = false;
    } else if (tag === 'FileName' || tag === 'SnippetSPDXID' || tag === 'LicenseID') {
      inFile = true;
      pkg = undefined;
    } else if (tag === 'SPDXID') {
      if (pkg && !pkg.SPDXID) pkg.SPDXID = value;
      else if (!pkg && !inFile && !doc.SPDXID) doc.SPDXID = value;
    } else if (tag === 'Relationship') {
      const [a, type, b] = value.split(/\s+/);
      if (!a || !type || !b) throw new SbomError(`SPDX tag-value line ${line}: a Relationship needs "element TYPE element"`);
      doc.relationships.push({ spdxElementId: a, relationshipType: type, relatedSpdxElement: b });
    } else if (tag === 'Creator') {
      doc.creationInfo.creators.push(value);
    } else if (tag === 'Created') {
      doc.creationInfo.created = value;
    } else if (DOCUMENT_TAGS[tag] && !pkg && !inFile) {
      doc[DOCUMENT_TAGS[tag]] = value;
    } else if (pkg && PACKAGE_TAGS[tag]) {
      pkg[PACKAGE_TAGS[tag]] = value;
    } else if (pkg && tag === 'PackageChecksum') {
      const [algorithm, checksumValue] = value.split(/:\s*/);
      pkg.checksums.push({ algorithm, checksumValue });
    } else if (pkg && tag === 'ExternalRef') {
      const [referenceCategory, referenceType, referenceLocator] = value.split(/\s+/);
      pkg.externalRefs.push({ referenceCategory, referenceType, referenceLocator });
    }
  }
  return readSpdxObject(doc);
}
