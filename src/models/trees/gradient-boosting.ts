/**
 * Histogram gradient boosting (Friedman 2001 with Newton leaf values, as LightGBM / XGBoost /
 * scikit-learn HistGradientBoosting): each round fits a tree to the gradient and hessian of the loss at the
 * current margin, leaves predict −G/(H + λ), and the tree is added shrunk by the learning rate.
 *
 * Objectives: 'squared_error' (identity link), 'poisson' (log link: predict returns the expected count,
 * predictRaw the log-rate), 'binary' (logit link: predict returns P(y = 1)), 'lambdarank' (a score that ranks the
 * rows of each group, `fit(…, { group })`; predict returns the score, which is not a count — see lambdarank.ts).
 * With early stopping a seeded validation fraction of the rows (of the groups, for lambdarank) is held out;
 * boosting stops after nIterNoChange rounds without the validation loss improving by tol, and the trees beyond
 * the best round are dropped.
 */
import { Rng } from '../../util/rng.js';
import { UserError } from '../../util/errors.js';
import { BinMapper, type BinnedMatrix } from './binning.js';
import { checkBinary, checkNonNegative, checkPredictX, checkXy, limit, resolveMaxFeatures, rowWeights,
  type ClassWeight, type MaxFeatures, type TreeFitOptions } from './common.js';
import { normalizeImportance, type FlatTree } from './flat-tree.js';
import { TreeGrower } from './grower.js';
import { OBJECTIVES, type Objective } from './objectives.js';
import { indexGroups, lambdaGradients, ndcgLoss, type GroupIndex, type LabelGain } from './lambdarank.js';
import { ensembleShap } from './treeshap.js';

export type BoostingObjective = Objective | 'lambdarank';

export interface GradientBoostingOptions {
  objective?: BoostingObjective;
  /** Boosting rounds (upper bound under early stopping). */
  maxIter?: number;
  learningRate?: number;
  /** Leaves per tree (trees grow best-first); null = unlimited. */
  maxLeaves?: number | null;
  /** null = unlimited. */
  maxDepth?: number | null;
  minSamplesLeaf?: number;
  /** L2 regularisation λ of leaf values. */
  l2?: number;
  /** Minimum hessian sum in a leaf (guards −G/H on near-zero hessians, e.g. rare events). */
  minHessian?: number;
  minGain?: number;
  maxBins?: number;
  /** Features examined per split (default all). */
  maxFeatures?: MaxFeatures;
  /** true, false, or 'auto' (on when more than 10 000 rows, as scikit-learn). */
  earlyStopping?: boolean | 'auto';
  validationFraction?: number;
  nIterNoChange?: number;
  tol?: number;
  /** Binary objective only. */
  classWeight?: ClassWeight;
  /**
   * Largest |leaf value| before shrinkage (Infinity = none). Default 0.7 for Poisson, as XGBoost and LightGBM:
   * with the log link a sparse-count leaf's Newton step −G/H ≈ (ȳ − μ)/μ is huge when μ is small (a cell with
   * mean 2 against a base rate of 0.02 steps by ~100), so unclipped boosting overshoots and early stopping
   * rejects every round.
   */
  maxDeltaStep?: number;
  /**
   * Threads for the histograms of large nodes: 2 sums half the features in a worker thread (bit-identical fits;
   * pays from ~10⁵ rows, bench/trees.mjs). Default 1.
   */
  threads?: number;
  /** lambdarank: NDCG depth; pairs need one side in the current top `truncation` of their group. Default 30. */
  truncation?: number;
  /** lambdarank: slope σ of the pairwise logistic. Default 1. */
  sigma?: number;
  /** lambdarank: gain of a label, y ('linear', default: hits count incidents) or 2^y − 1 ('exponential'). */
  labelGain?: LabelGain;
}

/** Fit options of GradientBoosting: lambdarank also needs each row's group (e.g. its period). */
export interface BoostingFitOptions extends TreeFitOptions {
  /** Group id per row; rows of a group are ranked against each other (lambdarank only). */
  group?: ArrayLike<number>;
}

