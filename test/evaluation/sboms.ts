/** Small SBOMs in the real formats, built for tests. */

export interface TestComponent {
  name: string;
  version: string;
  purl?: string;
  license?: string;
  group?: string;
  sha1?: string;
}

/** A CycloneDX 1.5 JSON SBOM of an application whose direct dependencies are `direct` (refs = names). */
export function cycloneDxJson(components: TestComponent[], options: { direct?: string[]; dependsOn?: Record<string, string[]> } = {}): string {
  const ref = (c: TestComponent) => c.purl ?? `${c.name}@${c.version}`;
  const byName = new Map(components.map((c) => [c.name, ref(c)]));
  const direct = (options.direct ?? components.map((c) => c.name)).map((n) => byName.get(n)!);
  return JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
    version: 1,
    metadata: { component: { type: 'application', 'bom-ref': 'app', name: 'test-app', version: '1.0.0' } },
    components: components.map((c) => ({
      type: 'library',
      'bom-ref': ref(c),
      ...(c.group ? { group: c.group } : {}),
      name: c.name,
      version: c.version,
      ...(c.purl ? { purl: c.purl } : {}),
      ...(c.sha1 ? { hashes: [{ alg: 'SHA-1', content: c.sha1 }] } : {}),
      ...(c.license ? { licenses: [{ expression: c.license }] } : {}),
    })),
    dependencies: [
      { ref: 'app', dependsOn: direct },
      ...Object.entries(options.dependsOn ?? {}).map(([from, to]) => ({ ref: byName.get(from)!, dependsOn: to.map((n) => byName.get(n)!) })),
    ],
  });
}
