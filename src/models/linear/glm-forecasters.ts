/** GLM forecasters on engineered features: Poisson and negative-binomial regression, and logistic occurrence. */
import { z } from 'zod';
import { flag, registerForecaster } from '../registry.js';
import { FeatureForecaster, learnedParams } from '../learned/feature-forecaster.js';
import type { Learner } from '../learned/learner.js';
import { Glm, type GlmFamily } from './glm.js';

const penalty = {
  lambda: z.coerce.number().nonnegative().default(1e-4),
  l1Ratio: z.coerce.number().min(0).max(1).default(0),
  /** Also give the model log(x + 0.5) of every count-like column: with a log link, rates scale with log counts. */
  logCounts: flag(true),
};

/** Columns that look like counts in the training data: all ≥ 0 and more than two distinct values. */
function countLikeColumns(X: Float32Array, n: number, p: number): number[] {
  const cols: number[] = [];
  for (let j = 0; j < p; j++) {
    let ok = true;
    const seen = new Set<number>();
    for (let i = 0; i < n && ok; i++) {
      const v = X[i * p + j];
      if (Number.isNaN(v)) continue;
      if (v < 0) ok = false;
      else if (seen.size < 3) seen.add(v);
    }
    if (ok && seen.size > 2) cols.push(j);
  }
  return cols;
}

function withLogs(X: Float32Array, n: number, p: number, cols: number[]): Float32Array {
  const q = p + cols.length;
  const out = new Float32Array(n * q);
  for (let i = 0; i < n; i++) {
    out.set(X.subarray(i * p, (i + 1) * p), i * q);
    for (let k = 0; k < cols.length; k++) out[i * q + p + k] = Math.log(X[i * p + cols[k]] + 0.5);
  }
  return out;
}

function glmLearner(family: GlmFamily, lambda: number, l1Ratio: number, logCounts: boolean): Learner & { model: Glm } {
  const model = new Glm({ family, lambda, l1Ratio });
  let cols: number[] = [];
  let p0 = 0;
  return {
    model,
    target: family === 'logistic' ? 'occurrence' : 'count',
    fit: (X, n, p, y, o) => {
      p0 = p;
      cols = logCounts ? countLikeColumns(X, n, p) : [];
      model.fit(withLogs(X, n, p, cols), n, p + cols.length, y, { sampleWeight: o?.sampleWeight });
    },
    predict: (X, n) => model.predict(withLogs(X, n, p0, cols), n),
  };
}

for (const [name, family, description] of [
  ['poisson-glm', 'poisson', 'Poisson regression (log link, elastic net) on lagged, spatial, calendar and covariate features.'],
  ['negbin-glm', 'negbin', 'Negative-binomial regression (log link, dispersion by ML) on the same features.'],
  ['logistic', 'logistic', 'Logistic regression of P(≥1 event) on the same features, with optional class weights.'],
] as const) {
  registerForecaster({
    name,
    family: 'linear',
    description,
    params: z.object({ ...learnedParams, ...penalty }),
    create: (p) => new FeatureForecaster(name, p, () => glmLearner(family, p.lambda, p.l1Ratio, p.logCounts)),
  });
}
