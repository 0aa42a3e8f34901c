/**
 * The spatial feedback loop: a top-k forecaster retrained on what its patrols record drifts away from the truth;
 * inverse-probability weighting and randomised exploration keep it close.
 */
import { describe, it, expect } from 'vitest';
import { simulateSpatialFeedback, type SpatialFeedbackOptions } from '../../src/responsible/feedback/spatial.js';
import { spatialFeedbackSection } from '../../src/responsible/feedback/report.js';
import { loadStshnBenchmark } from '../../src/tensor/stshn.js';
import { Rng } from '../../src/util/rng.js';
import { hasShared, sharedPath } from '../helpers.js';

const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const tail = (a: number[], n: number) => a.slice(a.length - n);

/** Synthetic city: 100 regions with Gamma(2, 1.5) rates (mean 3 incidents per round). */
function syntheticRates(): Float64Array {
  const rng = new Rng(42);
  return Float64Array.from({ length: 100 }, () => rng.gamma(2, 1.5));
}

describe('spatial feedback loop (synthetic city)', () => {
  const base: SpatialFeedbackOptions = { trueRates: syntheticRates(), k: 10, rounds: 80, window: 30, reportedShare: 0.3, detection: 0.8 };
  const runs = (correction: 'none' | 'ipw' | 'explore') =>
    [1, 2, 3].map((seed) => simulateSpatialFeedback({ ...base, correction, seed, epsilon: 0.2 }));

  it('naive retraining: belief divergence grows to ≥ 3× its warm-up level and patrols concentrate', () => {
    for (const r of runs('none')) {
      const start = r.beliefDivergence[0], end = mean(tail(r.beliefDivergence, 20));
      expect(end).toBeGreaterThan(3 * start);
      expect(r.presenceGini[r.presenceGini.length - 1]).toBeGreaterThan(0.6); // 10 of 100 regions patrolled, the same ones
    }
  });

  it('IPW keeps belief divergence below 1.5× warm-up level and below 40% of the naive level', () => {
    const naive = runs('none');
    runs('ipw').forEach((r, i) => {
      const end = mean(tail(r.beliefDivergence, 20));
      expect(end).toBeLessThan(1.5 * r.beliefDivergence[0]);
      expect(end).toBeLessThan(0.4 * mean(tail(naive[i].beliefDivergence, 20)));
    });
  });

  it('ε-exploration (ε = 0.2) keeps belief divergence below 1.5× warm-up level and below 40% of the naive level', () => {
    const naive = runs('none');
    runs('explore').forEach((r, i) => {
      const end = mean(tail(r.beliefDivergence, 20));
      expect(end).toBeLessThan(1.5 * r.beliefDivergence[0]);
      expect(end).toBeLessThan(0.4 * mean(tail(naive[i].beliefDivergence, 20)));
    });
  });

  it('is deterministic under a seed and renders a report section with five charts', () => {
    const a = simulateSpatialFeedback({ ...base, seed: 9 }), b = simulateSpatialFeedback({ ...base, seed: 9 });
    expect(a.beliefDivergence).toEqual(b.beliefDivergence);
    expect(a.round.length).toBe(81);
    expect(a.beliefDivergence.length).toBe(81);
    const s = spatialFeedbackSection([a]);
    expect(s.charts).toHaveLength(5);
    expect(a.beliefKL.length).toBe(81);
    expect(s.charts![0].series[0].y.length).toBe(81);
  });
});

const STSHN = 'stshn-chicago-2016-2017/tensors_npy/trn.npy';
describe.runIf(hasShared(STSHN))('spatial feedback loop on the Chicago benchmark rates', () => {
  it('true rates from a 30-day moving average: naive ≥ 3× warm-up divergence, corrections stay under 0.06', () => {
    const { tensor: t, splits } = loadStshnBenchmark(sharedPath('stshn-chicago-2016-2017/tensors_npy'));
    const R = t.regions, C = t.categories, end = splits.trn[1];
    const rates = new Float64Array(R);
    for (let p = end - 30; p < end; p++) for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) rates[r] += t.data[(p * R + r) * C + c] / 30;
    const o = { trueRates: rates, k: 17, rounds: 90, seed: 1 };
    const naive = simulateSpatialFeedback({ ...o, correction: 'none' });
    const ipw = simulateSpatialFeedback({ ...o, correction: 'ipw' });
    const explore = simulateSpatialFeedback({ ...o, correction: 'explore', epsilon: 0.1 });
    const endOf = (r: typeof naive) => mean(tail(r.beliefDivergence, 30));
    expect(endOf(naive)).toBeGreaterThan(3 * naive.beliefDivergence[0]);
    expect(endOf(naive)).toBeGreaterThan(0.12);
    expect(endOf(ipw)).toBeLessThan(0.06);
    expect(endOf(explore)).toBeLessThan(0.06);
    // KL tells the same story: the naive belief ends several times further from the truth than IPW's
    expect(mean(tail(naive.beliefKL, 30))).toBeGreaterThan(4 * mean(tail(ipw.beliefKL, 30)));
  });
});
