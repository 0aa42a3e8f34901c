/**
 * LinUCB (Li, Chu, Langford & Schapire 2010) with one linear model shared by all cells (their "hybrid" model's
 * shared part): the expected count of cell r is θᵀx_r over the cell's context x_r (cell-features.ts). Score
 * θ̂ᵀx + α·√(xᵀA⁻¹x), A = λI + Σ x xᵀ, b = Σ x·y; patrol the k highest scores. A⁻¹ is kept by Sherman–Morrison
 * rank-one updates, one per observed cell-day. Sharing θ lets 168 arms learn from every cell's observation.
 */
import { CellFeatures, FEATURE_DIM } from './cell-features.js';
import { topKIndices, type PatrolPolicy, type PolicyContext } from '../simulator/policy.js';

export class LinUcbPolicy implements PatrolPolicy {
  readonly name = 'linucb';
  private feats!: CellFeatures;
  private Ainv = new Float64Array(FEATURE_DIM * FEATURE_DIM);
  private b = new Float64Array(FEATURE_DIM);
  private theta = new Float64Array(FEATURE_DIM);
  private x = new Float64Array(FEATURE_DIM);
  private Ax = new Float64Array(FEATURE_DIM);
  private scores = new Float64Array(0);
  private k = 0;

  constructor(readonly alpha = 1, readonly ridge = 1) {}

  init(ctx: PolicyContext): void {
    const d = FEATURE_DIM, R = ctx.regions;
    this.feats = new CellFeatures(R);
    this.Ainv.fill(0);
    for (let i = 0; i < d; i++) this.Ainv[i * d + i] = 1 / this.ridge;
    this.b.fill(0);
    this.scores = new Float64Array(R);
    this.k = ctx.k;
    // learn θ on the history too: context of day t predicts the count of day t + 1
    const none = new Uint8Array(R);
    for (let t = 0; t < ctx.historyDays; t++) {
      const row = ctx.history.subarray(t * R, (t + 1) * R);
      if (t >= 28) this.learn(row, R);
      this.feats.observe(row, none);
    }
  }

  private learn(observed: ArrayLike<number>, R: number): void {
    const d = FEATURE_DIM, x = this.x, Ax = this.Ax, A = this.Ainv;
    for (let r = 0; r < R; r++) {
      const y = observed[r];
      if (Number.isNaN(y)) continue;
      this.feats.vector(r, x);
      // Sherman–Morrison: (A + xxᵀ)⁻¹ = A⁻¹ − A⁻¹x xᵀA⁻¹ / (1 + xᵀA⁻¹x)
      let q = 0;
      for (let i = 0; i < d; i++) { let s = 0; for (let j = 0; j < d; j++) s += A[i * d + j] * x[j]; Ax[i] = s; q += x[i] * s; }
      const inv = 1 / (1 + q);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) A[i * d + j] -= Ax[i] * Ax[j] * inv;
      for (let i = 0; i < d; i++) this.b[i] += x[i] * y;
    }
    for (let i = 0; i < d; i++) { let s = 0; for (let j = 0; j < d; j++) s += A[i * d + j] * this.b[j]; this.theta[i] = s; }
  }

  choose(): Int32Array {
    const d = FEATURE_DIM, x = this.x, A = this.Ainv;
    for (let r = 0; r < this.scores.length; r++) {
      this.feats.vector(r, x);
      let mean = 0, q = 0;
      for (let i = 0; i < d; i++) {
        mean += this.theta[i] * x[i];
        let s = 0;
        for (let j = 0; j < d; j++) s += A[i * d + j] * x[j];
        q += x[i] * s;
      }
      this.scores[r] = mean + this.alpha * Math.sqrt(Math.max(q, 0));
    }
    return topKIndices(this.scores, this.k);
  }

  update(observed: Float64Array, patrolled: Uint8Array): void {
    this.learn(observed, this.scores.length);
    this.feats.observe(observed, patrolled);
  }
}
