#!/usr/bin/env node
// Tree learners against scikit-learn, doing the same work, alternating run by run (bench/_interleave.mjs):
// - gbm, synthetic: the seeded 50k × 20 count matrix of bench/_synthetic-learning.mjs (known nonlinear log-rate),
//   Poisson loss, 100 rounds, 31 leaves, min 20 rows a leaf, rate 0.1, no early stopping, leaf values unclipped on
//   both sides (the rates are moderate) vs HistGradientBoostingRegressor(loss='poisson') with the same settings.
// - gbm, ST-HSL: the engineered-feature matrix of the ST-HSL Chicago tensor (the project's feature builder, default
//   spec with the benchmark grid as units: 389,088 rows × 17 features, target periods 30–608 of the training
//   split), the same boosting settings with leaf values clipped to ±0.7 before shrinkage on both sides: CrimeCast's
//   default for Poisson, which scikit-learn lacks, so its TreeGrower._apply_shrinkage is patched to clip first
//   (three lines, run once per tree). Unclipped, both sides overshoot on this matrix (a leaf of rare rows steps
//   the log-rate by > 10). Accuracy: mean Poisson deviance on the 30 validation days (periods 609–638).
// - random forest, synthetic: 20 trees, depth 12, all features, bootstrap. NOT the same algorithm: CrimeCast grows
//   histogram trees (255 bins), scikit-learn's RandomForestRegressor is exact-split (sorts each node); it has no
//   histogram forest. The row is there to show where an analyst switching tools would land, and says so.
// Threads: CrimeCast fits trees on one thread, and gbm again with threads: 2 (a worker thread sums half the
// features of large nodes' histograms; bit-identical fit). scikit-learn runs with OMP_NUM_THREADS=1 / n_jobs=1
// (the equal comparison, timed on CPU seconds, robust to the shared machine's load) and again with 2 (timed on
// wall seconds, beside CrimeCast's 2-thread gbm; the forest row says CrimeCast used one). Results are checked before a ratio is printed: held-out deviances within
// `tol` relative of each other.
// usage: npm run build && node bench/trees.mjs [runs=5] [--skip-sthsl] [--threads 1,2] [--only gbm-sthsl,rf-synth] [--omp-passive]
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GradientBoosting, RandomForest } from '../dist/models/trees/index.js';
import { readNpy, writeNpy } from '../dist/tensor/npy.js';
import { buildFeatures } from '../dist/features/build.js';
import { slicePeriods } from '../dist/tensor/count-tensor.js';
import { loadStshnBenchmark } from '../dist/tensor/stshn.js';
import { buildStshnGrid } from '../dist/space/stshn-grid.js';
import { P, simulate, countAccuracy } from './_synthetic-learning.mjs';
import { printRatioTable, pythonHas, startPython, stats, fmtStats, timeOnce } from './_interleave.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : def; };
const runs = Number(args.find((a, i) => /^\d+$/.test(a) && !String(args[i - 1]).startsWith('--')) ?? 5);
if (!(Number.isInteger(runs) && runs >= 1)) throw new Error('runs must be a positive integer; usage: node bench/trees.mjs [runs=5] [--skip-sthsl] [--threads 1,2]');
const threadList = opt('threads', '1,2').split(',').map(Number);
const only = opt('only', null)?.split(',') ?? null; // task keys: gbm-synth, gbm-sthsl, rf-synth
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STSHN = resolve(process.env.CRIMECAST_SHARED_DATA ?? join(ROOT, '..', 'shared', 'data'), 'stshn-chicago-2016-2017', 'tensors_npy');

const GB = { maxIter: 100, learningRate: 0.1, maxLeaves: 31, minSamplesLeaf: 20 };
const dir = mkdtempSync(join(tmpdir(), 'crimecast-trees-'));

