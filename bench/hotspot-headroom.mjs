#!/usr/bin/env node
// How much PAI any count-based forecast can gain over the long-run count map at 250 m daily (Chicago 2016–17): on the
// 92 validation days before the test span, rank cells by forecasts that are allowed to LOOK AHEAD — the counts of the
// days around day t (day t itself excluded), alone or blended with the long-run rate. If even these leaky forecasts
// gain only a few percent on the historical average, no honest model built from counts can gain 15%: the rest of the
// gap to the oracle (the day's own counts) is the Poisson noise of a single day.
// Build first: npx tsc -p .   Run: node bench/hotspot-headroom.mjs
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readIncidentFile } from '../dist/data/ingest/read.js';
import { buildDataset } from '../dist/tensor/dataset.js';
import { localDateToUtc } from '../dist/time/bins.js';
import { addHotspotSums, emptyHotspotSums, hotspotMetricsFromSums, hotspotPeriod, sumCategories } from '../dist/evaluate/metrics/hotspot.js';

const SHARED = process.env.CRIMECAST_SHARED_DATA ?? new URL('../../shared/data', import.meta.url).pathname;
const CSV = join(SHARED, 'stshn-chicago-2016-2017/raw/CHI_Crime.csv');
const BOUNDARY = join(SHARED, 'chicago-covariates/boundaries/community_areas.geojson');
if (!existsSync(CSV) || !existsSync(BOUNDARY)) { console.log(`skipped: ${CSV} or ${BOUNDARY} not found`); process.exit(0); }
const cell = Number(process.argv[2] ?? 250);
const { table } = await readIncidentFile(CSV, { preset: 'stshn-chicago' });
const data = buildDataset(table, { units: `grid:cell=${cell},mask=${BOUNDARY}`, period: 'day', categories: ['THEFT', 'BATTERY', 'ASSAULT', 'CRIMINAL DAMAGE'] });
const t = data.tensor, R = t.regions, C = t.categories, P = t.periods;
const testStart = t.periodStart.findIndex((x) => x >= localDateToUtc('2017-10-01', table.tz) - 1);
const a = testStart - 92, b = testStart;
const y = new Float64Array(P * R);
for (let p = 0; p < P; p++) y.set(sumCategories(t.data.subarray(p * R * C, (p + 1) * R * C), C), p * R);
const cum = new Float64Array((P + 1) * R);
for (let p = 0; p < P; p++) for (let r = 0; r < R; r++) cum[(p + 1) * R + r] = cum[p * R + r] + y[p * R + r];
const COV = [0.005, 0.01, 0.05];
const score = (riskAt) => {
  const s = emptyHotspotSums(COV);
  for (let d = a; d < b; d++) addHotspotSums(s, hotspotPeriod(riskAt(d), y.subarray(d * R, (d + 1) * R), COV, data.units.area));
  return hotspotMetricsFromSums(s).pai;
};
const longRun = (d) => Float64Array.from({ length: R }, (_, r) => cum[d * R + r] / d);
// counts of the days [d − L, d + L] except d itself, per day
const around = (d, L) => { const lo = Math.max(0, d - L), hi = Math.min(P, d + L + 1); return Float64Array.from({ length: R }, (_, r) => (cum[hi * R + r] - cum[lo * R + r] - y[d * R + r]) / (hi - lo - 1)); };
const rows = [];
const add = (name, f) => { const pai = score(f); rows.push({ forecast: name, 'PAI@0.5%': +pai[0].toFixed(2), 'PAI@1%': +pai[1].toFixed(2), 'PAI@5%': +pai[2].toFixed(2) }); };
add('historical average (honest)', longRun);
add('oracle: the day\'s own counts', (d) => y.slice(d * R, (d + 1) * R));
for (const L of [3, 15, 45]) add(`look-ahead: days d±${L} (not d)`, (d) => around(d, L));
for (const L of [7, 15, 45]) for (const w of [0.25, 0.5]) add(`look-ahead: ${1 - w}·long-run + ${w}·days d±${L}`, (d) => { const l = longRun(d), n = around(d, L); return l.map((v, r) => (1 - w) * v + w * n[r]); });
console.log(`${R} cells of ${cell} m, validation days ${a}…${b - 1} (the 92 days before 2017-10-01)`);
console.table(rows);

// A stationary Poisson city with these cells' own heterogeneity: each cell's true daily rate is its two-year mean
// (plus a small floor so no cell is impossible), days are drawn Poisson from it, and on the same validation days
// the TRUE rate (the best any model can rank by: ordering by the mean maximises expected hits) is compared with
// the historical average of the simulated days before. The ratio is what a perfect model could gain over the
// long-run map if the city did not change: the ceiling for any method, ranking objectives included.
const { Rng } = await import('../dist/util/rng.js');
const total = Float64Array.from({ length: R }, (_, r) => cum[P * R + r]);
const mean = total.reduce((s, v) => s + v, 0) / R / P;
const truth = total.map((v) => (v + 0.1 * mean * P) / P);
const sims = [];
for (let seed = 1; seed <= 5; seed++) {
  const rng = new Rng(seed);
  const ys = new Float64Array(P * R), cs = new Float64Array((P + 1) * R);
  for (let p = 0; p < P; p++) for (let r = 0; r < R; r++) { ys[p * R + r] = rng.poisson(truth[r]); cs[(p + 1) * R + r] = cs[p * R + r] + ys[p * R + r]; }
  const scoreSim = (riskAt) => { const s = emptyHotspotSums(COV); for (let d = a; d < b; d++) addHotspotSums(s, hotspotPeriod(riskAt(d), ys.subarray(d * R, (d + 1) * R), COV, data.units.area)); return hotspotMetricsFromSums(s).pai; };
  const ha = scoreSim((d) => Float64Array.from({ length: R }, (_, r) => cs[d * R + r] / d));
  const best = scoreSim(() => truth);
  const oracle = scoreSim((d) => ys.slice(d * R, (d + 1) * R));
  sims.push({ seed, 'HA PAI@1%': +ha[1].toFixed(2), 'true-rate PAI@1%': +best[1].toFixed(2), 'oracle PAI@1%': +oracle[1].toFixed(2), 'true ÷ HA @0.5%': +(best[0] / ha[0]).toFixed(3), 'true ÷ HA @1%': +(best[1] / ha[1]).toFixed(3), 'true ÷ HA @5%': +(best[2] / ha[2]).toFixed(3) });
}
console.log(`\nStationary Poisson city with these ${R} cells' two-year rates (history of ${a}…${b - 1} days before each validation day, 5 seeds):`);
console.table(sims);
const med = (k) => sims.map((s) => s[k]).sort((x, y) => x - y)[2];
console.log(`median ceiling of a perfect model over the long-run map: ×${med('true ÷ HA @0.5%')} @0.5%, ×${med('true ÷ HA @1%')} @1%, ×${med('true ÷ HA @5%')} @5%`);
