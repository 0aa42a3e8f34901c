/**
 * Tree-augmented naive Bayes (Friedman, Geiger & Goldszmidt 1997), a Bayesian-network classifier whose
 * structure is learned from data: features are discretised, the conditional mutual information I(Xi; Xj | C)
 * weighs a complete graph, its maximum spanning tree (Prim) rooted at the first feature gives each feature one
 * feature parent besides the class, and conditional probability tables use Laplace smoothing.
 */
import type { Learner, LearnerFitOptions } from '../learned/learner.js';
import { binOf, discretize, fitDiscretizer, type Discretizer } from './discretize.js';

export class TreeAugmentedNaiveBayes implements Learner {
  readonly target = 'occurrence' as const;
  /** Learned structure: parent feature of each feature (−1 for the root). */
  parent = new Int32Array(0);
  private disc: Discretizer | null = null;
  /** logCpt[j][(c * parentBins + pb) * bins + b] = log P(Xj = b | C = c, Xparent = pb). */
  private logCpt: Float64Array[] = [];
  private logPrior = new Float64Array(2);

  constructor(readonly bins = 5, readonly alpha = 1) {}

  fit(X: Float32Array, nRows: number, nCols: number, y: Float32Array, opts: LearnerFitOptions = {}): void {
    const d = fitDiscretizer(X, nRows, nCols, this.bins);
    this.disc = d;
    const codes = discretize(d, X, nRows, nCols);
    const w = opts.sampleWeight;
    const cls = Uint8Array.from(y, (v) => (v > 0 ? 1 : 0));
    const prior = new Float64Array(2);
    for (let i = 0; i < nRows; i++) prior[cls[i]] += w ? w[i] : 1;
    const total = prior[0] + prior[1];
    this.logPrior = Float64Array.from(prior, (p) => Math.log((p + this.alpha) / (total + 2 * this.alpha)));

    // conditional mutual information for every pair
    const cmi = new Float64Array(nCols * nCols);
    for (let a = 0; a < nCols; a++) for (let b = a + 1; b < nCols; b++) {
      const na = d.sizes[a], nb = d.sizes[b];
      const joint = new Float64Array(2 * na * nb);
      for (let i = 0; i < nRows; i++) joint[(cls[i] * na + codes[a][i]) * nb + codes[b][i]] += w ? w[i] : 1;
      let s = 0;
      for (let c = 0; c < 2; c++) {
        const pa = new Float64Array(na), pb = new Float64Array(nb);
        for (let u = 0; u < na; u++) for (let v = 0; v < nb; v++) { const n = joint[(c * na + u) * nb + v]; pa[u] += n; pb[v] += n; }
        for (let u = 0; u < na; u++) for (let v = 0; v < nb; v++) {
          const n = joint[(c * na + u) * nb + v];
          if (n > 0) s += (n / total) * Math.log((n * prior[c]) / (pa[u] * pb[v]));
        }
      }
      cmi[a * nCols + b] = cmi[b * nCols + a] = s;
    }
    // maximum spanning tree by Prim, rooted at feature 0
    const parent = new Int32Array(nCols).fill(-1);
    const inTree = new Uint8Array(nCols);
    const best = new Float64Array(nCols).fill(-Infinity);
    if (nCols > 0) {
      inTree[0] = 1;
      for (let j = 1; j < nCols; j++) { best[j] = cmi[j]; parent[j] = 0; }
      for (let k = 1; k < nCols; k++) {
        let pick = -1;
        for (let j = 0; j < nCols; j++) if (!inTree[j] && (pick < 0 || best[j] > best[pick])) pick = j;
        inTree[pick] = 1;
        for (let j = 0; j < nCols; j++) if (!inTree[j] && cmi[pick * nCols + j] > best[j]) { best[j] = cmi[pick * nCols + j]; parent[j] = pick; }
      }
    }
    this.parent = parent;
    // conditional probability tables
    this.logCpt = [];
    for (let j = 0; j < nCols; j++) {
      const nb = d.sizes[j], pj = parent[j], np = pj >= 0 ? d.sizes[pj] : 1;
      const cnt = new Float64Array(2 * np * nb);
      for (let i = 0; i < nRows; i++) cnt[(cls[i] * np + (pj >= 0 ? codes[pj][i] : 0)) * nb + codes[j][i]] += w ? w[i] : 1;
      const lp = new Float64Array(cnt.length);
      for (let g = 0; g < 2 * np; g++) {
        let s = 0;
        for (let b = 0; b < nb; b++) s += cnt[g * nb + b];
        for (let b = 0; b < nb; b++) lp[g * nb + b] = Math.log((cnt[g * nb + b] + this.alpha) / (s + this.alpha * nb));
      }
      this.logCpt.push(lp);
    }
  }

  predict(X: Float32Array, nRows: number): Float32Array {
    const d = this.disc;
    if (!d) throw new Error('TAN: predict before fit');
    const p = this.parent.length;
    const out = new Float32Array(nRows);
    const code = new Int32Array(p);
    for (let i = 0; i < nRows; i++) {
      for (let j = 0; j < p; j++) code[j] = binOf(d, j, X[i * p + j]);
      let l0 = this.logPrior[0], l1 = this.logPrior[1];
      for (let j = 0; j < p; j++) {
        const nb = d.sizes[j], pj = this.parent[j], np = pj >= 0 ? d.sizes[pj] : 1, pv = pj >= 0 ? code[pj] : 0;
        l0 += this.logCpt[j][(0 * np + pv) * nb + code[j]];
        l1 += this.logCpt[j][(1 * np + pv) * nb + code[j]];
      }
      out[i] = 1 / (1 + Math.exp(l0 - l1));
    }
    return out;
  }
}
