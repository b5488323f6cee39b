import type { ComponentIdentifier } from '../ecosystems/types.js';
import {
  ageInDays,
  distanceFromLatest,
  findVersion,
  isLatest,
  type PackageMetadata,
  REGISTRY_FORMATS,
  recentLookupFailure,
  registryFor,
  registryRequestFor,
  registryUnreachable,
  type VersionDetails,
} from '../intel/registries/index.js';
import type { KnowableFact, UnknownFact, UnknownReason } from '../policy/facts.js';
import type { AppContext } from '../core/context.js';
import { cachedAnswers, cachedDocument, cacheKey, cacheRows, Memo } from './registry-cache-reads.js';
import { internUnknown } from './unknown-facts.js';

/** What a package registry says about one component version; absent facts stay unknown. */
export interface RegistryFacts {
  ageInDays?: number;
  isLatest?: boolean;
  versionDistance?: number;
}

export interface RegistryFactsInput {
  /** The component's identity; undefined for components not identified. */
  identifier?: ComponentIdentifier;
  /** The SBOM declares no license: the one the registry states is wanted. */
  wantsLicense: boolean;
}

export interface ComponentRegistryFacts {
  facts?: RegistryFacts;
  /** The version's license statements as its registry gives them (`[]`: it declares none), when wanted and known. */
  licenses?: readonly string[];
  /** The registry's ecosystem (`npm`, `maven`, `pypi`) where one serves the component. */
  ecosystem?: string;
  /** The facts not known and why (shared lists). */
  unknown?: readonly UnknownFact[];
}

/** A package to fetch in the background, with the versions whose own documents (licenses) are wanted. */
export interface RegistryFetch {
  format: string;
  name: string;
  versions: string[];
}

export interface RegistryFactsResult {
  components: ComponentRegistryFacts[];
  /** What the cache lacks or holds expired, for the background fetch (none offline or for a registry known down). */
  fetches: RegistryFetch[];
}

type Request = { format: string; name: string; version: string };

/** The registry request of a versioned component (intel/registries' one mapping). */
function registryRequest(identifier: ComponentIdentifier): Request | undefined {
  const request = registryRequestFor(identifier);
  return request?.version ? { format: request.format, name: request.name, version: request.version } : undefined;
}

const REGISTRY_FACTS: readonly KnowableFact[] = ['age', 'latest', 'versionDistance'];
const WITH_LICENSE: readonly KnowableFact[] = [...REGISTRY_FACTS, 'license'];

/** Every fact of `facts` unknown for one reason: one shared list per reason, registry and set of facts. */
const allUnknownLists = new Map<string, readonly UnknownFact[]>();
function allUnknown(reason: UnknownReason, facts = REGISTRY_FACTS, registry?: string): readonly UnknownFact[] {
  const key = `${reason}\u0000${registry ?? ''}\u0000${facts.length}`;
  let list = allUnknownLists.get(key);
  if (!list) {
    list = internUnknown(facts.map((fact) => (registry ? { fact, reason, registry } : { fact, reason })));
    if (allUnknownLists.size > 1000) allUnknownLists.clear();
    allUnknownLists.set(key, list);
  }
  return list;
}

/**
 * Age, latest-ness, distance from the latest release and (for components whose SBOM declares no
 * license) the declared license of each component a registry serves, from the registry cache only:
 * an evaluation never waits on the network. Expired answers are still used. What the cache lacks
 * (or holds expired) is returned as fetches for the background job (services/evaluation/registry-fetches.ts),
 * so the next evaluation has it; each fact not known says why.
 */