// ------------------------------------------------------------------------------------------------ data
const datasets = {};
{
  const nTrain = 50_000, nTest = 10_000, train = simulate(nTrain, 2024), test = simulate(nTest, 2025);
  datasets.synth = { X: train.X, y: train.y, n: nTrain, p: P, Xt: test.X, yt: test.y, nt: nTest, label: `synthetic ${nTrain} × ${P}` };
}
if (!args.includes('--skip-sthsl') && existsSync(STSHN)) {
  const { tensor, splits } = loadStshnBenchmark(STSHN);
  const units = buildStshnGrid();
  const T = splits.trn[1], V = splits.val[1];
  const tr = buildFeatures({ tensor: slicePeriods(tensor, 0, T), units }, { from: 30, to: T });
  const te = buildFeatures({ tensor: slicePeriods(tensor, 0, V), units }, { from: T, to: V });
  datasets.sthsl = { X: tr.X, y: tr.y, n: tr.nRows, p: tr.nCols, Xt: te.X, yt: te.y, nt: te.nRows, label: `ST-HSL features ${tr.nRows} × ${tr.nCols}` };
} else {
  console.log(`ST-HSL matrix skipped (${args.includes('--skip-sthsl') ? '--skip-sthsl' : `${STSHN} not found`})`);
}
for (const [name, d] of Object.entries(datasets)) {
  let m = 0;
  for (let i = 0; i < d.n; i++) m += d.y[i] / d.n;
  d.trainMean = m;
  writeNpy(join(dir, `${name}_X.npy`), d.X, [d.n, d.p]);
  writeNpy(join(dir, `${name}_y.npy`), d.y, [d.n]);
  writeNpy(join(dir, `${name}_Xt.npy`), d.Xt, [d.nt, d.p]);
}

// ------------------------------------------------------------------------------------------------ tasks
const tasks = [
  { key: 'gbm-synth', data: 'synth', tol: 0.02, clip: Infinity, label: 'gbm Poisson, synthetic (unclipped leaves)',
    ours: (d, threads) => new GradientBoosting({ objective: 'poisson', ...GB, earlyStopping: false, maxDeltaStep: Infinity, threads }).fit(d.X, d.n, d.p, d.y, { seed: 1 }) },
  { key: 'gbm-sthsl', data: 'sthsl', tol: 0.02, clip: 0.7, label: 'gbm Poisson, ST-HSL (leaves clipped ±0.7 both)',
    ours: (d, threads) => new GradientBoosting({ objective: 'poisson', ...GB, earlyStopping: false, maxDeltaStep: 0.7, threads }).fit(d.X, d.n, d.p, d.y, { seed: 1 }) },
  { key: 'rf-synth', data: 'synth', tol: 0.03, label: 'random forest, synthetic (histogram vs exact-split: not the same algorithm)',
    oneThread: true, ours: (d) => new RandomForest({ nEstimators: 20, maxDepth: 12, maxFeatures: 'all' }).fit(d.X, d.n, d.p, d.y, { seed: 1 }) },
].filter((t) => datasets[t.data] && (only === null || only.includes(t.key)));

const py = `
import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.ensemble._hist_gradient_boosting import grower as hgb_grower
d, threads = sys.argv[1], int(sys.argv[2])
stock_shrinkage = hgb_grower.TreeGrower._apply_shrinkage
def clipped(limit):
  # CrimeCast's maxDeltaStep: clip the Newton leaf value, then shrink by the learning rate
  def apply(self):
    for leaf in self.finalized_leaves:
      leaf.value = self.shrinkage * min(limit, max(-limit, leaf.value))
  return apply
data = {}
for name in ${JSON.stringify(Object.keys(datasets))}:
  data[name] = (np.load(f'{d}/{name}_X.npy'), np.load(f'{d}/{name}_y.npy').astype(np.float64), np.load(f'{d}/{name}_Xt.npy'))
def fit(msg):
  X, y, Xt = data[msg['data']]
  if msg['kind'] == 'gbm':
    hgb_grower.TreeGrower._apply_shrinkage = clipped(msg['clip']) if msg['clip'] is not None else stock_shrinkage
    make = lambda: HistGradientBoostingRegressor(loss='poisson', max_iter=${GB.maxIter}, learning_rate=${GB.learningRate},
      max_leaf_nodes=${GB.maxLeaves}, min_samples_leaf=${GB.minSamplesLeaf}, early_stopping=False, random_state=0)
  else:
    make = lambda: RandomForestRegressor(n_estimators=20, max_depth=12, max_features=1.0, n_jobs=threads, random_state=0)
  m = make()
  t, _ = timed(lambda: m.fit(X, y))
  if msg.get('save'): np.save(f"{d}/pred_{msg['key']}_{threads}.npy", m.predict(Xt).astype(np.float64))
  return t
serve({'fit': fit})
`;

