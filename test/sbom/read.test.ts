import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SbomError } from '../../src/sbom/errors.js';
import { analyzeDependencies } from '../../src/sbom/graph.js';
import { readSbom } from '../../src/sbom/read.js';
import { readShared, sharedFile } from '../helpers/shared.js';

const sbomDir = sharedFile('fixtures/sbom/cyclonedx/juice-shop-npm.1.4.json') ? 'fixtures/sbom/' : undefined;
const fixtures = sbomDir
  ? ['cyclonedx', 'cyclonedx/vex', 'spdx'].flatMap((d) =>
      readdirSync(`${sharedFile(sbomDir)}${d}`)
        .filter((f) => /\.(json|xml|spdx)$/.test(f))
        .map((f) => `${sbomDir}${d}/${f}`),
    )
  : [];

describe.skipIf(!sbomDir)('real SBOMs from public projects', () => {
  it.each(fixtures)('reads %s', async (path) => {
    const sbom = await readSbom(readShared(path));
    expect(['CycloneDX', 'SPDX']).toContain(sbom.format);
    for (const c of sbom.components) {
      expect(c.name).toBeTruthy();
      expect(c.ref).toBeTruthy();
    }
    expect(new Set(sbom.components.map((c) => c.ref)).size).toBe(sbom.components.length);
  });

  it('reads the same components from the JSON and the XML of one SBOM', async () => {
    for (const base of ['dropwizard-1.3.15', 'juice-shop-11.1.2']) {
      const json = await readSbom(readShared(`${sbomDir}cyclonedx/${base}.json`));
      const xml = await readSbom(readShared(`${sbomDir}cyclonedx/${base}.xml`));
      const key = (c: { purl?: string; version?: string; hashes: Record<string, string> }) => `${c.purl} ${c.version} ${c.hashes['SHA-1'] ?? ''}`;
      expect(xml.components.map(key).sort()).toEqual(json.components.map(key).sort());
      expect(xml.subject?.name).toBe(json.subject?.name);
      expect([...xml.dependencies.keys()].sort()).toEqual([...json.dependencies.keys()].sort());
    }
  });

  it('keeps purls, hashes, licenses and the dependency graph of juice-shop (npm, CycloneDX 1.4)', async () => {
    const sbom = await readSbom(readShared(`${sbomDir}cyclonedx/juice-shop-npm.1.4.json`));
    expect(sbom.specVersion).toBe('1.4');
    expect(sbom.subject?.name).toBe('juice-shop');
    expect(sbom.components).toHaveLength(1115);
    const express = sbom.components.find((c) => c.name === 'express' && !c.group);
    expect(express?.purl).toMatch(/^pkg:npm\/express@4\./);
    expect(express?.license).toBe('MIT');
    expect(Object.keys(express?.hashes ?? {})).toContain('SHA-512');
    const graph = analyzeDependencies(sbom);
    expect(graph.get(express!.ref)).toMatchObject({ direct: true, depth: 1 });
    // body-parser comes in through express (and possibly others): transitive, with a path.
    const transitive = [...graph.entries()].filter(([, g]) => !g.direct && g.depth !== undefined);
    expect(transitive.length).toBeGreaterThan(500);
    for (const [ref, g] of transitive.slice(0, 50)) {
      expect(g.paths.length).toBeGreaterThan(0);
      for (const path of g.paths) {
        expect(path.at(-1)).toBe(ref);
        expect(path).toHaveLength(g.depth!);
        expect(graph.get(path[0])!.direct).toBe(true);
      }
    }
  });

  it('reads VEX analysis statements', async () => {
    const sbom = await readSbom(readShared(`${sbomDir}cyclonedx/vex/vex-not_affected.json`));
    expect(sbom.vulnerabilities).toHaveLength(1);
    expect(sbom.vulnerabilities[0].state).toBe('not_affected');
    expect(sbom.vulnerabilities[0].justification).toBeTruthy();
  });

  it('reads SPDX tag-value relationships as dependencies', async () => {
    const sbom = await readSbom(readShared(`${sbomDir}spdx/example6-lib.spdx`));
    expect(sbom.format).toBe('SPDX');
    expect(sbom.subject?.ref).toBe('SPDXRef-Package-godist');
    expect(sbom.dependencies.get('SPDXRef-Package-godist')).toContain('SPDXRef-Package-go-compiler');
    const compiler = sbom.components.find((c) => c.ref === 'SPDXRef-Package-go-compiler');
    expect(compiler?.hashes['SHA-256']).toBe('4448b9e62b3c364a073808e22643985d9f49c4ad44aa11d8e4a17c49600a7c3a');
  });

  it('reads SPDX 2.3 JSON packages with purls', async () => {
    const sbom = await readSbom(readShared(`${sbomDir}spdx/sbom-2.3.spdx.json`));
    expect(sbom.specVersion).toBe('2.3');
    expect(sbom.components.every((c) => c.purl?.startsWith('pkg:'))).toBe(true);
  });
});

