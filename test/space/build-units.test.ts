import { describe, it, expect } from 'vitest';
import { buildUnits, parseUnitSpec, unitsFromSpec } from '../../src/space/build-units.js';
import { unitsToGeoJSON } from '../../src/space/geojson.js';
import { hasShared, sharedPath } from '../helpers.js';

const pts = { lat: new Float64Array([41.80, 41.85, 41.90]), lon: new Float64Array([-87.70, -87.65, -87.60]) };

describe('unit-set factory', () => {
  it('parses specs', () => {
    expect(parseUnitSpec('grid:250')).toEqual({ kind: 'grid', value: '250', params: {} });
    expect(parseUnitSpec('polygons:a.geojson,id=beat')).toEqual({ kind: 'polygons', value: 'a.geojson', params: { id: 'beat' } });
    expect(parseUnitSpec('stshn')).toEqual({ kind: 'stshn', value: undefined, params: {} });
  });

  it('builds grids, H3 and the ST-SHN grid', () => {
    const g = buildUnits('grid:1000', pts);
    expect(g.kind).toBe('grid');
    // the points span ≈ 8.3 km east-west and 11.1 km north-south: 9 × 12 cells of 1 km; the middle one is 4.2 km E, 5.6 km N
    expect(g.lattice).toEqual({ rows: 12, cols: 9 });
    expect(Array.from(g.assign(pts.lat, pts.lon))).toEqual([0, 5 * 9 + 4, 11 * 9 + 8]);
    const masked = buildUnits('grid:cell=1000,mask=incidents,adjacency=rook', pts);
    expect(masked.n).toBe(3);
    const h = buildUnits('h3:res=8,buffer=1', pts);
    expect(h.n).toBe(21);
    const s = buildUnits('stshn:origin=chicago');
    expect(s.n).toBe(168);
    expect(s.assign(new Float64Array([41.644604096]), new Float64Array([-87.927881741]))[0]).toBe(0);
    const sd = buildUnits('stshn', pts);
    expect(sd.spec).toMatchObject({ minLat: 41.8, minLon: -87.7 });
  });

  it('rebuilds unit sets from their serialised spec', () => {
    for (const spec of ['grid:1000', 'grid:cell=1000,mask=incidents,adjacency=rook', 'h3:res=8,buffer=1', 'stshn']) {
      const u = buildUnits(spec, pts);
      const v = unitsFromSpec(JSON.parse(JSON.stringify(u.spec)) as Record<string, unknown>);
      expect(v.ids).toEqual(u.ids);
      expect(Array.from(v.adjacency.neighbors)).toEqual(Array.from(u.adjacency.neighbors));
      expect(Array.from(v.assign(pts.lat, pts.lon))).toEqual(Array.from(u.assign(pts.lat, pts.lon)));
    }
  });

  it('explains invalid specs', () => {
    expect(() => buildUnits('hex:9', pts)).toThrow(/unknown kind "hex"/);
    expect(() => buildUnits('grid:abc', pts)).toThrow(/cell must be a number/);
    expect(() => buildUnits('grid:250')).toThrow(/needs incidents or a bbox/);
    expect(() => buildUnits('grid:250,colour=red', pts)).toThrow(/unknown option "colour"/);
    expect(() => buildUnits('h3:9.5', pts)).toThrow(/integer/);
    try {
      buildUnits('grid:', pts);
    } catch (e) {
      expect((e as { hint?: string }).hint).toMatch(/grid:METRES/);
    }
  });

  it('writes unit sets as GeoJSON with extra properties', () => {
    const g = buildUnits('grid:cell=1000,mask=incidents', pts);
    const fc = unitsToGeoJSON(g, { count: [5, 6, 7] });
    expect(fc.features.length).toBe(3);
    expect(fc.features[1].properties).toEqual({ id: g.ids[1], index: 1, area_m2: 1e6, count: 6 });
    expect(fc.features[0].geometry?.type).toBe('Polygon');
  });
});

const CA = 'chicago-covariates/boundaries/community_areas.geojson';
describe.runIf(hasShared(CA))('polygon specs', () => {
  it('builds community areas and a grid masked by them', () => {
    const u = buildUnits(`polygons:${sharedPath(CA)},id=area_numbe,order=id`);
    expect(u.n).toBe(77);
    expect(u.ids.slice(0, 3)).toEqual(['1', '2', '3']);
    // the Loop (area 32) sits at about 41.88, -87.63
    expect(u.assign(new Float64Array([41.8781]), new Float64Array([-87.6298]))[0]).toBe(31);
    const g = buildUnits(`grid:cell=2000,mask=${sharedPath(CA)}`, undefined, { bbox: { minLon: -87.95, minLat: 41.64, maxLon: -87.52, maxLat: 42.03 } });
    // Chicago's ≈ 606 km² needs at least 152 cells of 4 km², plus partly covered edge cells
    expect(g.n).toBeGreaterThan(152);
    expect(g.n).toBeLessThan(260);
  });
});
