import { describe, expect, it } from 'vitest';
import {
  addCountSums, countMetrics, countMetricsFromSums, countSumsPeriod, logLikSumsPeriod, poissonUnitDeviance,
} from '../../../src/evaluate/metrics/counts.js';
import { poissonForecast } from '../../../src/models/distribution.js';

// Two regions × two categories, interleaved (element i is category i % 2):
//   cat 0: (p, y) = (1, 0), (2, 2)      cat 1: (p, y) = (0.5, 1), (3, 5)
const pred = [1, 0.5, 2, 3];
const obs = [0, 1, 2, 5];

describe('count metrics (hand-computed)', () => {
  const m = countMetrics(pred, obs, 2);
  it('MAE and RMSE per category', () => {
    expect(m.mae[0]).toBeCloseTo(0.5, 12); // (1 + 0)/2
    expect(m.mae[1]).toBeCloseTo(1.25, 12); // (0.5 + 2)/2
    expect(m.rmse[0]).toBeCloseTo(Math.sqrt(0.5), 12); // √((1 + 0)/2)
    expect(m.rmse[1]).toBeCloseTo(Math.sqrt(2.125), 12); // √((0.25 + 4)/2)
    expect(m.overall.mae).toBeCloseTo(3.5 / 4, 12);
  });
  it('Poisson deviance with the y log(y/μ) = 0 convention', () => {
    // cat 0: y=0, μ=1: 2(0 − (0 − 1)) = 2; y=2, μ=2: 0 → mean 1
    expect(m.deviance[0]).toBeCloseTo(1, 12);
    // cat 1: 2(1·log 2 − 0.5) = 0.386294; 2(5 log(5/3) − 2) = 2(2.554128 − 2) = 1.108256 → mean 0.747275
    expect(m.deviance[1]).toBeCloseTo(0.7472752, 6);
  });
  it('masked MAE / MAPE over y > 0 only', () => {
    expect(m.maskedMae[0]).toBe(0); // only (2, 2)
    expect(m.maskedMape[0]).toBe(0);
    expect(m.maskedMae[1]).toBeCloseTo(1.25, 12); // (0.5 + 2)/2
    expect(m.maskedMape[1]).toBeCloseTo(0.45, 12); // (0.5/1 + 2/5)/2
    expect(m.overall.maskedMae).toBeCloseTo(2.5 / 3, 12);
    expect(m.overall.maskedMape).toBeCloseTo(0.9 / 3, 12);
  });
  it('sums are additive over periods', () => {
    const a = countSumsPeriod(pred.slice(0, 2), obs.slice(0, 2), 2);
    const b = countSumsPeriod(pred.slice(2), obs.slice(2), 2);
    const pooled = countMetricsFromSums(addCountSums(a, b));
    expect(Array.from(pooled.mae)).toEqual(Array.from(m.mae));
    expect(a.maskedN[1]).toBe(2); // `a` now holds the totals: cat 1 has y = 1 and y = 5 > 0
  });
  it('a zero mean where y > 0 gives a large finite deviance (μ floored at 1e-10)', () => {
    // 2(1·log(1/1e-10) − (1 − 1e-10)) = 2(23.02585 − 1) = 44.0517
    expect(poissonUnitDeviance(0, 1)).toBeCloseTo(44.0517, 3);
    expect(poissonUnitDeviance(0, 0)).toBeCloseTo(2e-10, 15);
  });
});

describe('log-likelihood under the forecast distribution', () => {
  it('Poisson means equal to pred', () => {
    const f = poissonForecast(pred, 1, 2, 2);
    const s = logLikSumsPeriod(f, obs);
    // cat 0: log P(0|1) = −1; log P(2|2) = 2 log 2 − 2 − log 2 = log 2 − 2 → −2.306853
    expect(s.logLik[0]).toBeCloseTo(Math.log(2) - 3, 6);
    // cat 1: log P(1|0.5) = log 0.5 − 0.5; log P(5|3) = 5 log 3 − 3 − log 120 → −3.487578
    expect(s.logLik[1]).toBeCloseTo(Math.log(0.5) - 0.5 + 5 * Math.log(3) - 3 - Math.log(120), 6);
    expect(Array.from(s.n)).toEqual([2, 2]);
    // a horizon-2 forecast scored at step 1 starts at cell R·C = 4
    const g = poissonForecast([9, 9, 9, 9, ...pred], 2, 2, 2);
    expect(logLikSumsPeriod(g, obs, 4).logLik[0]).toBeCloseTo(s.logLik[0], 6);
  });
});
