#!/usr/bin/env node
/**
 * The fixed-effects panel regression (`panel-fe`, issue #5's economic-model row) on the 77 Chicago community areas
 * × 4 categories, daily, fitted on the 365 days before 2017-10-01 with O'Hare weather as time-varying covariates:
 *
 * A. Explanation tables: coefficients of the time-varying regressors with cluster-robust (by area) and model-based
 *    SEs; the between regression of the area effects on the ACS poverty / unemployment / income… indicators.
 * B. The same Poisson FE model fitted by statsmodels (GLM Poisson with one dummy per (area, category) unit,
 *    cluster-robust covariance by area) on the identical design exported to .npy: coefficients, SEs and fit time
 *    side by side (median of --reps runs each). Needs python3-statsmodels (Debian), installed by this script
 *    when apt-get is available; otherwise CrimeCast figures only. The agreement itself is asserted (coefficients,
 *    both SEs, unit effects, log-likelihood) on a small stored statsmodels fixture by
 *    test/models/linear/panel-fe-statsmodels.test.ts; this script measures it on the real design.
 *
 * Build first: npm run build.   Run: node bench/panel.mjs [--reps 3] [--out results.json]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readIncidentFile } from '../dist/data/ingest/read.js';
import { buildDataset } from '../dist/tensor/dataset.js';
import { slicePeriods } from '../dist/tensor/count-tensor.js';
import { localDateToUtc } from '../dist/time/bins.js';
import { loadTimeCovariates } from '../dist/features/time-covariates.js';
import { chicagoAreaIndicators } from '../dist/evaluate/protocols/chicago-areas.js';
import { createForecaster } from '../dist/models/registry.js';
import '../dist/models/all.js';

const args = process.argv.slice(2);
const arg = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
const reps = Number(arg('--reps', 3));
const shared = arg('--data', '/work/shared/data');
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor((s.length - 1) / 2)]; };
const f4 = (v) => (Number.isFinite(v) ? v.toFixed(4) : '–');

const { table } = await readIncidentFile(join(shared, 'stshn-chicago-2016-2017/raw/CHI_Crime.csv'), { preset: 'stshn-chicago' });
const data = buildDataset(table, {
  units: `polygons:${join(shared, 'chicago-covariates/boundaries/community_areas.geojson')},id=area_numbe,order=id`,
  period: 'day', categories: ['THEFT', 'BATTERY', 'ASSAULT', 'CRIMINAL DAMAGE'],
});
const T = data.tensor.periodStart.findIndex((t) => t >= localDateToUtc('2017-10-01', table.tz) - 1);
const tc = loadTimeCovariates({ path: join(shared, 'chicago-covariates/weather/ghcnd_ohare_2015_2017.csv'), date: 'DATE', columns: ['TMAX', 'PRCP', 'SNOW'] }, data.tensor).timeCovariates;
const k = tc.names.length;
const history = {
  tensor: slicePeriods(data.tensor, 0, T), units: data.units,
  covariates: chicagoAreaIndicators(data.tensor.regionIds, shared),
  timeCovariates: { ...tc, periods: T, values: tc.values.slice(0, T * k) },
};

const spec = 'panel-fe:dist=poisson,validation=0';
const times = [];
let f;
for (let r = 0; r < reps; r++) {
  f = createForecaster(spec);
  const t0 = performance.now();
  await f.fit(history, { seed: 1 });
  times.push((performance.now() - t0) / 1000);
}
const s = f.summary();
console.log(`## A. ${spec}: ${s.n} rows (${s.units} area×category units, ${s.clusters} area clusters), ${s.iterations} Newton steps, fit ${median(times).toFixed(2)} s (median of ${reps})`);
console.log('\n| regressor | coef | rate ratio | cluster SE | model SE | p | status |\n|---|---|---|---|---|---|---|');
for (const c of s.coefficients) console.log(`| ${c.name} | ${f4(c.coef)} | ${f4(Math.exp(c.coef))} | ${f4(c.se)} | ${f4(c.seModel)} | ${Number.isFinite(c.p) ? c.p.toExponential(1) : '–'} | ${c.status} |`);
console.log(`\nBetween regression of the ${s.between.n} finite area effects on the static indicators (CR1 SEs by area, ${s.between.clusters} clusters), R² ${s.between.r2.toFixed(3)}:`);
console.log('\n| indicator | coef | cluster SE | p |\n|---|---|---|---|');
for (const c of s.between.rows) console.log(`| ${c.name} | ${f4(c.coef)} | ${f4(c.se)} | ${c.p.toExponential(1)} |`);

// B. statsmodels on the identical design
const from = Math.max(1, T - f.params.trainPeriods);
const d = f.design(history, from, T);
const dir = mkdtempSync(join(tmpdir(), 'panel-bench-'));
const npy = (name, arr, shape, dtype) => {
  const header = `{'descr': '<${dtype}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  const h = Buffer.from(header + ' '.repeat(pad % 64) + '\n', 'latin1');
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1'); pre[6] = 1; pre[7] = 0; pre.writeUInt16LE(h.length, 8);
  writeFileSync(join(dir, name), Buffer.concat([pre, h, Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength)]));
};
npy('X.npy', d.X, [d.rows, d.k], 'f8');
npy('y.npy', Float64Array.from(d.y), [d.rows], 'f8');
npy('g.npy', d.group, [d.rows], 'i4');
npy('cl.npy', d.region, [d.rows], 'i4');
const kept = s.coefficients.flatMap((c, j) => (c.status === 'kept' ? [j] : []));
writeFileSync(join(dir, 'kept.json'), JSON.stringify(kept));

const have = () => spawnSync('/usr/bin/python3', ['-c', 'import statsmodels'], { encoding: 'utf8' }).status === 0;
if (!have()) spawnSync('apt-get', ['install', '-y', '-q', 'python3-statsmodels'], { stdio: 'ignore' });
if (!have()) {
  console.log('\nstatsmodels not available to /usr/bin/python3 (Debian: apt-get install python3-statsmodels): CrimeCast figures only');
} else {
  const py = `
import json, sys, time, numpy as np, statsmodels.api as sm
d = sys.argv[1]
X = np.load(d + '/X.npy'); y = np.load(d + '/y.npy'); g = np.load(d + '/g.npy'); cl = np.load(d + '/cl.npy')
kept = json.load(open(d + '/kept.json'))
ok = np.isfinite(X).all(1) & np.isfinite(y)
# units with no event have alpha = -inf and no information on beta (CrimeCast leaves them out too)
tot = np.bincount(g[ok], weights=y[ok], minlength=g.max() + 1)
ok &= tot[g] > 0
X, y, g, cl = X[ok][:, kept], y[ok], g[ok], cl[ok]
u, gi = np.unique(g, return_inverse=True)
D = np.zeros((len(y), len(u))); D[np.arange(len(y)), gi] = 1
A = np.hstack([X, D])
times = []
for r in range(${reps}):
    t0 = time.perf_counter()
    res = sm.GLM(y, A, family=sm.families.Poisson()).fit(cov_type='cluster', cov_kwds={'groups': cl})
    times.append(time.perf_counter() - t0)
k = X.shape[1]
print(json.dumps({'coef': res.params[:k].tolist(), 'se': res.bse[:k].tolist(), 'seconds': sorted(times)[(len(times) - 1) // 2], 'rows': int(len(y)), 'cols': int(A.shape[1])}))
`;
  const r = spawnSync('/usr/bin/python3', ['-c', py, dir], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) {
    console.log(`\nstatsmodels failed: ${r.stderr.slice(-500)}`);
  } else {
    const sm = JSON.parse(r.stdout.trim().split('\n').pop());
    console.log(`\n## B. Same Poisson FE model, statsmodels GLM with ${sm.cols - kept.length} unit dummies (${sm.rows} rows, ${sm.cols} columns), cluster-robust by area`);
    console.log('\n| regressor | CrimeCast coef | statsmodels coef | CrimeCast cluster SE | statsmodels cluster SE | SE ratio |\n|---|---|---|---|---|---|');
    let maxDiff = 0;
    kept.forEach((j, a) => {
      const c = s.coefficients[j];
      maxDiff = Math.max(maxDiff, Math.abs(c.coef - sm.coef[a]));
      console.log(`| ${c.name} | ${c.coef.toFixed(6)} | ${sm.coef[a].toFixed(6)} | ${c.se.toFixed(6)} | ${sm.se[a].toFixed(6)} | ${(c.se / sm.se[a]).toFixed(4)} |`);
    });
    console.log(`\nmax |Δcoef| ${maxDiff.toExponential(2)}; fit time CrimeCast ${median(times).toFixed(2)} s vs statsmodels ${sm.seconds.toFixed(2)} s (ratio ${(median(times) / sm.seconds).toFixed(2)}×; CrimeCast's includes building the features)`);
  }
}
const out = arg('--out');
if (out) writeFileSync(out, JSON.stringify({ spec, seconds: median(times), summary: s }, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1));
