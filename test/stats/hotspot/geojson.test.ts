import { describe, expect, it } from 'vitest';
import type { SpatialUnits } from '../../../src/space/units.js';
import { adjacencyFromLists } from '../../../src/space/units.js';
import { giStar } from '../../../src/stats/hotspot/gi-star.js';
import { hotspotsToGeoJSON } from '../../../src/stats/hotspot/geojson.js';
import { localMoran } from '../../../src/stats/hotspot/moran-local.js';
import { contiguityWeights } from '../../../src/stats/hotspot/weights.js';

/** Four unit squares in a row plus one far-away square (an island). */
function units(): SpatialUnits {
  const lists = [[1], [0, 2], [1, 3], [2], []];
  const sq = (i: number) => ({ type: 'Polygon' as const, coordinates: [[[i, 0], [i + 1, 0], [i + 1, 1], [i, 1], [i, 0]] as [number, number][]] });
  return {
    kind: 'polygons', n: 5, ids: ['a', 'b', 'c', 'd', 'far'], area: new Float64Array(5).fill(1),
    centroidLat: new Float64Array([0.5, 0.5, 0.5, 0.5, 0.5]), centroidLon: new Float64Array([0.5, 1.5, 2.5, 3.5, 9.5]),
    adjacency: adjacencyFromLists(lists), assign: () => new Int32Array(0), geometry: (i) => sq(i === 4 ? 9 : i), spec: {},
  };
}

describe('hotspotsToGeoJSON', () => {
  it('writes one feature per region with the result columns and the island flag', () => {
    const u = units();
    const r = giStar([1, 2, 8, 9, 3], contiguityWeights(u.adjacency, { includeSelf: true }), { fdr: true });
    const fc = hotspotsToGeoJSON(u, r);
    expect(fc.features).toHaveLength(5);
    expect(fc.features[0].geometry).toEqual(u.geometry(0));
    expect(fc.features[2].properties.region).toBe('c');
    expect(fc.features[2].properties.gi_z).toBe(r.z[2]);
    expect(fc.features[2].properties.gi_q).toBe(r.q[2]);
    expect(fc.features[4].properties.gi_z).toBeNull();
    expect(fc.features[4].properties.reason).toBe('no neighbours');
    expect(fc.crimecast!.islands).toEqual(['far']);
    // Round-trips through JSON without NaN turning into a silent null.
    const back = JSON.parse(JSON.stringify(fc));
    expect(back.features[3].properties.gi_bin).toBe(r.bin[3]);
  });

  it('carries local Moran clusters', () => {
    const u = units();
    const r = localMoran([1, 2, 8, 9, 3], contiguityWeights(u.adjacency, { style: 'row' }), { permutations: 99, seed: 1 });
    const fc = hotspotsToGeoJSON(u, r);
    expect(fc.features[3].properties.lisa_quadrant).toBe('HH');
    expect(fc.features[4].properties.lisa_cluster).toBeNull();
    expect(fc.crimecast!.method).toBe('moran-local');
  });
});
