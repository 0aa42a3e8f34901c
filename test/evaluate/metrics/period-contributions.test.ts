import { describe, expect, it } from 'vitest';
import { countSumsPeriod } from '../../../src/evaluate/metrics/counts.js';
import { hotspotPeriod } from '../../../src/evaluate/metrics/hotspot.js';
import { confusionPeriod } from '../../../src/evaluate/metrics/occurrence.js';
import {
  countContributions, f1Contributions, hotspotContributions, scoreContributions,
} from '../../../src/evaluate/metrics/period-contributions.js';
import { scoreSumsPeriod } from '../../../src/evaluate/metrics/scores.js';
import { bernoulliForecast } from '../../../src/models/distribution.js';
import { bootstrapCI } from '../../../src/evaluate/uncertainty.js';
import { Rng } from '../../../src/util/rng.js';

describe('count contributions', () => {
  // one category; period 1: p = [1, 2], y = [0, 4] → |e| 1, 2; period 2: p = [3], y = [3] → 0
  const periods = [countSumsPeriod([1, 2], [0, 4], 1), countSumsPeriod([3], [3], 1)];
  it('MAE from pooled sums, per-period values for DM', () => {
    const m = countContributions(periods, 'mae');
    expect(Array.from(m.contrib)).toEqual([3, 2, 0, 1]);
    expect(m.value).toBeCloseTo(1, 12); // (3 + 0)/(2 + 1)
    expect(Array.from(m.perPeriod)).toEqual([1.5, 0]);
  });
  it('RMSE and masked MAPE', () => {
    expect(countContributions(periods, 'rmse').value).toBeCloseTo(Math.sqrt(5 / 3), 12); // (1 + 4 + 0)/3
    // masked: y = 4 (|e| = 2, ape .5) and y = 3 (0) → MAPE .25
    expect(countContributions(periods, 'maskedMape', 0).value).toBeCloseTo(0.25, 12);
  });
});

describe('hot-spot contributions', () => {
  it('PAI divides by the mean flagged share', () => {
    // 4 equal cells, coverage .25 → 1 cell (share .25). Period 1 captures 2 of 4, period 2 captures 0 of 2.
    const a = hotspotPeriod([9, 1, 1, 1], [2, 1, 1, 0], [0.25]);
    const b = hotspotPeriod([9, 1, 1, 1], [0, 2, 0, 0], [0.25]);
    const m = hotspotContributions([a, b], 'pai', 0);
    expect(m.value).toBeCloseTo(2 / 6 / 0.25, 12); // hit rate 2/6 over share .25
    expect(Array.from(m.perPeriod)).toEqual([2, 0]); // (2/4)/.25, 0
    expect(hotspotContributions([a, b], 'pei', 0).value).toBeCloseTo(2 / 4, 12); // n* = 2 + 2
    const ci = bootstrapCI(m.contrib, m.K, m.stat, { B: 200 });
    expect(ci.lo).toBeGreaterThanOrEqual(0);
    expect(ci.hi).toBeLessThanOrEqual(2);
  });
});

describe('F1 contributions', () => {
  it('micro, macro and per category', () => {
    // two categories, one period each: cat 0 TP 1 FP 1; cat 1 TP 1 FN 1 (both F1 = 2/3)
    const a = confusionPeriod([1, 1, 1, 0], [1, 1, 0, 0], 2);
    const b = confusionPeriod([0, 0, 0, 0], [0, 1, 0, 0], 2);
    expect(f1Contributions([a, b], 'category', 0).value).toBeCloseTo(2 / 3, 12);
    expect(f1Contributions([a, b], 'category', 1).value).toBeCloseTo(2 / 3, 12);
    expect(f1Contributions([a, b], 'micro').value).toBeCloseTo(4 / 6, 12); // TP 2 FP 1 FN 1
    expect(f1Contributions([a, b], 'macro').value).toBeCloseTo(2 / 3, 12);
  });
});

describe('score contributions', () => {
  it('RPS of Bernoulli forecasts pooled over periods', () => {
    const f = bernoulliForecast([0.3], 1, 1, 1);
    const s1 = scoreSumsPeriod(f, [1], new Rng(1)), s2 = scoreSumsPeriod(f, [0], new Rng(1));
    const m = scoreContributions([s1, s2], 'rps');
    expect(m.value).toBeCloseTo((0.49 + 0.09) / 2, 6);
  });
});
