/**
 * Trees as forecasters on the engineered features (issue #5): a decision tree, a random forest and gradient
 * boosting, each for counts (Poisson criterion / loss → expected count) or occurrence (P(≥1 event)).
 * All three share the histogram learner in this folder; the FeatureForecaster wrapper adds the features,
 * the training window and the validation-fitted negative-binomial dispersion.
 */
import { z } from 'zod';
import { flag, registerForecaster } from '../registry.js';
import { FeatureForecaster, learnedParams } from '../learned/feature-forecaster.js';
import type { Learner } from '../learned/learner.js';
import { DecisionTree } from './decision-tree.js';
import { RandomForest } from './random-forest.js';
import { GradientBoosting } from './gradient-boosting.js';
import type { MaxFeatures } from './common.js';

/** A fitted tree model that can explain its predictions (TreeSHAP) and rank its features. */
export interface TreeLearner extends Learner {
  /** Exact SHAP values per row × feature of the model's margin (log-rate for Poisson boosting, else the value). */
  shap(X: Float32Array, nRows: number): { values: Float64Array; expectedValue: number; scale: 'log-rate' | 'log-odds' | 'value' };
  importance(): Float64Array;
}

const task = z.enum(['count', 'occurrence']).default('count');
const nullableInt = (def: number) => z.coerce.number().int().nonnegative().default(def);
/** "sqrt" | "log2" | "all" | a count ≥ 1 | a fraction in (0, 1). */
const maxFeatures = (def: MaxFeatures) =>
  z.union([z.enum(['sqrt', 'log2', 'all']), z.coerce.number().positive()]).default(def);
/** 0 in a spec means "no limit". */
const lim = (v: number): number | null => (v === 0 ? null : v);

interface TreeModel {
  fit(X: Float32Array, n: number, p: number, y: Float32Array, o: { sampleWeight?: Float32Array; seed?: number }): unknown;
  shapValues(X: Float32Array, n: number): { values: Float64Array; expectedValue: number };
  featureImportance(): Float64Array;
}

function treeLearner<M extends TreeModel>(target: 'count' | 'occurrence', model: M,
  predict: (m: M, X: Float32Array, n: number) => Float64Array, scale: 'log-rate' | 'log-odds' | 'value'): TreeLearner & { model: M } {
  return {
    model,
    target,
    fit: (X, n, p, y, o) => { model.fit(X, n, p, y, { sampleWeight: o?.sampleWeight, seed: o?.seed }); },
    predict: (X, n) => Float32Array.from(predict(model, X, n)),
    shap: (X, n) => ({ ...model.shapValues(X, n), scale }),
    importance: () => model.featureImportance(),
  };
}

registerForecaster({
  name: 'decision-tree',
  family: 'trees',
  description: 'CART decision tree (Poisson criterion for counts, Gini for occurrence) on lagged, spatial, calendar and covariate features.',
  params: z.object({
    ...learnedParams,
    task,
    maxDepth: nullableInt(8),
    minSamplesLeaf: z.coerce.number().int().positive().default(20),
  }),
  create: (p) => new FeatureForecaster('decision-tree', p, () => {
    const occ = p.task === 'occurrence';
    const m = new DecisionTree({
      task: occ ? 'classification' : 'regression', criterion: occ ? 'gini' : 'poisson',
      maxDepth: lim(p.maxDepth), minSamplesLeaf: p.minSamplesLeaf,
    });
    return treeLearner(p.task, m, (t, X, n) => (occ ? t.predictProba(X, n) : t.predict(X, n)), 'value');
  }),
});

registerForecaster({
  name: 'random-forest',
  family: 'trees',
  description: 'Random forest (bootstrap + random feature subset per split, Poisson criterion for counts) on the engineered features.',
  params: z.object({
    ...learnedParams,
    task,
    nEstimators: z.coerce.number().int().positive().default(100),
    maxDepth: nullableInt(12),
    minSamplesLeaf: z.coerce.number().int().positive().default(10),
    maxFeatures: maxFeatures(0.5),
    /** Rows drawn per tree (0 = all): bounds the cost on large grids. */
    maxSamples: nullableInt(50000),
  }),
  create: (p) => new FeatureForecaster('random-forest', p, () => {
    const occ = p.task === 'occurrence';
    const m = new RandomForest({
      task: occ ? 'classification' : 'regression', criterion: occ ? 'gini' : 'poisson',
      nEstimators: p.nEstimators, maxDepth: lim(p.maxDepth), minSamplesLeaf: p.minSamplesLeaf,
      maxFeatures: p.maxFeatures as MaxFeatures, maxSamples: lim(p.maxSamples),
    });
    return treeLearner(p.task, m, (t, X, n) => (occ ? t.predictProba(X, n) : t.predict(X, n)), 'value');
  }),
});

registerForecaster({
  name: 'gbm',
  family: 'trees',
  description: 'Histogram gradient boosting (Poisson loss for counts, logistic for occurrence; early stopping on a held-out fraction) on the engineered features.',
  params: z.object({
    ...learnedParams,
    task,
    maxIter: z.coerce.number().int().positive().default(200),
    learningRate: z.coerce.number().positive().max(1).default(0.1),
    maxLeaves: nullableInt(31),
    maxDepth: nullableInt(0),
    minSamplesLeaf: z.coerce.number().int().positive().default(20),
    l2: z.coerce.number().nonnegative().default(0),
    earlyStopping: flag(true),
    /** 2: a worker thread sums half of large nodes' histograms (same model, faster on ~10⁵+ rows). */
    threads: z.coerce.number().int().min(1).max(2).default(1),
  }),
  create: (p) => new FeatureForecaster('gbm', p, () => {
    const occ = p.task === 'occurrence';
    const m = new GradientBoosting({
      objective: occ ? 'binary' : 'poisson', maxIter: p.maxIter, learningRate: p.learningRate,
      maxLeaves: lim(p.maxLeaves), maxDepth: lim(p.maxDepth), minSamplesLeaf: p.minSamplesLeaf,
      l2: p.l2, earlyStopping: p.earlyStopping, threads: p.threads,
    });
    return treeLearner(p.task, m, (t, X, n) => t.predict(X, n), occ ? 'log-odds' : 'log-rate');
  }),
});
