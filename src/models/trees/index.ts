/**
 * Histogram tree learners — CART (DecisionTree), RandomForest, GradientBoosting — and exact TreeSHAP.
 *
 * All take a row-major Float32Array (NaN = missing), scikit-learn style:
 *   const gb = new GradientBoosting({ objective: 'poisson', maxIter: 200 });
 *   gb.fit(X, nRows, nCols, y, { sampleWeight, seed });
 *   const mu = gb.predict(Xnew, nNew);            // expected counts
 *   const { values, expectedValue } = gb.shapValues(Xnew, nNew); // log-rate contributions
 *   // ranking the rows of each group (e.g. the cells of each day) by NDCG@30 instead of a per-row likelihood:
 *   new GradientBoosting({ objective: 'lambdarank', truncation: 30 }).fit(X, nRows, nCols, y, { group: dayOfRow });
 * For a FeatureMatrix m (src/features/matrix.ts) pass m.X, m.nRows, m.nCols, m.y — after dropping the
 * forecast rows, whose y is NaN (selectRows).
 */
export { DecisionTree, type DecisionTreeOptions } from './decision-tree.js';
export { RandomForest, type RandomForestOptions } from './random-forest.js';
export { GradientBoosting, type GradientBoostingOptions, type BoostingObjective, type BoostingFitOptions } from './gradient-boosting.js';
export { indexGroups, lambdaGradients, ndcgLoss, type GroupIndex, type LabelGain } from './lambdarank.js';
export type { Objective } from './objectives.js';
export type { CartCriterion, CartOptions, CartTask } from './cart.js';
export type { ClassWeight, MaxFeatures, TreeFitOptions } from './common.js';
export { FlatTree } from './flat-tree.js';
export { BinMapper, MISSING_BIN } from './binning.js';
export { ShapWorkspace, treeShapAdd, ensembleShap } from './treeshap.js';
