#!/usr/bin/env node
// Non-tree feature learners against scikit-learn on the same data: the seeded synthetic count matrix of
// bench/trees.mjs (a known nonlinear log-rate, 20 features, 7 informative) and its occurrence target y > 0.
// CrimeCast fits run single-threaded in this process; scikit-learn (when /usr/bin/python3 has it) fits the
// identical matrices, passed as .npy, in a subprocess. Both sides standardise the features (CrimeCast does it
// inside fit; sklearn gets a StandardScaler in a pipeline, timed with the fit). Prints median fit time (wall
// and CPU) of `runs` fits and held-out accuracy for both:
// - GLM Poisson / logistic, ridge: CrimeCast minimises mean −log-lik + λ/2·|β|² on standardised features,
//   which is PoissonRegressor(alpha=λ) and LogisticRegression(C=1/(λ·n)); coefficients are compared too.
// - SVM linear (50k rows) and RBF (10k rows, O(n²)): CrimeCast trains the hinge-loss dual on 80% of the rows
//   and fits Platt's sigmoid on the other 20%; the sklearn side does the same (LinearSVC(loss='hinge') /
//   SVC(kernel='rbf'), same C and gamma, then a sigmoid on held-out decision values). SVC(probability=True),
//   which runs 5-fold internal Platt (six SVM fits), is shown as an extra reference row for RBF. Both sides
//   get sklearn's 'balanced' class weights n / (2·n_class): with 82% positives and unit weights the linear
//   hinge optimum is the constant classifier (w = 0), and the AUC would only rank solver round-off.
// - k-NN regression: bench/knn.mjs (interleaved with scikit-learn run by run).
// - Gaussian naive Bayes vs GaussianNB; TAN has no sklearn counterpart and is reported alone.
// usage: npm run build && node bench/learners.mjs [runs=3]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Glm } from '../dist/models/linear/glm.js';
import { SupportVectorMachine } from '../dist/models/svm/svm.js';
import { GaussianNaiveBayes } from '../dist/models/bayes/naive-bayes.js';
import { TreeAugmentedNaiveBayes } from '../dist/models/bayes/tan.js';
import { aucRoc } from '../dist/evaluate/metrics/occurrence.js';
import { readNpy, writeNpy } from '../dist/tensor/npy.js';
import { P, logRate, simulate, countAccuracy as countStats, timeFits as timeRuns } from './_synthetic-learning.mjs';

const runs = Number(process.argv[2] ?? 3);
if (!(Number.isInteger(runs) && runs >= 1)) throw new Error(`runs must be a positive integer, got "${process.argv[2]}"; usage: node bench/learners.mjs [runs=3]`);
const nTrain = 50_000, nTest = 10_000, p = P;
const nRbf = 10_000;
const lambda = 1e-3, C = 1, gamma = 1 / p;

const countAccuracy = (y, mu, trainMean) => {
  const a = countStats(y, mu, trainMean);
  return `deviance ${a.deviance.toFixed(4)}  D² ${a.d2.toFixed(4)}  R² ${a.r2.toFixed(4)}`;
};

/** AUC and mean log loss (probabilities clipped to [1e-15, 1 − 1e-15], as sklearn's log_loss). */
function occurrenceAccuracy(occ, prob) {
  let ll = 0;
  for (let i = 0; i < occ.length; i++) {
    const q = Math.min(Math.max(prob[i], 1e-15), 1 - 1e-15);
    ll -= occ[i] > 0 ? Math.log(q) : Math.log(1 - q);
  }
  return `AUC ${aucRoc(prob, occ).toFixed(4)}  log loss ${(ll / occ.length).toFixed(4)}`;
}

const timeFits = (make) => timeRuns(make, runs);

const train = simulate(nTrain, 2024), test = simulate(nTest, 2025);
let trainMean = 0;
for (let i = 0; i < nTrain; i++) trainMean += train.y[i] / nTrain;
// rows are iid, so leading blocks are random subsamples
const rbfX = train.X.subarray(0, nRbf * p), rbfOcc = train.occ.subarray(0, nRbf);

const fitted = (m, X, n, y, sampleWeight) => { m.fit(X, n, p, y, { seed: 1, sampleWeight }); return m; };
/** sklearn's class_weight='balanced' per row: n / (2·n_class). */
function balanced(occ) {
  let pos = 0;
  for (const v of occ) pos += v;
  return Float32Array.from(occ, (v) => occ.length / (2 * (v > 0 ? pos : occ.length - pos)));
}
const ours = {
  poisson: timeFits(() => fitted(new Glm({ family: 'poisson', lambda, l1Ratio: 0, maxIter: 100, tol: 1e-10 }), train.X, nTrain, train.y)),
  logistic: timeFits(() => fitted(new Glm({ family: 'logistic', lambda, l1Ratio: 0, maxIter: 100, tol: 1e-10 }), train.X, nTrain, train.occ)),
  svmLinear: timeFits(() => fitted(new SupportVectorMachine({ kernel: 'linear', C }), train.X, nTrain, train.occ, balanced(train.occ))),
  // a fixed 100 epochs, beside the default relative stopping rule (liblinear's)
  svmLinear100: timeFits(() => fitted(new SupportVectorMachine({ kernel: 'linear', C, epochs: 100 }), train.X, nTrain, train.occ, balanced(train.occ))),
  svmRbf: timeFits(() => fitted(new SupportVectorMachine({ kernel: 'rbf', C, gamma, maxTrain: nRbf }), rbfX, nRbf, rbfOcc, balanced(rbfOcc))),
  gnb: timeFits(() => fitted(new GaussianNaiveBayes(1e-9), train.X, nTrain, train.occ)),
  tan: timeFits(() => fitted(new TreeAugmentedNaiveBayes(5, 1), train.X, nTrain, train.occ)),
};