export async function registryFactsFor(ctx: AppContext, inputs: readonly RegistryFactsInput[]): Promise<RegistryFactsResult> {
  const offline = ctx.config.registries.offline;
  const out: ComponentRegistryFacts[] = inputs.map(() => ({}));
  const work = plan(ctx, inputs, out);
  if (!work.length) return { components: out, fetches: [] };

  // Which packages the cache holds (a small query), and what their documents say of each version:
  // remembered per document, so only versions not answered from the same document before are read.
  const packages = await cachedAnswers(ctx, work.map((w) => w.key));
  const unread: Work[] = [];
  for (const w of work) {
    w.cached = packages.get(w.key);
    if (!w.cached) continue;
    w.answer = versionFacts.get(memoKey(w.key, w.cached.fetchedAt, w.request.version));
    if (w.answer === undefined) unread.push(w);
  }
  if (unread.length) await readPackageDocuments(ctx, unread);

  // Versions whose licenses or date only their own document has (Maven, PyPI other than the latest;
  // every Go version), and versions a package document need not list (Go pseudo-versions).
  const needDocs = work.filter((w) => needsVersionDocument(w));
  if (needDocs.length) await readVersionDocuments(ctx, needDocs);

  const fetches = new Map<string, RegistryFetch>();
  const now = ctx.now();
  const missing = (w: Work, kind: string, name: string): UnknownReason => {
    if (offline) return 'offline';
    if (registryUnreachable(w.registry.ecosystem)) return 'registry unreachable';
    if (recentLookupFailure(ctx, kind, name)) return 'registry error';
    return 'not yet fetched';
  };
  const fetch = (w: Work, version?: string) => {
    let f = fetches.get(w.key);
    if (!f) {
      f = { format: w.request.format, name: w.request.name, versions: [] };
      fetches.set(w.key, f);
    }
    if (version && !f.versions.includes(version)) f.versions.push(version);
  };
  for (const w of work) {
    const registry = w.registry.name;
    const answer = w.answer;
    if (!w.cached || answer === undefined || answer === 'unusable') {
      // Nothing known of the package: one shared list per reason and registry.
      const reason = missing(w, w.registry.ecosystem, w.request.name);
      out[w.index].unknown = allUnknown(reason, w.wantsLicense ? WITH_LICENSE : REGISTRY_FACTS, registry);
      if (reason === 'not yet fetched') fetch(w, w.wantsLicense || w.versionDocuments ? w.request.version : undefined);
      continue;
    }
    const unknown: UnknownFact[] = [];
    if (answer === 'not found') {
      for (const fact of REGISTRY_FACTS) unknown.push({ fact, reason: 'not in registry', registry });
      if (w.wantsLicense) unknown.push({ fact: 'license', reason: 'not in registry', registry });
    } else {
      const doc = typeof w.document === 'object' ? w.document : undefined;
      // A version the package document does not list exists when its own document does (a Go pseudo-version).
      const exists = answer.listed || doc !== undefined;
      const releasedAt = answer.releasedAt ?? doc?.releasedAt ?? null;
      // An unlisted version that exists below the latest release is not the latest.
      const isLatest = answer.isLatest ?? (exists && answer.versionDistance !== undefined && answer.versionDistance > 0 ? false : undefined);
      out[w.index].facts = withAge({ ...answer, releasedAt, isLatest }, now);
      const absent: UnknownReason = exists ? 'not stated by registry' : 'not in registry';
      // What only the version's own document can tell, while it is not at hand: why not.
      const docMissing = (): UnknownReason => {
        if (w.document === 'not found' || (!answer.listed && w.document === undefined && !needsVersionDocument(w))) return 'not in registry';
        if (w.document !== undefined) return absent;
        const reason = missing(w, `${w.registry.ecosystem}-version`, `${w.request.name}@${w.request.version}`);
        if (reason === 'not yet fetched') fetch(w, w.request.version);
        return reason;
      };
      if (releasedAt === null) unknown.push({ fact: 'age', reason: needsVersionDocument(w) ? docMissing() : absent, registry });
      if (isLatest === undefined) unknown.push({ fact: 'latest', reason: absent, registry });
      if (answer.versionDistance === undefined) unknown.push({ fact: 'versionDistance', reason: absent, registry });
      if (w.wantsLicense) {
        const licenses = answer.licenses ?? doc?.licenses ?? undefined;
        if (licenses) out[w.index].licenses = licenses;
        else if (doc && doc.licenses === null) unknown.push({ fact: 'license', reason: 'not stated by registry', registry });
        else unknown.push({ fact: 'license', reason: docMissing(), registry });
      }
    }
    // Expired: used all the same, and fetched again in the background.
    if (!w.cached.fresh && missing(w, w.registry.ecosystem, w.request.name) === 'not yet fetched') fetch(w);
    if (unknown.length) out[w.index].unknown = internUnknown(unknown);
  }
  return { components: out, fetches: [...fetches.values()] };
}

