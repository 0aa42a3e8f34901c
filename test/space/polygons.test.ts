import { describe, it, expect } from 'vitest';
import { polygonUnits, readPolygonUnits } from '../../src/space/polygons.js';
import { neighborsOf } from '../../src/space/units.js';
import { readNpy } from '../../src/tensor/npy.js';
import { hasShared, sharedPath } from '../helpers.js';
import type { FeatureCollection } from '../../src/space/geojson.js';
import { pointInPolygonRings, polygonsOf } from '../../src/space/geom.js';
import { Rng } from '../../src/util/rng.js';

const sq = (x0: number, y0: number, s: number) => [[x0, y0], [x0 + s, y0], [x0 + s, y0 + s], [x0, y0 + s], [x0, y0]];

// A: a 0.02° square with a 0.01° hole in the middle; B: its eastern neighbour; C: a MultiPolygon touching B at one corner
// plus a separate island sitting inside A's hole.
const fc: FeatureCollection = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { name: 'A' }, geometry: { type: 'Polygon', coordinates: [sq(0, 0, 0.02), sq(0.005, 0.005, 0.01).reverse()] } },
    { type: 'Feature', properties: { name: 'B' }, geometry: { type: 'Polygon', coordinates: [[[0.02, 0], [0.04, 0], [0.04, 0.02], [0.02, 0.02], [0.02, 0.01], [0.02, 0]]] } },
    { type: 'Feature', properties: { name: 'C' }, geometry: { type: 'MultiPolygon', coordinates: [[sq(0.04, 0.02, 0.01)], [sq(0.008, 0.008, 0.004)]] } },
  ],
};

describe('user polygons', () => {
  const u = polygonUnits(fc, { idProperty: 'name' });
  it('locates points exactly, holes included', () => {
    const pts: [number, number][] = [[0.001, 0.001], [0.006, 0.006], [0.009, 0.009], [0.03, 0.01], [0.045, 0.025], [0.05, 0.05], [0.019, 0.0195]];
    const r = u.assign(Float64Array.from(pts, (p) => p[1]), Float64Array.from(pts, (p) => p[0]));
    // (0.006, 0.006) is in A's hole and no island → -1; (0.009, 0.009) is on C's island inside the hole
    expect(Array.from(r)).toEqual([0, -1, 2, 1, 2, -1, 0]);
  });
  it('computes areas in square metres and centroids', () => {
    // 0.02° × 0.02° at the equator ≈ 2226.4 m × 2211.3 m; minus the hole (¼ of it)
    const full = 0.02 * 110_574 * 0.02 * 111_320;
    expect(u.area[0] / (0.75 * full)).toBeCloseTo(1, 2);
    expect(u.area[1] / full).toBeCloseTo(1, 2);
    expect(u.centroidLon[1]).toBeCloseTo(0.03, 6);
    expect(u.centroidLat[0]).toBeCloseTo(0.01, 6);
  });
  it('has queen and rook adjacency by shared boundary', () => {
    expect(Array.from(neighborsOf(u.adjacency, 0))).toEqual([1]);
    // B and C share only the corner (0.04, 0.02): queen neighbours, not rook
    expect(Array.from(neighborsOf(u.adjacency, 1))).toEqual([0, 2]);
    expect(Array.from(neighborsOf(u.adjacency, 2))).toEqual([1]);
    const rook = polygonUnits(fc, { idProperty: 'name', adjacency: 'rook' });
    // A's edge (0.02,0)-(0.02,0.02) is split at (0.02, 0.01) in B: not a shared edge by vertices, so no rook link
    expect(Array.from(neighborsOf(rook.adjacency, 1))).toEqual([]);
  });
  it('rejects bad input', () => {
    expect(() => polygonUnits(fc, { idProperty: 'nope' })).toThrow(/no property "nope"/);
    expect(() => polygonUnits({ type: 'FeatureCollection', features: [fc.features[0], fc.features[0]] }, { idProperty: 'name', duplicates: 'error' })).toThrow(/twice/);
  });
});

