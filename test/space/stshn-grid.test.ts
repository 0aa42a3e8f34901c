import { describe, it, expect } from 'vitest';
import { buildStshnGrid, STSHN_CHICAGO_ORIGIN } from '../../src/space/stshn-grid.js';
import { neighborsOf } from '../../src/space/units.js';

describe('ST-SHN degree grid', () => {
  const g = buildStshnGrid();
  it('truncates like Python int() and numbers regions row*12+col', () => {
    const { minLat, minLon } = STSHN_CHICAGO_ORIGIN;
    const lat = Float64Array.from([minLat, minLat + 3 / 111 - 1e-9, minLat + 3 / 111 + 1e-9, 42.0227, minLat - 1e-6, 42.2, 41.9]);
    const lon = Float64Array.from([minLon, minLon, minLon, -87.5245, minLon, minLon, minLon - 1e-6]);
    expect(Array.from(g.assign(lat, lon))).toEqual([0, 0, 12, 13 * 12 + 11, -1, -1, -1]);
    expect(g.ids[25]).toBe('25');
    expect(g.lattice).toEqual({ rows: 14, cols: 12 });
  });
  it('has ~3 km × 3 km cells and lattice adjacency', () => {
    // 3/111° of latitude ≈ 3.0 km; 3/84° of longitude at 41.8° N ≈ 2.97 km
    for (const i of [0, 100, 167]) {
      expect(g.area[i] / 1e6).toBeGreaterThan(8.8);
      expect(g.area[i] / 1e6).toBeLessThan(9.1);
    }
    expect(g.area[0]).toBeGreaterThan(g.area[167]); // cells shrink northwards
    expect(Array.from(neighborsOf(g.adjacency, 13))).toEqual([0, 1, 2, 12, 14, 24, 25, 26]);
    expect(g.centroidLat[0]).toBeCloseTo(STSHN_CHICAGO_ORIGIN.minLat + 1.5 / 111, 12);
  });
});
