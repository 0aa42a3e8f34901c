#!/usr/bin/env node
// k-NN regression (k = 25, uniform weights) against scikit-learn on the seeded synthetic count matrix of
// bench/_synthetic-learning.mjs: 20k training rows, 5k queries, 20 features; fit + predict are timed (prediction is
// k-NN's cost). The two sides alternate run by run (bench/_interleave.mjs) at equal threads: KNeighborsRegressor
// with n_jobs=1 and OMP/BLAS at 1 thread (its 'auto' picks brute force on 20 features, as CrimeCast does) timed
// on CPU seconds, and scikit-learn at 2 threads beside it (wall; CrimeCast uses one). Neighbours are checked before
// a ratio is printed: the share of queries whose prediction (mean of the 25 neighbours' counts) is the same on both
// sides must be ≥ 99.5% (scikit-learn's distances go through |a|² + |b|² − 2a·b, so exact ties can split).
// usage: npm run build && node bench/knn.mjs [runs=5]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KNearestNeighbors } from '../dist/models/neighbors/knn.js';
import { readNpy, writeNpy } from '../dist/tensor/npy.js';
import { P, simulate, countAccuracy as countStats } from './_synthetic-learning.mjs';
import { printRatioTable, pythonHas, startPython, timeOnce } from './_interleave.mjs';

const runs = Number(process.argv[2] ?? 5);
if (!(Number.isInteger(runs) && runs >= 1)) throw new Error(`runs must be a positive integer, got "${process.argv[2]}"; usage: node bench/knn.mjs [runs=5]`);
const p = P, k = 25, nKnnTrain = 20_000, nKnnTest = 5_000;
const train = simulate(50_000, 2024), test = simulate(10_000, 2025);
const knnX = train.X.subarray(0, nKnnTrain * p), knnY = train.y.subarray(0, nKnnTrain);
const knnTestX = test.X.subarray(0, nKnnTest * p), knnTestY = test.y.subarray(0, nKnnTest);
let knnTrainMean = 0;
for (let i = 0; i < nKnnTrain; i++) knnTrainMean += knnY[i] / nKnnTrain;
const countAccuracy = (y, mu, m) => { const a = countStats(y, mu, m); return `deviance ${a.deviance.toFixed(4)}  D² ${a.d2.toFixed(4)}  R² ${a.r2.toFixed(4)}`; };
const fitted = (m, X, n, y) => { m.fit(X, n, p, y, { seed: 1 }); return m; };

{
  const sk = pythonHas(['sklearn', 'numpy']);
  const dir = mkdtempSync(join(tmpdir(), 'crimecast-knn-'));
  writeNpy(join(dir, 'X.npy'), knnX, [nKnnTrain, p]);
  writeNpy(join(dir, 'y.npy'), knnY, [nKnnTrain]);
  writeNpy(join(dir, 'Xt.npy'), knnTestX, [nKnnTest, p]);
  const py = `
import numpy as np
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.neighbors import KNeighborsRegressor
d, threads = sys.argv[1], int(sys.argv[2])
X, y, Xt = np.load(d + '/X.npy').astype(np.float64), np.load(d + '/y.npy').astype(np.float64), np.load(d + '/Xt.npy').astype(np.float64)
def fit(msg):
  m = make_pipeline(StandardScaler(), KNeighborsRegressor(n_neighbors=${k}, n_jobs=threads))
  t, pred = timed(lambda: m.fit(X, y).predict(Xt))  # prediction is k-NN's cost: timed with the fit
  np.save(f'{d}/pred_{threads}.npy', pred)
  t['method'] = m[-1]._fit_method
  return t
serve({'fit': fit})
`;
  const workers = sk ? [await startPython(py, [dir, '1'], 1), await startPython(py, [dir, '2'], 2)] : [];
  const ours = [], theirs = { 1: [], 2: [] };
  let pred = null, method = '';
  for (let r = 0; r < runs; r++) {
    const o = timeOnce(() => fitted(new KNearestNeighbors(k, nKnnTrain), knnX, nKnnTrain, knnY).predict(knnTestX, nKnnTest));
    ours.push(o); pred = o.result;
    for (const w of workers) { const t = await w.run('fit'); theirs[w.threads].push(t); method = t.method; }
  }
  for (const w of workers) w.close();
  console.log(`\nk-NN regression, k = ${k}, uniform weights (fit + predict of ${nKnnTest} rows; ${runs} alternating runs)`);
  console.log(`  crimecast: ${countAccuracy(knnTestY, pred, knnTrainMean)}`);
  const rows = [];
  for (const w of workers) {
    const ref = readNpy(join(dir, `pred_${w.threads}.npy`)).data;
    let same = 0;
    for (let i = 0; i < nKnnTest; i++) if (Math.abs(ref[i] - pred[i]) < 1e-4) same++;
    const share = same / nKnnTest, clock = w.threads === 1 ? 'cpu' : 'wall';
    if (w.threads === 1) console.log(`  sklearn:   ${countAccuracy(knnTestY, ref, knnTrainMean)} (algorithm '${method}')`);
    rows.push({
      task: 'k-NN k = 25, 20k × 5k, 20 features', threads: `1 / ${w.threads}`, clock, agree: share >= 0.995,
      ours: ours.map((o) => o[clock]), theirs: theirs[w.threads].map((t) => t[clock]),
      agreement: `same prediction on ${(100 * share).toFixed(2)}% of test rows`,
    });
  }
  rmSync(dir, { recursive: true, force: true });
  if (rows.length) printRatioTable('k-NN: CrimeCast / scikit-learn (per alternating pair of runs; < 1 = CrimeCast faster)', rows);
  else console.log('  (scikit-learn absent: no reference)');
}
