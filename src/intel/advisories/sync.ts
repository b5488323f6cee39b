/**
 * Downloads `<mirror>/<Ecosystem>/all.zip` for each ecosystem to a temporary file, streaming (the
 * archive is never in memory), then imports it like any other source. A mirror that cannot be
 * reached at all stops the sync with MirrorUnreachableError; an ecosystem the mirror does not have
 * (404, a bad archive) fails alone and the others go on.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AppContext } from '../../core/context.js';
import { type ImportSummary, importOsvSource } from './importer.js';
import type { SourceLimits } from './source.js';
import { outboundFetch } from '../../core/outbound-http.js';

export class MirrorUnreachableError extends Error {}

export interface SyncOptions {
  ecosystems: string[];
  mirrorUrl: string;
  limits?: SourceLimits;
  /** largest archive downloaded, in bytes */
  maxDownloadBytes?: number;
  /** give up when no byte arrives for this long */
  idleTimeoutMs?: number;
  onDownloadProgress?: (ecosystem: string, received: number, total: number | undefined) => void;
  onImportProgress?: (ecosystem: string, done: number, total: number) => void;
}

export type EcosystemSync =
  | { ecosystem: string; url: string; ok: true; bytes: number; summary: ImportSummary }
  | { ecosystem: string; url: string; ok: false; error: string };

export function archiveUrl(mirrorUrl: string, ecosystem: string): string {
  return `${mirrorUrl.replace(/\/+$/, '')}/${encodeURIComponent(ecosystem)}/all.zip`;
}

/** Why a fetch failed, in the words of the network error under it (ECONNREFUSED, ENOTFOUND, …). */
function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}

class HttpStatusError extends Error {}

export async function downloadToFile(
  url: string,
  destination: string,
  options: { maxBytes: number; idleTimeoutMs: number; onProgress?: (received: number, total: number | undefined) => void },
): Promise<number> {
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), options.idleTimeoutMs);
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), options.idleTimeoutMs);
  };
  try {
    let response: Response;
    try {
      response = await outboundFetch(url, { signal: controller.signal, redirect: 'follow' });
    } catch (err) {
      throw new MirrorUnreachableError(`cannot reach ${url} (${controller.signal.aborted ? 'timed out' : networkReason(err)})`);
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new HttpStatusError(`${url} answered ${response.status} ${response.statusText}`.trim());
    }
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    const total = Number.isFinite(declared) ? declared : undefined;
    if (total !== undefined && total > options.maxBytes) {
      await response.body.cancel();
      throw new HttpStatusError(`${url} is ${total} bytes, more than the limit of ${options.maxBytes}`);
    }
    let received = 0;
    const counted = async function* (source: AsyncIterable<Uint8Array>) {
      for await (const chunk of source) {
        received += chunk.length;
        if (received > options.maxBytes) throw new HttpStatusError(`${url} sent more than the limit of ${options.maxBytes} bytes`);
        touch();
        options.onProgress?.(received, total);
        yield chunk;
      }
    };
    try {
      await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), counted, createWriteStream(destination));
    } catch (err) {
      if (err instanceof HttpStatusError) throw err;
      throw new HttpStatusError(`download of ${url} broke off after ${received} bytes (${controller.signal.aborted ? 'timed out' : networkReason(err)})`);
    }
    return received;
  } finally {
    clearTimeout(timer);
  }
}

/** Syncs each ecosystem in turn; throws MirrorUnreachableError when the mirror cannot be reached. */
export async function syncVulnerabilityData(ctx: AppContext, options: SyncOptions): Promise<EcosystemSync[]> {
  const results: EcosystemSync[] = [];
  const folder = await mkdtemp(join(tmpdir(), 'tollgate-vulndb-'));
  try {
    for (const ecosystem of options.ecosystems) {
      const url = archiveUrl(options.mirrorUrl, ecosystem);
      const file = join(folder, `${ecosystem.replace(/[^A-Za-z0-9.-]/g, '_')}-all.zip`);
      try {
        const bytes = await downloadToFile(url, file, {
          maxBytes: options.maxDownloadBytes ?? 4 * 1024 * 1024 * 1024,
          idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
          onProgress: (received, total) => options.onDownloadProgress?.(ecosystem, received, total),
        });
        const summary = await importOsvSource(ctx, file, {
          label: `${ecosystem}/all.zip`,
          limits: options.limits,
          onProgress: (done, total) => options.onImportProgress?.(ecosystem, done, total),
        });
        results.push({ ecosystem, url, ok: true, bytes, summary });
      } catch (err) {
        if (err instanceof MirrorUnreachableError) throw err;
        results.push({ ecosystem, url, ok: false, error: (err as Error).message });
      } finally {
        await rm(file, { force: true });
      }
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  return results;
}