type Resolved = Required<Omit<GradientBoostingOptions, 'classWeight'>> & { classWeight: ClassWeight; maxLeaves: number; maxDepth: number };

/** What boosting needs from a loss: initial margin, gradients on the training rows, loss on either split. */
interface Trainer {
  init(): number;
  /** Writes g, h on the training rows and returns their loss at F. */
  gradients(F: Float64Array, g: Float64Array, h: Float64Array): number;
  trainLoss(F: Float64Array): number;
  valLoss(F: Float64Array): number;
}

export class GradientBoosting {
  readonly params: Readonly<Resolved>;
  trees: FlatTree[] = [];
  /** Initial margin (log mean for Poisson, log-odds for binary). */
  baseScore = 0;
  nFeatures = 0;
  /** Validation loss after each kept round (empty without early stopping). */
  validationLoss: number[] = [];
  /** Training loss after each kept round. */
  trainLoss: number[] = [];
  /**
   * lambdarank only: groups on each side of the split and how many have a positive label — a group without one
   * has nothing to rank and adds no gradient (shown so a caller can report the share).
   */
  rankingGroups: { train: number; trainWithPositive: number; validation: number; validationWithPositive: number } | null = null;

  constructor(o: GradientBoostingOptions = {}) {
    const objective = o.objective ?? 'squared_error';
    if (!(objective in OBJECTIVES) && objective !== 'lambdarank') {
      throw new UserError(`objective must be squared_error, poisson, binary or lambdarank, got ${objective}`);
    }
    const p: Resolved = {
      objective,
      maxIter: o.maxIter ?? 100,
      learningRate: o.learningRate ?? 0.1,
      maxLeaves: limit('maxLeaves', o.maxLeaves === undefined ? 31 : o.maxLeaves),
      maxDepth: limit('maxDepth', o.maxDepth),
      minSamplesLeaf: o.minSamplesLeaf ?? 20,
      l2: o.l2 ?? 0,
      minHessian: o.minHessian ?? 1e-3,
      minGain: o.minGain ?? 0,
      maxBins: o.maxBins ?? 255,
      maxFeatures: o.maxFeatures ?? 'all',
      earlyStopping: o.earlyStopping ?? 'auto',
      validationFraction: o.validationFraction ?? 0.1,
      nIterNoChange: o.nIterNoChange ?? 10,
      tol: o.tol ?? 1e-7,
      classWeight: o.classWeight ?? null,
      maxDeltaStep: o.maxDeltaStep ?? (objective === 'poisson' ? 0.7 : Infinity),
      threads: o.threads ?? 1,
      truncation: o.truncation ?? 30,
      sigma: o.sigma ?? 1,
      labelGain: o.labelGain ?? 'linear',
    };
    if (!Number.isInteger(p.maxIter) || p.maxIter < 1) throw new UserError(`maxIter must be an integer ≥ 1, got ${p.maxIter}`);
    if (!(p.learningRate > 0)) throw new UserError(`learningRate must be > 0, got ${p.learningRate}`);
    if (!(p.l2 >= 0) || !(p.minHessian >= 0) || !(p.minGain >= 0)) throw new UserError('l2, minHessian and minGain must be ≥ 0');
    if (!(p.validationFraction > 0 && p.validationFraction < 1)) throw new UserError(`validationFraction must lie in (0, 1)`);
    if (!(p.threads === 1 || p.threads === 2)) throw new UserError(`threads must be 1 or 2, got ${p.threads}`);
    if (!(p.maxDeltaStep > 0)) throw new UserError(`maxDeltaStep must be > 0, got ${p.maxDeltaStep}`);
    if (p.classWeight && objective !== 'binary') throw new UserError('classWeight applies to the binary objective only');
    if (!Number.isInteger(p.truncation) || p.truncation < 1) throw new UserError(`truncation must be an integer ≥ 1, got ${p.truncation}`);
    if (!(p.sigma > 0)) throw new UserError(`sigma must be > 0, got ${p.sigma}`);
    if (p.labelGain !== 'linear' && p.labelGain !== 'exponential') throw new UserError(`labelGain must be linear or exponential, got ${p.labelGain}`);
    this.params = p;
  }

