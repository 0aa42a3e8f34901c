/**
 * Random forest (Breiman 2001): CART trees (cart.ts criteria) each grown on a bootstrap sample with a fresh
 * random feature subset at every split, predictions averaged (regression: means; classification: P(y = 1)).
 *
 * Bootstrap draws become integer row weights (a row drawn k times weighs k), so every tree shares one
 * binned matrix and one row buffer; rows never drawn are the tree's out-of-bag rows, scored for the OOB
 * estimate. Trees are grown sequentially on one thread (Node has no cheap shared-memory parallel loop;
 * the histogram method makes one tree fast enough).
 */
import { Rng } from '../../util/rng.js';
import { UserError } from '../../util/errors.js';
import { BinMapper } from './binning.js';
import { cartGrowParams, cartStats, resolveCart, type CartOptions, type ResolvedCart } from './cart.js';
import { checkBinary, checkNonNegative, checkPredictX, checkXy, rowWeights, type TreeFitOptions } from './common.js';
import { normalizeImportance, type FlatTree } from './flat-tree.js';
import { TreeGrower } from './grower.js';
import { ensembleShap } from './treeshap.js';

export interface RandomForestOptions extends CartOptions {
  nEstimators?: number;
  /** Sample rows with replacement for each tree (false: every tree sees all rows, only features vary). */
  bootstrap?: boolean;
  /** Bootstrap size: a fraction in (0, 1] of the rows or a count; null = as many as rows. */
  maxSamples?: number | null;
  /** Score the out-of-bag rows (R² for regression, accuracy for classification). */
  oobScore?: boolean;
}

export class RandomForest {
  readonly params: Readonly<ResolvedCart & { nEstimators: number; bootstrap: boolean; maxSamples: number | null; oobScore: boolean }>;
  trees: FlatTree[] = [];
  nFeatures = 0;
  /** Out-of-bag score (NaN unless oobScore and bootstrap). */
  oobScore_ = NaN;
  /** Out-of-bag prediction per training row (NaN for rows in every bootstrap sample). */
  oobPrediction: Float64Array | null = null;

  constructor(o: RandomForestOptions = {}) {
    const cart = resolveCart(o, { maxFeatures: o.task === 'classification' ? 'sqrt' : 'all' });
    const nEstimators = o.nEstimators ?? 100;
    if (!Number.isInteger(nEstimators) || nEstimators < 1) throw new UserError(`nEstimators must be an integer ≥ 1, got ${nEstimators}`);
    const maxSamples = o.maxSamples ?? null;
    if (maxSamples !== null && !(maxSamples > 0)) throw new UserError(`maxSamples must be > 0, got ${maxSamples}`);
    this.params = { ...cart, nEstimators, bootstrap: o.bootstrap ?? true, maxSamples, oobScore: o.oobScore ?? false };
  }

