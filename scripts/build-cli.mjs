// Bundles the client commands (src/cli/client-main.ts: evaluate, app) into one self-contained
// file, dist/cli/tollgate.mjs, which the server hands out at GET /cli/tollgate.mjs and which runs
// with plain `node` from any directory. Part of `npm run build`.
import { readFileSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'cli', 'tollgate.mjs');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// Written next to the target and renamed over it, so that a reader (the server, a test) never
// sees half a file while another build runs.
const tmp = `${out}.${process.pid}.tmp`;

await build({
  entryPoints: [join(root, 'src', 'cli', 'client-main.ts')],
  outfile: tmp,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: true,
  legalComments: 'eof',
  define: { __TOLLGATE_VERSION__: JSON.stringify(version) },
  // The CycloneDX library's optional XML writer, loaded only when asked for; Tollgate writes XML itself.
  // undici: loaded by core/outbound-http.ts only for requests through the server's configured proxy,
  // which the client never has.
  external: ['xmlbuilder2', 'undici'],
  // Bundled CommonJS modules call require() for Node's own modules; ESM has none, so give it one.
  banner: { js: "import { createRequire as __tollgateRequire } from 'node:module'; const require = __tollgateRequire(import.meta.url);" },
  logLevel: 'warning',
});
renameSync(tmp, out);
console.log(`built ${out.slice(root.length + 1)} (${Math.round(statSync(out).size / 1024)} KiB)`);
