import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './build.js';

/**
 * The built web UI (dist/web, as `npm run build` makes it with Vite), for the browser test: built
 * when the digest of web/ and the lockfile differs from the stamp beside it, else reused.
 */
const STAMP = join(ROOT, 'dist', '.web-build-digest');
const INDEX = join(ROOT, 'dist', 'web', 'index.html');

function webDigest(): string {
  const hash = createHash('sha256');
  const files = ['package-lock.json'];
  for (const entry of readdirSync(join(ROOT, 'web'), { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.push(join(entry.parentPath ?? entry.path, entry.name).slice(ROOT.length));
  }
  for (const file of files.sort()) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(ROOT, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

export async function builtWebUi(): Promise<void> {
  const digest = webDigest();
  if (existsSync(INDEX) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === digest) return;
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  await new Promise<void>((resolve, reject) =>
    execFile(
      process.execPath,
      [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
      // vitest sets NODE_ENV=test, which would build React's development version.
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NODE_ENV: 'production' } },
      (err, stdout, stderr) => (err ? reject(new Error(`building the web UI failed:\n${stdout}${stderr}`)) : resolve()),
    ),
  );
  writeFileSync(STAMP, digest);
}
