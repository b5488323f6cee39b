/**
 * Reads an NVD CVE JSON 2.0 document one CVE at a time: an API response page or a yearly /
 * modified feed file (`{resultsPerPage, startIndex, totalResults, format: 'NVD_CVE', version: '2.0',
 * vulnerabilities: [{cve}]}`), or a single `cve` object; plain or gzipped (known by its magic bytes).
 *
 * Yearly feeds hold 20–40k CVEs in 100+ MB, so the document is never held whole: stream-json's
 * parser turns the bytes into tokens and only one `vulnerabilities[]` element at a time is
 * assembled into an object. CPE `configurations`, the bulk of many CVEs, are skipped while
 * parsing: Tollgate does not keep them.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import chain from 'stream-chain';
import { none } from 'stream-chain/defs.js';
import Assembler from 'stream-json/assembler.js';
import { parser } from 'stream-json/parser.js';
import { RejectedSourceError } from '../advisories/source-types.js';

/** The page's own fields, as far as the document has been read. */
export interface NvdEnvelope {
  format?: unknown;
  version?: unknown;
  resultsPerPage?: number;
  startIndex?: number;
  totalResults?: number;
  /** NVD's clock when it answered (`2023-10-18T18:04:18.493`, UTC) */
  timestamp?: string;
  /** `page` for an API response or feed file, `cve` for a single CVE object */
  kind?: 'page' | 'cve';
}

export interface NvdItem {
  /** where it is: `<file>#<index>` in a page, the file's name for a single CVE */
  entry: string;
  /** the `cve` object, unchecked (undefined when the element has none) */
  cve: unknown;
}

interface Token {
  name: string;
  value?: unknown;
}

/** Parts of a document outside `vulnerabilities` are small; this many tokens means it is something else. */
const MAX_ENVELOPE_TOKENS = 2_000_000;

const GZIP_MAGIC = [0x1f, 0x8b];

export async function isGzipFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
}

const EXPECTED = 'an NVD CVE API 2.0 response or feed file ({"format": "NVD_CVE", "version": "2.0", "vulnerabilities": [{"cve": …}]}) or one CVE object';

/** A single CVE object: an id like CVE-… and fields only NVD's CVE objects have. */
function looksLikeCve(value: Record<string, unknown>): boolean {
  return typeof value.id === 'string' && /^CVE-/i.test(value.id) && ('lastModified' in value || 'vulnStatus' in value || 'sourceIdentifier' in value);
}

/**
 * Consumes parser tokens and returns each `vulnerabilities[]` element (or, at the end, the single
 * CVE object) as it completes. Throws RejectedSourceError for documents that are not NVD's.
 */
