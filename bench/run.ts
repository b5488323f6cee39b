// Benchmarks: `npm run bench`. Each prints its figures; none is part of `npm test`.
// Each entry is a module in bench/ that runs when imported.
const benches: string[] = ['./policy.bench.ts'];
if (!benches.length) console.log('no benchmarks yet');
for (const bench of benches) await import(bench);
