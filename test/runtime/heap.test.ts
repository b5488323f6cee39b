import { describe, expect, it } from 'vitest';
import { heapGrowthGiven } from '../../src/runtime/heap.js';

describe('heap growth', () => {
  it('is left as an operator gave it, on the command line or in NODE_OPTIONS, in either spelling', () => {
    expect(heapGrowthGiven(['--heap-growing-percent=20'], undefined)).toBe(true);
    expect(heapGrowthGiven([], '--max-old-space-size=2048 --heap_growing_percent=80')).toBe(true);
    expect(heapGrowthGiven(['--expose-gc'], '--max-old-space-size=2048')).toBe(false);
    expect(heapGrowthGiven([], undefined)).toBe(false);
    // A look-alike flag is not it.
    expect(heapGrowthGiven(['--heap-growing-percentage-x'], '')).toBe(false);
  });
});
