import { describe, expect, it } from 'vitest';
import {
  addScoreSums, emptyScoreSums, pitUniformity, probabilisticScores, randomizedPit, scoreSumsPeriod, scoresFromSums,
  uniformityTest,
} from '../../../src/evaluate/metrics/scores.js';
import { bernoulliForecast, negbinForecast, poissonForecast, sampleForecast } from '../../../src/models/distribution.js';
import { Rng } from '../../../src/util/rng.js';

describe('log score and RPS (hand-computed)', () => {
  it('Poisson(2) with y = 3', () => {
    const r = probabilisticScores(poissonForecast([2], 1, 1, 1), [3], new Rng(1));
    // −log(e^-2 2³/3!) = 2 − 3 log 2 + log 6 = 1.712318
    expect(r.logScore[0]).toBeCloseTo(1.7123179275, 8);
    // F(0..2) = .135335 .406006 .676676 → squares .018316 + .164841 + .457891 = .641048;
    // then (1 − F(j))² for j ≥ 3: .020414 + .002772 + .000274 + .000021 + … → RPS = 0.664530
    expect(r.rps[0]).toBeCloseTo(0.664530, 5);
  });
  it('Bernoulli(0.3): RPS = (F(0) − 1{y ≤ 0})²', () => {
    const f = bernoulliForecast([0.3, 0.3], 1, 1, 2);
    const r = probabilisticScores(f, [1, 0], new Rng(1));
    expect(r.rps[0]).toBeCloseTo(0.49, 6); // (0.7 − 0)²
    expect(r.rps[1]).toBeCloseTo(0.09, 6); // (0.7 − 1)²
    expect(r.logScore[0]).toBeCloseTo(-Math.log(0.3), 6);
  });
  it('Poisson(1) with y = 0: RPS = Σ (1 − F(j))² = .399577 + .069823 + .006448 + .000361 + … = 0.476222', () => {
    expect(probabilisticScores(poissonForecast([1], 1, 1, 1), [0], new Rng(1)).rps[0]).toBeCloseTo(0.4762224, 6);
  });
  it('an impossible observation gets the floored, finite log score', () => {
    const r = probabilisticScores(poissonForecast([0], 1, 1, 1), [2], new Rng(1));
    expect(r.logScore[0]).toBeCloseTo(-Math.log(1e-12), 8);
  });
});

describe('prediction intervals', () => {
  it('Poisson(2) central 50% interval is [1, 3]', () => {
    // F(0) = .135, F(1) = .406 ≥ .25 → lo 1; F(2) = .677 < .75 ≤ F(3) = .857 → hi 3
    const f = poissonForecast([2, 2], 1, 2, 1);
    const r = probabilisticScores(f, [3, 0], new Rng(1), [0.5]);
    expect(r.coverage[0]).toBe(0.5); // y = 3 inside, y = 0 outside
    expect(r.width[0]).toBe(2);
  });
});

describe('randomised PIT', () => {
  const cells = 5000;
  const means = Float32Array.from({ length: cells }, (_, i) => 0.3 + (i % 17) * 0.4);
  const truth = negbinForecast(means, 1.5, 1, cells, 1);
  const y = sampleForecast(truth, new Rng(2024), 1);

  it('is uniform when the forecast is the true distribution', () => {
    const pit = randomizedPit(truth, y, new Rng(99));
    const t = pitUniformity(pit, 10);
    expect(t.df).toBe(9);
    expect(t.pValue).toBeGreaterThan(0.01);
    expect(pit.every((u) => u >= 0 && u <= 1)).toBe(true);
  });
  it('detects an under-dispersed (Poisson) forecast of over-dispersed data', () => {
    const bad = poissonForecast(means, 1, cells, 1);
    const t = pitUniformity(randomizedPit(bad, y, new Rng(99)), 10);
    expect(t.pValue).toBeLessThan(1e-6);
    // U-shape: the outer bins hold more than the middle ones
    expect(t.counts[0] + t.counts[9]).toBeGreaterThan(t.counts[4] + t.counts[5]);
  });
  it('detects an over-dispersed forecast (hump-shaped PIT)', () => {
    const wide = negbinForecast(means, 0.2, 1, cells, 1);
    const t = pitUniformity(randomizedPit(wide, y, new Rng(99)), 10);
    expect(t.pValue).toBeLessThan(1e-6);
  });
  it('the true forecast covers at least nominally; per-period sums add up', () => {
    const a = scoreSumsPeriod(truth, y.subarray(0, 2500), new Rng(5), 0);
    const b = scoreSumsPeriod(truth, y.subarray(2500), new Rng(6), 2500);
    const r = scoresFromSums(addScoreSums(a, b));
    // discrete intervals over-cover a little: allow the nominal level minus 3 standard errors
    expect(r.overall.coverage[0]).toBeGreaterThan(0.5 - 3 * Math.sqrt(0.25 / cells));
    expect(r.overall.coverage[2]).toBeGreaterThan(0.95 - 3 * Math.sqrt(0.95 * 0.05 / cells));
    expect(r.overall.pit.pValue).toBeGreaterThan(0.01);
    expect(emptyScoreSums(1).levels.length).toBe(3);
  });
  it('uniformity test by hand: counts 12 8 10 10 → χ² = (4 + 4 + 0 + 0)/10 = 0.8, df 3', () => {
    const t = uniformityTest([12, 8, 10, 10]);
    expect(t.chi2).toBeCloseTo(0.8, 12);
    // P(χ²₃ ≥ 0.8) = 0.849467
    expect(t.pValue).toBeCloseTo(0.849467, 5);
  });
});
