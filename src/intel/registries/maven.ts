import { declaredLicenseExpression } from '../licenses/registry-licenses.js';
import { ValidationError } from '../../core/errors.js';
import type { AdapterOptions, RegistryAdapter } from './adapter.js';
import { RegistryNotFoundError, RegistryUnavailableError } from './errors.js';
import { joinUrl, RegistryClient } from './http.js';
import { isRecord } from './json.js';
import type { PackageVersion } from './types.js';
import { sortVersions, toIsoUtc } from './version-list.js';
import { mavenVersioning } from '../../ecosystems/versioning/maven.js';
import { parseRegistryXml, text, XmlDocumentError } from './xml.js';

const REGISTRY = 'Maven Central';
/** Parent POMs followed to find inherited licenses; real chains are 2–4 deep. */
const MAX_PARENTS = 6;
/** Search API pages read (200 versions each) before giving up on dates for the rest. */
const MAX_SEARCH_PAGES = 10;
const SEARCH_ROWS = 200;

export interface MavenOptions extends AdapterOptions {
  /** The search API (`…/solrsearch/select`) for release timestamps; empty to skip it. */
  searchUrl: string;
}

/**
 * Maven Central. Versions come from `maven-metadata.xml` in the repository layout; release dates
 * from the search API (one timestamp per version), else the `Last-Modified` of the latest POM;
 * licenses from the latest version's POM, following `<parent>` POMs when it inherits them.
 */
export function mavenCentral(options: MavenOptions): RegistryAdapter {
  const client = new RegistryClient({ registry: REGISTRY, timeoutMs: options.timeoutMs });
  return {
    ecosystem: 'maven',
    registry: REGISTRY,
    normalizeName: normalizeMavenName,
    describe: (name) => `Maven artifact "${name}"`,
    async fetchPackage(name) {
      const [groupId, artifactId] = name.split(':');
      const what = `Maven artifact "${name}"`;
      const response = await client.get(joinUrl(options.url, `${mavenDirectory(groupId, artifactId)}/maven-metadata.xml`), {
        what,
        accept: 'application/xml',
      });
      const listing = readXml(() => parseMavenMetadata(response.text), `maven-metadata.xml of ${what}`);
      const dates = options.searchUrl ? await searchReleaseDates(client, options.searchUrl, groupId, artifactId) : new Map();
      const latest = listing.release ?? listing.latest ?? listing.versions.at(-1) ?? null;
      let latestPom: { licenses: string[]; lastModified: string | null } | null = null;
      if (latest) latestPom = await resolvePomLicenses(client, options.url, { groupId, artifactId, version: latest });
      const versions: PackageVersion[] = listing.versions.map((version) => ({
        version,
        releasedAt: dates.get(version) ?? (version === latest ? (latestPom?.lastModified ?? null) : null),
        licenses: version === latest && latestPom ? latestPom.licenses : null,
      }));
      return { ecosystem: 'maven', name, latest, licenses: latestPom?.licenses ?? [], versions: sortVersions(mavenVersioning, versions) };
    },
    async fetchVersion(name, version) {
      const [groupId, artifactId] = name.split(':');
      const pom = await resolvePomLicenses(client, options.url, { groupId, artifactId, version });
      if (!pom) throw new RegistryNotFoundError(`Version ${version} of Maven artifact "${name}" was not found in ${REGISTRY}.`);
      return { licenses: pom.licenses, releasedAt: pom.lastModified };
    },
  };
}

/** `groupId:artifactId`, each made of the characters Maven allows in coordinates. */
export function normalizeMavenName(name: string): string {
  const trimmed = name.trim();
  if (!/^[\w.-]+:[\w.-]+$/.test(trimmed) || trimmed.split(':').some((part) => /^\.+$/.test(part))) {
    throw new ValidationError(`"${name}" is not a Maven artifact name; expected groupId:artifactId, e.g. junit:junit.`);
  }
  return trimmed;
}

/** The artifact's folder in the repository layout: `org/apache/commons/commons-lang3`. */
export function mavenDirectory(groupId: string, artifactId: string): string {
  return `${groupId.split('.').join('/')}/${artifactId}`;
}

export interface MavenMetadata {
  latest?: string;
  release?: string;
  versions: string[];
}

export function parseMavenMetadata(xml: string): MavenMetadata {
  const doc = parseRegistryXml(xml, ['metadata.versioning.versions.version']);
  const metadata = doc.metadata;
  if (!isRecord(metadata)) throw new XmlDocumentError('it has no <metadata> element');
  const versioning = isRecord(metadata.versioning) ? metadata.versioning : {};
  const listed = isRecord(versioning.versions) && Array.isArray(versioning.versions.version) ? versioning.versions.version : [];
  const versions = [...new Set(listed.map(text).filter((v): v is string => v !== undefined))];
  return { latest: text(versioning.latest), release: text(versioning.release), versions };
}

export interface PomSummary {
  licenses: string[];
  parent?: { groupId: string; artifactId: string; version: string };
}

