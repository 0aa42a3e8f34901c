import { describe, expect, it } from 'vitest';
import { sortFloat32 } from '../../../src/models/trees/float32-sort.js';
import { Rng } from '../../../src/util/rng.js';

describe('sortFloat32', () => {
  it('orders float32 values exactly as the built-in sort, signed zeros and infinities included', () => {
    const rng = new Rng(9), n = 20011, v = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const u = rng.random();
      v[i] = u < 0.05 ? 0 : u < 0.1 ? -0 : u < 0.12 ? Infinity : u < 0.14 ? -Infinity : u < 0.3 ? Math.round(rng.normal(0, 3))
        : u < 0.4 ? rng.normal(0, 1) * 1e-40 : rng.normal(0, 1) * 10 ** rng.int(12);
    }
    const want = Float32Array.from(v).sort();
    // a view into a larger buffer, as binning passes one
    const host = new Float32Array(n + 3);
    host.set(v, 3);
    const got = sortFloat32(host.subarray(3));
    expect(Array.from(got).map((x) => Object.is(x, -0) ? '-0' : x)).toEqual(Array.from(want).map((x) => Object.is(x, -0) ? '-0' : x));
    expect(sortFloat32(new Float32Array(0)).length).toBe(0);
    expect(Array.from(sortFloat32(Float32Array.of(2, -1)))).toEqual([-1, 2]);
  });
});
