import { describe, it, expect } from 'vitest';
import { buildGrid, gridUnits } from '../../src/space/grid.js';
import { neighborsOf } from '../../src/space/units.js';
import { projectionFromDef } from '../../src/space/projection.js';

// A plain metric plane (UTM 16N) keeps the hand-made geometry exact; the grid sits at (x0, y0) = (440000, 4630000).
const UTM16 = '+proj=utm +zone=16 +datum=WGS84 +units=m +no_defs';
const proj = projectionFromDef(UTM16);
const lattice = { projection: UTM16, x0: 440_000, y0: 4_630_000, cell: 100, rows: 3, cols: 4 };

function at(x: number, y: number): [number, number] {
  return proj.inversePoint(x, y);
}

describe('square grid', () => {
  it('assigns points by arithmetic on projected coordinates', () => {
    const g = gridUnits(lattice);
    const pts = [at(440_050, 4_630_050), at(440_399, 4_630_299), at(440_150, 4_630_250), at(439_999, 4_630_050), at(440_050, 4_630_301)];
    const lat = Float64Array.from(pts, (p) => p[0]), lon = Float64Array.from(pts, (p) => p[1]);
    expect(Array.from(g.assign(lat, lon))).toEqual([0, 11, 2 * 4 + 1, -1, -1]);
    expect(g.ids[2 * 4 + 1]).toBe('r2c1');
    expect(g.lattice).toEqual({ rows: 3, cols: 4 });
    expect(g.area[5]).toBe(10_000);
    expect(g.assign(new Float64Array([NaN]), new Float64Array([NaN]))[0]).toBe(-1);
  });

  it('has rook and queen adjacency', () => {
    const rook = gridUnits(lattice, { adjacency: 'rook' });
    const queen = gridUnits(lattice, { adjacency: 'queen' });
    expect(Array.from(neighborsOf(rook.adjacency, 0))).toEqual([1, 4]);
    expect(Array.from(neighborsOf(rook.adjacency, 5))).toEqual([1, 4, 6, 9]);
    expect(Array.from(neighborsOf(queen.adjacency, 5))).toEqual([0, 1, 2, 4, 6, 8, 9, 10]);
    expect(Array.from(neighborsOf(queen.adjacency, 11))).toEqual([6, 7, 10]);
    expect(queen.adjacency.neighbors.length).toBe(2 * (3 * 3 + 2 * 4) + 2 * 2 * 2 * 3); // 2·(horizontal+vertical) + 2·diagonals
  });

  it('builds from points, aligns to an origin, and round-trips geometry', () => {
    const pts = [at(440_010, 4_630_020), at(440_990, 4_630_480)];
    const lat = Float64Array.from(pts, (p) => p[0]), lon = Float64Array.from(pts, (p) => p[1]);
    const [olat, olon] = at(440_000, 4_630_000);
    const g = buildGrid({ cell: 250, points: { lat, lon }, projection: UTM16, origin: { lat: olat, lon: olon } });
    expect(g.grid.x0).toBeCloseTo(440_000, 3);
    expect(g.grid.y0).toBeCloseTo(4_630_000, 3);
    expect(g.fullLattice).toEqual({ rows: 2, cols: 4 });
    expect(Array.from(g.assign(lat, lon))).toEqual([0, 7]);
    const ring = (g.geometry(7) as { coordinates: number[][][] }).coordinates[0];
    const [x, y] = proj.forwardPoint(ring[0][1], ring[0][0]);
    expect(x).toBeCloseTo(440_750, 3);
    expect(y).toBeCloseTo(4_630_250, 3);
    expect(g.centroidLat[7]).toBeCloseTo(at(440_875, 4_630_375)[0], 9);
  });

  it('masks to cells holding incidents but keeps the full lattice mapping', () => {
    const pts = [at(440_010, 4_630_020), at(440_990, 4_630_480), at(440_020, 4_630_010)];
    const lat = Float64Array.from(pts, (p) => p[0]), lon = Float64Array.from(pts, (p) => p[1]);
    const g = buildGrid({ cell: 250, points: { lat, lon }, projection: UTM16, mask: 'incidents' });
    expect(g.n).toBe(2);
    expect(g.lattice).toBeUndefined();
    expect(Array.from(g.latticeIndex)).toEqual([0, 7]);
    expect(Array.from(g.assign(lat, lon))).toEqual([0, 1, 0]);
    expect(g.adjacency.neighbors.length).toBe(0);
  });

  it('masks to cells intersecting a study-area polygon', () => {
    // triangle x + y <= 250 m (relative to 440000, 4630000), kept 5 m off the cell edges so no cell merely touches it
    const tri = [at(440_005, 4_630_005), at(440_245, 4_630_005), at(440_005, 4_630_245), at(440_005, 4_630_005)].map(([la, lo]) => [lo, la] as [number, number]);
    const [alat, alon] = at(440_000, 4_630_000), [blat, blon] = at(440_399, 4_630_299);
    const g = buildGrid({ cell: 100, bbox: { minLat: alat, minLon: alon, maxLat: blat, maxLon: blon }, projection: UTM16, origin: { lat: alat, lon: alon }, mask: { type: 'Polygon', coordinates: [tri] } });
    // the lon/lat bbox is slightly rotated in UTM, so the lattice may start a cell west/south of the origin
    const dc = Math.round((440_000 - g.grid.x0) / 100), dr = Math.round((4_630_000 - g.grid.y0) / 100);
    const expected = [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [2, 0]].map(([r, c]) => `r${r + dr}c${c + dc}`);
    expect(g.ids).toEqual(expected);
    expect(dr + dc).toBeGreaterThanOrEqual(0);
  });

  it('rejects a silly cell size', () => {
    expect(() => buildGrid({ cell: 0.01, bbox: { minLon: -88, minLat: 41, maxLon: -87, maxLat: 42 } })).toThrow(/cells/);
  });
});