interface Work {
  index: number;
  request: Request;
  registry: { ecosystem: string; name: string };
  wantsLicense: boolean;
  /** The registry has documents of single versions (adapter.fetchVersion). */
  versionDocuments: boolean;
  /** Versions its package document does not list may still exist (adapter.unlistedVersions: Go pseudo-versions). */
  unlistedVersions: boolean;
  /** The package's cache key. */
  key: string;
  cached?: { fresh: boolean; fetchedAt: string };
  answer?: VersionAnswer;
  /** What the version's own document says, where read. */
  document?: VersionDocument;
}

/** Components a registry serves, with their cache keys; the others get their unknown facts here. */
function plan(ctx: AppContext, inputs: readonly RegistryFactsInput[], out: ComponentRegistryFacts[]): Work[] {
  const work: Work[] = [];
  const registries = new Map<string, ReturnType<typeof registryFor> | null>();
  inputs.forEach((input, index) => {
    const identifier = input.identifier;
    if (!identifier?.coordinates.version) {
      out[index].unknown = allUnknown('not identified');
      return;
    }
    if (!REGISTRY_FORMATS.includes(identifier.format)) {
      out[index].unknown = allUnknown('no registry for this format');
      return;
    }
    const request = registryRequest(identifier);
    let adapter = registries.get(identifier.format);
    if (adapter === undefined) {
      adapter = registryFacade(ctx, identifier.format);
      registries.set(identifier.format, adapter);
    }
    if (!request || !adapter) {
      out[index].unknown = allUnknown('not identified');
      return;
    }
    out[index].ecosystem = adapter.ecosystem;
    let name: string;
    try {
      name = adapter.normalizeName(request.name);
    } catch {
      // A name the registry cannot have: it has no such package.
      out[index].unknown = allUnknown('not in registry', input.wantsLicense ? WITH_LICENSE : REGISTRY_FACTS, adapter.registry);
      return;
    }
    work.push({
      index,
      request: { ...request, name },
      registry: { ecosystem: adapter.ecosystem, name: adapter.registry },
      wantsLicense: input.wantsLicense,
      versionDocuments: typeof adapter.fetchVersion === 'function',
      unlistedVersions: adapter.unlistedVersions === true,
      key: cacheKey(adapter.ecosystem, name),
    });
  });
  return work;
}

function registryFacade(ctx: AppContext, format: string): ReturnType<typeof registryFor> | null {
  try {
    return registryFor(ctx.config, format);
  } catch {
    return null;
  }
}

/**
 * What one cached package document says about one version, by package, fetch time and version.
 * Reading a cached package document means parsing it (tens of KiB for a popular npm package) and
 * ordering its versions: for a 10,000-component SBOM that took seconds on every evaluation. The
 * age is kept as the release date (it grows with the clock).
 */
interface VersionFacts {
  /** The registry lists the version. */
  listed: boolean;
  releasedAt: string | null;
  isLatest?: boolean;
  versionDistance?: number;
  /** The version's license statements in the package document; null when only its own document has them. */
  licenses: readonly string[] | null;
}
type VersionAnswer = VersionFacts | 'not found' | 'unusable';

const versionFacts = new Memo<VersionAnswer>(100_000);
/** What a version's own document says (a POM, a PyPI release, a Go module version), by document key and fetch time. */
type VersionDocument = { licenses: readonly string[] | null; releasedAt: string | null } | 'not found' | 'unusable';
const versionDocuments = new Memo<VersionDocument>(100_000);

