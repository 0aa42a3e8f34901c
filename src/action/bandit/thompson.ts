/**
 * Thompson sampling with a Gamma–Poisson posterior per cell: λ_r ~ Gamma(α_r, rate β_r); each observed day adds
 * its count to α_r and 1 to β_r. Both are discounted by γ each day (a forgetting factor, effective memory
 * 1/(1−γ) days) because crime rates drift and deterred observations should not weigh forever.
 * Each day: draw λ_r from every posterior, patrol the k largest draws (the k-arm semi-bandit extension of
 * Thompson 1933 / Agrawal & Goyal 2012). Unobserved cells keep their (discounted) posterior.
 */
import type { Rng } from '../../util/rng.js';
import { topKIndices, type PatrolPolicy, type PolicyContext } from '../simulator/policy.js';

export class ThompsonPolicy implements PatrolPolicy {
  readonly name = 'thompson';
  private alpha = new Float64Array(0);
  private beta = new Float64Array(0);
  private draws = new Float64Array(0);
  private k = 0;
  private rng!: Rng;

  constructor(readonly discount = 0.97, readonly priorShape = 0.5, readonly priorRate = 0.5) {}

  init(ctx: PolicyContext, rng: Rng): void {
    const R = ctx.regions;
    this.alpha = new Float64Array(R).fill(this.priorShape);
    this.beta = new Float64Array(R).fill(this.priorRate);
    this.draws = new Float64Array(R);
    this.k = ctx.k;
    this.rng = rng;
    const obs = new Float64Array(R);
    for (let d = 0; d < ctx.historyDays; d++) {
      for (let r = 0; r < R; r++) obs[r] = ctx.history[d * R + r];
      this.update(obs);
    }
  }

  choose(): Int32Array {
    for (let r = 0; r < this.alpha.length; r++) this.draws[r] = this.rng.gamma(this.alpha[r], 1 / this.beta[r]);
    return topKIndices(this.draws, this.k);
  }

  update(observed: Float64Array): void {
    const g = this.discount;
    for (let r = 0; r < this.alpha.length; r++) {
      // discount towards the prior, not towards zero, so the posterior never collapses to an improper one
      this.alpha[r] = this.priorShape + g * (this.alpha[r] - this.priorShape);
      this.beta[r] = this.priorRate + g * (this.beta[r] - this.priorRate);
      if (Number.isNaN(observed[r])) continue;
      this.alpha[r] += observed[r];
      this.beta[r] += 1;
    }
  }
}
