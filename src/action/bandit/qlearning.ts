/**
 * Approximate RL: tabular Q-learning shared by all cells (Watkins 1989). A cell's state is its 7-day observed
 * average binned by history quantiles × whether it was patrolled yesterday; actions are patrol / leave. Reward of
 * patrolling is the crime the patrol observes in the cell, 0 otherwise. Each day the k cells with the largest
 * advantage Q(s,1) − Q(s,0) are patrolled, each slot swapped for a random cell with probability ε (exploration).
 * Approximation, stated: the per-cell Bellman target max_a Q(s',a) ignores the k-patrol budget that couples cells.
 */
import type { Rng } from '../../util/rng.js';
import { CellFeatures } from './cell-features.js';
import { topKIndices, type PatrolPolicy, type PolicyContext } from '../simulator/policy.js';

export class QLearningPolicy implements PatrolPolicy {
  readonly name = 'qlearn';
  private feats!: CellFeatures;
  private cuts = new Float64Array(0);
  private q = new Float64Array(0);
  private state = new Int32Array(0);
  private adv = new Float64Array(0);
  private k = 0;
  private rng!: Rng;

  constructor(readonly bins = 8, readonly epsilon = 0.1, readonly learningRate = 0.05, readonly gamma = 0.5) {}

  private stateOf(r: number): number {
    const v = this.feats.ema7[r];
    let b = 0;
    while (b < this.cuts.length && v > this.cuts[b]) b++;
    return b * 2 + this.feats.patrolled[r];
  }

  init(ctx: PolicyContext, rng: Rng): void {
    const R = ctx.regions;
    this.rng = rng;
    this.k = ctx.k;
    this.feats = new CellFeatures(R);
    this.feats.warm(ctx.history, ctx.historyDays);
    // bin edges: quantiles of the warmed 7-day averages over cells with any crime
    const active = Array.from(this.feats.ema7).filter((v) => v > 0).sort((a, b) => a - b);
    this.cuts = Float64Array.from({ length: this.bins - 1 }, (_, i) => active[Math.floor(((i + 1) * active.length) / this.bins)] ?? 0);
    this.q = new Float64Array(this.bins * 2 * 2);
    // Q(s, patrol) starts at the mean next-day count of the state in history: an informed, mildly optimistic prior
    const sum = new Float64Array(this.bins * 2), n = new Float64Array(this.bins * 2);
    const replay = new CellFeatures(R), none = new Uint8Array(R);
    for (let t = 0; t < ctx.historyDays; t++) {
      const row = ctx.history.subarray(t * R, (t + 1) * R);
      if (t >= 28) for (let r = 0; r < R; r++) {
        let b = 0;
        while (b < this.cuts.length && replay.ema7[r] > this.cuts[b]) b++;
        sum[b * 2] += row[r]; n[b * 2]++;
      }
      replay.observe(row, none);
    }
    for (let s = 0; s < this.bins * 2; s++) this.q[s * 2 + 1] = n[s & ~1] > 0 ? sum[s & ~1] / n[s & ~1] : 0;
    this.state = new Int32Array(R);
    this.adv = new Float64Array(R);
  }

  choose(): Int32Array {
    const R = this.adv.length;
    for (let r = 0; r < R; r++) {
      const s = (this.state[r] = this.stateOf(r));
      // tiny random tie-break: many cells share a state
      this.adv[r] = this.q[s * 2 + 1] - this.q[s * 2] + 1e-9 * this.rng.random();
    }
    const pick = topKIndices(this.adv, this.k);
    const used = new Uint8Array(R);
    pick.forEach((r) => { used[r] = 1; });
    for (let i = 0; i < pick.length; i++) {
      if (this.rng.random() >= this.epsilon) continue;
      let r = this.rng.int(R), guard = 0;
      while (used[r] && guard++ < 100) r = this.rng.int(R);
      if (used[r]) continue;
      used[pick[i]] = 0; used[r] = 1; pick[i] = r;
    }
    return pick;
  }

  update(observed: Float64Array, patrolled: Uint8Array): void {
    const R = this.adv.length;
    this.feats.observe(observed, patrolled);
    for (let r = 0; r < R; r++) {
      const a = patrolled[r];
      // without an observation of a patrolled cell there is no reward to learn from
      if (a && Number.isNaN(observed[r])) continue;
      const reward = a ? observed[r] : 0;
      const s = this.state[r], s2 = this.stateOf(r);
      const target = reward + this.gamma * Math.max(this.q[s2 * 2], this.q[s2 * 2 + 1]);
      this.q[s * 2 + a] += this.learningRate * (target - this.q[s * 2 + a]);
    }
  }

  /** Learned Q table (states × {leave, patrol}). */
  table(): Float64Array { return Float64Array.from(this.q); }
}
