#!/usr/bin/env node
// Fit + forecast of one period on ~10,000 cells: the hot-spot model beside historical-average and grid ETAS, on
// Chicago 2016–17 (ST-SHN extract) at 250 m inside the community areas (9,967 cells × 4 categories, daily),
// history = the 638 days before 2017-10-01. Median of `REPS` runs (default 3; ETAS once — it is the slow one).
// Build first: npx tsc -p .   Run: node bench/hotspot-model.mjs [model spec …]
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import '../dist/models/all.js';
import { createForecaster } from '../dist/models/registry.js';
import { readIncidentFile } from '../dist/data/ingest/read.js';
import { buildDataset } from '../dist/tensor/dataset.js';
import { slicePeriods } from '../dist/tensor/count-tensor.js';
import { localDateToUtc } from '../dist/time/bins.js';
import { takeIncidents } from '../dist/data/incident-table.js';

const SHARED = process.env.CRIMECAST_SHARED_DATA ?? new URL('../../shared/data', import.meta.url).pathname;
const CSV = join(SHARED, 'stshn-chicago-2016-2017/raw/CHI_Crime.csv');
const BOUNDARY = join(SHARED, 'chicago-covariates/boundaries/community_areas.geojson');
if (!existsSync(CSV) || !existsSync(BOUNDARY)) { console.log(`skipped: ${CSV} or ${BOUNDARY} not found`); process.exit(0); }

const { table } = await readIncidentFile(CSV, { preset: 'stshn-chicago' });
const data = buildDataset(table, { units: `grid:cell=250,mask=${BOUNDARY}`, period: 'day', categories: ['THEFT', 'BATTERY', 'ASSAULT', 'CRIMINAL DAMAGE'] });
const cut = data.tensor.periodStart.findIndex((t) => t >= localDateToUtc('2017-10-01', table.tz) - 1);
const tensor = slicePeriods(data.tensor, 0, cut);
// the incidents before the cut-off (ETAS reads event times from them)
const cutMs = data.tensor.periodStart[cut], idx = [];
for (let i = 0; i < table.n; i++) if (table.t[i] < cutMs) idx.push(i);
const history = {
  tensor, units: data.units, incidents: takeIncidents(table, Int32Array.from(idx)),
  incidentRegion: Int32Array.from(idx, (i) => data.incidentRegion[i]), incidentCategory: Int32Array.from(idx, (i) => data.incidentCategory[i]),
};
console.log(`${tensor.regions} cells × ${tensor.categories} categories, ${tensor.periods} days of history, ${idx.length} incidents`);

const specs = process.argv.slice(2).length ? process.argv.slice(2) : ['historical-average', 'hotspot', 'etas-grid'];
const REPS = Number(process.env.REPS ?? 3);
const rows = [];
for (const spec of specs) {
  const reps = spec.startsWith('etas') ? 1 : REPS;
  const fit = [], pred = [];
  for (let k = 0; k < reps; k++) {
    const m = createForecaster(spec);
    let t0 = performance.now();
    await m.fit(history, { seed: 1 });
    fit.push(performance.now() - t0);
    t0 = performance.now();
    await m.predict(history, 1);
    pred.push(performance.now() - t0);
  }
  const med = (a) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
  rows.push({ model: spec, runs: reps, fitMs: Math.round(med(fit)), predictMs: Math.round(med(pred)), totalMs: Math.round(med(fit) + med(pred)) });
}
console.table(rows);