  fit(X: Float32Array, nRows: number, nCols: number, y: Float32Array, opts: TreeFitOptions = {}): this {
    checkXy(X, nRows, nCols, y);
    const p = this.params;
    if (p.task === 'classification') checkBinary(y);
    if (p.criterion === 'poisson') checkNonNegative(y);
    const seed = opts.seed ?? 0, rng = new Rng(seed);
    const mapper = new BinMapper(p.maxBins).fit(X, nRows, nCols, seed);
    const data = mapper.transform(X, nRows, nCols);
    const grower = new TreeGrower(data, mapper.nBins, mapper.edges, cartGrowParams(p, nCols));
    const w = rowWeights(y, opts.sampleWeight, p.classWeight);
    const pos = new Uint32Array(nRows);
    let nPos = 0;
    for (let i = 0; i < nRows; i++) if (w[i] > 0) pos[nPos++] = i;
    if (nPos === 0) throw new UserError('no rows with positive weight');
    const draws = p.maxSamples === null ? nPos
      : p.maxSamples <= 1 && !Number.isInteger(p.maxSamples) ? Math.max(1, Math.round(p.maxSamples * nPos)) : Math.min(Math.floor(p.maxSamples), nPos);

    const count = new Uint32Array(nRows), wt = new Float64Array(nRows);
    const g = new Float64Array(nRows), h = new Float64Array(nRows), rows = new Uint32Array(nRows);
    const wantOob = p.oobScore && p.bootstrap;
    const oobSum = wantOob ? new Float64Array(nRows) : null, oobN = wantOob ? new Uint32Array(nRows) : null;
    this.trees = [];
    for (let t = 0; t < p.nEstimators; t++) {
      let n = 0;
      if (p.bootstrap) {
        count.fill(0);
        for (let k = 0; k < draws; k++) count[pos[rng.int(nPos)]]++;
        for (let k = 0; k < nPos; k++) {
          const r = pos[k];
          wt[r] = count[r] * w[r];
          if (count[r] > 0) rows[n++] = r;
        }
      } else {
        for (let k = 0; k < nPos; k++) { const r = pos[k]; wt[r] = w[r]; rows[n++] = r; }
      }
      cartStats(y, wt, g, h);
      const tree = grower.grow(g, h, wt, rows, n, rng).tree;
      this.trees.push(tree);
      if (oobSum && oobN) {
        for (let k = 0; k < nPos; k++) {
          const r = pos[k];
          if (count[r] > 0) continue;
          oobSum[r] += tree.value[tree.leafOfBinned(data.binned, nRows, r)];
          oobN[r]++;
        }
      }
    }
    this.nFeatures = nCols;
    if (oobSum && oobN) this.scoreOob(y, oobSum, oobN);
    return this;
  }

  private scoreOob(y: Float32Array, sum: Float64Array, cnt: Uint32Array): void {
    const pred = new Float64Array(y.length).fill(NaN);
    let n = 0, mean = 0;
    for (let i = 0; i < y.length; i++) if (cnt[i] > 0) { pred[i] = sum[i] / cnt[i]; n++; mean += y[i]; }
    this.oobPrediction = pred;
    if (n === 0) return;
    mean /= n;
    let a = 0, b = 0;
    for (let i = 0; i < y.length; i++) {
      if (!(cnt[i] > 0)) continue;
      if (this.params.task === 'classification') a += (pred[i] >= 0.5 ? 1 : 0) === y[i] ? 1 : 0;
      else { a += (y[i] - pred[i]) ** 2; b += (y[i] - mean) ** 2; }
    }
    this.oobScore_ = this.params.task === 'classification' ? a / n : 1 - a / b;
  }

  /** Mean of the trees: regression mean, or P(y = 1) for classification. */
  predictValue(X: Float32Array, nRows: number): Float64Array {
    if (this.nFeatures === 0) throw new Error('RandomForest: call fit before predict');
    checkPredictX(X, nRows, this.nFeatures);
    const out = new Float64Array(nRows), s = 1 / this.trees.length;
    for (const t of this.trees) t.predictAdd(X, nRows, this.nFeatures, out, s);
    return out;
  }

  /** Regression: mean. Classification: label (1 when P(y = 1) ≥ 0.5). */
  predict(X: Float32Array, nRows: number): Float64Array {
    const v = this.predictValue(X, nRows);
    if (this.params.task === 'classification') for (let i = 0; i < nRows; i++) v[i] = v[i] >= 0.5 ? 1 : 0;
    return v;
  }

  predictProba(X: Float32Array, nRows: number): Float64Array {
    if (this.params.task !== 'classification') throw new Error('predictProba needs task: classification');
    return this.predictValue(X, nRows);
  }

  /** Total impurity decrease per feature over all trees, as fractions summing to 1. */
  featureImportance(): Float64Array {
    const imp = new Float64Array(this.nFeatures);
    for (const t of this.trees) t.addGains(imp);
    return normalizeImportance(imp);
  }

  /** Exact TreeSHAP of predictValue: the average of the trees' SHAP values. */
  shapValues(X: Float32Array, nRows: number): { values: Float64Array; expectedValue: number } {
    if (this.nFeatures === 0) throw new Error('RandomForest: call fit before shapValues');
    checkPredictX(X, nRows, this.nFeatures);
    return ensembleShap(this.trees, 1 / this.trees.length, 0, X, nRows, this.nFeatures);
  }
}
