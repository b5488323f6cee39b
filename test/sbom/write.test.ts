import { readdirSync } from 'node:fs';
import * as CDX from '@cyclonedx/cyclonedx-library';
import spdxParse from 'spdx-expression-parse';
import { describe, expect, it } from 'vitest';
import { type CycloneDxVersion, writeCycloneDx } from '../../src/sbom/cyclonedx/write.js';
import type { ExportVulnerability } from '../../src/sbom/export.js';
import type { Sbom, SbomComponent } from '../../src/sbom/model.js';
import { readSbom } from '../../src/sbom/read.js';
import { writeSpdxJson, writeSpdxTagValue, writeSpdxXml } from '../../src/sbom/spdx/write.js';
import { spdxXmlDocument } from '../../src/sbom/spdx/xml.js';
import { readShared, sharedFile } from '../helpers/shared.js';
import { checkSpdx23 } from './write-spdx-schema.js';

const VERSIONS: CycloneDxVersion[] = ['1.4', '1.5', '1.6'];
const validators = new Map<string, CDX.Validation.JsonStrictValidator>();

/** Errors of the official CycloneDX JSON schema (strict: no unknown properties), or null. */
async function cycloneDxJsonErrors(json: string, version: CycloneDxVersion): Promise<unknown> {
  let validator = validators.get(version);
  if (!validator) {
    validator = new CDX.Validation.JsonStrictValidator(version as CDX.Spec.Version);
    validators.set(version, validator);
  }
  return validator.validate(json);
}

const xmlValidators = new Map<string, CDX.Validation.XmlValidator>();

/** XML: valid against the official CycloneDX XSD (the library's validator, on libxmljs2), in the version's namespace. */
async function checkCycloneDxXml(xml: string, version: CycloneDxVersion): Promise<void> {
  expect(xml).toContain(`<bom xmlns="http://cyclonedx.org/schema/bom/${version}"`);
  let validator = xmlValidators.get(version);
  if (!validator) {
    validator = new CDX.Validation.XmlValidator(version as CDX.Spec.Version);
    xmlValidators.set(version, validator);
  }
  expect(await validator.validate(xml), `CycloneDX ${version} XML against its XSD`).toBeNull();
}

// ---- what must survive a round trip ---------------------------------------------------------

const normalizeAlg = (alg: string) => alg.toUpperCase().replace(/-/g, '');
const CYCLONEDX_HASH_LENGTHS: Record<string, number> = {
  MD5: 32, SHA1: 40, SHA256: 64, SHA384: 96, SHA512: 128, SHA3256: 64, SHA3384: 96, SHA3512: 128,
  BLAKE2B256: 64, BLAKE2B384: 96, BLAKE2B512: 128, BLAKE3: 64,
};

function identity(c: { purl?: string; group?: string; name: string; version?: string }): string {
  return c.purl ?? `${c.group ? `${c.group}/` : ''}${c.name.replace(':', '/')}@${c.version ?? ''}`;
}

interface Expectations {
  /** Which hashes the target format can carry. */
  keepHash(alg: string, value: string): boolean;
  /** The license the target format gives back. */
  license(license: string | undefined): string | undefined;
}

function components(sbom: Sbom, expect: Expectations = { keepHash: () => true, license: (l) => l }): string[] {
  return sbom.components
    .map((c: SbomComponent) => {
      const hashes = Object.entries(c.hashes)
        .filter(([alg, value]) => expect.keepHash(alg, value))
        .map(([alg, value]) => `${normalizeAlg(alg)}=${value}`)
        .sort()
        .join(',');
      return `${identity(c)} | ${c.version ?? ''} | ${hashes} | ${expect.license(c.license) ?? ''}`;
    })
    .sort();
}

function edges(sbom: Sbom): string[] {
  const byRef = new Map<string, string>(sbom.components.map((c) => [c.ref, identity(c)]));
  if (sbom.subject) byRef.set(sbom.subject.ref, `subject:${identity(sbom.subject)}`);
  const out = new Set<string>();
  for (const [from, to] of sbom.dependencies) {
    for (const ref of to) {
      const a = byRef.get(from);
      const b = byRef.get(ref);
      if (a && b && from !== ref) out.add(`${a} -> ${b}`);
    }
  }
  return [...out].sort();
}

