/**
 * Tells NVD data from OSV data by content, not by name, for `vulndb import`: the first bytes of a
 * file (gunzipped when it is gzip), or of the first JSON file of a directory. An NVD page or feed
 * declares `"format": "NVD_CVE"` before its CVEs; a single CVE object has a CVE id and fields OSV
 * records never have (`vulnStatus`, `sourceIdentifier`). Anything else is left to the OSV import.
 */
import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { isGzipFile } from './document.js';

/** NVD's envelope fits well within this; a single CVE object's `vulnStatus` comes in its first lines. */
const HEAD_BYTES = 64 * 1024;

/** Up to HEAD_BYTES of the file's text, gunzipped when it is gzip; a broken gzip gives what came out. */
async function head(path: string): Promise<string> {
  const gzipped = await isGzipFile(path);
  const chunks: Buffer[] = [];
  let size = 0;
  const source = createReadStream(path, gzipped ? {} : { end: HEAD_BYTES - 1 });
  const stream = gzipped ? source.pipe(createGunzip()) : source;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= HEAD_BYTES) break;
    }
  } catch {
    // A truncated or corrupt gzip: judge by what could be read; the import will refuse it.
  } finally {
    source.destroy();
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, HEAD_BYTES).toString('utf8');
}

export function looksLikeNvdText(text: string): boolean {
  if (/"format"\s*:\s*"NVD_CVE"/.test(text)) return true;
  return /"id"\s*:\s*"CVE-\d{4}-\d+"/i.test(text) && /"(vulnStatus|sourceIdentifier)"\s*:/.test(text);
}

/** The first `*.json` / `*.json.gz` file under a directory, in name order (depth first). */
async function firstJsonFile(root: string): Promise<string | undefined> {
  const entries = (await readdir(root, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) if (e.isFile() && /\.json(\.gz)?$/i.test(e.name)) return join(root, e.name);
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const found = await firstJsonFile(join(root, e.name));
    if (found) return found;
  }
  return undefined;
}

/** Whether the file or directory holds NVD CVE JSON 2.0 data; false when it cannot be read. */
export async function isNvdSource(path: string): Promise<boolean> {
  try {
    const info = await lstat(path);
    const file = info.isDirectory() ? await firstJsonFile(path) : info.isFile() ? path : undefined;
    return file !== undefined && looksLikeNvdText(await head(file));
  } catch {
    return false;
  }
}
