/**
 * Reads OSV records out of a zip archive with yauzl, one entry at a time. Checks, before reading an
 * entry: its name stays inside the archive, its declared size and compression ratio are sane, and
 * the running total stays under the limit; while reading: it inflates to exactly what it declared
 * (never past the limit) and its CRC-32 matches.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';
import { type OsvSource, RejectedSourceError, type SourceEntry, type SourceLimits, escapesRoot } from './source-types.js';

function mib(bytes: number): string {
  return bytes < 1024 * 1024 ? `${bytes} bytes` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, decodeStrings: true }, (err, zip) =>
      err ? reject(err) : resolve(zip),
    );
  });
}

/** yauzl reports unsafe names itself, as an error while reading the central directory. */
function isUnsafeNameError(message: string): boolean {
  return /^(invalid relative path|absolute path|invalid characters in fileName)/.test(message);
}

/** Pulls entries one by one from a lazy yauzl zip as promises. */
function entryReader(zip: yauzl.ZipFile): () => Promise<yauzl.Entry | null> {
  let pending: { resolve: (e: yauzl.Entry | null) => void; reject: (err: Error) => void } | undefined;
  let failure: Error | undefined;
  let ended = false;
  zip.on('entry', (entry: yauzl.Entry) => pending?.resolve(entry));
  zip.on('end', () => {
    ended = true;
    pending?.resolve(null);
  });
  zip.on('error', (err: Error) => {
    failure = err;
    pending?.reject(err);
  });
  return () =>
    new Promise((resolve, reject) => {
      if (failure) return reject(failure);
      if (ended) return resolve(null);
      pending = { resolve, reject };
      zip.readEntry();
    });
}

/**
 * Reads an entry's compressed bytes (bounded by the declared-size checks before) and inflates them
 * in one synchronous call capped at the limit: much faster than a zlib stream per small record.
 */
async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, limits: SourceLimits): Promise<Buffer> {
  if (entry.compressedSize > limits.maxEntryBytes) throw new Error(`is ${mib(entry.compressedSize)} compressed, more than the limit of ${mib(limits.maxEntryBytes)}`);
  const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
    // Stored entries are read as they are; yauzl refuses `decompress: false` for them.
    zip.openReadStream(entry, entry.compressionMethod === 0 ? {} : { decompress: false }, (err, s) => (err ? reject(err) : resolve(s))),
  );
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  const raw = Buffer.concat(chunks);
  let data: Buffer;
  if (entry.compressionMethod === 0) data = raw;
  else {
    try {
      // One byte more than declared is enough to tell an entry that lies about its size.
      data = inflateRawSync(raw, { maxOutputLength: Math.min(entry.uncompressedSize, limits.maxEntryBytes) + 1 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new Error(`inflates to more than the ${entry.uncompressedSize} bytes it declares (zip bomb?)`);
      }
      throw new Error(`does not inflate (${(err as Error).message})`);
    }
  }
  if (data.length !== entry.uncompressedSize) {
    throw new Error(`holds ${data.length} bytes but declares ${entry.uncompressedSize} (corrupt or altered)`);
  }
  if (crc32(data) >>> 0 !== entry.crc32 >>> 0) throw new Error('does not match its CRC-32 (corrupt or altered)');
  return data;
}

export async function openZipSource(path: string, label: string, limits: SourceLimits): Promise<OsvSource> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(path);
  } catch (err) {
    throw new RejectedSourceError(`${label}: not a readable zip archive (${(err as Error).message})`);
  }
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw new RejectedSourceError(`${label}: ${zip.entryCount} entries, more than the limit of ${limits.maxEntries}`);
  }
  async function* entries(): AsyncGenerator<SourceEntry> {
    const next = entryReader(zip);
    let total = 0;
    let lastName = '(start of the archive)';
    try {
      for (;;) {
        let entry: yauzl.Entry | null;
        try {
          entry = await next();
        } catch (err) {
          const message = (err as Error).message;
          if (isUnsafeNameError(message)) {
            throw new RejectedSourceError(`${label}: entry name points outside the archive (${message}): path traversal, archive rejected`);
          }
          throw new RejectedSourceError(`${label}: corrupt archive after ${lastName} (${message})`);
        }
        if (!entry) return;
        const name = entry.fileName;
        lastName = name;
        if (escapesRoot(name)) {
          throw new RejectedSourceError(`${label}: entry name ${JSON.stringify(name)} points outside the archive: path traversal, archive rejected`);
        }
        if (name.endsWith('/') || !name.toLowerCase().endsWith('.json')) continue;
        if (entry.isEncrypted()) throw new RejectedSourceError(`${label}: entry ${name} is encrypted`);
        if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
          throw new RejectedSourceError(`${label}: entry ${name} uses compression method ${entry.compressionMethod} (only stored and deflate are read)`);
        }
        if (entry.uncompressedSize > limits.maxEntryBytes) {
          throw new RejectedSourceError(
            `${label}: entry ${name} declares ${mib(entry.uncompressedSize)} uncompressed, more than the limit of ${mib(limits.maxEntryBytes)} (zip bomb?)`,
          );
        }
        if (
          entry.uncompressedSize > limits.ratioCheckAboveBytes &&
          entry.uncompressedSize > limits.maxRatio * Math.max(entry.compressedSize, 1)
        ) {
          const ratio = Math.round(entry.uncompressedSize / Math.max(entry.compressedSize, 1));
          throw new RejectedSourceError(`${label}: entry ${name} compresses ${ratio}:1, more than the limit of ${limits.maxRatio}:1 (zip bomb?)`);
        }
        total += entry.uncompressedSize;
        if (total > limits.maxTotalBytes) {
          throw new RejectedSourceError(`${label}: more than ${mib(limits.maxTotalBytes)} uncompressed in all (zip bomb?)`);
        }
        let data: Buffer;
        try {
          data = await readEntry(zip, entry, limits);
        } catch (err) {
          throw new RejectedSourceError(`${label}: entry ${name} ${(err as Error).message}`);
        }
        yield { name, text: data.toString('utf8') };
      }
    } finally {
      zip.close();
    }
  }
  return { label, total: zip.entryCount, entries };
}