  fit(X: Float32Array, nRows: number, nCols: number, y: Float32Array, opts: BoostingFitOptions = {}): this {
    checkXy(X, nRows, nCols, y);
    const p = this.params, ranking = p.objective === 'lambdarank';
    if (p.objective === 'binary') checkBinary(y);
    if (p.objective === 'poisson') checkNonNegative(y);
    if (ranking) checkNonNegative(y, 'lambdarank (labels are relevance counts)');
    if (ranking && !opts.group) throw new UserError('the lambdarank objective needs fit(…, { group }): a group id per row (e.g. its period)');
    if (!ranking && opts.group) throw new UserError(`group applies to the lambdarank objective only, not ${p.objective}`);
    if (opts.group && opts.group.length !== nRows) throw new UserError(`group holds ${opts.group.length} ids, expected ${nRows}`);
    if (opts.group) for (let i = 0; i < nRows; i++) {
      if (!Number.isFinite(opts.group[i])) throw new UserError(`group[${i}] must be a finite id, got ${opts.group[i]}`);
    }
    const seed = opts.seed ?? 0, rng = new Rng(seed);
    const w = rowWeights(y, opts.sampleWeight, p.classWeight);

    // rows with positive weight, split into training and validation (seeded shuffle; whole groups for ranking)
    const all = new Uint32Array(nRows);
    let nAll = 0;
    for (let i = 0; i < nRows; i++) if (w[i] > 0) all[nAll++] = i;
    const early = p.earlyStopping === 'auto' ? nAll > 10_000 : p.earlyStopping;
    let valRows: Uint32Array, trainRows: Uint32Array;
    if (ranking) [trainRows, valRows] = splitByGroup(opts.group!, all.subarray(0, nAll), early ? p.validationFraction : 0, rng);
    else {
      let nVal = 0;
      if (early) {
        rng.shuffle(all.subarray(0, nAll));
        nVal = Math.max(1, Math.floor(nAll * p.validationFraction));
      }
      // ascending row order makes every node's gathers move forward through memory
      valRows = all.slice(0, nVal).sort(); trainRows = all.slice(nVal, nAll).sort();
    }
    const nTrain = trainRows.length;
    if (nTrain < 1) throw new UserError('no training rows with positive weight');

    const mapper = new BinMapper(p.maxBins).fit(X, nRows, nCols, seed);
    const data = mapper.transform(X, nRows, nCols);
    const grower = new TreeGrower(data, mapper.nBins, mapper.edges, {
      maxDepth: p.maxDepth, maxLeaves: p.maxLeaves, minSamplesLeaf: p.minSamplesLeaf, minHessian: p.minHessian,
      minGain: p.minGain, l2: p.l2, maxFeatures: resolveMaxFeatures(p.maxFeatures, nCols), criterion: 'gradient',
      threads: p.threads,
    });
    const trainer = ranking ? this.rankingTrainer(y, w, opts.group!, trainRows, valRows) : this.pointwiseTrainer(y, w, trainRows, valRows);
    try {
      this.boost(trainer, w, nRows, nCols, data, grower, trainRows, valRows, early, rng);
    } finally {
      grower.dispose();
    }
    return this;
  }

  private pointwiseTrainer(y: Float32Array, w: Float64Array, trainRows: Uint32Array, valRows: Uint32Array): Trainer {
    const obj = OBJECTIVES[this.params.objective as Objective];
    return {
      init: () => obj.init(y, w, trainRows, trainRows.length),
      gradients: (F, g, h) => obj.gradients(y, w, F, g, h, trainRows, trainRows.length),
      trainLoss: (F) => obj.loss(y, w, F, trainRows, trainRows.length),
      valLoss: (F) => obj.loss(y, w, F, valRows, valRows.length),
    };
  }

