import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './build.js';

/**
 * The built web UI (dist/web, as `npm run build` makes it with Vite), for the browser test: built
 * again only when a file of web/ or the lockfile is newer than the built index.html, so that after
 * `npm run build` (CI, `npm start`) the test uses that build.
 */
const INDEX = join(ROOT, 'dist', 'web', 'index.html');

function newestSource(): number {
  let newest = statSync(join(ROOT, 'package-lock.json')).mtimeMs;
  for (const entry of readdirSync(join(ROOT, 'web'), { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return newest;
}

export async function builtWebUi(): Promise<void> {
  if (existsSync(INDEX) && statSync(INDEX).mtimeMs >= newestSource()) return;
  await new Promise<void>((resolve, reject) =>
    execFile(
      process.execPath,
      [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
      // vitest sets NODE_ENV=test, which would build React's development version.
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NODE_ENV: 'production' } },
      (err, stdout, stderr) => (err ? reject(new Error(`building the web UI failed:\n${stdout}${stderr}`)) : resolve()),
    ),
  );
}
