import { beforeEach, describe, expect, it } from 'vitest';
import '../../../src/models/all.js';
import { createForecaster } from '../../../src/models/registry.js';
import { runBacktest } from '../../../src/evaluate/backtest/engine.js';
import type { EnsembleForecaster } from '../../../src/models/ensemble/ensemble-base.js';
import type { SelectBest } from '../../../src/models/ensemble/select-best.js';
import { variance } from '../../../src/models/distribution.js';
import { memberCache } from '../../../src/models/ensemble/member-cache.js';
import { oracle, spyLog, syntheticTensor } from './synthetic.js';

// stationary rates that differ by region and category: the oracle member knows them exactly
const rate = (_p: number, r: number, c: number) => 0.3 + ((r * 7 + c * 3) % 11) * 0.4;

describe('ensembles fitted on validation periods', () => {
  beforeEach(() => { oracle.rate = rate; });

  it('ensemble-mean and stacking give (almost) all weight to the member that is the truth', async () => {
    const tensor = syntheticTensor(120, 40, 2, rate, 11);
    const members = 'test-oracle|moving-average:window=3|constant:value=1';
    for (const spec of [`ensemble-mean:members=${members},validation=40`, `stacking:members=${members},validation=40`]) {
      const m = createForecaster(spec) as EnsembleForecaster;
      await m.fit({ tensor });
      const w = m.weightsByCategory(2);
      for (let c = 0; c < 2; c++) {
        expect(w[c]).toBeGreaterThan(0.9); // oracle, category c
        expect(w[c]).toBeLessThan(1.1);
        expect(w[2 + c] + w[4 + c]).toBeLessThan(0.1);
      }
      const f = await m.predict({ tensor }, 2);
      expect(f.mean.length).toBe(2 * 40 * 2);
      // the forecast is (close to) the truth, with a proper over-dispersion-free law
      expect(Math.abs(f.mean[5] - rate(120, 2, 1))).toBeLessThan(0.1 * rate(120, 2, 1));
      expect(variance(f)[5]).toBeGreaterThanOrEqual(f.mean[5] * 0.999);
    }
  });

  it('stacking recovers a known linear combination of two members, per category', async () => {
    // category 0 is 0.25·oracle + 0.75·(2·oracle) = 1.75·oracle; category 1 is the oracle itself
    const truth = (p: number, r: number, c: number) => (c === 0 ? 1.75 : 1) * rate(p, r, c);
    const tensor = syntheticTensor(200, 60, 2, truth, 12);
    const m = createForecaster('stacking:members=test-oracle|test-oracle:scale=2,validation=100') as EnsembleForecaster;
    await m.fit({ tensor });
    const w = m.weightsByCategory(2);
    // Σ weights·scale per member: oracle + 2·oracle·w₂ must give 1.75 in category 0, 1 in category 1
    expect(w[0] + 2 * w[2]).toBeCloseTo(1.75, 1);
    expect(w[1] + 2 * w[3]).toBeCloseTo(1, 1);
  });

  it('select-best picks the right member per category', async () => {
    // category 0 stationary (the long average wins); category 1 jumps from 1 to 5 per cell a month before
    // the end (the short moving average wins)
    const T = 150;
    const r2 = (p: number, r: number, c: number) => (c === 0 ? rate(p, r, c) : p < T - 30 ? 1 : 5);
    const tensor = syntheticTensor(T, 30, 2, r2, 13);
    const m = createForecaster('select-best:members=historical-average|moving-average:window=5,validation=20,groups=2') as SelectBest;
    await m.fit({ tensor });
    expect(Array.from(m.choice!)).toEqual([0, 0, 1, 1]); // (category, group): c0 → historical-average, c1 → moving-average
    const f = await m.predict({ tensor }, 1);
    // category 1 forecasts follow the new level, category 0 the long-run mean
    expect(f.mean[1]).toBeGreaterThan(3.5);
    expect(Math.abs(f.mean[0] - rate(0, 0, 0))).toBeLessThan(0.3);
  });

  it('select-best picks per activity group of areas', async () => {
    // quiet areas (0–14) are stationary; busy areas (15–29) jump from 3 to 8 a month before the end
    const T = 150;
    const r3 = (p: number, r: number) => (r < 15 ? 0.5 : p < T - 30 ? 3 : 8);
    const tensor = syntheticTensor(T, 30, 1, r3, 15);
    const m = createForecaster('select-best:members=historical-average|moving-average:window=5,validation=20,groups=2') as SelectBest;
    await m.fit({ tensor });
    expect(Array.from(m.groupOf!)).toEqual(Array.from({ length: 30 }, (_, r) => (r < 15 ? 0 : 1)));
    expect(Array.from(m.choice!)).toEqual([0, 1]);
  });

  it('never lets a member see a period at or after the forecast origin (spy member)', async () => {
    const tensor = syntheticTensor(100, 5, 1, () => 2, 14);
    memberCache.clear();
    spyLog.length = 0;
    const res = await runBacktest({ tensor }, 'ensemble-mean:members=test-spy|historical-average,validation=10', { testStart: 80, testEnd: 100, refitEvery: 5 });
    expect(res.fits).toBe(4);
    // per refit at origin t: fit on [0, t − 10), predict from t − 10 … t − 1, refit on [0, t), then predict at each origin
    const fits = spyLog.filter((e) => e.kind === 'fit').map((e) => e.periods);
    // origins 80, 85, 90, 95; the validation fits at 80 and 85 are the earlier origins' refits, taken from the cache
    expect(fits).toEqual([70, 80, 75, 85, 90, 95]);
    const origin = 80;
    const firstBlock = spyLog.slice(0, 13).map((e) => `${e.kind}:${e.periods}`);
    expect(firstBlock).toEqual(['fit:70', ...Array.from({ length: 10 }, (_, v) => `predict:${70 + v}`), `fit:${origin}`, `predict:${origin}`]);
    // nothing ever reached the end of the test span
    expect(Math.max(...spyLog.map((e) => e.periods))).toBe(99);
    // a second ensemble over the same member and data refits nothing: fits and validation forecasts are shared
    spyLog.length = 0;
    const again = await runBacktest({ tensor }, 'select-best:members=test-spy|historical-average,validation=10', { testStart: 80, testEnd: 100, refitEvery: 5 });
    expect(spyLog).toEqual([]); // no fit, no predict: fits, validation forecasts and forecasts are all shared
    expect(again.fits).toBe(4);
  });

  it('rejects bad member specs with a clear message', () => {
    expect(() => createForecaster('ensemble-mean:members=moving-average')).toThrow(/at least two members separated by '\|'/);
    expect(() => createForecaster('stacking:members=moving-avg|historical-average')).toThrow(/member "moving-avg": unknown model "moving-avg"/);
    expect(() => createForecaster('stacking:members=moving-average:window=0|historical-average')).toThrow(/member "moving-average:window=0".*invalid parameters/);
    expect(() => createForecaster('select-best:members=moving-average||persistence')).toThrow(/empty member/);
    expect(() => createForecaster('select-best:members=persistence|ensemble-mean')).toThrow(/cannot be nested/);
    expect(() => createForecaster('stacking:members=persistence|persistence')).toThrow(/listed twice/);
    // a member's own parameters are separated by ';'
    const m = createForecaster('stacking:members=moving-average:window=7;dist=negbin|persistence') as EnsembleForecaster;
    expect(m.memberSpecs).toEqual(['moving-average:window=7,dist=negbin', 'persistence']);
    expect(() => createForecaster('stacking:members=persistence|historical-average,loss=l1')).toThrow(/invalid parameters/);
  });
});
