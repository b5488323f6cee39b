import type { Sbom } from '../model.js';
import { parseXml } from '../xml.js';
import { SbomError } from '../errors.js';
import { LockfileGraph } from './builder.js';
import type { LockfileReader } from './reader.js';

/** The parsed file before its fields are checked, each where it is read: loose on purpose, and only inside this module. */
// biome-ignore lint/suspicious/noExplicitAny: untrusted input is inspected field by field.
type Raw = Record<string, any>;

/** gradle.lockfile: `group:artifact:version=configuration,…` lines. */
function readGradleLockfile(text: string): Sbom {
  const graph = new LockfileGraph('gradle.lockfile', 'gradle.lockfile');
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('empty=')) continue;
    const m = /^([^:=\s]+):([^:=\s]+):([^:=\s]+)=(.*)$/.exec(line);
    if (!m) throw new SbomError(`gradle.lockfile: cannot read "${line.slice(0, 80)}"`);
    const configurations = m[4].split(',');
    const testOnly = configurations.every((c) => /test/i.test(c));
    graph.add({ type: 'maven', namespace: m[1], name: m[2], version: m[3], qualifiers: { type: 'jar' }, scope: testOnly ? 'optional' : 'required' });
  }
  return graph.build();
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined);

/**
 * pom.xml: the declared dependencies, with `${property}` versions resolved from <properties>,
 * the project's own coordinates and <dependencyManagement>. Versions managed by a parent POM that
 * is not at hand stay unknown (the component is kept without a version).
 */
function readPom(xml: string): Sbom {
  const project = parseXml(xml, new Set(['dependency'])).project as Raw | undefined;
  if (!project) throw new SbomError('pom.xml has no <project> element');
  const props = new Map<string, string>();
  for (const [k, v] of Object.entries((project.properties ?? {}) as Raw)) if (text(v)) props.set(k, text(v)!);
  const version = text(project.version) ?? text(project.parent?.version);
  if (version) props.set('project.version', version).set('version', version);
  const groupId = text(project.groupId) ?? text(project.parent?.groupId);
  if (groupId) props.set('project.groupId', groupId);
  if (text(project.parent?.version)) props.set('project.parent.version', text(project.parent.version)!);
  const resolve = (v: string | undefined, depth = 0): string | undefined =>
    v === undefined || depth > 10 ? v : v.includes('${') ? resolve(v.replace(/\$\{([^}]+)\}/g, (_, k: string) => props.get(k) ?? `\${${k}}`), depth + 1) : v;

  const managed = new Map<string, string>();
  for (const d of (project.dependencyManagement?.dependencies?.dependency ?? []) as Raw[]) {
    const v = resolve(text(d.version));
    if (v) managed.set(`${resolve(text(d.groupId))}:${resolve(text(d.artifactId))}`, v);
  }
  const graph = new LockfileGraph('pom.xml', 'pom.xml');
  for (const d of (project.dependencies?.dependency ?? []) as Raw[]) {
    const g = resolve(text(d.groupId));
    const a = resolve(text(d.artifactId));
    if (!g || !a) throw new SbomError('pom.xml: a <dependency> lacks groupId or artifactId');
    let v = resolve(text(d.version)) ?? managed.get(`${g}:${a}`);
    if (v?.includes('${')) v = undefined;
    const scope = text(d.scope);
    const qualifiers: Record<string, string> = { type: text(d.type) ?? 'jar' };
    if (text(d.classifier)) qualifiers.classifier = text(d.classifier)!;
    graph.direct(graph.add({ type: 'maven', namespace: g, name: a, version: v, qualifiers, scope: scope === 'test' || scope === 'provided' || text(d.optional) === 'true' ? 'optional' : 'required' }));
  }
  return graph.build();
}

export const gradleLockfileReader: LockfileReader = { fileNames: ['gradle.lockfile'], read: readGradleLockfile };

export const pomReader: LockfileReader = { fileNames: ['pom.xml'], read: readPom };