function tokenConsumer(label: string, envelope: NvdEnvelope): (token: Token) => NvdItem | typeof none {
  let depth = 0;
  let topKey: string | undefined;
  let inArray = false;
  let index = 0;
  let assembler: Assembler | undefined;
  const top: Record<string, unknown> = {};
  let envelopeTokens = 0;
  // > 0 while skipping a `configurations` value: the nesting depth inside it; 0 while waiting for it.
  let skip = -1;

  const reject = (why: string): never => {
    throw new RejectedSourceError(`${label} is not ${EXPECTED}: ${why}; nothing was imported`);
  };
  const checkEnvelope = (key: string, value: unknown) => {
    if (key === 'format' && value !== 'NVD_CVE') reject(`its format is ${JSON.stringify(value)}`);
    if (key === 'version' && value !== '2.0') reject(`its version is ${JSON.stringify(value)}`);
    if (key === 'CVE_Items') reject('it is a 1.1 feed (CVE_Items), which NVD retired in 2023; use the 2.0 feeds or the API');
    if (key === 'timestamp' && typeof value === 'string') envelope.timestamp = value;
    if ((key === 'resultsPerPage' || key === 'startIndex' || key === 'totalResults') && typeof value === 'number') envelope[key] = value;
    if (key === 'format' || key === 'version') envelope[key] = value;
  };

  return (token) => {
    const { name } = token;
    const opens = name === 'startObject' || name === 'startArray';
    const closes = name === 'endObject' || name === 'endArray';
    if (skip >= 0) {
      if (opens) skip++;
      else if (closes) skip--;
      if (skip === 0) skip = -1;
      return none;
    }
    if (assembler) {
      if (name === 'keyValue' && token.value === 'configurations') {
        skip = 0;
        return none;
      }
      if (!inArray && ++envelopeTokens > MAX_ENVELOPE_TOKENS) reject('it is far larger than an NVD document outside "vulnerabilities"');
      assembler.consume(token as Parameters<Assembler['consume']>[0]);
      if (!assembler.done) return none;
      const value = assembler.current;
      assembler = undefined;
      if (inArray) {
        const entry = `${label}#${index++}`;
        const cve = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { cve?: unknown }).cve : undefined;
        return { entry, cve };
      }
      top[topKey!] = value;
      checkEnvelope(topKey!, value);
      return none;
    }
    if (depth === 0) {
      if (name !== 'startObject') reject('it is not a JSON object');
      depth = 1;
      return none;
    }
    if (inArray) {
      if (name === 'endArray') {
        inArray = false;
        return none;
      }
      assembler = new Assembler();
      assembler.consume(token as Parameters<Assembler['consume']>[0]);
      if (!assembler.done) return none;
      assembler = undefined;
      return { entry: `${label}#${index++}`, cve: undefined };
    }
    // depth 1: the top-level object's keys and values
    if (name === 'keyValue') {
      topKey = String(token.value);
      if (topKey === 'configurations') skip = 0;
      return none;
    }
    if (name === 'endObject') {
      depth = 0;
      if ('vulnerabilities' in top) {
        if (top.format === undefined) reject('it has "vulnerabilities" but no "format"');
        envelope.kind = 'page';
        return none;
      }
      // One CVE object, bare (as per-CVE mirrors keep them) or as a `vulnerabilities[]` element.
      const wrapped = typeof top.cve === 'object' && top.cve !== null ? (top.cve as Record<string, unknown>) : undefined;
      const single = looksLikeCve(top) ? top : wrapped && looksLikeCve(wrapped) ? wrapped : undefined;
      if (!single) reject('it has neither "vulnerabilities" nor the fields of a CVE object');
      envelope.kind = 'cve';
      return { entry: label, cve: single };
    }
    if (topKey === 'vulnerabilities') {
      if (name !== 'startArray') reject('"vulnerabilities" is not a list');
      if (envelope.format === undefined) reject('"vulnerabilities" comes before "format"');
      top.vulnerabilities = true;
      inArray = true;
      return none;
    }
    assembler = new Assembler();
    assembler.consume(token as Parameters<Assembler['consume']>[0]);
    if (assembler.done) {
      top[topKey!] = assembler.current;
      checkEnvelope(topKey!, assembler.current);
      assembler = undefined;
    }
    return none;
  };
}

/** Why the bytes could not be read, in words for the person who gave the file. */
function describeFailure(label: string, err: unknown, gzipped: boolean): Error {
  if (err instanceof RejectedSourceError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e.code?.startsWith('Z_') || /unexpected end of file|incorrect header check|invalid (block|stored|distance)/i.test(e.message)) {
    return new RejectedSourceError(`${label}: the gzip data is truncated or corrupt (${e.message}); nothing was imported`);
  }
  if (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EISDIR') return new RejectedSourceError(`${label}: cannot read it (${e.code})`);
  return new RejectedSourceError(`${label} is not valid JSON${gzipped ? ' (after gunzip)' : ''} (${e.message}); nothing was imported`);
}

/**
 * The CVE objects of one file, in document order. `envelope` is filled in as the document is read
 * (its `kind` once the end is reached). Throws RejectedSourceError when the file is not NVD's,
 * not JSON, truncated or a corrupt gzip.
 */
export async function* readNvdDocument(path: string, label: string, envelope: NvdEnvelope = {}): AsyncGenerator<NvdItem> {
  let gzipped = false;
  try {
    gzipped = await isGzipFile(path);
  } catch (err) {
    throw describeFailure(label, err, false);
  }
  const steps: unknown[] = [createReadStream(path)];
  if (gzipped) steps.push(createGunzip());
  steps.push(parser({ packValues: true, streamValues: false }), tokenConsumer(label, envelope));
  const pipeline = chain(steps as never);
  let ended = false;
  try {
    for await (const item of pipeline as AsyncIterable<NvdItem>) yield item;
    ended = true;
  } catch (err) {
    throw describeFailure(label, err, gzipped);
  } finally {
    if (!ended) pipeline.destroy();
  }
  if (envelope.kind === undefined) throw new RejectedSourceError(`${label} ends before its JSON document does (truncated?); nothing was imported`);
}
