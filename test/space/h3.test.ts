import { describe, it, expect } from 'vitest';
import { latLngToCell, gridDisk } from 'h3-js';
import { buildH3Units } from '../../src/space/h3.js';
import { neighborsOf } from '../../src/space/units.js';

describe('H3 units', () => {
  const centre = latLngToCell(41.88, -87.63, 9);
  it('builds from incidents with a k-ring buffer and k-ring adjacency', () => {
    const u = buildH3Units({ res: 9, points: { lat: new Float64Array([41.88, 41.88]), lon: new Float64Array([-87.63, -87.63]) }, buffer: 1 });
    expect(u.n).toBe(7);
    expect(new Set(u.ids)).toEqual(new Set(gridDisk(centre, 1)));
    const c = u.ids.indexOf(centre);
    expect(neighborsOf(u.adjacency, c).length).toBe(6);
    // each outer hexagon touches the centre and two outer hexagons
    for (let i = 0; i < u.n; i++) if (i !== c) expect(neighborsOf(u.adjacency, i).length).toBe(3);
    // k = 2 on the same 7 cells links everyone
    const u2 = buildH3Units({ res: 9, cells: u.ids, k: 2 });
    for (let i = 0; i < u2.n; i++) expect(neighborsOf(u2.adjacency, i).length).toBe(6);
  });
  it('assigns points to their cell and has areas in m²', () => {
    const u = buildH3Units({ res: 9, cells: gridDisk(centre, 2) });
    expect(u.n).toBe(19);
    const r = u.assign(Float64Array.from([...u.centroidLat, 42.5, NaN]), Float64Array.from([...u.centroidLon, -87.63, 0]));
    expect(Array.from(r.subarray(0, u.n))).toEqual(Array.from({ length: u.n }, (_, i) => i));
    expect(Array.from(r.subarray(u.n))).toEqual([-1, -1]);
    // resolution-9 hexagons average ~0.105 km²
    for (const a of u.area) {
      expect(a).toBeGreaterThan(0.08e6);
      expect(a).toBeLessThan(0.13e6);
    }
    const ring = (u.geometry(0) as { coordinates: number[][][] }).coordinates[0];
    expect(ring.length).toBe(7);
    expect(ring[0]).toEqual(ring[6]);
  });
  it('covers a polygon by cell centres', () => {
    const sq = [[-87.64, 41.87], [-87.62, 41.87], [-87.62, 41.89], [-87.64, 41.89], [-87.64, 41.87]] as [number, number][];
    const u = buildH3Units({ res: 9, polygon: { type: 'Polygon', coordinates: [sq] } });
    const covered = u.area.reduce((s, a) => s + a, 0);
    const square = 0.02 * 111_100 * 0.02 * 82_900;
    expect(covered / square).toBeGreaterThan(0.85);
    expect(covered / square).toBeLessThan(1.15);
    expect(() => buildH3Units({ res: 16, cells: [] })).toThrow(/resolution/);
  });
});
