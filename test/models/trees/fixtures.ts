/** Synthetic data for the tree tests (seeded). */
import { Rng } from '../../../src/util/rng.js';

/** nRows × nCols uniform [0, 1) features, row-major. */
export function uniformX(nRows: number, nCols: number, seed: number): Float32Array {
  const rng = new Rng(seed), X = new Float32Array(nRows * nCols);
  for (let i = 0; i < X.length; i++) X[i] = rng.random();
  return X;
}

/** Mean of |a − b|² … as R² of predictions against truth. */
export function rSquared(truth: ArrayLike<number>, pred: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < truth.length; i++) m += truth[i];
  m /= truth.length;
  let ss = 0, st = 0;
  for (let i = 0; i < truth.length; i++) { ss += (truth[i] - pred[i]) ** 2; st += (truth[i] - m) ** 2; }
  return 1 - ss / st;
}

/** Area under the ROC curve (Mann–Whitney, ties counted half). */
export function auc(y: ArrayLike<number>, score: ArrayLike<number>): number {
  const idx = Array.from({ length: y.length }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  let rankSum = 0, nPos = 0;
  for (let k = 0; k < idx.length;) {
    let e = k;
    while (e + 1 < idx.length && score[idx[e + 1]] === score[idx[k]]) e++;
    const rank = (k + e) / 2 + 1;
    for (let q = k; q <= e; q++) if (y[idx[q]] === 1) { rankSum += rank; nPos++; }
    k = e + 1;
  }
  const nNeg = y.length - nPos;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
