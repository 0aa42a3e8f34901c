// Fit times and parameters of grid ETAS and the continuous SEPP on all Chicago 2016–17 incidents.
// Usage: npx tsc -p . && node bench/sepp.mjs [--sepp-iter 30] [--max-dt 30] [--max-dist 500] [--bg-bw 300 (0 = adaptive k-NN)] [--np-days 60 (0 = skip)] [--skip-etas 1]
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { buildGrid } from '../dist/space/grid.js';
import { projectionForTable } from '../dist/space/projection.js';
import { fitGridEtas, groupByStream } from '../dist/models/pointprocess/etas-grid-em.js';
import { candidatePairs } from '../dist/models/pointprocess/candidate-pairs.js';
import { fitSepp } from '../dist/models/pointprocess/sepp-em.js';
import { fitSeppNonparametric } from '../dist/models/pointprocess/sepp-nonparametric.js';
import { knnDistance2d } from '../dist/models/pointprocess/knn-bandwidth.js';


// `node bench/sepp.mjs predict [--days 28]`: continuous sepp's daily forecast on the bundled sample (Chicago
// Sep–Dec 2017, 250 m grid, 4 categories): fitted once on the days before the last `days`, then at each day
// update + predict (the excitation advanced by the day's events) against the redraw it replaced (background and
// excitation recomputed from the history, as every predict did before), alternating, forecasts checked to agree.
// `--full` runs it on the whole Chicago 2016–17 file (the last `days` days of 2017).
if (process.argv.includes('predict')) {
  await import('../dist/models/pointprocess/sepp.js');
  const { createForecaster } = await import('../dist/models/registry.js');
  const { readIncidentFile } = await import('../dist/data/ingest/read.js');
  const { buildDataset } = await import('../dist/tensor/dataset.js');
  const { HistoryViews } = await import('../dist/evaluate/backtest/history-views.js');
  const { stats, fmtStats } = await import('./_interleave.mjs');
  const i = process.argv.indexOf('--days'), days = i >= 0 ? Number(process.argv[i + 1]) : 28;
  // --full: the whole ST-SHN Chicago 2016–17 file instead of the sample (fit window: the default 365 days)
  const sample = process.argv.includes('--full') ? fileURLToPath(new URL('../../shared/data/stshn-chicago-2016-2017/raw/CHI_Crime.csv', import.meta.url)) : fileURLToPath(new URL('../data/sample/chicago_2017_09_12.csv', import.meta.url));
  const { table } = await readIncidentFile(sample, { preset: 'stshn-chicago' });
  const data = buildDataset(table, { units: 'grid:cell=250', period: 'day' });
  const P = data.tensor.periods, views = new HistoryViews(data);
  const spec = 'sepp:iterations=30';
  const m = createForecaster(spec);
  let t0 = performance.now();
  const first = views.at(P - days);
  m.fit(first, { seed: 1 });
  const fitS = (performance.now() - t0) / 1000;
  t0 = performance.now();
  m.predict(first, 1);
  const firstS = (performance.now() - t0) / 1000;
  const cpu = (f) => { const c = process.cpuUsage(); const out = f(); const d = process.cpuUsage(c); return { s: (d.user + d.system) / 1e6, out }; };
  const adv = [], redraw = [];
  let worst = 0;
  for (let d = P - days + 1; d < P; d++) {
    const h = views.at(d);
    const a = cpu(() => { m.update(h); return m.predict(h, 1).mean; });
    const kept = { ex: m.excitation, bg: m.background };
    m.excitation = null; m.background = null; // the old per-day work: background and excitation from scratch
    const b = cpu(() => m.predict(h, 1).mean);
    m.excitation = kept.ex; m.background = kept.bg;
    adv.push(a.s); redraw.push(b.s);
    for (let k = 0; k < a.out.length; k++) worst = Math.max(worst, Math.abs(a.out[k] - b.out[k]) / Math.max(b.out[k], 1e-12));
  }
  console.log(`${spec} on ${process.argv.includes('--full') ? 'Chicago 2016–17' : 'the sample'} (${table.n} incidents), ${data.tensor.regions} cells of 250 m × ${data.tensor.categories} categories: fit ${fitS.toFixed(1)} s wall, first predict (redraw) ${firstS.toFixed(2)} s wall`);
  console.log('| per predicted day (CPU s, median (min–max), ' + adv.length + ' days) | advanced (update + predict) | redrawn (before) | max rel. diff of the forecasts |');
  console.log('|---|---|---|---|');
  console.log(`| sepp, 250 m, ${process.argv.includes('--full') ? 'Chicago 2016–17' : 'sample'} | ${fmtStats(stats(adv), 3)} | ${fmtStats(stats(redraw), 3)} | ${worst.toExponential(1)} |`);
  process.exit(0);
}

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const here = fileURLToPath(new URL('.', import.meta.url));
const CSV = resolve(here, '..', '..', 'shared', 'data', 'stshn-chicago-2016-2017', 'raw', 'CHI_Crime.csv');
const DAY = 86_400_000;
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