/**
 * One `<license>` as a string: its `<name>` when that can be read as a license; `name (url)` when
 * only the URL may tell (`CDDL + GPLv2 with classpath exception` is CDDL 1.0 or 1.1 by its page);
 * the `<url>` alone when it has no name.
 */
export function pomLicense(name: string | undefined, url: string | undefined): string | undefined {
  const cleanName = name?.replace(/\s+/g, ' ').trim() || undefined;
  const cleanUrl = url?.trim() || undefined;
  if (!cleanName || !cleanUrl) return cleanName ?? cleanUrl;
  return declaredLicenseExpression([cleanName], 'maven').expression ? cleanName : `${cleanName} (${cleanUrl})`;
}

/** A POM's declared licenses (see pomLicense) and its parent's coordinates. */
export function parsePom(xml: string): PomSummary {
  const doc = parseRegistryXml(xml, ['project.licenses.license']);
  const project = doc.project;
  if (!isRecord(project)) throw new XmlDocumentError('it has no <project> element');
  const list = isRecord(project.licenses) && Array.isArray(project.licenses.license) ? project.licenses.license : [];
  const licenses = list
    .map((l) => (isRecord(l) ? pomLicense(text(l.name), text(l.url)) : undefined))
    .filter((l): l is string => l !== undefined);
  const summary: PomSummary = { licenses: [...new Set(licenses)] };
  if (isRecord(project.parent)) {
    const groupId = text(project.parent.groupId);
    const artifactId = text(project.parent.artifactId);
    const version = text(project.parent.version);
    if (groupId && artifactId && version) summary.parent = { groupId, artifactId, version };
  }
  return summary;
}

interface Gav {
  groupId: string;
  artifactId: string;
  version: string;
}

/**
 * The licenses a version declares, its own or inherited from the nearest parent POM that has any
 * (Maven inherits `<licenses>` whole), and its POM's Last-Modified. Null when its POM is missing.
 */
async function resolvePomLicenses(
  client: RegistryClient,
  base: string,
  gav: Gav,
): Promise<{ licenses: string[]; lastModified: string | null } | null> {
  const pomUrl = (g: Gav) => joinUrl(base, `${mavenDirectory(g.groupId, g.artifactId)}/${g.version}/${g.artifactId}-${g.version}.pom`);
  const first = await client.getOptional(pomUrl(gav), { what: `the POM of ${gav.groupId}:${gav.artifactId}:${gav.version}`, accept: 'application/xml' });
  if (!first) return null;
  const lastModified = toIsoUtc(first.headers.get('last-modified'));
  let pom = readXml(() => parsePom(first.text), `the POM of ${gav.groupId}:${gav.artifactId}:${gav.version}`);
  for (let depth = 0; pom.licenses.length === 0 && pom.parent && depth < MAX_PARENTS; depth++) {
    const parent = pom.parent;
    const label = `the parent POM ${parent.groupId}:${parent.artifactId}:${parent.version}`;
    const response = await client.getOptional(pomUrl(parent), { what: label, accept: 'application/xml' });
    if (!response) break;
    pom = readXml(() => parsePom(response.text), label);
  }
  return { licenses: pom.licenses, lastModified };
}

/**
 * Release timestamps per version from the search API (`core=gav` lists one document per version
 * with `timestamp` in milliseconds). The API is known to lag and fail on its own; without it the
 * dates are simply unknown, so failures here leave the map short rather than failing the package.
 */
async function searchReleaseDates(client: RegistryClient, searchUrl: string, groupId: string, artifactId: string): Promise<Map<string, string>> {
  const dates = new Map<string, string>();
  for (let page = 0; page < MAX_SEARCH_PAGES; page++) {
    const url = new URL(searchUrl);
    url.searchParams.set('q', `g:"${groupId}" AND a:"${artifactId}"`);
    url.searchParams.set('core', 'gav');
    url.searchParams.set('rows', String(SEARCH_ROWS));
    url.searchParams.set('start', String(page * SEARCH_ROWS));
    url.searchParams.set('wt', 'json');
    let answer: unknown;
    try {
      answer = await client.getJson(url.toString(), { what: `release dates of ${groupId}:${artifactId}` });
    } catch (err) {
      if (err instanceof RegistryUnavailableError || err instanceof RegistryNotFoundError) break;
      throw err;
    }
    const response = isRecord(answer) && isRecord(answer.response) ? answer.response : {};
    const docs = Array.isArray(response.docs) ? response.docs : [];
    for (const doc of docs) {
      if (!isRecord(doc) || typeof doc.v !== 'string') continue;
      const released = toIsoUtc(doc.timestamp);
      if (released) dates.set(doc.v, released);
    }
    const found = typeof response.numFound === 'number' ? response.numFound : 0;
    if (docs.length < SEARCH_ROWS || (page + 1) * SEARCH_ROWS >= found) break;
  }
  return dates;
}

function readXml<T>(read: () => T, what: string): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof XmlDocumentError) throw new RegistryUnavailableError(`${REGISTRY} sent an unusable answer for ${what}: ${err.message}.`);
    throw err;
  }
}