const toCycloneDx: Expectations = {
  keepHash: (alg, value) => {
    const length = CYCLONEDX_HASH_LENGTHS[normalizeAlg(alg)];
    return length !== undefined && new RegExp(`^[0-9a-f]{${length}}$`).test(value);
  },
  license: (l) => l,
};

function isSpdxExpression(text: string): boolean {
  try {
    spdxParse(text);
    return true;
  } catch {
    return false;
  }
}

const toSpdx: Expectations = {
  keepHash: () => true,
  // A name SPDX cannot parse comes back as a declared LicenseRef (checked separately).
  license: (l) => (l && !isSpdxExpression(l) ? 'LicenseRef-*' : l),
};

// ---- real SBOMs ---------------------------------------------------------------------------------

const sbomDir = sharedFile('fixtures/sbom/cyclonedx/juice-shop-npm.1.4.json') ? 'fixtures/sbom/' : undefined;
const fixtures = sbomDir
  ? ['cyclonedx', 'cyclonedx/vex', 'spdx'].flatMap((d) =>
      readdirSync(`${sharedFile(sbomDir)}${d}`)
        .filter((f) => /\.(json|xml|spdx)$/.test(f))
        .map((f) => `${sbomDir}${d}/${f}`),
    )
  : [];

describe.skipIf(!sbomDir)('writing real SBOMs', () => {
  it.each(fixtures)('%s → CycloneDX 1.4/1.5/1.6 JSON and XML: valid, and read back to the same components and edges', async (path) => {
    const original = await readSbom(readShared(path));
    for (const version of VERSIONS) {
      const json = writeCycloneDx(original, { version });
      expect(await cycloneDxJsonErrors(json, version), `CycloneDX ${version} JSON`).toBeNull();
      const xml = writeCycloneDx(original, { version, format: 'xml' });
      await checkCycloneDxXml(xml, version);
      for (const [format, text] of [['json', json], ['xml', xml]]) {
        const back = await readSbom(text);
        expect(back.specVersion).toBe(version);
        expect(components(back), `${version} ${format}`).toEqual(components(original, toCycloneDx));
        expect(edges(back), `${version} ${format}`).toEqual(edges(original));
        expect(back.subject?.name).toBe(original.subject?.name);
        expect(back.vulnerabilities.map((v) => v.id)).toEqual(original.vulnerabilities.map((v) => v.id));
      }
    }
  });

  it.each(fixtures)('%s → SPDX 2.3 JSON, XML and tag-value: valid, and read back to the same components and edges', async (path) => {
    const original = await readSbom(readShared(path));
    const fixed = { timestamp: new Date('2026-01-02T03:04:05Z'), documentNamespace: 'https://example.com/spdx/fixed' };
    const json = writeSpdxJson(original, fixed);
    const doc = JSON.parse(json);
    expect(checkSpdx23(doc)).toEqual([]);
    // The XML is the JSON document, element for element (valid by the same rules, then).
    const xml = writeSpdxXml(original, fixed);
    expect(spdxXmlDocument(xml)).toEqual(doc);
    for (const text of [json, xml, writeSpdxTagValue(original)]) {
      const back = await readSbom(text);
      expect(back.specVersion).toBe('2.3');
      // A license name SPDX cannot parse comes back as a LicenseRef (declared: checkSpdx23 sees to that).
      const known = new Set(original.components.map((c) => c.license));
      const normalized = components({
        ...back,
        components: back.components.map((c) => ({ ...c, license: c.license?.startsWith('LicenseRef-') && !known.has(c.license) ? 'LicenseRef-*' : c.license })),
      });
      expect(normalized).toEqual(components(original, toSpdx));
      expect(edges(back)).toEqual(edges(original));
      if (original.subject) expect(back.subject?.name).toBe(original.subject.name);
    }
  });

  it('keeps the VEX analysis of the CISA examples through CycloneDX', async () => {
    for (const file of ['vex-affected', 'vex-fixed', 'vex-not_affected', 'vex-under_investigation']) {
      const original = await readSbom(readShared(`${sbomDir}cyclonedx/vex/${file}.json`));
      expect(original.vulnerabilities.length).toBeGreaterThan(0);
      for (const version of VERSIONS) {
        for (const format of ['json', 'xml'] as const) {
          const back = await readSbom(writeCycloneDx(original, { version, format }));
          expect(back.vulnerabilities, `${file} ${version} ${format}`).toEqual(original.vulnerabilities);
        }
      }
    }
  });
});