// --- parse: "MM/DD/YYYY hh:mm:ss AM/PM",type,lat,lon (no header). Wall-clock times are read as UTC: only
// differences matter here, and the DST hour is immaterial at a decay scale of days.
let t0 = process.hrtime.bigint();
const lines = readFileSync(CSV, 'utf8').split('\n');
const n0 = lines.length;
const T = new Float64Array(n0), LAT = new Float64Array(n0), LON = new Float64Array(n0), CAT = new Int32Array(n0);
const cats = new Map();
let n = 0;
for (const line of lines) {
  if (!line) continue;
  const [ts, type, la, lo] = line.split(',');
  const mo = +ts.slice(0, 2), d = +ts.slice(3, 5), y = +ts.slice(6, 10);
  let h = +ts.slice(11, 13) % 12;
  if (ts.slice(20, 22) === 'PM') h += 12;
  const t = Date.UTC(y, mo - 1, d, h, +ts.slice(14, 16), +ts.slice(17, 19));
  const lat = +la, lon = +lo;
  if (!Number.isFinite(t) || !Number.isFinite(lat) || !Number.isFinite(lon)) continue;
  if (!cats.has(type)) cats.set(type, cats.size);
  T[n] = t; LAT[n] = lat; LON[n] = lon; CAT[n] = cats.get(type); n++;
}
const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => T[a] - T[b]);
const t = Float64Array.from(order, (i) => T[i]), lat = Float64Array.from(order, (i) => LAT[i]);
const lon = Float64Array.from(order, (i) => LON[i]), cat = Int32Array.from(order, (i) => CAT[i]);
const catNames = [...cats.keys()];
const start = Date.UTC(2016, 0, 1), end = Date.UTC(2018, 0, 1), Tdays = (end - start) / DAY;
const days = Float64Array.from(t, (v) => (v - start) / DAY);
console.log(`parsed ${n} incidents (${catNames.join(', ')}) in ${ms(t0).toFixed(0)} ms; window ${Tdays} days`);

// --- grid ETAS on a 250 m grid
t0 = process.hrtime.bigint();
const units = buildGrid({ cell: 250, points: { lat, lon }, mask: 'incidents' });
const region = units.assign(lat, lon);
console.log(`250 m grid: ${units.n} cells with incidents, built + assigned in ${ms(t0).toFixed(0)} ms`);
const C = catNames.length;
for (const mode of arg('skip-etas', 0) ? [] : ['pooled', 'separate']) {
  const nStreams = mode === 'pooled' ? units.n : units.n * C;
  const stream = Int32Array.from(region, (r, i) => (mode === 'pooled' ? r : r * C + cat[i]));
  t0 = process.hrtime.bigint();
  const data = groupByStream(days, stream, nStreams, Tdays);
  const groupOf = mode === 'pooled' ? undefined : Int32Array.from({ length: nStreams }, (_, s) => s % C);
  const fit = fitGridEtas(data, { groupOf, maxIter: 500, tol: 1e-6 });
  const el = ms(t0);
  const groups = mode === 'pooled' ? ['all'] : catNames;
  console.log(`ETAS-grid (${mode}): ${fit.iterations} EM iterations, converged=${fit.converged}, ${el.toFixed(0)} ms ` +
    `(${(el / fit.iterations).toFixed(1)} ms/iteration); background share ${(100 * fit.backgroundShare).toFixed(1)} %`);
  groups.forEach((g, k) => console.log(`  ${g.padEnd(16)} θ=${fit.theta[k].toFixed(4)}  ω=${fit.omega[k].toFixed(4)}/day (mean delay ${(1 / fit.omega[k]).toFixed(2)} days)`));
}