const CA = 'chicago-covariates/boundaries/community_areas.geojson';
const ADJ = 'aglstan-chicago2015/chicago/adj_mat.npy';
describe.runIf(hasShared(CA) && hasShared(ADJ))('Chicago community areas', () => {
  it('queen adjacency equals the AGL-STAN adjacency matrix', () => {
    const u = readPolygonUnits(sharedPath(CA), { idProperty: 'area_numbe', order: 'id' });
    expect(u.n).toBe(77);
    expect(u.ids[0]).toBe('1');
    const adj = readNpy(sharedPath(ADJ));
    expect(adj.shape).toEqual([77, 77]);
    const m = adj.data as ArrayLike<number>;
    let disagree = 0, edges = 0;
    for (let i = 0; i < 77; i++) {
      const nb = new Set(neighborsOf(u.adjacency, i));
      for (let j = 0; j < 77; j++) {
        if (i === j) continue;
        const want = Number(m[i * 77 + j]) !== 0;
        if (want) edges++;
        if (want !== nb.has(j)) disagree++;
      }
    }
    expect(edges).toBeGreaterThan(300);
    expect(disagree).toBe(0);
    // total land area of Chicago ≈ 606 km² (shape_area sums to the same in ft²)
    const km2 = u.area.reduce((s, a) => s + a, 0) / 1e6;
    const shapeArea = u.properties.reduce((s, p) => s + Number(p.shape_area), 0) * 0.09290304 / 1e6;
    expect(km2 / shapeArea).toBeCloseTo(1, 2);
  });

  it('raster-accelerated point location agrees with brute force', () => {
    const u = readPolygonUnits(sharedPath(CA), { idProperty: 'area_numbe' });
    const rings = u.geometries.map((g) => polygonsOf(g).map((poly) => poly.map((r) => Float64Array.from(r.flat()))));
    // per-region bbox, only to skip hopeless exact tests in the brute force
    const boxes = rings.map((parts) => {
      let a = Infinity, b = Infinity, c = -Infinity, d = -Infinity;
      for (const r of parts) for (let j = 0; j < r[0].length; j += 2) {
        a = Math.min(a, r[0][j]); c = Math.max(c, r[0][j]); b = Math.min(b, r[0][j + 1]); d = Math.max(d, r[0][j + 1]);
      }
      return [a, b, c, d];
    });
    const rng = new Rng(7);
    const n = 2000;
    const lat = new Float64Array(n), lon = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      lat[i] = 41.64 + 0.39 * rng.random();
      lon[i] = -87.95 + 0.43 * rng.random();
    }
    // half the points sit within ~10 m of a boundary vertex, where the raster defers to the exact test
    for (let i = 0; i < n / 2; i++) {
      const ring = polygonsOf(u.geometries[i % 77])[0][0];
      const v = ring[Math.floor(rng.random() * ring.length)];
      lon[i] = v[0] + (rng.random() - 0.5) * 2e-4;
      lat[i] = v[1] + (rng.random() - 0.5) * 2e-4;
    }
    const got = u.assign(lat, lon);
    let inside = 0;
    for (let i = 0; i < n; i++) {
      let want = -1;
      for (let r = 0; r < u.n && want < 0; r++) {
        const [a, b, c, d] = boxes[r];
        if (lon[i] < a || lon[i] > c || lat[i] < b || lat[i] > d) continue;
        if (rings[r].some((parts) => pointInPolygonRings(lon[i], lat[i], parts))) want = r;
      }
      expect(got[i]).toBe(want);
      if (want >= 0) inside++;
    }
    expect(inside).toBeGreaterThan(n / 2);
  });
});

describe('regions drawn as several features', () => {
  const square = (x0: number, y0: number) => ({ type: 'Polygon' as const, coordinates: [[[x0, y0], [x0 + 0.01, y0], [x0 + 0.01, y0 + 0.01], [x0, y0 + 0.01], [x0, y0]]] });
  const fc = {
    type: 'FeatureCollection' as const,
    features: [
      { type: 'Feature' as const, properties: { district: '31', name: 'north part' }, geometry: square(-87.70, 41.90) },
      { type: 'Feature' as const, properties: { district: '7' }, geometry: square(-87.60, 41.80) },
      { type: 'Feature' as const, properties: { district: '31', name: 'south part' }, geometry: square(-87.70, 41.70) },
    ],
  };
  it('are dissolved into one region by id, listed, and take points in every part', () => {
    const u = polygonUnits(fc, { idProperty: 'district' });
    expect(u.ids).toEqual(['31', '7']);
    expect(u.dissolved).toEqual([{ id: '31', features: 2 }]);
    expect(u.properties[0].name).toBe('north part');
    expect(Array.from(u.assign(Float64Array.of(41.905, 41.705, 41.805), Float64Array.of(-87.695, -87.695, -87.595)))).toEqual([0, 0, 1]);
    expect(u.area[0]).toBeCloseTo(2 * u.area[1], -2);
  });
  it('are refused with duplicates=error', () => {
    expect(() => polygonUnits(fc, { idProperty: 'district', duplicates: 'error' })).toThrow(/region id "31" appears twice/);
  });
});