// ---- vulnerabilities and VEX --------------------------------------------------------------------

const sample: Sbom = {
  format: 'CycloneDX',
  specVersion: '1.6',
  subject: { ref: 'app', name: 'shop', version: '2.0.0', purl: 'pkg:npm/shop@2.0.0' },
  tools: [],
  components: [
    {
      ref: 'pkg:npm/lodash@4.17.20',
      name: 'lodash',
      version: '4.17.20',
      purl: 'pkg:npm/lodash@4.17.20',
      hashes: { 'SHA-1': 'a'.repeat(40), 'SHA-256': 'b'.repeat(64), SHA224: 'c'.repeat(56) },
      license: 'MIT',
      type: 'library',
    },
    {
      ref: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
      name: 'log4j-core',
      group: 'org.apache.logging.log4j',
      version: '2.14.1',
      purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
      cpe: 'cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*',
      hashes: { MD5: 'd'.repeat(32) },
      license: 'Apache-2.0 OR Some Custom License',
      scope: 'optional',
      supplier: 'Apache Software Foundation',
      description: 'Line one\nline two',
    },
  ],
  dependencies: new Map([
    ['app', ['pkg:npm/lodash@4.17.20', 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1']],
  ]),
  vulnerabilities: [],
};

const vulnerabilities: ExportVulnerability[] = [
  {
    id: 'CVE-2021-44228',
    source: { name: 'NVD', url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-44228' },
    ratings: [
      { score: 10, severity: 'CRITICAL', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' },
      { score: 9.3, severity: 'critical', vector: 'AV:N/AC:M/Au:N/C:C/I:C/A:C' },
      { score: 10, severity: 'critical', vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H' },
    ],
    cwes: [502, 400, 20],
    description: 'JNDI lookups in log messages allow remote code execution.',
    recommendation: 'Upgrade to 2.17.1.',
    published: '2021-12-10T10:15:09Z',
    affects: ['pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1'],
    analysis: { state: 'exploitable', response: ['update', 'workaround_available'], detail: 'Reachable through the request logger.' },
  },
  {
    id: 'GHSA-35jh-r3h4-6jhm',
    ratings: [{ score: 7.2, severity: 'high', vector: 'CVSS:3.0/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' }],
    affects: ['pkg:npm/lodash@4.17.20'],
    analysis: { state: 'not_affected', justification: 'code_not_reachable', detail: 'template() is never called.' },
  },
];

describe('vulnerabilities and VEX', () => {
  it.each(VERSIONS)('writes ratings, CWEs, description and analysis that validate as CycloneDX %s JSON', async (version) => {
    const json = writeCycloneDx(sample, { version, vulnerabilities });
    expect(await cycloneDxJsonErrors(json, version)).toBeNull();
    const doc = JSON.parse(json);
    const log4shell = doc.vulnerabilities.find((v: { id: string }) => v.id === 'CVE-2021-44228');
    expect(log4shell.source).toEqual({ name: 'NVD', url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-44228' });
    expect(log4shell.cwes).toEqual(expect.arrayContaining([502, 400, 20]));
    expect(log4shell.description).toMatch(/JNDI/);
    expect(log4shell.affects).toEqual([{ ref: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1' }]);
    const methods = log4shell.ratings.map((r: { method: string }) => r.method).sort();
    // CVSS v4 is a rating method from 1.5 on; 1.4 can only call it "other".
    expect(methods).toEqual(version === '1.4' ? ['CVSSv2', 'CVSSv31', 'other'] : ['CVSSv2', 'CVSSv31', 'CVSSv4']);
    expect(log4shell.ratings.find((r: { method: string }) => r.method === 'CVSSv31')).toMatchObject({
      score: 10,
      severity: 'critical',
      vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H',
    });
    expect(log4shell.analysis).toMatchObject({ state: 'exploitable', response: ['update', 'workaround_available'] });
    const lodash = doc.components.find((c: { name: string }) => c.name === 'lodash');
    // SHA-224 has no CycloneDX algorithm: left out rather than written wrong.
    expect(lodash.hashes.map((h: { alg: string }) => h.alg).sort()).toEqual(['SHA-1', 'SHA-256']);
    const log4j = doc.components.find((c: { name: string }) => c.name === 'log4j-core');
    expect(log4j.licenses).toEqual([{ license: { name: 'Apache-2.0 OR Some Custom License' } }]);
  });

  it.each(VERSIONS)('reads the VEX analysis back from CycloneDX %s JSON and XML', async (version) => {
    for (const format of ['json', 'xml'] as const) {
      const text = writeCycloneDx(sample, { version, format, vulnerabilities });
      if (format === 'xml') await checkCycloneDxXml(text, version);
      const back = await readSbom(text);
      expect(back.vulnerabilities).toEqual([
        {
          id: 'CVE-2021-44228',
          affects: ['pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1'],
          state: 'exploitable',
          justification: undefined,
          response: ['update', 'workaround_available'],
          detail: 'Reachable through the request logger.',
        },
        {
          id: 'GHSA-35jh-r3h4-6jhm',
          affects: ['pkg:npm/lodash@4.17.20'],
          state: 'not_affected',
          justification: 'code_not_reachable',
          response: [],
          detail: 'template() is never called.',
        },
      ]);
      expect(back.components.find((c) => c.name === 'log4j-core')).toMatchObject({ scope: 'optional', cpe: sample.components[1].cpe, supplier: 'Apache Software Foundation' });
    }
  });

  it('leaves out what the schema would reject instead of writing it wrong', async () => {
    const odd: Sbom = {
      ...sample,
      components: [{ ref: 'x', name: 'x', hashes: { 'SHA-1': 'not-hex', 'SHA-256': 'ab' }, cpe: 'not a cpe', type: 'Gadget', scope: 'sometimes' }],
      dependencies: new Map([['x', ['missing', 'x']]]),
    };
    const weird: ExportVulnerability[] = [
      { id: 'X-1', affects: ['x', 'missing'], ratings: [{ severity: 'apocalyptic', score: Number.NaN }], analysis: { state: 'maybe', response: ['pray'] } },
    ];
    for (const version of VERSIONS) {
      const json = writeCycloneDx(odd, { version, vulnerabilities: weird });
      expect(await cycloneDxJsonErrors(json, version)).toBeNull();
      const doc = JSON.parse(json);
      expect(doc.components[0]).toMatchObject({ type: 'library', name: 'x' });
      expect(doc.components[0].hashes).toBeUndefined();
      expect(doc.vulnerabilities[0].affects).toEqual([{ ref: 'x' }]);
    }
  });

  it('writes SPDX 2.3 with advisory references, declared LicenseRefs and optional dependencies', async () => {
    const json = writeSpdxJson(sample, { vulnerabilities, timestamp: new Date('2026-01-02T03:04:05.678Z') });
    const doc = JSON.parse(json);
    expect(checkSpdx23(doc)).toEqual([]);
    expect(doc.creationInfo.created).toBe('2026-01-02T03:04:05Z');
    const log4j = doc.packages.find((p: { name: string }) => p.name === 'org.apache.logging.log4j:log4j-core');
    expect(log4j.licenseDeclared).toBe('LicenseRef-Apache-2.0-OR-Some-Custom-License');
    expect(doc.hasExtractedLicensingInfos).toEqual([
      { licenseId: 'LicenseRef-Apache-2.0-OR-Some-Custom-License', extractedText: 'Apache-2.0 OR Some Custom License', name: 'Apache-2.0 OR Some Custom License' },
    ]);
    expect(log4j.externalRefs).toEqual(
      expect.arrayContaining([
        { referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: sample.components[1].cpe },
        { referenceCategory: 'SECURITY', referenceType: 'advisory', referenceLocator: 'https://nvd.nist.gov/vuln/detail/CVE-2021-44228' },
      ]),
    );
    const lodash = doc.packages.find((p: { name: string }) => p.name === 'lodash');
    expect(lodash.checksums).toEqual(
      expect.arrayContaining([{ algorithm: 'SHA1', checksumValue: 'a'.repeat(40) }, { algorithm: 'SHA224', checksumValue: 'c'.repeat(56) }]),
    );
    expect(lodash.externalRefs).toContainEqual({ referenceCategory: 'SECURITY', referenceType: 'advisory', referenceLocator: 'https://github.com/advisories/GHSA-35jh-r3h4-6jhm' });
    expect(doc.relationships).toContainEqual({ spdxElementId: log4j.SPDXID, relationshipType: 'OPTIONAL_DEPENDENCY_OF', relatedSpdxElement: 'SPDXRef-app' });

    for (const text of [json, writeSpdxTagValue(sample, { vulnerabilities }), writeSpdxXml(sample, { vulnerabilities })]) {
      const back = await readSbom(text);
      expect(back.subject).toMatchObject({ name: 'shop', version: '2.0.0', purl: 'pkg:npm/shop@2.0.0' });
      expect(back.components.find((c) => c.purl === sample.components[1].purl)).toMatchObject({
        scope: 'optional',
        cpe: sample.components[1].cpe,
        description: 'Line one\nline two',
        supplier: 'Apache Software Foundation',
      });
    }
  });

  it('says where a score came from: CycloneDX rating justification and method, SPDX advisory reference comment', async () => {
    const sourced: ExportVulnerability[] = [
      {
        id: 'CVE-2021-23337',
        ratings: [
          {
            score: 8,
            severity: 'high',
            method: 'other',
            source: { name: 'qualitative:GHSA-35jh-r3h4-6jhm', url: 'https://osv.dev/vulnerability/GHSA-35jh-r3h4-6jhm' },
            justification: 'rated HIGH by GHSA-35jh-r3h4-6jhm, scored as 8.0',
          },
        ],
        affects: ['pkg:npm/lodash@4.17.20'],
      },
    ];
    for (const version of VERSIONS) {
      const json = writeCycloneDx(sample, { version, vulnerabilities: sourced });
      expect(await cycloneDxJsonErrors(json, version)).toBeNull();
      expect(JSON.parse(json).vulnerabilities[0].ratings).toEqual([
        {
          source: { name: 'qualitative:GHSA-35jh-r3h4-6jhm', url: 'https://osv.dev/vulnerability/GHSA-35jh-r3h4-6jhm' },
          score: 8,
          severity: 'high',
          method: 'other',
          justification: 'rated HIGH by GHSA-35jh-r3h4-6jhm, scored as 8.0',
        },
      ]);
      const xml = writeCycloneDx(sample, { version, vulnerabilities: sourced, format: 'xml' });
      await checkCycloneDxXml(xml, version);
    }
    const doc = JSON.parse(writeSpdxJson(sample, { vulnerabilities: sourced }));
    expect(checkSpdx23(doc)).toEqual([]);
    const lodash = doc.packages.find((p: { name: string }) => p.name === 'lodash');
    expect(lodash.externalRefs).toContainEqual({
      referenceCategory: 'SECURITY',
      referenceType: 'advisory',
      referenceLocator: 'https://nvd.nist.gov/vuln/detail/CVE-2021-23337',
      comment: 'rated HIGH by GHSA-35jh-r3h4-6jhm, scored as 8.0',
    });
    expect(writeSpdxTagValue(sample, { vulnerabilities: sourced })).toContain(
      'ExternalRef: SECURITY advisory https://nvd.nist.gov/vuln/detail/CVE-2021-23337\nExternalRefComment: <text>rated HIGH by GHSA-35jh-r3h4-6jhm, scored as 8.0</text>',
    );
    expect(writeSpdxXml(sample, { vulnerabilities: sourced })).toContain('<comment>rated HIGH by GHSA-35jh-r3h4-6jhm, scored as 8.0</comment>');
    // Still read as the same SBOM.
    const back = await readSbom(writeSpdxTagValue(sample, { vulnerabilities: sourced }));
    expect(back.components.map((c) => c.purl)).toContain('pkg:npm/lodash@4.17.20');
  });

  it('gives an SPDX document a subject even when the SBOM has none', () => {
    const doc = JSON.parse(writeSpdxJson({ ...sample, subject: undefined, dependencies: new Map() }, { name: 'loose components' }));
    expect(checkSpdx23(doc)).toEqual([]);
    expect(doc.relationships).toEqual([{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-Subject' }]);
    expect(doc.documentNamespace).toMatch(/^https:\/\/spdx\.org\/spdxdocs\/loose-components-[0-9a-f-]{36}$/);
  });

  it('rejects a CycloneDX version it cannot write', () => {
    expect(() => writeCycloneDx(sample, { version: '1.1' as CycloneDxVersion })).toThrow(/cannot be written/);
  });
});
