/** The dashboard's pure helpers: grid clustering, hour × weekday counts in a time zone, the forecast's unit phrase, legend rows, the audit's region template, the slider's flagging rule. */
import { describe, expect, it } from 'vitest';
import { gridClusters } from '../../web/src/cluster.js';
import { flagAtShare } from '../../web/src/flag-rule.js';
import { lastDay, unitsPhrase } from '../../web/src/forecast-units.js';
import { integerRows, rampRows } from '../../web/src/map-legend-rows.js';
import { parseGroupsCsv, regionTemplateCsv } from '../../web/src/region-template.js';
import { weekHourCounts } from '../../web/src/week-hours.js';
import { outerEdges } from '../../web/src/outline.js';

describe('gridClusters', () => {
  it('groups points by screen cell at their mean position and keeps lone points', () => {
    const c = gridClusters([1, 3, 5, 100, 47, 49], [1, 3, 5, 100, 10, 10], 48);
    expect(c.map((k) => k.count)).toEqual([4, 1, 1]);
    expect(c[0]).toMatchObject({ x: 14, y: 4.75, first: 0 });
    expect(c[1]).toMatchObject({ x: 100, y: 100, first: 3 });
    expect(c[2]).toMatchObject({ x: 49, y: 10, count: 1, first: 5 });
  });
});

describe('weekHourCounts', () => {
  it('counts in the dataset zone, Monday first, and reports unreadable times', () => {
    // 2024-03-04 is a Monday; 05:30 UTC is 23:30 Sunday in Chicago (CST, UTC−6)
    const w = weekHourCounts(['2024-03-04T05:30:00.000Z', '2024-03-04T18:00:00.000Z', '2024-03-04T18:59:00.000Z', 'not a time'], 'America/Chicago');
    expect(w.total).toBe(3);
    expect(w.skipped).toBe(1);
    expect(w.counts[6 * 24 + 23]).toBe(1); // Sunday 23h
    expect(w.counts[0 * 24 + 12]).toBe(2); // Monday 12h
    expect(weekHourCounts(['2024-03-04T05:30:00.000Z'], 'Europe/Berlin').counts[0 * 24 + 6]).toBe(1);
  });
});

describe('unitsPhrase', () => {
  const fc = (props: Record<string, unknown>, crimecast?: Record<string, unknown>) => ({ type: 'FeatureCollection' as const, features: [{ type: 'Feature' as const, geometry: null as never, properties: props }], crimecast });
  it('says per cell per period with the inclusive dates, from the per-feature columns', () => {
    const u = unitsPhrase(fc({ period_start: '2024-03-11T00:00:00-05:00', period_end: '2024-03-18T00:00:00-05:00', period_unit: 'day', periods: 7, expected_total: 14, expected_per_period: 2 }), 'grid:500');
    expect(u.measure).toBe('expected incidents per cell per day');
    expect(u.span).toBe('average over 7 days, 2024-03-11 to 2024-03-17');
    expect(u.value({ expected_per_period: 2, expected_total: 14 })).toBe(2);
  });
  it('divides older forecasts by their stated number of periods, per area for polygons', () => {
    const u = unitsPhrase(fc({ expected: 14 }, { from: '2024-03-11T00:00:00-05:00', to: '2024-03-18T00:00:00-05:00', periods: 7, unit: 'day' }), 'polygons:beats.geojson');
    expect(u.measure).toBe('expected incidents per area per day');
    expect(u.value({ expected: 14 })).toBe(2);
  });
  it('keeps a day that ends inside it', () => {
    expect(lastDay('2024-03-18T00:00:00+01:00')).toBe('2024-03-17');
    expect(lastDay('2024-03-18T06:00:00+01:00')).toBe('2024-03-18');
  });
});

