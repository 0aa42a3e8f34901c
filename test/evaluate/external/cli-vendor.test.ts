import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cellRing, cityGeoJSON, DLAT, DLON, LAT0, LON0 } from './synthetic-city.js';
import { SHARED_DATA, hasShared, requirePrerequisite } from '../../helpers.js';
import { ST_HSL_DATA } from '../../../src/evaluate/protocols/st-hsl.js';

const BIN = 'bin/crimecast.js';
const N = 10, R = N * N, DAYS = 40, TEST = 12; // 2021-05-01 .. 2021-06-09, test from 2021-05-29

/** mulberry32: a fixed-seed generator, so the city and its forecasts are the same on every run. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const poisson = (mu: number, u: () => number) => { let k = 0, p = Math.exp(-mu), s = p; const x = u(); while (x > s && k < 50) { k++; p *= mu / k; s += p; } return k; };
const day = (d: number) => new Date(Date.UTC(2021, 4, 1 + d)).toISOString().slice(0, 10);

describe.runIf(requirePrerequisite('compiled CLI (dist/)', existsSync('dist/cli/main.js'), 'run `npm run build`'))('crimecast backtest --external on a synthetic city', () => {
  it('scores a vendor box file (top 20 cells a day) and a CSV keyed by polygon name through the CLI, matching a hand computation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vendor-cli-'));
    const u = rng(7);
    // two hot spots on a 10 × 10 grid of named blocks
    const weight = Array.from({ length: R }, (_, r) => {
      const row = Math.floor(r / N), col = r % N;
      return 0.15 + 2.5 * Math.exp(-((row - 2) ** 2 + (col - 3) ** 2) / 3) + 1.5 * Math.exp(-((row - 7) ** 2 + (col - 6) ** 2) / 2);
    });
    const counts = new Int32Array(DAYS * R);
    const rows = ['id,time,category,lat,lon'];
    let id = 0;
    for (let d = 0; d < DAYS; d++) for (let r = 0; r < R; r++) {
      const k = poisson(weight[r], u);
      counts[d * R + r] = k;
      for (let j = 0; j < k; j++) {
        const lat = LAT0 + (Math.floor(r / N) + 0.1 + 0.8 * u()) * DLAT, lon = LON0 + ((r % N) + 0.1 + 0.8 * u()) * DLON;
        rows.push(`${id++},${day(d)}T${String(1 + Math.floor(u() * 22)).padStart(2, '0')}:15:00,burglary,${lat.toFixed(6)},${lon.toFixed(6)}`);
      }
    }
    writeFileSync(join(dir, 'incidents.csv'), rows.join('\n'));
    writeFileSync(join(dir, 'city.geojson'), JSON.stringify(cityGeoJSON(N, N)));
    // the vendor: each test day, the 20 blocks with the highest noisy weight, delivered as polygons
    const boxes = [], flagged: number[][] = [];
    const csv = ['name,period,value'];
    for (let d = DAYS - TEST; d < DAYS; d++) {
      const score = weight.map((w) => w * (0.6 + 0.8 * u()));
      const top = Array.from({ length: R }, (_, r) => r).sort((a, b) => score[b] - score[a]).slice(0, 20);
      flagged.push(top);
      for (const r of top) boxes.push({ type: 'Feature', properties: { date: day(d) }, geometry: { type: 'Polygon', coordinates: [cellRing(Math.floor(r / N), r % N)] } });
      // a colleague's spreadsheet: 1.2 × the true rate, by block name
      for (let r = 0; r < R; r++) csv.push(`Block ${Math.floor(r / N)}-${r % N},${day(d)},${(1.2 * weight[r]).toFixed(4)}`);
    }
    writeFileSync(join(dir, 'boxes.geojson'), JSON.stringify({ type: 'FeatureCollection', features: boxes }));
    writeFileSync(join(dir, 'colleague.csv'), csv.join('\n'));
    const store = join(dir, 'store.duckdb');
    const run = (args: string[]) => execFileSync('node', [BIN, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    run(['ingest', join(dir, 'incidents.csv'), '--time-col', 'time', '--category-col', 'category', '--lat-col', 'lat', '--lon-col', 'lon', '--id-col', 'id', '--tz', 'Europe/Berlin', '--dataset', 'city', '--store', store]);
    const text = run(['backtest', '--store', store, '--dataset', 'city', '--units', `polygons:${join(dir, 'city.geojson')},id=cell_id`,
      '--period', 'day', '--test-from', day(DAYS - TEST), '--model', 'historical-average', '--bootstrap', '100',
      '--external', `vendor=${join(dir, 'boxes.geojson')}`, '--external', `colleague=${join(dir, 'colleague.csv')}`, '--out', join(dir, 'out.json')]);
    const out = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
    // the table marks the external rows, says the boxes have no MAE, and puts the bias beside MAE
    expect(text).toMatch(/vendor: external boxes forecast from .*boxes\.geojson \(sha256 [0-9a-f]{12}…\)/);
    expect(text).toMatch(/MAE\/all[^\n]*\n(?:.*\n)*?\s+vendor\s+n\/a \(boxes: hot-spot metrics only\)/);
    expect(text).toMatch(/colleague\s+[\d.]+ .*bias ×1\.\d{3} .*\[external\]/);
    const [ha, vendor, colleague] = out.models;
    expect(ha.spec).toBe('historical-average');
    expect(vendor.external).toMatchObject({ kind: 'boxes', file: join(dir, 'boxes.geojson') });
    expect(colleague.external).toMatchObject({ kind: 'count' });
    // hand computation over the test days
    let total = 0, hits = 0, absErr = 0, sumF = 0;
    for (let t = 0; t < TEST; t++) {
      const d = DAYS - TEST + t;
      for (let r = 0; r < R; r++) { const y = counts[d * R + r]; total += y; absErr += Math.abs(1.2 * weight[r] - y); sumF += +(1.2 * weight[r]).toFixed(4); }
      for (const r of flagged[t]) hits += counts[d * R + r];
    }
    expect(out.testPeriods).toBe(TEST);
    expect(vendor.metrics['hitRate@own/all'].value).toBeCloseTo(hits / total, 9);
    // the blocks differ in area only by the curvature of the earth (< 0.1% here): PAI = hit rate / (20 of 100 blocks)
    expect(vendor.metrics['PAI@own/all'].value).toBeCloseTo((hits / total) / 0.2, 2);
    // at the shared 5% coverage the vendor's 20 tied boxes count in expectation: 5 of its 20 blocks
    expect(vendor.metrics['hitRate@5%/all'].value).toBeCloseTo((hits / total) * 5 / 20, 2);
    // boxes carry no counts: no MAE, no bias; paired hot-spot test against historical-average
    expect(vendor.metrics['MAE/all']).toBeUndefined();
    expect(vendor.bias).toBeUndefined();
    expect(vendor.metrics['PAI@5%/all'].vsReference).toBeDefined();
    expect(colleague.metrics['MAE/all'].value).toBeCloseTo(absErr / (TEST * R), 3);
    expect(colleague.bias['bias/all'].value).toBeCloseTo(sumF / total, 6);
    expect(colleague.metrics['MAE/all'].vsReference.p).toBeGreaterThanOrEqual(0);
  }, 120_000);

});

describe.runIf(existsSync('dist/cli/main.js') && hasShared(ST_HSL_DATA))('crimecast backtest --external on the ST-HSL protocol', () => {
  it('refuses an incomplete CSV, listing the first gaps, their count and the fix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vendor-cli-gap-'));
    writeFileSync(join(dir, 'f.csv'), 'unit,period,category,value\n0,2017-10-01,THEFT,1\n');
    let err = '';
    try {
      execFileSync('node', [BIN, 'backtest', '--protocol', 'st-hsl', '--data-dir', SHARED_DATA, '--model', 'historical-average', '--external', `f=${join(dir, 'f.csv')}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) { err = String((e as { stderr: string }).stderr); }
    expect(err).toMatch(/f\.csv: no forecast for 61823 of 61824 test cells .*e\.g\. \(0, 2017-10-01, BATTERY\) \(0, 2017-10-01, ASSAULT\)/);
    expect(err).toMatch(/--external-missing zero/);
  }, 60_000);
});
