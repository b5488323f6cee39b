// Benchmarks: `npm run bench`. Each prints its figures; none is part of `npm test`.
const benches: string[] = [];
console.log(benches.length ? '' : 'no benchmarks yet');