describe('hostile and broken input gets a clear error', () => {
  const cdx = (extra: Record<string, unknown>) => JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.4', version: 1, ...extra });

  it('refuses XML entity declarations (billion laughs)', async () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component type="library"><name>&b;</name></component></components></bom>`;
    await expect(readSbom(bomb)).rejects.toThrow(/ENTITY declaration are not accepted|DOCTYPE or ENTITY/);
  });

  it('names malformed JSON and XML', async () => {
    await expect(readSbom('{"bomFormat": "CycloneDX", ')).rejects.toThrow(SbomError);
    await expect(readSbom('{"bomFormat": "CycloneDX", ')).rejects.toThrow(/not valid JSON/);
    await expect(readSbom('<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components></bom>')).rejects.toThrow(/malformed XML at line/);
    await expect(readSbom('hello')).rejects.toThrow(/not a recognised SBOM/);
  });

  it('checks the CycloneDX schema and version', async () => {
    await expect(readSbom(cdx({ specVersion: '9.9' }))).rejects.toThrow(/unsupported CycloneDX specVersion "9.9"/);
    await expect(readSbom(cdx({ components: [{ type: 'library', name: 'x', version: 1 }] }))).rejects.toThrow(/does not match its schema/);
    await expect(readSbom(cdx({ components: [{ type: 'library', version: '1' }] }), { validate: false })).rejects.toThrow(/components\[0\] has no name/);
  });

  it('holds license ids to the SPDX list the schema names', async () => {
    const withLicense = (id: string) => cdx({ components: [{ type: 'library', name: 'x', version: '1', licenses: [{ license: { id } }] }] });
    await expect(readSbom(withLicense('Not-A-License'))).rejects.toThrow(/license\/id must be equal to one of the allowed values/);
    await expect(readSbom(withLicense('Apache-2.0'))).resolves.toMatchObject({ components: [{ name: 'x' }] });
  });

  it('refuses components nested deeper than the limit', async () => {
    let nested: Record<string, unknown> = { type: 'library', name: 'leaf' };
    for (let i = 0; i < 100; i++) nested = { type: 'library', name: `n${i}`, components: [nested] };
    await expect(readSbom(cdx({ components: [nested] }), { validate: false })).rejects.toThrow(/nested deeper than 64/);
  });

  it('survives a cyclic dependency graph', async () => {
    const sbom = await readSbom(
      cdx({
        metadata: { component: { type: 'application', name: 'app', 'bom-ref': 'app' } },
        components: ['a', 'b', 'c'].map((n) => ({ type: 'library', name: n, 'bom-ref': n })),
        dependencies: [
          { ref: 'app', dependsOn: ['a'] },
          { ref: 'a', dependsOn: ['b'] },
          { ref: 'b', dependsOn: ['c'] },
          { ref: 'c', dependsOn: ['a', 'c'] },
        ],
      }),
    );
    const graph = analyzeDependencies(sbom);
    expect(graph.get('a')).toMatchObject({ direct: true, depth: 1 });
    expect(graph.get('c')).toMatchObject({ direct: false, depth: 3, paths: [['a', 'b', 'c']] });
  });

  it('checks the fields SPDX requires', async () => {
    const doc = { spdxVersion: 'SPDX-2.3', SPDXID: 'SPDXRef-DOCUMENT', name: 'x', dataLicense: 'CC0-1.0', documentNamespace: 'https://example.com/x' };
    await expect(readSbom(JSON.stringify({ ...doc, packages: [{ SPDXID: 'SPDXRef-a', name: 'a' }] }))).rejects.toThrow(/packages\[0\] is missing the required field downloadLocation/);
    await expect(readSbom(JSON.stringify({ ...doc, spdxVersion: 'SPDX-3.0' }))).rejects.toThrow(/unsupported SPDX version/);
    await expect(readSbom('SPDXVersion: SPDX-2.3\nDataLicense CC0-1.0\n')).rejects.toThrow(/line 2 is not "Tag: value"/);
  });
});