  private rankingTrainer(y: Float32Array, w: Float64Array, group: ArrayLike<number>, trainRows: Uint32Array, valRows: Uint32Array): Trainer {
    const p = this.params, rp = { truncation: p.truncation, sigma: p.sigma, labelGain: p.labelGain };
    const tg: GroupIndex = indexGroups(group, trainRows), vg: GroupIndex = indexGroups(group, valRows);
    this.rankingGroups = {
      train: tg.offsets.length - 1, trainWithPositive: groupsWithPositive(y, tg),
      validation: vg.offsets.length - 1, validationWithPositive: groupsWithPositive(y, vg),
    };
    const G = this.rankingGroups;
    // a held-out side with nothing to rank would score every round 0 and early stopping would keep no tree
    if (G.validation > 0 && G.validationWithPositive === 0) {
      throw new UserError(`early stopping held out ${G.validation} of ${G.train + G.validation} groups and none has a positive label, so the ` +
        'validation ranking cannot be scored: raise validationFraction or set earlyStopping: false');
    }
    if (G.trainWithPositive === 0) throw new UserError('no training group has a positive label: there is nothing to rank');
    return {
      init: () => 0, // scores are only compared within a group: any constant ranks the same
      gradients: (F, g, h) => lambdaGradients(y, w, F, g, h, tg, rp),
      trainLoss: (F) => ndcgLoss(y, F, tg, p.truncation, p.labelGain),
      valLoss: (F) => ndcgLoss(y, F, vg, p.truncation, p.labelGain),
    };
  }

  /** The boosting rounds of fit. */
  private boost(trainer: Trainer, w: Float64Array, nRows: number, nCols: number, data: BinnedMatrix, grower: TreeGrower,
    trainRows: Uint32Array, valRows: Uint32Array, early: boolean, rng: Rng): void {
    const p = this.params;
    const nTrain = trainRows.length, nVal = valRows.length;

    this.baseScore = trainer.init();
    const F = new Float64Array(nRows).fill(this.baseScore);
    const g = new Float64Array(nRows), h = new Float64Array(nRows);
    const rows = grower.rowBuffer(nTrain);
    this.trees = []; this.validationLoss = []; this.trainLoss = [];
    let best = early ? trainer.valLoss(F) : Infinity, bestIter = 0, sinceBest = 0;

    // unit weights: the grower takes node cover from row counts instead of summing weights
    let unit = true;
    for (let i = 0; i < nRows && unit; i++) unit = w[i] === 1;
    const coverW = unit ? null : w;
    for (let it = 0; it < p.maxIter; it++) {
      // the gradient pass also yields the training loss of the previous round's margins
      const lossBefore = trainer.gradients(F, g, h);
      if (it > 0) this.trainLoss.push(lossBefore);
      rows.set(trainRows);
      const grown = grower.grow(g, h, coverW, rows, nTrain, rng);
      const tree = grown.tree;
      if (p.maxDeltaStep < Infinity) {
        for (let k = 0; k < tree.nNodes; k++) tree.value[k] = Math.max(-p.maxDeltaStep, Math.min(p.maxDeltaStep, tree.value[k]));
      }
      tree.scaleValues(p.learningRate);
      // training margins: each leaf's rows are a contiguous range of `rows`
      for (let k = 0; k < tree.nNodes; k++) {
        if (tree.feature[k] >= 0) continue;
        const v = tree.value[k];
        for (let q = grown.nodeStart[k]; q < grown.nodeEnd[k]; q++) F[rows[q]] += v;
      }
      for (let q = 0; q < nVal; q++) {
        const r = valRows[q];
        F[r] += tree.value[tree.leafOfBinned(data.binned, nRows, r)];
      }
      this.trees.push(tree);
      if (tree.nLeaves === 1 && it > 0) break; // no split left to make: further rounds would add constants only
      if (early) {
        const vl = trainer.valLoss(F);
        this.validationLoss.push(vl);
        if (vl < best - p.tol) { best = vl; bestIter = it + 1; sinceBest = 0; }
        else if (++sinceBest >= p.nIterNoChange) break;
      }
    }
    this.trainLoss.push(trainer.trainLoss(F));
    if (early && bestIter < this.trees.length) {
      this.trees.length = bestIter;
      this.validationLoss.length = bestIter;
      this.trainLoss.length = bestIter;
    }
    this.nFeatures = nCols;
  }

