import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRiskLayerSpec, readPointLayer } from '../../src/features/point-layers.js';
import { attachRiskLayers, riskLayerCovariates } from '../../src/cli/risk-layer-options.js';
import { layerStats, riskTerrainCsv } from '../../src/cli/commands/risk-terrain.js';
import { buildUnits } from '../../src/space/build-units.js';
import { parseBBox } from '../../src/space/bbox.js';
import '../../src/models/all.js';

const dir = mkdtempSync(join(tmpdir(), 'risk-layers-'));
const f = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
// a 2 km × 2 km box near 41.8N; 1 km cells
const units = buildUnits('grid:1000', undefined, { bbox: parseBBox('-87.70,41.80,-87.676,41.818') });
const c0 = { lat: units.centroidLat[0], lon: units.centroidLon[0] };

describe('point layers from the files cities publish', () => {
  it('reads lat/lon columns, WKT, "(lat, lon)" text and GeoJSON, counting duplicates and rows left out', () => {
    const a = readPointLayer(f('schools.csv', `name,Latitude,Longitude\nA,${c0.lat},${c0.lon}\nB,${c0.lat},${c0.lon}\nC,,\nD,95,10\n`));
    expect(a.report).toMatchObject({ name: 'schools', rows: 4, points: 1, duplicates: 1, missing: 1, outOfRange: 1, firstBadLines: [4, 5], source: 'columns Latitude/Longitude' });
    const b = readPointLayer(f('bus.csv', `the_geom,id\nPOINT (-87.69 41.81),1\nPOINT (-87.68 41.805),2\nnone,3\n`), 'bus');
    expect(b.report).toMatchObject({ points: 2, missing: 1, source: 'WKT in column the_geom' });
    expect(Array.from(b.layer.lon)).toEqual([-87.69, -87.68]);
    const c = readPointLayer(f('police.csv', `DISTRICT,LOCATION\n1,"1718 State St (41.85, -87.62)"\n2,"x (41.86, -87.63)"\n`));
    expect(c.report.source).toBe('(lat, lon) in column LOCATION');
    expect(Array.from(c.layer.lat)).toEqual([41.85, 41.86]);
    const g = readPointLayer(f('bars.geojson', JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', geometry: { type: 'Point', coordinates: [-87.69, 41.81] }, properties: {} },
      { type: 'Feature', geometry: { type: 'MultiPoint', coordinates: [[-87.68, 41.81], [-87.685, 41.812]] }, properties: {} },
      { type: 'Feature', geometry: null, properties: {} },
    ] })));
    expect(g.report).toMatchObject({ rows: 4, points: 3, missing: 1 });
  });

  it('refuses a file without coordinates, naming its columns, and a bad spec', () => {
    expect(() => readPointLayer(f('nocoords.csv', 'a,b\n1,2\n'))).toThrow(/no coordinates found/);
    expect(() => parseRiskLayerSpec([join(dir, 'missing.csv')])).toThrow(/does not exist/);
    expect(() => parseRiskLayerSpec([`${join(dir, 'bus.csv')},radius=-3`])).toThrow(/radius/);
    expect(() => parseRiskLayerSpec([`x=${join(dir, 'bus.csv')},x=${join(dir, 'bars.geojson')}`])).toThrow(/two layers are named "x"/);
  });

  it('a folder gives one layer per file; features are distances and counts per region centroid', () => {
    const sub = join(dir, 'layers');
    mkdirSync(sub);
    // one point exactly at the first centroid, one 300 m north of it (1 degree latitude ≈ 111.2 km)
    writeFileSync(join(sub, 'stops.csv'), `lat,lon\n${c0.lat},${c0.lon}\n${c0.lat + 300 / 111_200},${c0.lon}\n`);
    const spec = parseRiskLayerSpec([sub, 'radius=250']);
    expect(spec).toEqual({ layers: [{ name: 'stops', file: join(sub, 'stops.csv') }], radius: 250 });
    const { covariates, summary } = riskLayerCovariates(units, [sub, 'radius=250']);
    expect(covariates.names).toEqual(['dist_stops', 'n250m_stops']);
    expect(covariates.values[0]).toBeCloseTo(0, 0);
    expect(covariates.values[1]).toBe(1); // the 300 m point lies outside 250 m
    expect(summary.layers[0]).toMatchObject({ points: 2, insideExtent: 2 });
    // the next cell east is ~1 km away: distance ≈ 1000 m ± 1%
    const east = units.ids.indexOf('r0c1');
    expect(covariates.values[east * 2]).toBeGreaterThan(990);
    expect(covariates.values[east * 2]).toBeLessThan(1050);
    const stats = layerStats(covariates, units.n);
    expect(stats[1].nonZeroShare).toBeCloseTo(1 / units.n, 10);
    expect(riskTerrainCsv(units, covariates).split('\n')[0]).toBe('region,centroid_lat,centroid_lon,area_m2,dist_stops,n250m_stops');
  });

  it('attaches after existing covariates and says which models use the features', () => {
    const data = { units, covariates: { names: ['pop'], values: new Float64Array(units.n).fill(7) } };
    const lines: string[] = [];
    const s = attachRiskLayers(data, { riskLayers: [join(dir, 'layers')] }, ['gbm', 'moving-average'], (l) => lines.push(l));
    expect(data.covariates.names).toEqual(['pop', 'dist_stops', 'n400m_stops']);
    expect(data.covariates.values[0]).toBe(7);
    expect(s).toMatchObject({ usedBy: ['gbm'], ignoredBy: ['moving-average'] });
    expect(lines.join('\n')).toMatch(/risk layer stops: 2 points/);
    expect(lines.join('\n')).toMatch(/ignored by moving-average \(not a feature learner\)/);
  });
});
