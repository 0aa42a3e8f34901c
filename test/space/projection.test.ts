import { describe, it, expect } from 'vitest';
import { localProjection, projectionForBBox, projectionFromDef } from '../../src/space/projection.js';
import { parseBBox } from '../../src/space/bbox.js';

describe('local projection', () => {
  it('maps the centre to the origin and keeps distances in metres', () => {
    const p = localProjection(41.88, -87.63);
    const { x, y } = p.forward(new Float64Array([41.88, 41.89, 41.88]), new Float64Array([-87.63, -87.63, -87.62]));
    expect(x[0]).toBeCloseTo(0, 6);
    expect(y[0]).toBeCloseTo(0, 6);
    // on the WGS84 ellipsoid at 41.88° N: 0.01° of latitude = 1110.71 m, 0.01° of longitude = 830.06 m
    expect(y[1]).toBeCloseTo(1110.71, 1);
    expect(x[2]).toBeCloseTo(830.06, 1);
    const back = p.inverse(x, y);
    expect(back.lat[1]).toBeCloseTo(41.89, 10);
    expect(back.lon[2]).toBeCloseTo(-87.62, 10);
  });
  it('accepts a bbox, a proj4 string, and rejects nonsense', () => {
    const p = projectionForBBox(parseBBox('-87.94,41.64,-87.52,42.03'));
    expect(p.def).toContain('+lat_0=41.835');
    const utm = projectionFromDef('+proj=utm +zone=16 +datum=WGS84 +units=m +no_defs');
    const [x, y] = utm.forwardPoint(41.88, -87.63);
    expect(x).toBeCloseTo(447_700, -3);
    expect(y).toBeCloseTo(4_636_500, -3);
    expect(() => projectionFromDef('+proj=nonsense')).toThrow(/unknown projection/);
    expect(() => parseBBox('1,2,3')).toThrow(/bad bbox/);
  });
});