  /** Margin: base score + Σ trees (log-rate for Poisson, log-odds for binary). */
  predictRaw(X: Float32Array, nRows: number): Float64Array {
    if (this.nFeatures === 0) throw new Error('GradientBoosting: call fit before predict');
    checkPredictX(X, nRows, this.nFeatures);
    const out = new Float64Array(nRows).fill(this.baseScore);
    for (const t of this.trees) t.predictAdd(X, nRows, this.nFeatures, out);
    return out;
  }

  /** Mean response: the value, the expected count (Poisson), P(y = 1) (binary), or the ranking score (lambdarank). */
  predict(X: Float32Array, nRows: number): Float64Array {
    const out = this.predictRaw(X, nRows);
    if (this.params.objective === 'lambdarank') return out;
    const inv = OBJECTIVES[this.params.objective].inverseLink;
    for (let i = 0; i < nRows; i++) out[i] = inv(out[i]);
    return out;
  }

  /** Total split gain per feature over all trees, as fractions summing to 1. */
  featureImportance(): Float64Array {
    const imp = new Float64Array(this.nFeatures);
    for (const t of this.trees) t.addGains(imp);
    return normalizeImportance(imp);
  }

  /**
   * Exact TreeSHAP values of the margin (predictRaw): for Poisson in log-rate, for binary in log-odds.
   * Each row sums to predictRaw − expectedValue; expectedValue = base score + Σ_t E[tree_t].
   */
  shapValues(X: Float32Array, nRows: number): { values: Float64Array; expectedValue: number } {
    if (this.nFeatures === 0) throw new Error('GradientBoosting: call fit before shapValues');
    checkPredictX(X, nRows, this.nFeatures);
    // leaf values already carry the learning rate
    return ensembleShap(this.trees, 1, this.baseScore, X, nRows, this.nFeatures);
  }
}

/**
 * Training and validation rows for a ranking objective: a seeded share of the groups is held out whole (a group split
 * across both sides would score the validation ranking on rows the trees were fitted to). Ascending row order.
 */
export function splitByGroup(group: ArrayLike<number>, rows: Uint32Array, fraction: number, rng: Rng): [Uint32Array, Uint32Array] {
  const ids = [...new Set(Array.from(rows, (r) => group[r]))].sort((a, b) => a - b);
  const held = new Set<number>();
  if (fraction > 0) {
    if (ids.length < 2) throw new UserError('early stopping for lambdarank holds out whole groups: it needs at least 2 groups');
    const order = Uint32Array.from(ids.keys());
    rng.shuffle(order);
    const nHeld = Math.max(1, Math.floor(ids.length * fraction));
    for (let k = 0; k < nHeld; k++) held.add(ids[order[k]]);
  }
  const train: number[] = [], val: number[] = [];
  for (const r of rows) (held.has(group[r]) ? val : train).push(r);
  return [Uint32Array.from(train), Uint32Array.from(val)];
}

function groupsWithPositive(y: Float32Array, g: GroupIndex): number {
  let n = 0;
  for (let q = 0; q + 1 < g.offsets.length; q++) {
    for (let k = g.offsets[q]; k < g.offsets[q + 1]; k++) if (y[g.rows[k]] > 0) { n++; break; }
  }
  return n;
}
