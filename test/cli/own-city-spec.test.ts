/**
 * Done-means test of issue 17: a synthetic second city (Sydney's extent and time zone, its own column names) runs a
 * copied ST-HSL-style counts spec and a CrimeForecaster-style occurrence spec end to end through the built CLI;
 * every incident left out is reported with its count, and labels and dates are the city's own.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../src/util/rng.js';
import { writeNpy } from '../../src/tensor/npy.js';

const CLI = join(process.cwd(), 'bin', 'crimecast.js');
const run = (args: string[]) => spawnSync('node', [CLI, 'backtest', ...args, '--bootstrap', '100', '--json'], { encoding: 'utf8' });

/** 150 days of incidents around three hot spots in Sydney, 3 a day planted south of the grid, one unreadable row. */
function sydneyIncidents(dir: string): { outside: number; rows: number } {
  const rng = new Rng(17);
  const hot = [[-33.87, 151.21], [-33.90, 151.15], [-33.83, 151.25]];
  const lines = ['occurred_local,offence_type,latitude_wgs84,longitude_wgs84'];
  let outside = 0;
  for (let d = 0; d < 150; d++) {
    const day = new Date(Date.UTC(2023, 0, 1 + d)).toISOString().slice(0, 10);
    for (let k = 0; k < 30; k++) {
      const [lat, lon] = hot[k % 3];
      const y = lat + 0.008 * rng.normal(), x = lon + 0.008 * rng.normal();
      lines.push(`${day}T${String(k % 24).padStart(2, '0')}:15:00,${k % 2 ? 'Theft' : 'Assault'},${y.toFixed(5)},${x.toFixed(5)}`);
    }
    // south of the grid's origin: outside the units, must be counted and reported
    if (d % 50 === 0) { lines.push(`${day}T12:00:00,Theft,-33.99,151.20`); outside++; }
  }
  lines.push('2023-02-30T10:00:00,Theft,-33.87,151.21'); // no such day: a reject
  writeFileSync(join(dir, 'nsw_incidents.csv'), lines.join('\n') + '\n');
  return { outside, rows: lines.length - 2 };
}

