/**
 * CART options shared by DecisionTree and RandomForest, mapped onto the histogram grower.
 *
 * Split criteria (all on weighted rows):
 * - 'squared_error' (regression): weighted variance reduction; leaves predict the weighted mean.
 * - 'poisson' (regression on counts): half Poisson deviance reduction; leaves predict the weighted mean,
 *   and a child with zero total count is never created (its rate would be 0, log-rate −∞).
 * - 'gini' (binary classification, y ∈ {0, 1}): Gini impurity decrease. For two classes the weighted
 *   Gini decrease equals twice the variance reduction of the 0/1 indicator, so it runs as 'squared_error'
 *   on the indicator and leaves hold the weighted fraction of positives, P(y = 1).
 * Only binary classification is supported; encode several classes as one-vs-rest.
 */
import { UserError } from '../../util/errors.js';
import { limit, resolveMaxFeatures, type ClassWeight, type MaxFeatures } from './common.js';
import type { GrowParams } from './grower.js';

export type CartTask = 'regression' | 'classification';
export type CartCriterion = 'squared_error' | 'poisson' | 'gini';

export interface CartOptions {
  task?: CartTask;
  /** Default: 'squared_error' for regression, 'gini' for classification. */
  criterion?: CartCriterion;
  /** null = unlimited. */
  maxDepth?: number | null;
  /** null = unlimited (grown depth-first); a number grows best-first. */
  maxLeaves?: number | null;
  minSamplesLeaf?: number;
  /** Minimum weighted impurity decrease of a split. */
  minGain?: number;
  maxFeatures?: MaxFeatures;
  /** Classification only. */
  classWeight?: ClassWeight;
  maxBins?: number;
}

export interface ResolvedCart {
  task: CartTask;
  criterion: CartCriterion;
  maxDepth: number;
  maxLeaves: number;
  minSamplesLeaf: number;
  minGain: number;
  maxFeatures: MaxFeatures;
  classWeight: ClassWeight;
  maxBins: number;
}

export function resolveCart(o: CartOptions, defaults: { maxFeatures: MaxFeatures }): ResolvedCart {
  const task = o.task ?? 'regression';
  if (task !== 'regression' && task !== 'classification') throw new UserError(`task must be regression or classification, got ${task}`);
  const criterion = o.criterion ?? (task === 'classification' ? 'gini' : 'squared_error');
  if (task === 'classification' && criterion !== 'gini') throw new UserError(`classification uses criterion 'gini', got ${criterion}`);
  if (task === 'regression' && criterion !== 'squared_error' && criterion !== 'poisson') {
    throw new UserError(`regression criterion must be squared_error or poisson, got ${criterion}`);
  }
  if (o.classWeight && task !== 'classification') throw new UserError('classWeight applies to classification only');
  const minSamplesLeaf = o.minSamplesLeaf ?? 1;
  if (!Number.isInteger(minSamplesLeaf) || minSamplesLeaf < 1) throw new UserError(`minSamplesLeaf must be an integer ≥ 1, got ${minSamplesLeaf}`);
  const minGain = o.minGain ?? 0;
  if (!(minGain >= 0)) throw new UserError(`minGain must be ≥ 0, got ${minGain}`);
  return {
    task, criterion, minSamplesLeaf, minGain,
    maxDepth: limit('maxDepth', o.maxDepth), maxLeaves: limit('maxLeaves', o.maxLeaves),
    maxFeatures: o.maxFeatures ?? defaults.maxFeatures, classWeight: o.classWeight ?? null, maxBins: o.maxBins ?? 255,
  };
}

export function cartGrowParams(r: ResolvedCart, nCols: number): GrowParams {
  return {
    maxDepth: r.maxDepth, maxLeaves: r.maxLeaves, minSamplesLeaf: r.minSamplesLeaf, minHessian: 0,
    minGain: r.minGain, l2: 0, maxFeatures: resolveMaxFeatures(r.maxFeatures, nCols),
    criterion: r.criterion === 'poisson' ? 'poisson' : 'gradient',
  };
}

/** CART as gradient statistics: g = −w·y, h = w make −G/H the weighted mean and the gain the impurity decrease. */
export function cartStats(y: Float32Array, w: Float64Array, g: Float64Array, h: Float64Array): void {
  for (let i = 0; i < y.length; i++) { g[i] = -w[i] * y[i]; h[i] = w[i]; }
}
