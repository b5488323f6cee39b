import { createHash } from 'node:crypto';
import type { AppContext } from '../../core/context.js';
import type { Store } from '../../store/db.js';
import { gzip } from 'node:zlib';
import { holdsEverywhere, type Principal, type VisibleOwners, visibleOwners } from '../access/access.js';

/**
 * The portfolio listings' answers (the reports list, policy violations across the portfolio), kept
 * serialized: at 10,000 applications they are 15–33 MiB, and reading, shaping and serializing them
 * takes seconds, while clients ask for the whole list again and again.
 *
 * An answer is kept per (operation, normalised query, the caller's scope: `all` when the caller sees
 * every organization, else a digest of the applications it may READ) with the portfolio version it
 * was built at. Every request reads the version (one row, `portfolio_version`, incremented by
 * triggers in the transaction of every write that changes these answers, whichever node made it)
 * and its scope, and answers with the kept bytes only when the version is the same. The version is
 * read before the answer is built, so an answer built while a write commits is kept under the older
 * version and never served after it. Users who see different applications have different scopes,
 * so they never share an answer; a change of roles changes the scope, not the version.
 *
 * Memory is bounded (`portfolioCacheMiB`, least recently used dropped first). One cache per store
 * (several test servers share a process, each on its own database).
 *
 * The ETag is the version, scope and query; If-None-Match with it answers 304 before any listing is read.
 */
export interface ListingAnswer {
  etag: string;
  /** undefined: the caller's If-None-Match names the current answer (304). */
  body?: Buffer;
  /** The body is gzip-compressed (Content-Encoding: gzip). */
  gzip?: boolean;
  /** Whether the body came from the cache (for logs and tests). */
  cached: boolean;
}

interface Entry {
  version: string;
  body: Buffer;
  /** The body gzip-compressed, once compressed. */
  gzip?: Buffer;
}

const size = (entry: Entry) => entry.body.length + (entry.gzip?.length ?? 0);

class ByteLru {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  constructor(readonly maxBytes: number) {}

  get(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      // Map order is insertion order: re-inserting makes it the most recently used.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: Entry): void {
    this.delete(key);
    if (entry.body.length > this.maxBytes) return;
    this.entries.set(key, entry);
    this.bytes += size(entry);
    this.evict();
  }

  /** Adds the compressed body to an entry still kept. */
  attachGzip(key: string, entry: Entry, compressed: Buffer): void {
    if (this.entries.get(key) !== entry) return;
    entry.gzip = compressed;
    this.bytes += compressed.length;
    this.evict();
  }

  private evict(): void {
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(oldest);
    }
  }

  private delete(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.bytes -= size(old);
  }
}

interface StoreCache {
  kept: ByteLru;
  /** Answers being built, so that simultaneous misses for one answer build it once. */
  building: Map<string, Promise<Buffer>>;
}

const caches = new WeakMap<Store, StoreCache>();

function cacheOf(ctx: AppContext): StoreCache {
  let cache = caches.get(ctx.store);
  const maxBytes = ctx.config.portfolioCacheMiB * 1024 * 1024;
  if (!cache || cache.kept.maxBytes !== maxBytes) {
    cache = { kept: new ByteLru(maxBytes), building: new Map() };
    caches.set(ctx.store, cache);
  }
  return cache;
}

/** The portfolio version: one indexed read. */
export async function portfolioVersion(ctx: AppContext): Promise<string> {
  const row = await ctx.store.db.selectFrom('portfolio_version').select('version').where('id', '=', 1).executeTakeFirst();
  return String(row?.version ?? 0);
}

function scopeOf(visible: VisibleOwners): string {
  if (visible.everything) return 'all';
  const hash = createHash('sha256');
  for (const id of [...visible.applications].sort()) hash.update(id).update('\0');
  return hash.digest('base64url');
}

function toBuffer(body: string | Uint8Array | ArrayBuffer): Buffer {
  if (typeof body === 'string') return Buffer.from(body);
  return body instanceof ArrayBuffer ? Buffer.from(body) : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/** Whether an If-None-Match header names the ETag (a list, weak or strong, or `*`). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}

/**
 * A listing's answer for the caller: the kept bytes when still current, else `build` (the listing
 * of the applications the caller may READ) serialized by `serialize` (the route's own serializer,
 * so the kept bytes are exactly what it would answer).
 */
export async function portfolioListing<T>(
  ctx: AppContext,
  principal: Principal,
  operation: string,
  query: string,
  ifNoneMatch: string | undefined,
  acceptsGzip: boolean,
  build: (applications: ReadonlySet<string>) => Promise<T>,
  serialize: (payload: T) => string | Uint8Array | ArrayBuffer,
): Promise<ListingAnswer> {
  // Both before the answer is built (see above). A caller who sees everything has the scope `all`
  // without reading the tree (at 10,000 applications that read was most of a cached answer's time).
  const [version, everywhere] = await Promise.all([portfolioVersion(ctx), holdsEverywhere(ctx.store, principal, 'READ')]);
  const visible = everywhere ? undefined : await visibleOwners(ctx.store, principal, 'READ');
  const key = `${operation}\0${query}\0${visible ? scopeOf(visible) : 'all'}`;
  const etag = `"${version}-${createHash('sha256').update(key).digest('base64url').slice(0, 22)}"`;
  if (matches(ifNoneMatch, etag)) return { etag, cached: true };
  const { kept: cache, building } = cacheOf(ctx);
  const kept = cache.get(key);
  if (kept?.version === version) return { etag, ...(acceptsGzip && kept.gzip ? { body: kept.gzip, gzip: true } : { body: kept.body }), cached: true };
  const flightKey = `${key}\0${version}`;
  let pending = building.get(flightKey);
  if (!pending) {
    pending = (async () => {
      // Where a built answer's time goes (reading and shaping vs serializing), for who tunes it.
      const started = performance.now();
      const applications = (visible ?? (await visibleOwners(ctx.store, principal, 'READ'))).applications;
      const payload = await build(applications);
      const built = performance.now();
      const body = toBuffer(serialize(payload));
      ctx.log.info(
        { operation, buildMs: Math.round(built - started), serializeMs: Math.round(performance.now() - built), bytes: body.length },
        'portfolio listing built',
      );
      return body;
    })();
    building.set(flightKey, pending);
    pending.then(
      (body) => {
        building.delete(flightKey);
        if (ctx.config.portfolioCacheMiB <= 0) return;
        const entry: Entry = { version, body };
        cache.set(key, entry);
        // Compressed once, off the event loop, for the next callers that accept gzip: tens of MiB
        // of JSON are a tenth of that compressed, on the wire and in the client.
        gzip(body, (err, compressed) => {
          if (!err) cache.attachGzip(key, entry, compressed);
        });
      },
      () => building.delete(flightKey),
    );
  }
  return { etag, body: await pending, cached: false };
}