/**
 * Whether the version's own document is wanted: its package document lists it without the
 * licenses wanted or without a release date, or does not list it where versions need not be
 * listed.
 */
function needsVersionDocument(w: Work): boolean {
  const answer = w.answer;
  if (!w.versionDocuments || typeof answer !== 'object') return false;
  if (!answer.listed) return w.unlistedVersions;
  return (w.wantsLicense && answer.licenses === null) || answer.releasedAt === null;
}
const memoKey = (key: string, fetchedAt: string, version = '') => `${key}\u0000${fetchedAt}\u0000${version}`;

function withAge(facts: VersionFacts, now: Date): RegistryFacts {
  const result: RegistryFacts = {};
  const age = ageInDays(facts.releasedAt, now);
  if (age !== null) result.ageInDays = age;
  if (facts.isLatest !== undefined) result.isLatest = facts.isLatest;
  if (facts.versionDistance !== undefined) result.versionDistance = facts.versionDistance;
  return result;
}

function versionFactsFrom(metadata: PackageMetadata, version: string): VersionFacts {
  const found = findVersion(metadata, version);
  const facts: VersionFacts = { listed: found !== undefined, releasedAt: found?.releasedAt ?? null, licenses: found?.licenses ?? null };
  if (found) facts.isLatest = isLatest(metadata, version);
  const distance = distanceFromLatest(metadata, version);
  if (distance !== null) facts.versionDistance = distance;
  return facts;
}

/** Reads the cached documents the versions need, once per package, and remembers what each says of its versions. */
async function readPackageDocuments(ctx: AppContext, unread: Work[]): Promise<void> {
  const documents = new Map<string, { fetchedAt: string; metadata: PackageMetadata | 'not found' | 'unusable' }>();
  for (const [key, row] of await cacheRows(ctx, unread.map((u) => u.key), ['document', 'fetched_at'])) {
    documents.set(key, { fetchedAt: row.fetched_at, metadata: cachedDocument<PackageMetadata>(row.document, (v) => Array.isArray(v.versions)) });
  }
  for (const u of unread) {
    const doc = documents.get(u.key);
    // Deleted since the first query: as if never cached.
    if (!doc) {
      u.cached = undefined;
      continue;
    }
    const answer = typeof doc.metadata === 'object' ? versionFactsFrom(doc.metadata, u.request.version) : doc.metadata;
    // Fetched again since the first query: the newer document's answer, remembered under its time.
    versionFacts.set(memoKey(u.key, doc.fetchedAt, u.request.version), answer);
    u.answer = answer;
  }
}

/** What the versions' own cached documents say (Maven POMs, PyPI release documents, Go module versions). */
async function readVersionDocuments(ctx: AppContext, work: Work[]): Promise<void> {
  const keyOf = (w: Work) => cacheKey(`${w.registry.ecosystem}-version`, `${w.request.name}@${w.request.version}`);
  const cached = await cachedAnswers(ctx, work.map(keyOf));
  const unread: Array<{ w: Work; key: string }> = [];
  for (const w of work) {
    const key = keyOf(w);
    const entry = cached.get(key);
    if (!entry) continue;
    w.document = versionDocuments.get(memoKey(key, entry.fetchedAt));
    if (w.document === undefined) unread.push({ w, key });
  }
  if (!unread.length) return;
  const rows = await cacheRows(ctx, unread.map((u) => u.key), ['document', 'fetched_at']);
  for (const { w, key } of unread) {
    const row = rows.get(key);
    if (!row) continue;
    // licenses null: no source could tell (a Go module deps.dev does not know).
    const doc = cachedDocument<VersionDetails>(row.document, (v) => v.licenses === null || Array.isArray(v.licenses));
    const read: VersionDocument = typeof doc === 'object' ? { licenses: doc.licenses, releasedAt: doc.releasedAt ?? null } : doc;
    versionDocuments.set(memoKey(key, row.fetched_at), read);
    w.document = read;
  }
}