describe('a published protocol on another city, from a spec file', () => {
  it('ST-HSL-style daily counts on a degree grid: own columns, time zone and labels, every left-out incident reported', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sydney-'));
    const { outside, rows } = sydneyIncidents(dir);
    const spec = {
      name: 'sydney-st-hsl-style', description: 'ST-HSL-style daily counts, synthetic Sydney 2023', place: 'Sydney (synthetic)',
      source: { kind: 'incidents', file: 'nsw_incidents.csv', timeCol: 'occurred_local', categoryCol: 'offence_type', latCol: 'latitude_wgs84', lonCol: 'longitude_wgs84', bbox: null },
      timeZone: 'Australia/Sydney', period: 'day',
      units: { kind: 'degree-grid', minLat: -33.95, minLon: 151.08, rows: 6, cols: 7, kmPerDegLat: 111, kmPerDegLon: 92.4, cellKm: 3 },
      categories: ['Theft', 'Assault'],
      spans: { train: { from: '2023-01-01', to: '2023-04-20' }, test: { from: '2023-04-21', to: '2023-05-30' } },
      task: 'counts', metrics: { hotspots: { coverages: [0.05, 0.1], area: 'equal-cells' } },
    };
    writeFileSync(join(dir, 'sydney.json'), JSON.stringify(spec));
    const r = run(['--spec', join(dir, 'sydney.json'), '--model', 'historical-average', '--model', 'moving-average:window=14']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(r.stdout).not.toMatch(/Chicago/);
    expect(out.protocol).toBe('sydney-st-hsl-style');
    expect(out.categories).toEqual(['Theft', 'Assault']);
    expect(out.regions).toBe(42);
    expect(out.testPeriods).toBe(40);
    const notes = out.notes.join('\n');
    expect(notes).toMatch(/Sydney \(synthetic\): 42 regions × 2 categories; test 2023-04-21…2023-05-30 \(40 days in Australia\/Sydney/);
    // the reject and the incidents outside the grid are counted, with their share; nothing else is left out
    expect(notes).toMatch(/1 row\(s\) of nsw_incidents\.csv rejected and left out \(.*1\)/);
    expect(notes).toContain(`${outside} of ${rows} incidents not counted: ${outside} (${((100 * outside) / rows).toFixed(1)}%) outside the units degree-grid`);
    // figures: the long-run mean finds the three hot spots (4 of 42 cells ≈ 10% hold most incidents)
    const [ha, ma] = out.models;
    expect(ha.metrics['PAI@10%/all'].value).toBeGreaterThan(5);
    expect(ha.metrics['hitRate@10%/all'].value).toBeGreaterThan(0.5);
    for (const m of [ha, ma]) {
      expect(m.metrics['MAE/all'].value).toBeGreaterThan(0.1);
      expect(m.metrics['MAE/all'].value).toBeLessThan(3);
    }
    // a region graph from the user: derived by distance (6 × 7 cells 3 km apart: 71 rook pairs), or a file with a bad id refused by line
    const g = run(['--spec', join(dir, 'sydney.json'), '--model', 'historical-average', '--adjacency', 'distance:3100']);
    expect(g.status, g.stderr).toBe(0);
    expect(JSON.parse(g.stdout).notes.join('\n')).toMatch(/region graph: centroids within 3100 m, 71 edges over 42 regions/);
    // the graph reaches the graph network: the same seeded gnn forecasts differently on another graph
    const gnn = (adj: string) => JSON.parse(run(['--spec', join(dir, 'sydney.json'), '--model', 'gnn:epochs=1', '--refit-every', '40', '--adjacency', adj]).stdout).models[0].metrics['MAE/all'].value;
    writeFileSync(join(dir, 'sparse.csv'), 'a,b\n0,1\n1,2\n7,8\n');
    const dense = gnn('distance:3100');
    expect(gnn('distance:3100')).toBe(dense); // seeded: the same graph gives the same figure
    expect(gnn(join(dir, 'sparse.csv'))).not.toBe(dense);
    writeFileSync(join(dir, 'graph.csv'), 'a,b\n0,1\n1,42\n');
    const bad = run(['--spec', join(dir, 'sydney.json'), '--model', 'historical-average', '--adjacency', join(dir, 'graph.csv')]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/graph\.csv:3: unknown unit id "42"/);
  }, 60_000);

  it('CrimeForecaster-style occurrence windows of another city: its own dates, regions and category names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-city-'));
    const rng = new Rng(5);
    const D = 120, R = 113, C = 8;
    const rate = Float64Array.from({ length: R * C }, () => 0.05 + 0.6 * rng.random());
    const x = new Uint8Array(D * R * C);
    for (let d = 0; d < D; d++) for (let i = 0; i < R * C; i++) x[d * R * C + i] = rng.random() < rate[i] ? 1 : 0;
    writeNpy(join(dir, 'windows.npy'), x, [D, R, C]);
    const categories = ['break-in', 'vehicle', 'assault', 'robbery', 'fraud', 'drugs', 'damage', 'other'];
    const spec = {
      name: 'sydney-cf-style', description: 'CrimeForecaster-style next-day occurrence, synthetic Sydney suburbs 2021', place: 'Sydney suburbs (synthetic)',
      source: { kind: 'tensor', file: 'windows.npy', layout: 'periods,regions,categories', start: '2021-03-01' },
      timeZone: 'Australia/Sydney', period: 'day', categories,
      spans: { train: { from: '2021-03-01', to: '2021-05-31' }, validation: { from: '2021-06-01', to: '2021-06-13' }, test: { from: '2021-06-14', to: '2021-06-28' } },
      task: 'occurrence', metrics: { definitions: ['macroF1:per-category', 'macroF1:per-column', 'microF1'] }, threshold: 'validation',
    };
    writeFileSync(join(dir, 'cf.json'), JSON.stringify(spec));
    const r = run(['--spec', join(dir, 'cf.json'), '--model', 'occurrence-rate:window=60', '--model', 'constant:value=1']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(r.stdout).not.toMatch(/Chicago|community area/);
    expect(out.categories).toEqual(categories);
    expect(out.regions).toBe(113);
    expect(out.testPeriods).toBe(15);
    const notes = out.notes.join('\n');
    expect(notes).toMatch(/on the 13 validation days 2021-06-01…2021-06-13/);
    expect(notes).toMatch(/Sydney suburbs \(synthetic\): 113 regions × 8 categories; test 2021-06-14…2021-06-28 \(15 days in Australia\/Sydney/);
    const [rateModel, ones] = out.models;
    // all-positive: recall 1, precision = the base rate (mean of 0.05…0.65 ≈ 0.35) → F1 ≈ 0.5
    expect(ones.metrics.microF1.value).toBeGreaterThan(0.4);
    expect(ones.metrics.microF1.value).toBeLessThan(0.6);
    // the per-cell rate knows which cells are likely: better than all-positive on both definitions
    expect(rateModel.metrics.macroF1.value).toBeGreaterThan(ones.metrics.macroF1.value);
    expect(rateModel.metrics['macroF1.columns'].value).toBeGreaterThan(0.3);
  }, 60_000);

  it('forecast and own-data backtest take --adjacency too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sydney-adj-'));
    sydneyIncidents(dir);
    const cols = ['--input', join(dir, 'nsw_incidents.csv'), '--time-col', 'occurred_local', '--category-col', 'offence_type', '--lat-col', 'latitude_wgs84', '--lon-col', 'longitude_wgs84', '--tz', 'Australia/Sydney', '--bbox', 'none', '--units', 'grid:2000', '--model', 'historical-average'];
    const f = spawnSync('node', [CLI, 'forecast', ...cols, '--adjacency', 'boundary:rook', '--horizon', '1', '--out', join(dir, 'f.geojson')], { encoding: 'utf8' });
    expect(f.status, f.stderr).toBe(0);
    expect(f.stderr).toMatch(/region graph: shared boundary \(rook\), \d+ edges over \d+ regions/);
    const b = spawnSync('node', [CLI, 'backtest', ...cols, '--test-from', '2023-05-20', '--adjacency', join(dir, 'missing.npy'), '--bootstrap', '50'], { encoding: 'utf8' });
    expect(b.status).not.toBe(0);
    expect(b.stderr).toMatch(/adjacency file .*missing\.npy not found/);
  }, 60_000);

  it('refuses a spec with a clear message naming the file and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bad-spec-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ name: 'x', description: 'x', place: 'x', source: { kind: 'tensor', file: 'w.npy', layout: 'rows', start: '2021-03-01' }, timeZone: 'UTC', period: 'day', categories: ['a'], spans: { train: { from: '2021-01-01', to: '2021-01-02' }, test: { from: '2021-01-03', to: '2021-01-04' } }, task: 'counts', metrics: { hotspots: { coverages: [0.05], area: 'units' } } }));
    const r = run(['--spec', join(dir, 'bad.json'), '--model', 'persistence']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/bad\.json: invalid benchmark spec[\s\S]*source\.layout/);
    // own-data flags would be ignored by a spec: refused, not dropped
    const own = run(['--spec', join(dir, 'bad.json'), '--model', 'persistence', '--test-from', '2021-01-03']);
    expect(own.stderr).toMatch(/--test-from does not apply to --spec: the spec file sets its source, spans and categories/);
  }, 30_000);
});
