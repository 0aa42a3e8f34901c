/** Ensign et al.'s Pólya urn: runaway concentration without correction, truth-tracking with IPW and exploration. */
import { describe, it, expect } from 'vitest';
import { simulateUrn, urnReplicates } from '../../src/responsible/feedback/urn.js';
import { gini, klDivergence, topKShare, totalVariation } from '../../src/responsible/feedback/divergence.js';

describe('divergence and concentration measures', () => {
  it('match hand-computed values', () => {
    expect(totalVariation([1, 1], [3, 1])).toBeCloseTo(0.25, 12); // ½(|.5−.75| + |.5−.25|)
    expect(totalVariation([2, 0, 0], [0, 0, 5])).toBeCloseTo(1, 12);
    expect(klDivergence([1, 1], [1, 1])).toBeCloseTo(0, 6);
    // KL((½,½) ‖ (¾,¼)) = ½ ln(2/3) + ½ ln 2
    expect(klDivergence([1, 1], [3, 1], 0)).toBeCloseTo(0.5 * Math.log(2 / 3) + 0.5 * Math.log(2), 12);
    expect(gini([1, 1, 1, 1])).toBeCloseTo(0, 12);
    expect(gini([0, 0, 0, 4])).toBeCloseTo(0.75, 12); // (n−1)/n for all-in-one
    expect(topKShare([5, 1, 3, 1], 2)).toBeCloseTo(0.8, 12);
  });
});

describe('Pólya-urn feedback loop', () => {
  const rates = [0.6, 0.3]; // true shares 2/3, 1/3

  it('proportional policy without correction runs away to the higher-rate region', () => {
    const s = urnReplicates({ rates, rounds: 20000, policy: 'proportional', correction: 'none', seed: 11 }, 40);
    // the truth is 0.667; the urn ends far beyond it
    expect(s.meanFinalShares[0]).toBeGreaterThan(0.9);
    expect(s.meanFinalDivergence).toBeGreaterThan(0.23);
    expect(s.meanFinalDivergence).toBeGreaterThan(1.5 * s.meanInitialDivergence);
  });

  it('greedy policy locks onto whichever region records first: the lower-rate one about λ_B/(λ_A+λ_B) = 1/3 of the time', () => {
    const s = urnReplicates({ rates, rounds: 300, policy: 'greedy', correction: 'none', seed: 3 }, 400);
    // binomial sd at p = 1/3, n = 400 is 0.024
    expect(s.leaderShare[1]).toBeGreaterThan(0.25);
    expect(s.leaderShare[1]).toBeLessThan(0.42);
    // the locked-in region holds nearly every recorded incident: divergence ≈ 2/3 (locked on B) or 1/3 (on A)
    expect(s.meanFinalDivergence).toBeGreaterThan(0.4);
  });

  it('inverse-probability weighting (Ensign et al.) keeps the urn at the true shares', () => {
    const s = urnReplicates({ rates, rounds: 20000, policy: 'proportional', correction: 'ipw', seed: 11 }, 40);
    expect(Math.abs(s.meanFinalShares[0] - 2 / 3)).toBeLessThan(0.02);
    expect(s.meanFinalDivergence).toBeLessThan(0.03);
  });

  it('ε-exploration trained on exploratory visits only tracks the truth, even under the greedy policy', () => {
    const s = urnReplicates({ rates, rounds: 20000, policy: 'greedy', correction: 'explore', epsilon: 0.1, seed: 5 }, 40);
    expect(Math.abs(s.meanFinalShares[0] - 2 / 3)).toBeLessThan(0.03);
    expect(s.meanFinalDivergence).toBeLessThan(0.04);
  });

  it('victim reports alone do not stop the runaway, and the trajectory is recorded', () => {
    const r = simulateUrn({ rates, reportRates: [0.01, 0.01], rounds: 20000, policy: 'proportional', seed: 2 });
    expect(r.rounds[0]).toBe(1);
    expect(r.rounds[r.rounds.length - 1]).toBe(20000);
    expect(r.urnShares.length).toBe(r.rounds.length);
    expect(r.finalShares[0]).toBeGreaterThan(0.8);
    // deterministic under the seed
    expect(simulateUrn({ rates, reportRates: [0.01, 0.01], rounds: 20000, policy: 'proportional', seed: 2 }).finalShares).toEqual(r.finalShares);
  });
});
