import { describe, expect, it } from 'vitest';
import {
  binarize, chooseF1Threshold, pointForecasts, pointMedian, pointPositiveMape, pointPositiveMedian,
} from '../../src/evaluate/point-forecasts.js';
import { negbinForecast, pmfTable, poissonForecast, zipForecast, zinbForecast } from '../../src/models/distribution.js';
import type { Forecast } from '../../src/models/forecaster.js';

/** Four known distributions, one per cell. */
const cases: { name: string; f: Forecast }[] = [
  { name: 'Poisson(3.4)', f: poissonForecast([3.4], 1, 1, 1) },
  { name: 'Poisson(0.3)', f: poissonForecast([0.3], 1, 1, 1) },
  { name: 'NB(2.5, k = 0.8)', f: negbinForecast([2.5], 0.8, 1, 1, 1) },
  { name: 'ZIP(π = 0.3, mean 1.4)', f: zipForecast([1.4], 0.3, 1, 1, 1) },
  { name: 'ZINB(π = 0.25, mean 6, k = 2)', f: zinbForecast([6], 0.25, 2, 1, 1, 1) },
];

const MAX_Y = 400;
/** Expected loss E[loss(p, Y)] over the pmf table, minimised over a grid 0, 0.01, …, 30. */
function bruteForce(table: Float64Array, loss: (p: number, y: number) => number): number {
  let best = Infinity, arg = NaN;
  for (let g = 0; g <= 3000; g++) {
    const p = g / 100;
    let e = 0;
    for (let y = 0; y <= MAX_Y; y++) if (table[y] > 0) e += table[y] * loss(p, y);
    if (e < best - 1e-12) { best = e; arg = p; }
  }
  return arg;
}

describe('Bayes-optimal point forecasts against brute-force minimisation', () => {
  for (const { name, f } of cases) {
    it(name, () => {
      const t = pmfTable(f, 0, MAX_Y);
      const pts = pointForecasts(f);
      // squared error → mean
      expect(Math.abs(bruteForce(t, (p, y) => (p - y) ** 2) - pts.mean[0])).toBeLessThanOrEqual(0.0051);
      // Poisson deviance 2[y log(y/p) − (y − p)] → mean as well (p ≥ 0.01 on the grid)
      const dev = (p: number, y: number) => 2 * ((y > 0 ? y * Math.log(y / Math.max(p, 1e-9)) : 0) - (y - p));
      expect(Math.abs(bruteForce(t, dev) - pts.mean[0])).toBeLessThanOrEqual(0.0051);
      // absolute error → median (the first grid minimiser: the median is an integer and F(median−1) < ½)
      expect(bruteForce(t, (p, y) => Math.abs(p - y))).toBe(pts.median[0]);
      // masked absolute error (only y > 0) → median of Y | Y ≥ 1
      expect(bruteForce(t, (p, y) => (y > 0 ? Math.abs(p - y) : 0))).toBe(pts['positive-median'][0]);
      // masked APE |p − y| / y over y > 0 → weighted median with weights P(y)/y
      expect(bruteForce(t, (p, y) => (y > 0 ? Math.abs(p - y) / y : 0))).toBe(pts['positive-mape'][0]);
      expect(pts['positive-median'][0]).toBeGreaterThanOrEqual(1);
    });
  }

  it('hand-computed Poisson(3.4) values', () => {
    const f = poissonForecast([3.4], 1, 1, 1);
    // F(2) = e^-3.4 (1 + 3.4 + 5.78) = 0.3397, F(3) = 0.3397 + e^-3.4·6.5507 = 0.5584 → median 3
    expect(pointMedian(f)[0]).toBe(3);
    // P(Y≥1) = 0.96663; P(1..3) = 0.5584 − 0.03337 = 0.5250 ≥ ½·0.96663 = 0.4833, P(1..2) = 0.3063 < → 3
    expect(pointPositiveMedian(f)[0]).toBe(3);
    // weights P(y)/y: y=1 0.11347, y=2 0.09645, y=3 0.07288, y=4 0.04646, y=5 0.02527, … total ≈ 0.3742;
    // cumulative 0.1135, 0.2099 ≥ ½·0.3742 = 0.1871 at y = 2
    expect(pointPositiveMape(f)[0]).toBe(2);
  });

  it('a tiny mean has positive median 1, the limit of Y | Y ≥ 1', () => {
    const f = poissonForecast([1e-6, 0], 1, 2, 1);
    expect(Array.from(pointPositiveMedian(f))).toEqual([1, 1]);
    expect(Array.from(pointPositiveMape(f))).toEqual([1, 1]);
  });
});

describe('chooseF1Threshold', () => {
  it('hand example', () => {
    // p:  0.9 0.8 0.7 0.4 0.3 0.2      y: 1 0 1 1 0 0   (3 positives)
    // t = 0.9: TP 1 FP 0 → F1 = 2/(2+0+2) = 0.5;  t = 0.8: TP 1 FP 1 → 2/(2+1+2) = 0.4
    // t = 0.7: TP 2 FP 1 → 4/(4+1+1) = 0.667;      t = 0.4: TP 3 FP 1 → 6/(6+1+0) = 0.857 (best)
    // t = 0.3: TP 3 FP 2 → 6/8 = 0.75;            t = 0.2: 6/9 = 0.667
    const r = chooseF1Threshold([0.9, 0.8, 0.7, 0.4, 0.3, 0.2], [1, 0, 1, 1, 0, 0]);
    expect(r.threshold).toBeCloseTo(0.4, 12);
    expect(r.f1).toBeCloseTo(6 / 7, 12);
    expect(Array.from(binarize([0.9, 0.8, 0.7, 0.4, 0.3, 0.2], r.threshold))).toEqual([1, 1, 1, 1, 0, 0]);
  });
  it('matches brute force over every threshold on random data, and handles no positives', () => {
    let s = 12345;
    const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const p = Float64Array.from({ length: 300 }, () => Math.round(rand() * 50) / 50);
    const y = Float64Array.from(p, (v) => (rand() < v ? 1 : 0));
    let best = 0;
    for (const t of new Set(p)) {
      let tp = 0, fp = 0, fn = 0;
      for (let i = 0; i < p.length; i++) { const a = p[i] >= t, o = y[i] > 0; if (a && o) tp++; else if (a) fp++; else if (o) fn++; }
      best = Math.max(best, (2 * tp) / (2 * tp + fp + fn));
    }
    expect(chooseF1Threshold(p, y).f1).toBeCloseTo(best, 12);
    expect(chooseF1Threshold([0.2, 0.5], [0, 0])).toEqual({ threshold: Infinity, f1: 0 });
  });
});
