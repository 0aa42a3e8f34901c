/** Argument checks and option resolution shared by the tree learners. */
import { UserError } from '../../util/errors.js';

export interface TreeFitOptions {
  /** Per-row weights (≥ 0; 0 drops the row). Multiplied by any class weights. */
  sampleWeight?: Float32Array | Float64Array;
  /** Seed of every random choice (bootstrap, feature sampling, validation split, bin subsample). */
  seed?: number;
}

/** 'balanced' weighs class c by n / (2 · n_c) (as scikit-learn), so rare positives count as much as negatives. */
export type ClassWeight = 'balanced' | { 0: number; 1: number } | null;

/** Features per split: a count, a fraction of the features, or sqrt / log2 of their number. */
export type MaxFeatures = number | 'sqrt' | 'log2' | 'all';

export function checkXy(X: Float32Array, nRows: number, nCols: number, y: Float32Array): void {
  if (!Number.isInteger(nRows) || nRows < 1) throw new UserError(`nRows must be a positive integer, got ${nRows}`);
  if (!Number.isInteger(nCols) || nCols < 1) throw new UserError(`nCols must be a positive integer, got ${nCols}`);
  if (X.length !== nRows * nCols) throw new UserError(`X holds ${X.length} values, expected nRows × nCols = ${nRows * nCols}`);
  if (y.length !== nRows) throw new UserError(`y holds ${y.length} values, expected ${nRows}`);
  for (let i = 0; i < nRows; i++) if (!Number.isFinite(y[i])) throw new UserError(`y[${i}] is not finite (${y[i]})`);
}

export function checkPredictX(X: Float32Array, nRows: number, nCols: number): void {
  if (nCols < 1) throw new Error('the model is not fitted');
  if (X.length !== nRows * nCols) throw new UserError(`X holds ${X.length} values, expected ${nRows} rows × ${nCols} features`);
}

export function checkBinary(y: Float32Array): void {
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new UserError(`classification needs a 0/1 target; y[${i}] = ${y[i]}`);
  }
}

export function checkNonNegative(y: Float32Array, loss = 'Poisson loss'): void {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] < 0) throw new UserError(`${loss} needs counts ≥ 0; y[${i}] = ${y[i]}`);
    s += y[i];
  }
  if (!(s > 0)) throw new UserError(`${loss} needs at least one positive count`);
}

/** Row weights: sampleWeight (default 1) × class weight of the row's label. */
export function rowWeights(y: Float32Array, sampleWeight: Float32Array | Float64Array | undefined,
  classWeight: ClassWeight): Float64Array {
  const n = y.length, w = new Float64Array(n);
  if (sampleWeight && sampleWeight.length !== n) throw new UserError(`sampleWeight holds ${sampleWeight.length} values, expected ${n}`);
  for (let i = 0; i < n; i++) {
    const v = sampleWeight ? sampleWeight[i] : 1;
    if (!(v >= 0) || !Number.isFinite(v)) throw new UserError(`sampleWeight[${i}] must be finite and ≥ 0, got ${v}`);
    w[i] = v;
  }
  if (classWeight) {
    let w0: number, w1: number;
    if (classWeight === 'balanced') {
      let n1 = 0;
      for (let i = 0; i < n; i++) n1 += y[i] === 1 ? 1 : 0;
      const n0 = n - n1;
      w0 = n0 > 0 ? n / (2 * n0) : 1;
      w1 = n1 > 0 ? n / (2 * n1) : 1;
    } else {
      w0 = classWeight[0]; w1 = classWeight[1];
      if (!(w0 >= 0 && w1 >= 0)) throw new UserError('class weights must be ≥ 0');
    }
    for (let i = 0; i < n; i++) w[i] *= y[i] === 1 ? w1 : w0;
  }
  return w;
}

export function resolveMaxFeatures(m: MaxFeatures, nCols: number): number {
  let k: number;
  if (m === 'all') k = nCols;
  else if (m === 'sqrt') k = Math.floor(Math.sqrt(nCols));
  else if (m === 'log2') k = Math.floor(Math.log2(nCols));
  else if (m > 0 && m <= 1 && !Number.isInteger(m)) k = Math.floor(m * nCols);
  else if (Number.isInteger(m) && m >= 1) k = Math.min(m, nCols);
  else throw new UserError(`maxFeatures must be a count ≥ 1, a fraction in (0, 1], 'sqrt', 'log2' or 'all'; got ${m}`);
  return Math.max(1, k);
}

/** Infinity for null / undefined / Infinity (no limit), else a positive integer. */
export function limit(name: string, v: number | null | undefined): number {
  if (v === null || v === undefined || v === Infinity) return Infinity;
  if (!Number.isInteger(v) || v < 1) throw new UserError(`${name} must be a positive integer or null, got ${v}`);
  return v;
}
