/**
 * The core of `crimecast explain`: fit a feature learner on the periods before a held-out span, then on the
 * held-out rows (which the fit never saw) measure permutation importance — how much the loss grows when one
 * feature's column is shuffled (src/models/explain/permutation-importance.ts) — and the partial dependence of the
 * most important features (src/models/explain/partial-dependence.ts): the mean forecast as the feature is set to
 * each value of a grid for every row.
 */
import type { History } from '../models/forecaster.js';
import { createForecaster } from '../models/registry.js';
import { FeatureForecaster } from '../models/learned/feature-forecaster.js';
import { historyBefore } from '../models/history-prefix.js';
import { logLoss, permutationImportance, poissonDevianceLoss } from '../models/explain/permutation-importance.js';
import { partialDependence } from '../models/explain/partial-dependence.js';
import { Rng } from '../util/rng.js';
import { UserError } from '../util/errors.js';

export interface ExplainOptions {
  /** Held-out periods at the end of the history. */
  holdout: number;
  repeats: number;
  seed: number;
  /** Partial dependence for this many of the most important features. */
  top: number;
  /** Grid values per partial-dependence curve. */
  grid: number;
  /** At most this many held-out rows (a seeded uniform sample beyond). */
  maxRows: number;
}

export interface FeatureImportance { feature: string; increase: number; sd: number; relative: number }

export interface ExplainResult {
  model: string;
  metric: string;
  scale: string;
  trainPeriods: [number, number];
  holdoutPeriods: [number, number];
  rows: { heldOut: number; used: number; sampled: boolean };
  repeats: number;
  seed: number;
  baselineLoss: number;
  importance: FeatureImportance[];
  partialDependence: { feature: string; grid: number[]; mean: number[] }[];
}

export async function explainModel(history: History, modelSpec: string, o: ExplainOptions): Promise<ExplainResult> {
  const model = createForecaster(modelSpec);
  if (!(model instanceof FeatureForecaster)) {
    throw new UserError(`explain needs a feature learner (gbm, random-forest, decision-tree, glm-poisson, …) that builds features from the history; "${modelSpec}" is not one`, 'run `crimecast models` for the list; families trees, linear, svm, neighbors and bayes are feature learners');
  }
  const T = history.tensor.periods;
  if (!(o.holdout >= 1 && T - o.holdout >= 2)) throw new UserError(`--holdout ${o.holdout} leaves ${T - o.holdout} of ${T} periods to train on: give a hold-out of 1 to ${T - 2} periods`);
  const cut = T - o.holdout;
  await model.fit(historyBefore(history, cut), { seed: o.seed });
  const learner = model.fittedLearner!;
  // features of held-out rows come from the periods before each row, as in a forecast (no look-ahead)
  const m = model.features(history, cut, T);
  let X = m.X, y: Float32Array = m.y, n = m.nRows;
  const sampled = n > o.maxRows;
  if (sampled) {
    const idx = Int32Array.from({ length: n }, (_, i) => i);
    new Rng(o.seed).shuffle(idx);
    const pick = idx.subarray(0, o.maxRows).sort();
    X = new Float32Array(o.maxRows * m.nCols); y = new Float32Array(o.maxRows);
    pick.forEach((row, i) => { X.set(m.X.subarray(row * m.nCols, (row + 1) * m.nCols), i * m.nCols); y[i] = m.y[row]; });
    n = o.maxRows;
  }
  const occurrence = learner.target === 'occurrence';
  // predictions on the scale the forecast uses: expected count, or P(≥ 1) for occurrence learners
  const predict = (Xp: Float32Array, rows: number) => learner.predict(Xp, rows).map((v) => (occurrence ? Math.min(Math.max(v, 0), 1) : Number.isFinite(v) && v > 0 ? v : 0));
  const target = occurrence ? Float32Array.from(y, (v) => (v > 0 ? 1 : 0)) : y;
  const imp = permutationImportance(predict, X, n, m.nCols, target, m.names, occurrence ? logLoss : poissonDevianceLoss, { repeats: o.repeats, seed: o.seed });
  const importance = m.names.map((feature, j) => ({ feature, increase: imp.mean[j], sd: imp.std[j], relative: imp.baseline > 0 ? imp.mean[j] / imp.baseline : NaN }))
    .sort((a, b) => b.increase - a.increase || a.feature.localeCompare(b.feature));
  const pd = importance.slice(0, o.top).map(({ feature }) => {
    const r = partialDependence(predict, X, n, m.nCols, m.names.indexOf(feature), feature, o.grid);
    // quantiles of a feature that is mostly 0 repeat the same value: keep each value once
    const keep = Array.from(r.grid.keys()).filter((k) => k === 0 || r.grid[k] !== r.grid[k - 1]);
    return { feature, grid: keep.map((k) => r.grid[k]), mean: keep.map((k) => r.mean[k]) };
  });
  return {
    model: modelSpec,
    metric: occurrence ? 'log loss of P(≥ 1) per row' : 'Poisson deviance per row',
    scale: occurrence ? 'P(at least one incident) per region × period × category' : 'expected incidents per region × period × category',
    trainPeriods: [0, cut], holdoutPeriods: [cut, T],
    rows: { heldOut: m.nRows, used: n, sampled },
    repeats: o.repeats, seed: o.seed, baselineLoss: imp.baseline, importance, partialDependence: pd,
  };
}
