import { describe, expect, it } from 'vitest';
import { BinMapper, MISSING_BIN } from '../../../src/models/trees/binning.js';
import { uniformX } from './fixtures.js';

describe('BinMapper', () => {
  it('puts few distinct values in their own bins, cut at midpoints, and NaN in the missing bin', () => {
    const X = Float32Array.of(1, 10, 3, 10, NaN, 20, 1, 30, 3, NaN); // 5 rows × 2 features
    const m = new BinMapper().fit(X, 5, 2);
    expect(Array.from(m.edges[0])).toEqual([2, Infinity]); // values 1, 3: not 1, 3, NaN
    expect(Array.from(m.edges[1])).toEqual([15, 25, Infinity]);
    const { binned } = m.transform(X, 5, 2);
    expect(Array.from(binned.subarray(0, 5))).toEqual([0, 1, MISSING_BIN, 0, 1]);
    expect(Array.from(binned.subarray(5, 10))).toEqual([0, 0, 1, 2, MISSING_BIN]);
  });

  it('uses ≤ maxBins roughly equal-count quantile bins on continuous data', () => {
    const n = 20000, X = uniformX(n, 1, 3);
    const m = new BinMapper(64).fit(X, n, 1);
    expect(m.nBins[0]).toBe(64);
    const { binned } = m.transform(X, n, 1);
    const counts = new Uint32Array(64);
    for (let i = 0; i < n; i++) counts[binned[i]]++;
    for (let b = 0; b < 64; b++) {
      expect(counts[b]).toBeGreaterThan((n / 64) * 0.9);
      expect(counts[b]).toBeLessThan((n / 64) * 1.1);
    }
    // binning is monotone: a larger value never gets a smaller bin
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => X[a] - X[b]);
    for (let k = 1; k < n; k++) expect(binned[order[k]]).toBeGreaterThanOrEqual(binned[order[k - 1]]);
  });

  it('rejects more than 255 bins', () => {
    expect(() => new BinMapper(256)).toThrow(/maxBins/);
  });
});