describe('legend rows', () => {
  it('never repeats a class label', () => {
    const rows = rampRows(0.004);
    expect(new Set(rows.map((r) => r.label)).size).toBe(rows.length);
    expect(rows[0].label).toMatch(/^under /);
  });
  it('lists patrol dosage in whole numbers', () => {
    expect(integerRows(3).map((r) => r.label)).toEqual(['0 (no patrol)', '1', '2', '3']);
    const many = integerRows(40).map((r) => r.label);
    expect(many.at(-1)).toMatch(/^\d+ – 40$|^40$/);
    expect(many.every((l) => !l.includes('.'))).toBe(true);
  });
});

describe('audit region template', () => {
  const square = (id: string, x: number, y: number) => ({ properties: { id }, geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 1, y], [x + 1, y + 2], [x, y + 2], [x, y]]] } });
  it('lists every region with its centroid and empty group columns', () => {
    expect(regionTemplateCsv([square('r0c0', 10, 50), square('a,b', 0, 0)])).toBe(
      'region,centroid_lat,centroid_lon,GroupA,GroupB\nr0c0,51.000000,10.500000,,\n"a,b",1.000000,0.500000,,\n');
  });
  it('reads the filled template: location columns are not groups, empty is 0, a bad value names its line and column', () => {
    const groups = parseGroupsCsv('region,centroid_lat,centroid_lon,North,South\nr0c0,51,10.5,120,\nr0c1,51,11.5,,40\n');
    expect(groups).toEqual([{ name: 'North', weights: { r0c0: 120, r0c1: 0 } }, { name: 'South', weights: { r0c0: 0, r0c1: 40 } }]);
    expect(() => parseGroupsCsv('region,North\nr0c0,12\nr0c1,lots\n')).toThrow('line 3, column "North": "lots" is not a population');
    expect(() => parseGroupsCsv('region,centroid_lat\nr0c0,51\n')).toThrow(/no group column/);
  });
});

describe('flagAtShare (the coverage slider)', () => {
  const f = (id: string, rank: number, expected: number, area = 1) => ({ properties: { id, rank, expected_total: expected, area_m2: area } });
  const feats = [f('c', 3, 0), f('a', 1, 6), f('b', 2, 2), f('d', 4, 0)];
  it('flags by rank until the share of the area is filled', () => {
    const r = flagAtShare(feats, 0.5);
    expect([...r.flagged]).toEqual(['a', 'b']);
    expect(r.expectedShare).toBe(1);
    expect(r.zeroSkipped).toBe(0);
    expect([...flagAtShare(feats, 0.1).flagged]).toEqual(['a']); // at least one area
  });
  it('never flags an area with no expected crime, and counts those it passed over', () => {
    const r = flagAtShare(feats, 1);
    expect([...r.flagged]).toEqual(['a', 'b']);
    expect(r.zeroSkipped).toBe(2);
  });
});

describe('outerEdges', () => {
  const square = (x: number, y: number) => ({ geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]] } });
  it('keeps the edges no other area shares: a 2 × 2 block has 8 outer unit edges, an L of 3 cells 8, a ring of 8 cells 16', () => {
    expect(outerEdges([square(0, 0), square(1, 0), square(0, 1), square(1, 1)])).toHaveLength(8);
    expect(outerEdges([square(0, 0), square(1, 0), square(0, 1)])).toHaveLength(8);
    const ring = [[0, 0], [1, 0], [2, 0], [0, 1], [2, 1], [0, 2], [1, 2], [2, 2]].map(([x, y]) => square(x, y));
    // outer square of side 3 (12 edges) and the hole around the missing centre (4)
    expect(outerEdges(ring)).toHaveLength(16);
    // the same corner written with float noise below ~1 cm still matches
    const noisy = { geometry: { type: 'MultiPolygon', coordinates: [[[[1 + 1e-9, 0], [2, 0], [2, 1], [1, 1 - 1e-9], [1 + 1e-9, 0]]]] } };
    expect(outerEdges([square(0, 0), noisy])).toHaveLength(6);
    expect(outerEdges([{ geometry: null }])).toEqual([]);
  });
});
