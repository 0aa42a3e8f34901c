#!/usr/bin/env node
// Tree learners against scikit-learn on the same data: a synthetic 50k × 20 count matrix with a known
// nonlinear log-rate (seeded), 10k held-out rows. CrimeCast fits run single-threaded in this process;
// scikit-learn (when /usr/bin/python3 has it) fits the identical matrix, passed as .npy, in a subprocess
// with n_jobs=2 / OpenMP threads. Prints median fit time (wall and CPU) of `runs` fits and held-out
// accuracy (mean Poisson deviance, D², R²) for both.
// usage: npm run build && node bench/trees.mjs [runs=3]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GradientBoosting, RandomForest } from '../dist/models/trees/index.js';
import { readNpy, writeNpy } from '../dist/tensor/npy.js';
import { P, logRate, simulate, countAccuracy as accuracy, timeFits as timeRuns } from './_synthetic-learning.mjs';

const runs = Number(process.argv[2] ?? 3);
const nTrain = 50_000, nTest = 10_000, p = P;

const timeFits = (make) => { const t = timeRuns(make, runs); return { ...t, model: t.result }; };
const train = simulate(nTrain, 2024), test = simulate(nTest, 2025);
let trainMean = 0;
for (let i = 0; i < nTrain; i++) trainMean += train.y[i] / nTrain;

const ours = {
  rf: timeFits(() => new RandomForest({ nEstimators: 50, maxDepth: 12, maxFeatures: 'all' }).fit(train.X, nTrain, p, train.y, { seed: 1 })),
  gb: timeFits(() => new GradientBoosting({ objective: 'poisson', maxIter: 50, earlyStopping: false }).fit(train.X, nTrain, p, train.y, { seed: 1 })),
};

// scikit-learn on the identical matrices
let theirs = null;
const probe = spawnSync('/usr/bin/python3', ['-c', 'import sklearn; print(sklearn.__version__)'], { encoding: 'utf8' });
if (probe.status === 0) {
  const dir = mkdtempSync(join(tmpdir(), 'crimecast-trees-'));
  try {
    writeNpy(join(dir, 'Xtr.npy'), train.X, [nTrain, p]);
    writeNpy(join(dir, 'ytr.npy'), train.y, [nTrain]);
    writeNpy(join(dir, 'Xte.npy'), test.X, [nTest, p]);
    const py = `
import sys, json, time, numpy as np
from sklearn.ensemble import RandomForestRegressor, HistGradientBoostingRegressor
d, runs = sys.argv[1], int(sys.argv[2])
X, y, Xt = np.load(d + '/Xtr.npy'), np.load(d + '/ytr.npy'), np.load(d + '/Xte.npy')
makers = {
  'rf': lambda: RandomForestRegressor(n_estimators=50, max_depth=12, n_jobs=2, random_state=0),
  'gb': lambda: HistGradientBoostingRegressor(loss='poisson', max_iter=50, early_stopping=False, random_state=0),
}
out = {}
for name, make in makers.items():
  ts, cs = [], []
  for r in range(runs):
    m = make(); t = time.perf_counter(); c = time.process_time(); m.fit(X, y)
    ts.append(time.perf_counter() - t); cs.append(time.process_time() - c)
  np.save(d + '/pred_' + name + '.npy', m.predict(Xt).astype(np.float64))
  out[name] = [sorted(ts)[len(ts) // 2], sorted(cs)[len(cs) // 2]]
print(json.dumps(out))
`;
    const r = spawnSync('/usr/bin/python3', ['-c', py, dir, String(runs)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`scikit-learn run failed:\n${r.stderr}`);
    const secs = JSON.parse(r.stdout.trim().split('\n').pop());
    theirs = {};
    for (const k of ['rf', 'gb']) theirs[k] = { seconds: secs[k][0], cpu: secs[k][1], pred: readNpy(join(dir, `pred_${k}.npy`)).data };
    theirs.version = probe.stdout.trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  console.log('scikit-learn not available to /usr/bin/python3: CrimeCast figures only');
}

const truthMu = new Float64Array(nTest);
for (let i = 0; i < nTest; i++) truthMu[i] = Math.exp(logRate(test.X, i * p));
const oracle = accuracy(test.y, truthMu, trainMean);
console.log(`${nTrain} × ${p} train, ${nTest} held out; runs=${runs} (median fit time)${theirs ? `; scikit-learn ${theirs.version}` : ''}`);
console.log(`oracle (true rates): deviance ${oracle.deviance.toFixed(4)}  D² ${oracle.d2.toFixed(4)}  R² ${oracle.r2.toFixed(4)}`);
const labels = { rf: 'RandomForest (50 trees, depth 12, all features, squared error)', gb: 'GradientBoosting (50 iter, Poisson, 31 leaves)' };
for (const k of ['rf', 'gb']) {
  const mu = ours[k].model.predict(test.X, nTest);
  const a = accuracy(test.y, mu, trainMean);
  console.log(`\n${labels[k]}`);
  console.log(`  crimecast: ${ours[k].seconds.toFixed(2)} s (cpu ${ours[k].cpu.toFixed(2)} s)  deviance ${a.deviance.toFixed(4)}  D² ${a.d2.toFixed(4)}  R² ${a.r2.toFixed(4)}`);
  if (theirs) {
    const b = accuracy(test.y, theirs[k].pred, trainMean);
    console.log(`  sklearn:   ${theirs[k].seconds.toFixed(2)} s (cpu ${theirs[k].cpu.toFixed(2)} s)  deviance ${b.deviance.toFixed(4)}  D² ${b.d2.toFixed(4)}  R² ${b.r2.toFixed(4)}`);
    console.log(`  crimecast / sklearn: wall ${(ours[k].seconds / theirs[k].seconds).toFixed(2)}, cpu ${(ours[k].cpu / theirs[k].cpu).toFixed(2)}`);
  }
}
