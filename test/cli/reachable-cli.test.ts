// The new reachable features through the built CLI, on a small generated city: risk-terrain layers and a
// differentially private hot-spot map (the core functions have their own unit tests).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasBuild, REPO_ROOT } from '../helpers.js';
import { Rng } from '../../src/util/rng.js';

describe.runIf(hasBuild('cli/commands/risk-terrain.js'))('risk terrain and DP publishing from the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'reachable-'));
  const rng = new Rng(4);
  const rows = ['ID,Date,Primary Type,Latitude,Longitude'];
  for (let i = 0; i < 400; i++) {
    const d = 1 + Math.floor(rng.random() * 28);
    rows.push(`${i},02/${String(d).padStart(2, '0')}/2024 10:00:00 AM,${i % 3 ? 'THEFT' : 'BATTERY'},${(41.80 + 0.03 * rng.random()).toFixed(5)},${(-87.70 + 0.04 * rng.random()).toFixed(5)}`);
  }
  const input = join(dir, 'incidents.csv');
  writeFileSync(input, rows.join('\n') + '\n');
  const stops = join(dir, 'stops.csv');
  writeFileSync(stops, 'name,Location\na,"(41.81, -87.69)"\nb,"(41.81, -87.69)"\nc,"(41.825, -87.675)"\nd,no location\n');
  const bbox = '-87.70,41.80,-87.66,41.83';
  const run = (...args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'bin/crimecast.js'), ...args], { encoding: 'utf8', timeout: 60_000 });

  it('risk-terrain writes every region with its layer values and says what the layer held', () => {
    const out = join(dir, 'layers.geojson'), csv = join(dir, 'layers.csv');
    const r = run('risk-terrain', '--units', 'grid:1000', '--bbox', bbox, '--risk-layers', `stop=${stops},radius=500`, '--out', out, '--csv', csv, '--json');
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.layers[0]).toMatchObject({ name: 'stop', rows: 4, points: 2, duplicates: 1, missing: 1, firstBadLines: [5] });
    expect(j.features.map((f: { feature: string }) => f.feature)).toEqual(['dist_stop', 'n500m_stop']);
    const fc = JSON.parse(readFileSync(out, 'utf8'));
    expect(fc.features.length).toBe(j.units.n);
    expect(fc.features.every((f: { properties: Record<string, number> }) => f.properties.dist_stop >= 0 && f.properties.n500m_stop >= 0)).toBe(true);
    expect(readFileSync(csv, 'utf8').split('\n').length).toBe(j.units.n + 2);
  });

  it('hotspots --dp-epsilon publishes from noisy counts and states the release; a bad ε is refused', () => {
    const out = join(dir, 'hot.geojson');
    const r = run('hotspots', '--input', input, '--preset', 'chicago', '--method', 'gi', '--units', 'grid:1000', '--bbox', bbox, '--out', out, '--dp-epsilon', '0.5', '--json');
    expect(r.status, r.stderr).toBe(0);
    const dp = JSON.parse(r.stdout).differentialPrivacy;
    expect(dp).toMatchObject({ epsilon: 0.5, mechanism: 'geometric', sensitivity: 1, geometryNote: null });
    const a = Math.exp(-0.5);
    expect(dp.expectedAbsNoise).toBeCloseTo((2 * a) / (1 - a * a), 10);
    const bad = run('hotspots', '--input', input, '--preset', 'chicago', '--method', 'gi', '--units', 'grid:1000', '--out', out, '--dp-epsilon', '0');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--dp-epsilon must be a positive finite number, got "0"/);
  });
  it('forecast and hotspots print to stdout with --json alone (no file written) and say what to give without either', () => {
    const before = readdirSync(dir).sort();
    const f = run('forecast', '--input', input, '--preset', 'chicago', '--model', 'historical-average', '--units', `grid:1000`, '--bbox', bbox, '--period', 'day', '--horizon', '7', '--json');
    expect(f.status, f.stderr).toBe(0);
    const fj = JSON.parse(f.stdout);
    expect(fj).toMatchObject({ out: null, csv: null, topCsv: null, periods: 7 });
    expect(fj.regions.length).toBe(fj.units.n);
    // the printed regions are the forecast: their totals add up to the forecast's expected total
    const sum = fj.regions.reduce((a: number, r: { expected_total: number }) => a + r.expected_total, 0);
    expect(sum).toBeCloseTo(fj.expectedTotal, 1);
    expect(fj.regions[0]).toHaveProperty('centroid_lat');
    expect(fj.regions[0]).not.toHaveProperty('expected');
    const h = run('hotspots', '--input', input, '--preset', 'chicago', '--method', 'gi', '--units', 'grid:1000', '--bbox', bbox, '--json');
    expect(h.status, h.stderr).toBe(0);
    const hj = JSON.parse(h.stdout);
    expect(hj.out).toBeNull();
    expect(hj.geojson.features.length).toBe(hj.units.n);
    expect(readdirSync(dir).sort()).toEqual(before);
    const neither = run('forecast', '--input', input, '--preset', 'chicago', '--model', 'historical-average', '--units', 'grid:1000');
    expect(neither.status).toBe(2);
    expect(neither.stderr).toMatch(/--out forecast\.geojson .*or --json/);
    const neitherH = run('hotspots', '--input', input, '--preset', 'chicago', '--method', 'gi', '--units', 'grid:1000');
    expect(neitherH.status).toBe(2);
    expect(neitherH.stderr).toMatch(/--out hotspots\.geojson, or --json/);
  });
});
