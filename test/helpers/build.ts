import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built product, for tests that run it as people do (`node dist/cli/main.js`, the client
 * bundle dist/cli/tollgate.mjs): `npm run build`'s two steps, run once for a given state of the
 * sources. A stamp in dist/ holds the digest of what the build read; while it matches, nothing is
 * rebuilt (a run of one unrelated test file, or a second run, builds nothing). Test files run in
 * several worker processes at once: one builds under a lock file, the others wait for it.
 */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
export const BUNDLE = join(ROOT, 'dist', 'cli', 'tollgate.mjs');
const STAMP = join(ROOT, 'dist', '.test-build-digest');
const LOCK = join(ROOT, 'dist', '.test-build-lock');
/** What the build reads besides src/. */
const INPUTS = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build-cli.mjs'];
/** How long a build (tsc and esbuild) may take on a busy machine: a hook waiting for it needs more. */
export const BUILD_TIMEOUT = 240_000;

/** SHA-256 over the paths and contents of src/ and the build's other inputs. */
function sourceDigest(): string {
  const hash = createHash('sha256');
  const files = [...INPUTS];
  for (const entry of readdirSync(join(ROOT, 'src'), { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.push(join(entry.parentPath ?? entry.path, entry.name).slice(ROOT.length));
  }
  for (const file of files.sort()) {
    hash.update(`${file}\0`);
    if (existsSync(join(ROOT, file))) hash.update(readFileSync(join(ROOT, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function upToDate(digest: string): boolean {
  return existsSync(MAIN) && existsSync(BUNDLE) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === digest;
}

function run(args: string[]): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, args, { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => resolve({ ok: !err, output: `${stdout}${stderr}` })),
  );
}

/** Takes the lock, or tells that another live process holds it (a dead one's lock is taken over). */
function tryLock(): boolean {
  try {
    const fd = openSync(LOCK, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  let holder: number;
  try {
    holder = Number(readFileSync(LOCK, 'utf8'));
  } catch {
    return false; // released meanwhile: the next try may take it
  }
  if (!holder) return false; // just created, its pid not written yet
  if (holder !== process.pid) {
    try {
      process.kill(holder, 0);
      return false;
    } catch {
      // The holder is gone without finishing its build.
    }
  }
  rmSync(LOCK, { force: true });
  return false;
}

async function build(digest: string): Promise<void> {
  // tsc still emits when some area's code has a type error; `npm run typecheck` (CI) reports those,
  // so here only a missing entry point fails.
  const tsc = await run([join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
  if (!tsc.ok) console.warn(`notice: tsc reported errors while building dist/ for the tests:\n${tsc.output.slice(0, 4000)}`);
  const bundle = await run([join(ROOT, 'scripts', 'build-cli.mjs')]);
  if (!bundle.ok) throw new Error(`building the client bundle failed:\n${bundle.output}`);
  if (!existsSync(MAIN)) throw new Error(`the build did not produce ${MAIN}:\n${tsc.output}`);
  writeFileSync(STAMP, digest);
}

/** Resolves once dist/ is built from the sources as they are now. */
export async function builtProduct(): Promise<void> {
  const digest = sourceDigest();
  if (upToDate(digest)) return;
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + BUILD_TIMEOUT;
  while (!tryLock()) {
    if (Date.now() > deadline) throw new Error(`another process has held ${LOCK} for too long`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  try {
    // Another worker may have built it while this one waited.
    if (!upToDate(digest)) await build(digest);
  } finally {
    rmSync(LOCK, { force: true });
  }
}
