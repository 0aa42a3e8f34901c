import { describe, expect, it } from 'vitest';
import '../../../src/models/baselines/index.js';
import { createForecaster } from '../../../src/models/registry.js';
import type { Forecast } from '../../../src/models/forecaster.js';
import { probAtLeastOne } from '../../../src/models/distribution.js';
import { fitNegBinSize } from '../../../src/models/dispersion.js';
import { seasonalLags } from '../../../src/models/baselines/seasonal-naive.js';
import { tinyTensor } from './tiny-tensor.js';

// 8 periods × 2 regions × 2 categories; region 1 category 0 counts 0..7, the rest hand-picked
const series: number[][] = [
  [1, 0, 3, 2], [0, 0, 4, 1], [2, 1, 5, 0], [0, 0, 6, 3], [1, 1, 7, 0], [0, 0, 8, 2], [3, 1, 9, 1], [0, 0, 10, 0],
];
const tensor = tinyTensor(series.map(([a, b, c, d]) => [[a, b], [c, d]]));

async function forecast(spec: string, horizon = 1): Promise<Forecast> {
  const m = createForecaster(spec);
  await m.fit({ tensor });
  return m.predict({ tensor }, horizon);
}
const arr = (f: Forecast) => Array.from(f.mean);

describe('mean baselines', () => {
  it('historical average over all history and over a window', async () => {
    expect(arr(await forecast('historical-average'))).toEqual([7 / 8, 3 / 8, 52 / 8, 9 / 8]);
    const w = arr(await forecast('historical-average:window=2'));
    [1.5, 0.5, 9.5, 0.5].forEach((v, i) => expect(w[i]).toBeCloseTo(v, 6));
  });

  it('moving average is flat over the horizon', async () => {
    const f = await forecast('moving-average:window=3', 2);
    const m = arr(f);
    [1, 1 / 3, 9, 1].forEach((v, i) => { expect(m[i]).toBeCloseTo(v, 6); expect(m[4 + i]).toBeCloseTo(v, 6); });
    expect(f.dist.family).toBe('poisson');
  });

  it('persistence repeats the last period', async () => {
    expect(arr(await forecast('persistence', 2))).toEqual([0, 0, 10, 0, 0, 0, 10, 0]);
  });

  it('seasonal naive takes the same phase of the last season(s)', async () => {
    expect(seasonalLags(7, 1, 0)).toEqual([7]);
    expect(seasonalLags(3, 2, 4)).toEqual([2, 5]);
    // season 3: step 0 = period 5, step 1 = period 6, step 2 = period 7, step 3 = period 5 again
    expect(arr(await forecast('seasonal-naive:season=3', 4))).toEqual([0, 0, 8, 2, 3, 1, 9, 1, 0, 0, 10, 0, 0, 0, 8, 2]);
    // two seasons averaged: periods 5 and 2 for the next period
    expect(arr(await forecast('seasonal-naive:season=3,seasons=2'))).toEqual([1, 0.5, 6.5, 1]);
  });

  it('constant gives the value everywhere', async () => {
    expect(arr(await forecast('constant:value=2', 2))).toEqual(new Array(8).fill(2));
  });

  it('negative binomial: size fitted on one-step residuals of the last V periods', async () => {
    const bursty = tinyTensor([0, 0, 10, 0, 0, 12, 0, 0, 9, 0, 0, 11].map((v) => [[v]]));
    const m = createForecaster('moving-average:window=3,dist=negbin,dispersionPeriods=9');
    await m.fit({ tensor: bursty });
    const f = await m.predict({ tensor: bursty }, 2);
    expect(f.dist.family).toBe('negbin');
    if (f.dist.family !== 'negbin') return;
    // periods 3..11, each forecast by the mean of the 3 periods before it
    const y = [0, 0, 12, 0, 0, 9, 0, 0, 11];
    const mu = [10 / 3, 10 / 3, 10 / 3, 4, 4, 4, 3, 3, 3];
    expect(f.dist.size[0]).toBeCloseTo(fitNegBinSize(y, mu), 4);
    expect(f.dist.size[0]).toBeLessThan(5);
    expect(f.dist.size[1]).toBe(f.dist.size[0]);
    expect(f.mean[0]).toBeCloseTo(11 / 3, 6);
    // over-dispersion lowers P(≥1) below the Poisson value at the same mean
    expect(probAtLeastOne(f)[0]).toBeLessThan(1 - Math.exp(-11 / 3));
  });

  it('negative binomial falls back to Poisson (size ∞) without over-dispersion', async () => {
    const steady = tinyTensor([2, 3, 2, 2, 3, 2, 2, 3, 2, 2].map((v) => [[v]]));
    const m = createForecaster('moving-average:window=3,dist=negbin');
    await m.fit({ tensor: steady });
    const f = await m.predict({ tensor: steady }, 1);
    if (f.dist.family !== 'negbin') throw new Error('expected negbin');
    // residuals of about ±2/3 on counts of 2–3: far less spread than Poisson
    expect(f.dist.size[0]).toBe(Infinity);
    expect(probAtLeastOne(f)[0]).toBeCloseTo(1 - Math.exp(-f.mean[0]), 6);
  });

  it('rejects unknown parameters', () => {
    expect(() => createForecaster('moving-average:windw=3')).toThrow(/no parameter "windw"/);
    expect(() => createForecaster('moving-average:dist=gamma')).toThrow(/invalid parameters/);
  });
});

describe('occurrence baselines', () => {
  it('any-in-window: 1 when any event in the window', async () => {
    const f = await forecast('any-in-window:window=2');
    expect(f.dist.family).toBe('bernoulli');
    // last two periods: region0 [3,1],[0,0]; region1 [9,1],[10,0]
    expect(arr(f)).toEqual([1, 1, 1, 1]);
    expect(arr(await forecast('any-in-window:window=1'))).toEqual([0, 0, 1, 0]);
  });

  it('occurrence-rate: share of periods with an event, optionally hardened at a threshold', async () => {
    const f = await forecast('occurrence-rate:window=4');
    // last 4 periods: r0c0 [0,1,0,3] → 0.5; r0c1 [0,1,0,1] → 0.5; r1c0 all > 0 → 1; r1c1 [0,2,1,0] → 0.5
    expect(arr(f)).toEqual([0.5, 0.5, 1, 0.5]);
    expect(Array.from(probAtLeastOne(f))).toEqual([0.5, 0.5, 1, 0.5]);
    expect(arr(await forecast('occurrence-rate:window=4,threshold=0.5'))).toEqual([1, 1, 1, 1]);
    expect(arr(await forecast('occurrence-rate:window=4,threshold=0.6'))).toEqual([0, 0, 1, 0]);
  });
});