// scikit-learn on the identical matrices
let theirs = null;
const probe = spawnSync('/usr/bin/python3', ['-c', 'import sklearn; print(sklearn.__version__)'], { encoding: 'utf8' });
if (probe.status === 0) {
  const dir = mkdtempSync(join(tmpdir(), 'crimecast-learners-'));
  try {
    writeNpy(join(dir, 'Xtr.npy'), train.X, [nTrain, p]);
    writeNpy(join(dir, 'ytr.npy'), train.y, [nTrain]);
    writeNpy(join(dir, 'Xte.npy'), test.X, [nTest, p]);
    const py = `
import sys, json, time, warnings, numpy as np
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import PoissonRegressor, LogisticRegression
from sklearn.svm import LinearSVC, SVC
from sklearn.naive_bayes import GaussianNB
warnings.filterwarnings('ignore')  # liblinear's ConvergenceWarning is reported through the accuracy instead
d, runs, lam, C, gamma = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
nRbf = ${nRbf}
X = np.load(d + '/Xtr.npy').astype(np.float64); y = np.load(d + '/ytr.npy').astype(np.float64)
Xt = np.load(d + '/Xte.npy').astype(np.float64); occ = (y > 0).astype(np.float64)
n = X.shape[0]
def balanced(t):  # class_weight='balanced' as per-row weights, n / (2·n_class), from the rows being fitted
  pos = t.sum(); return np.where(t > 0, len(t) / (2 * pos), len(t) / (2 * (len(t) - pos)))

class HeldOutPlatt:
  """SVM on a seeded 80% of the rows, Platt's sigmoid on the decision values of the other 20% (CrimeCast's protocol)."""
  def __init__(self, svm): self.svm = svm
  def fit(self, X, y, sample_weight):
    order = np.random.default_rng(1).permutation(len(y)); nCal = min(len(y) // 5, 20000)
    cal, tr = order[:nCal], order[nCal:]
    self.scaler = StandardScaler().fit(X)
    Z = self.scaler.transform(X)
    self.svm.fit(Z[tr], y[tr], sample_weight=sample_weight[tr])
    self.platt = LogisticRegression(C=1e10).fit(self.svm.decision_function(Z[cal])[:, None], y[cal])
    return self
  def predict_proba(self, X):
    return self.platt.predict_proba(self.svm.decision_function(self.scaler.transform(X))[:, None])

def glm(reg): return make_pipeline(StandardScaler(), reg)
tasks = {
  'poisson': (lambda: glm(PoissonRegressor(alpha=lam, solver='newton-cholesky', max_iter=1000, tol=1e-10)), X, y, 'mean'),
  'logistic': (lambda: glm(LogisticRegression(C=1 / (lam * n), solver='newton-cholesky', max_iter=1000, tol=1e-10)), X, occ, 'proba'),
  'svmLinear': (lambda: HeldOutPlatt(LinearSVC(loss='hinge', C=C, dual=True, random_state=0)), X, occ, 'proba', {'sample_weight': balanced(occ)}),
  'svmRbf': (lambda: HeldOutPlatt(SVC(kernel='rbf', C=C, gamma=gamma)), X[:nRbf], occ[:nRbf], 'proba', {'sample_weight': balanced(occ[:nRbf])}),
  'svmRbfProb': (lambda: make_pipeline(StandardScaler(), SVC(kernel='rbf', C=C, gamma=gamma, probability=True, random_state=0)), X[:nRbf], occ[:nRbf], 'proba', {'svc__sample_weight': balanced(occ[:nRbf])}),
  'gnb': (lambda: GaussianNB(var_smoothing=1e-9), X, occ, 'proba'),
}
out = {}
for name, (make, Xf, yf, kind, *fitkw) in tasks.items():
  ts, cs = [], []
  for r in range(runs):
    m = make(); t = time.perf_counter(); c = time.process_time()
    m.fit(Xf, yf, **(fitkw[0] if fitkw else {}))
    ts.append(time.perf_counter() - t); cs.append(time.process_time() - c)
  if kind == 'mean': pred = m.predict(Xt)
  elif kind == 'proba': pred = m.predict_proba(Xt)[:, 1]
  np.save(d + '/pred_' + name + '.npy', np.asarray(pred, dtype=np.float64))
  out[name] = {'wall': sorted(ts)[len(ts) // 2], 'cpu': sorted(cs)[len(cs) // 2]}
  if name in ('poisson', 'logistic'):
    reg = m[-1]
    out[name]['coef'] = reg.coef_.ravel().tolist()
    sc = m[0]  # intercept back on the original feature scale, as Glm reports it
    out[name]['intercept'] = float(np.ravel(reg.intercept_)[0] - np.sum(reg.coef_.ravel() * sc.mean_ / sc.scale_))
print(json.dumps(out))
`;
    const r = spawnSync('/usr/bin/python3', ['-c', py, dir, String(runs), String(lambda), String(C), String(gamma)],
      { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`scikit-learn run failed:\n${r.stderr}`);
    theirs = JSON.parse(r.stdout.trim().split('\n').pop());
    for (const name of Object.keys(theirs)) theirs[name].pred = readNpy(join(dir, `pred_${name}.npy`)).data;
    theirs.version = probe.stdout.trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  console.log('scikit-learn not available to /usr/bin/python3 (Debian: apt-get install python3-sklearn): CrimeCast figures only');
}

const truthMu = new Float64Array(nTest);
for (let i = 0; i < nTest; i++) truthMu[i] = Math.exp(logRate(test.X, i * p));
const truthP = Float64Array.from(truthMu, (m) => 1 - Math.exp(-m));
console.log(`${nTrain} × ${p} train, ${nTest} held out (SVM RBF: ${nRbf} train rows); runs=${runs} (median)${theirs ? `; scikit-learn ${theirs.version}` : ''}`);
console.log(`oracle (true rates): counts ${countAccuracy(test.y, truthMu, trainMean)}; occurrence ${occurrenceAccuracy(test.occ, truthP)}`);

const row = (side, t, acc) => `  ${side.padEnd(13)}${t.seconds.toFixed(3).padStart(8)} s (cpu ${t.cpu.toFixed(3).padStart(7)} s)  ${acc}`;
const walls = (t) => ({ seconds: t.wall, cpu: t.cpu });
const ratio = (a, b) => `  crimecast / sklearn: wall ${(a.seconds / b.wall).toFixed(2)}, cpu ${(a.cpu / b.cpu).toFixed(2)}`;

function report(key, label, ourPred, accuracy, extra = () => {}) {
  console.log(`\n${label}`);
  console.log(row('crimecast:', ours[key], accuracy(ourPred)));
  if (theirs?.[key]) {
    console.log(row('sklearn:', walls(theirs[key]), accuracy(theirs[key].pred)));
    console.log(ratio(ours[key], theirs[key]));
    extra();
  }
}

const maxAbsDiff = (a, b) => a.reduce((m, v, j) => Math.max(m, Math.abs(v - b[j])), 0);
for (const [key, fam, target] of [['poisson', 'Poisson', 'counts'], ['logistic', 'logistic', 'y > 0']]) {
  const model = ours[key].result;
  const acc = key === 'poisson' ? (mu) => countAccuracy(test.y, mu, trainMean) : (q) => occurrenceAccuracy(test.occ, q);
  report(key, `Glm ${fam}, ridge λ = ${lambda} (${target}; ${model.iterations} IRLS iterations${model.converged ? '' : ', NOT converged'})`,
    model.predict(test.X, nTest), acc, () => {
      const ourStd = model.standardizedCoef();
      console.log(`  max |Δ standardised coef| ${maxAbsDiff(ourStd, theirs[key].coef).toExponential(2)}`
        + ` (largest |coef| ${Math.max(...ourStd.map(Math.abs)).toFixed(3)}); |Δ intercept| ${Math.abs(model.intercept - theirs[key].intercept).toExponential(2)}`);
    });
}
const occAcc = (q) => occurrenceAccuracy(test.occ, q);
report('svmLinear', `SVM linear, C = ${C}, balanced class weights (y > 0; ${Math.round(nTrain * 0.8)} rows train the hinge dual, ${Math.round(nTrain * 0.2)} fit Platt)`,
  ours.svmLinear.result.predict(test.X, nTest), occAcc);
console.log(row('epochs=100:', ours.svmLinear100, occAcc(ours.svmLinear100.result.predict(test.X, nTest))));
if (theirs) console.log(ratio(ours.svmLinear100, theirs.svmLinear).replace('crimecast', 'crimecast (epochs=100)'));
report('svmRbf', `SVM RBF, C = ${C}, γ = ${gamma}, balanced class weights (y > 0; ${nRbf * 0.8} rows train, ${nRbf * 0.2} fit Platt)`,
  ours.svmRbf.result.predict(test.X, nTest), occAcc, () => {
    console.log(`  reference: sklearn SVC(probability=True) on all ${nRbf} rows (5-fold internal Platt, 6 SVM fits)`);
    console.log(row('sklearn:', walls(theirs.svmRbfProb), occAcc(theirs.svmRbfProb.pred)));
  });
report('gnb', 'Gaussian naive Bayes (y > 0)', ours.gnb.result.predict(test.X, nTest), occAcc);
report('tan', 'Tree-augmented naive Bayes, 5 equal-frequency bins (y > 0; no sklearn counterpart)', ours.tan.result.predict(test.X, nTest), occAcc);