const sk = pythonHas(['sklearn', 'numpy']);
const workers = [];
// --omp-passive: scikit-learn's OpenMP threads sleep instead of spinning while they wait (OMP_WAIT_POLICY=passive,
// as CrimeCast's worker does with Atomics.wait); on a loaded machine spinning threads fight the other processes
const ompEnv = args.includes('--omp-passive') ? { OMP_WAIT_POLICY: 'passive' } : {};
if (sk) for (const t of threadList) workers.push(await startPython(py, [dir, String(t)], t, ompEnv));
else console.log('scikit-learn not available to /usr/bin/python3 (Debian: apt-get install python3-sklearn): CrimeCast figures only');

// ------------------------------------------------------------------------------------------------ runs
const results = {};
// CrimeCast's thread counts per task: 1, and 2 for gbm when a 2-thread reference runs
const ourThreads = (t) => (t.oneThread ? [1] : [...new Set([1, ...workers.map((w) => w.threads)])]);
for (const t of tasks) results[t.key] = { ours: {}, models: {}, theirs: Object.fromEntries(workers.map((w) => [w.threads, []])) };
for (let r = 0; r < runs; r++) {
  for (const t of tasks) {
    const d = datasets[t.data], res = results[t.key];
    const line = [];
    for (const th of ourThreads(t)) {
      // each CrimeCast fit is followed by the reference at the same thread count (or, for the forest, both)
      const o = timeOnce(() => t.ours(d, th));
      (res.ours[th] ??= []).push(o);
      if (r === runs - 1) res.models[th] = o.result;
      line.push(`crimecast×${th} ${o.cpu.toFixed(2)} s cpu ${o.wall.toFixed(2)} s wall`);
      for (const w of workers) {
        if (t.oneThread ? th !== 1 : w.threads !== th) continue;
        const kind = t.key.startsWith('gbm') ? 'gbm' : 'rf';
        res.theirs[w.threads].push(await w.run('fit', { key: t.key, data: t.data, kind, clip: Number.isFinite(t.clip) ? t.clip : null, save: r === runs - 1 }));
        line.push(`sklearn×${w.threads} ${res.theirs[w.threads].at(-1).wall.toFixed(2)} s wall`);
      }
    }
    process.stderr.write(`  run ${r + 1}/${runs} ${t.key}: ${line.join(', ')}\n`);
  }
}
for (const w of workers) w.close();

// ------------------------------------------------------------------------------------------------ report
console.log(`tree learners vs scikit-learn ${sk ?? '(absent)'}${ompEnv.OMP_WAIT_POLICY ? ' (OMP_WAIT_POLICY=passive)' : ''}; ${runs} alternating runs each; data: ${Object.values(datasets).map((d) => d.label).join('; ')}`);
const rows = [];
for (const t of tasks) {
  const d = datasets[t.data], res = results[t.key];
  const dev = Object.fromEntries(Object.entries(res.models).map(([th, m]) => [th, countAccuracy(d.yt, m.predict(d.Xt, d.nt), d.trainMean).deviance]));
  console.log(`\n${t.label}:`);
  for (const th of ourThreads(t)) {
    const o = res.ours[th];
    console.log(`  CrimeCast ${th} thread(s): cpu ${fmtStats(stats(o.map((x) => x.cpu)))} s, wall ${fmtStats(stats(o.map((x) => x.wall)))} s; held-out deviance ${dev[th].toFixed(4)}`);
  }
  for (const w of workers) {
    const theirs = res.theirs[w.threads], th = t.oneThread ? 1 : w.threads, ourDev = dev[th];
    const skDev = countAccuracy(d.yt, readNpy(join(dir, `pred_${t.key}_${w.threads}.npy`)).data, d.trainMean).deviance;
    const rel = Math.abs(ourDev - skDev) / skDev, agree = rel <= t.tol;
    console.log(`  sklearn ${w.threads} thread(s): cpu ${fmtStats(stats(theirs.map((o) => o.cpu)))} s, wall ${fmtStats(stats(theirs.map((o) => o.wall)))} s; held-out deviance ${skDev.toFixed(4)}`);
    const clock = w.threads === 1 ? 'cpu' : 'wall';
    rows.push({
      task: t.label, threads: `${th} / ${w.threads}`, clock, agree,
      ours: res.ours[th].map((o) => o[clock]), theirs: theirs.map((o) => o[clock]),
      agreement: `deviance ${ourDev.toFixed(4)} vs ${skDev.toFixed(4)} (${(100 * rel).toFixed(2)}%, tol ${100 * t.tol}%)`,
    });
  }
}
rmSync(dir, { recursive: true, force: true });
if (rows.length) printRatioTable('CrimeCast / scikit-learn (per alternating pair of runs; < 1 = CrimeCast faster)', rows);
