/**
 * A single CART tree (regression or binary classification) on the histogram grower; see cart.ts for the
 * split criteria. Hyper-parameters at construction, learned state after fit, scikit-learn style.
 */
import { Rng } from '../../util/rng.js';
import { UserError } from '../../util/errors.js';
import { BinMapper } from './binning.js';
import { cartGrowParams, cartStats, resolveCart, type CartOptions, type ResolvedCart } from './cart.js';
import { checkBinary, checkNonNegative, checkPredictX, checkXy, rowWeights, type TreeFitOptions } from './common.js';
import { normalizeImportance, type FlatTree } from './flat-tree.js';
import { TreeGrower } from './grower.js';
import { ensembleShap } from './treeshap.js';

export type DecisionTreeOptions = CartOptions;

export class DecisionTree {
  readonly params: Readonly<ResolvedCart>;
  tree: FlatTree | null = null;
  nFeatures = 0;

  constructor(options: DecisionTreeOptions = {}) {
    this.params = resolveCart(options, { maxFeatures: 'all' });
  }

  fit(X: Float32Array, nRows: number, nCols: number, y: Float32Array, opts: TreeFitOptions = {}): this {
    checkXy(X, nRows, nCols, y);
    const p = this.params;
    if (p.task === 'classification') checkBinary(y);
    if (p.criterion === 'poisson') checkNonNegative(y);
    const seed = opts.seed ?? 0;
    const mapper = new BinMapper(p.maxBins).fit(X, nRows, nCols, seed);
    const data = mapper.transform(X, nRows, nCols);
    const w = rowWeights(y, opts.sampleWeight, p.classWeight);
    const g = new Float64Array(nRows), h = new Float64Array(nRows);
    cartStats(y, w, g, h);
    const rows = new Uint32Array(nRows);
    let n = 0;
    for (let i = 0; i < nRows; i++) if (w[i] > 0) rows[n++] = i;
    if (n === 0) throw new UserError('no rows with positive weight');
    const grower = new TreeGrower(data, mapper.nBins, mapper.edges, cartGrowParams(p, nCols));
    this.tree = grower.grow(g, h, w, rows, n, new Rng(seed)).tree;
    this.nFeatures = nCols;
    return this;
  }

  private fitted(): FlatTree {
    if (!this.tree) throw new Error('DecisionTree: call fit before predict');
    return this.tree;
  }

  /** Regression: the leaf mean. Classification: P(y = 1) from predictProba. */
  predictValue(X: Float32Array, nRows: number): Float64Array {
    const t = this.fitted();
    checkPredictX(X, nRows, this.nFeatures);
    const out = new Float64Array(nRows);
    t.predictAdd(X, nRows, this.nFeatures, out);
    return out;
  }

  /** Regression: predicted mean. Classification: predicted label (1 when P(y = 1) ≥ 0.5). */
  predict(X: Float32Array, nRows: number): Float64Array {
    const v = this.predictValue(X, nRows);
    if (this.params.task === 'classification') for (let i = 0; i < nRows; i++) v[i] = v[i] >= 0.5 ? 1 : 0;
    return v;
  }

  /** P(y = 1) per row (classification). */
  predictProba(X: Float32Array, nRows: number): Float64Array {
    if (this.params.task !== 'classification') throw new Error('predictProba needs task: classification');
    return this.predictValue(X, nRows);
  }

  /** Gain-based importance: each feature's total impurity decrease, as fractions summing to 1. */
  featureImportance(): Float64Array {
    const imp = new Float64Array(this.nFeatures);
    this.fitted().addGains(imp);
    return normalizeImportance(imp);
  }

  /** Exact TreeSHAP values (rows × features, row-major) of predictValue; rows sum to it minus expectedValue. */
  shapValues(X: Float32Array, nRows: number): { values: Float64Array; expectedValue: number } {
    const t = this.fitted();
    checkPredictX(X, nRows, this.nFeatures);
    return ensembleShap([t], 1, 0, X, nRows, this.nFeatures);
  }
}
