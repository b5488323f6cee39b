// Benchmarks: `npm run bench [name-filter]`. Runs every bench/*.bench.ts in its own process, one
// after another (so that timings and memory figures do not disturb each other); each prints its
// figures. None is part of `npm test`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const folder = fileURLToPath(new URL('.', import.meta.url));
const filter = process.argv[2] ?? '';
const benches = readdirSync(folder)
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort();
if (benches.length === 0) console.log('no benchmarks match');
let failed = 0;
for (const bench of benches) {
  console.log(`\n== ${bench}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', `${folder}${bench}`], { stdio: 'inherit' });
  if (run.status !== 0) {
    failed++;
    console.log(`${bench} failed (exit ${run.status ?? run.signal})`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
