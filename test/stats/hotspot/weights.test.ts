import { describe, expect, it } from 'vitest';
import { adjacencyFromLists } from '../../../src/space/units.js';
import {
  contiguityWeights, distanceBandWeights, distanceBandWeightsXY, islandsOf, knnWeightsXY, rowSums, spatialLag, weightsFromLists,
} from '../../../src/stats/hotspot/weights.js';

const row = (w: { offsets: Int32Array; neighbors: Int32Array }, i: number) => Array.from(w.neighbors.subarray(w.offsets[i], w.offsets[i + 1]));

describe('spatial weights', () => {
  const adj = adjacencyFromLists([[1, 2], [0], [0, 2], []]); // region 2 lists itself: dropped

  it('binary contiguity with and without self', () => {
    const w = contiguityWeights(adj);
    expect(row(w, 2)).toEqual([0]);
    expect(islandsOf(w)).toEqual([3]);
    const ws = contiguityWeights(adj, { includeSelf: true });
    expect(row(ws, 0)).toEqual([0, 1, 2]);
    expect(row(ws, 3)).toEqual([3]);
    expect(islandsOf(ws)).toEqual([3]); // self does not count as a neighbour
    expect(Array.from(rowSums(ws).sum)).toEqual([3, 2, 2, 1]);
  });

  it('row standardisation makes rows sum to 1 and leaves islands empty', () => {
    const w = contiguityWeights(adj, { style: 'row' });
    expect(Array.from(rowSums(w).sum)).toEqual([1, 1, 1, 0]);
    // lag of x = [10, 20, 30, 40]: region 0 → (20 + 30)/2 = 25; region 1 → 10; region 3 → 0
    expect(Array.from(spatialLag(w, [10, 20, 30, 40]))).toEqual([25, 10, 10, 0]);
  });

  it('distance band and k nearest on a line x = 0, 1, 3, 7', () => {
    const x = new Float64Array([0, 1, 3, 7]), y = new Float64Array(4);
    const band = distanceBandWeightsXY(x, y, 2.5);
    // |0−1| = 1, |1−3| = 2, |3−7| = 4 > 2.5
    expect([0, 1, 2, 3].map((i) => row(band, i))).toEqual([[1], [0, 2], [1], []]);
    expect(islandsOf(band)).toEqual([3]);
    const knn = knnWeightsXY(x, y, 1);
    // nearest: 0→1 (1), 1→0 (1 < 2), 2→1 (2 < 4), 3→2 (4)
    expect([0, 1, 2, 3].map((i) => row(knn, i))).toEqual([[1], [0], [1], [2]]);
    const knn2 = knnWeightsXY(x, y, 2);
    expect(row(knn2, 3)).toEqual([2, 1]);
    expect(() => knnWeightsXY(x, y, 4)).toThrow(/needs at least 5/);
  });

  it('distance band from WGS84 centroids uses metres', () => {
    // Three points on a meridian, 0.01° latitude apart ≈ 1112 m.
    const units = { centroidLat: new Float64Array([41.80, 41.81, 41.83]), centroidLon: new Float64Array([-87.6, -87.6, -87.6]) };
    const w = distanceBandWeights(units, 1200);
    expect([0, 1, 2].map((i) => row(w, i))).toEqual([[1], [0], []]);
  });

  it('drops duplicate neighbours', () => {
    const w = weightsFromLists([[1, 1], [0]]);
    expect(row(w, 0)).toEqual([1]);
  });
});

describe('weights spec', async () => {
  const { weightsFromSpec } = await import('../../../src/stats/hotspot/weights-spec.js');
  const { adjacencyFromLists: adjFrom } = await import('../../../src/space/units.js');
  // Three centroids ≈ 1112 m apart on a meridian, chained by contiguity 0–1–2.
  const units = {
    adjacency: adjFrom([[1], [0, 2], [1]]),
    centroidLat: new Float64Array([41.80, 41.81, 41.82]), centroidLon: new Float64Array([-87.6, -87.6, -87.6]),
  } as unknown as import('../../../src/space/units.js').SpatialUnits;

  it('parses contiguity, knn:K and band:M', () => {
    expect(row(weightsFromSpec('contiguity', units, {}), 1)).toEqual([0, 2]);
    expect(row(weightsFromSpec('knn:1', units, {}), 0)).toEqual([1]);
    expect(row(weightsFromSpec('band:2300', units, { includeSelf: true }), 0)).toEqual([0, 1, 2]);
  });
  it('rejects malformed specs', () => {
    for (const s of ['queen', 'knn:0', 'knn:x', 'band:-5', 'contiguity:2']) expect(() => weightsFromSpec(s, units, {})).toThrow(/bad weights spec/);
  });
});