// --- continuous SEPP (parametric trigger, KDE background), pooled over categories
const maxDt = arg('max-dt', 30), maxDist = arg('max-dist', 500), iters = arg('sepp-iter', 30), bgBw = arg('bg-bw', 300);
t0 = process.hrtime.bigint();
const proj = projectionForTable({ n, lat, lon });
const { x, y } = proj.forward(lat, lon);
const pairs = candidatePairs(x, y, days, maxDt, maxDist);
console.log(`SEPP: projected + ${pairs.parent.length} candidate pairs (≤ ${maxDt} days, ≤ ${maxDist} m) in ${ms(t0).toFixed(0)} ms`);
t0 = process.hrtime.bigint();
const bwArg = bgBw > 0 ? bgBw : knnDistance2d(x, y, 15, 10);
if (bgBw === 0) console.log(`adaptive background bandwidths (15th neighbour, ≥ 10 m) in ${ms(t0).toFixed(0)} ms`);
t0 = process.hrtime.bigint();
const fit = fitSepp({ x, y, t: days, T: Tdays, pairs, maxDt }, { bgBandwidth: bwArg, maxIter: iters, tol: 1e-4, theta0: 0.3, omega0: 0.1, sigma0: 50 });
const el = ms(t0);
console.log(`SEPP (pooled, background bandwidth ${bgBw > 0 ? `${bgBw} m` : 'adaptive'}): ${fit.iterations} EM iterations, converged=${fit.converged}, ${el.toFixed(0)} ms (${(el / fit.iterations).toFixed(0)} ms/iteration)`);
console.log(`  θ=${fit.theta.toFixed(4)}  ω=${fit.omega.toFixed(4)}/day  σ=${fit.sigma.toFixed(1)} m  background share ${(100 * fit.backgroundShare).toFixed(1)} %`);

// --- non-parametric stochastic declustering (Mohler et al. 2011) on the thefts of the last `np-days` days
const npDays = arg('np-days', 60);
if (npDays > 0) {
  const theft = catNames.indexOf('THEFT');
  const sel = [];
  for (let i = 0; i < n; i++) if (cat[i] === theft && days[i] >= Tdays - npDays) sel.push(i);
  const sx = Float64Array.from(sel, (i) => x[i]), sy = Float64Array.from(sel, (i) => y[i]);
  const st = Float64Array.from(sel, (i) => days[i] - (Tdays - npDays));
  t0 = process.hrtime.bigint();
  const np = fitSeppNonparametric({ x: sx, y: sy, t: st, T: npDays, pairs: candidatePairs(sx, sy, st, Math.min(maxDt, npDays), maxDist), maxDt: Math.min(maxDt, npDays), maxDist }, { iterations: 20, seed: 1 });
  console.log(`SEPP non-parametric (THEFT, last ${npDays} days, ${sel.length} events, 20 sweeps): ${ms(t0).toFixed(0)} ms`);
  console.log(`  branching ratio ${np.branchingRatio.toFixed(4)}, mean delay ${np.meanDelay.toFixed(2)} days, RMS displacement ${np.spatialSd.toFixed(1)} m`);
}

// --- comparator
let openCp = 'not available';
try {
  const out = execSync('apt-cache search open-cp 2>/dev/null; python3 -c "import open_cp" 2>&1', { encoding: 'utf8' });
  if (!/Error|No module/.test(out) && out.trim()) openCp = out.trim();
} catch { /* not installed */ }
console.log(`open_cp comparator: ${openCp} (no apt package; the PyPI index is not reachable from this machine)`);
