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
