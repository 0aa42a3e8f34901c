import { describe, it, expect } from 'vitest';
import '../../../src/models/trees/forecasters.js';
import '../../../src/models/linear/glm-forecasters.js';
import { createForecaster } from '../../../src/models/registry.js';
import { createTensor } from '../../../src/tensor/count-tensor.js';
import { Rng } from '../../../src/util/rng.js';
import { explainForecastCells } from '../../../src/models/explain/forecast-shap.js';
import { probAtLeastOne } from '../../../src/models/distribution.js';
import type { History } from '../../../src/models/forecaster.js';

const DAY = 86_400_000;

/**
 * 200 days × 20 regions × 1 category; a region's rate is 3 on weekends and 0.3 on weekdays in "nightlife"
 * regions (even r) and a flat 0.8 elsewhere: an interaction of region and weekday that a tree can represent
 * and a moving average cannot.
 */
function simulated(seed = 1) {
  const T = 200, R = 20;
  const rng = new Rng(seed);
  const start = Date.UTC(2017, 0, 2, 6); // Monday, Chicago midnight
  const rate = (p: number, r: number) => (r % 2 === 0 ? (p % 7 >= 5 ? 3 : 0.3) : 0.8);
  const data = new Float32Array(T * R);
  for (let p = 0; p < T; p++) for (let r = 0; r < R; r++) data[p * R + r] = rng.poisson(rate(p, r));
  const tensor = createTensor({
    periods: T, regions: R, categories: 1, categoryNames: ['A'], regionIds: Array.from({ length: R }, (_, r) => `r${r}`),
    periodStart: Float64Array.from({ length: T }, (_, p) => start + p * DAY), unit: 'day', tz: 'America/Chicago',
  }, data);
  return { tensor, rate };
}

/** Mean |log(forecast / truth)| over the next 7 days (200 % 7 = 4: Friday … Thursday, a weekend inside). */
async function logError(spec: string) {
  const { tensor, rate } = simulated();
  // a per-region covariate (say, licensed bars) marks the nightlife regions
  const h: History = { tensor, covariates: { names: ['bars'], values: Float64Array.from({ length: 20 }, (_, r) => (r % 2 === 0 ? 12 : 1)) } };
  const f = createForecaster(spec);
  await f.fit(h, { seed: 3 });
  const fc = await f.predict(h, 7);
  let e = 0;
  for (let k = 0; k < 7; k++) for (let r = 0; r < 20; r++) e += Math.abs(Math.log(Math.max(fc.mean[k * 20 + r], 1e-6) / rate(200 + k, r)));
  return { err: e / 140, f, h, fc };
}

describe('tree forecasters', () => {
  it('gbm, random-forest and decision-tree learn a covariate × weekday interaction that a linear model on the same features cannot', async () => {
    const glm = await logError('poisson-glm:trainPeriods=150,lags=1;7,windows=28');
    for (const [spec, tol] of [
      ['gbm:trainPeriods=150,lags=1;7,windows=28,calendarOneHot=false', 0.15],
      ['random-forest:trainPeriods=150,lags=1;7,windows=28,nEstimators=30', 0.25],
      ['decision-tree:trainPeriods=150,lags=1;7,windows=28', 0.25],
    ] as const) {
      const { err, fc } = await logError(spec);
      expect(err, spec).toBeLessThan(tol);
      expect(err, spec).toBeLessThan(glm.err * 0.6);
      expect(fc.dist.family).toBe('negbin');
    }
  });

  it('select=k keeps the k features with the most mutual information (chosen on training rows) and still learns', async () => {
    const { err, f } = await logError('gbm:trainPeriods=150,lags=1;7,windows=28,select=4');
    const names = (f as unknown as { featureNames: string[] }).featureNames;
    expect(names).toHaveLength(4);
    expect(names).toContain('cov_bars');
    expect(err).toBeLessThan(0.2);
  });

  it('occurrence task gives probabilities mapped to Poisson means with the same P(≥1)', async () => {
    const { tensor } = simulated(2);
    const f = createForecaster('gbm:task=occurrence,trainPeriods=120,validation=0,maxIter=50');
    await f.fit({ tensor }, { seed: 1 });
    const fc = await f.predict({ tensor }, 1);
    const p = probAtLeastOne(fc);
    for (let i = 0; i < fc.mean.length; i++) expect(p[i]).toBeCloseTo(1 - Math.exp(-fc.mean[i]), 5);
  });

  it('TreeSHAP explains a cell: base + contributions = log of the forecast; the weekday feature matters in nightlife cells', async () => {
    const { f, h, fc } = await logError('gbm:trainPeriods=150,lags=1;7,windows=28,calendarOneHot=false');
    const cells = [{ region: 0, category: 0 }, { region: 1, category: 0 }];
    const ex = explainForecastCells(f, h, cells, 100);
    expect(ex[0].scale).toBe('log-rate');
    for (const [i, e] of ex.entries()) {
      const sum = e.base + e.contributions.reduce((a, c) => a + c.shap, 0);
      expect(sum).toBeCloseTo(e.margin, 6);
      expect(Math.exp(e.margin)).toBeCloseTo(fc.mean[cells[i].region], 3);
    }
    const top3 = ex[0].contributions.slice(0, 3).map((c) => c.feature).join(' ');
    expect(top3).toMatch(/dow|weekday|day_of_week/);
    expect(() => explainForecastCells(createForecaster('poisson-glm'), h, cells)).toThrow(/tree model/);
  });

  it('parses flags and rejects bad parameters with clear messages', () => {
    expect(createForecaster('gbm:earlyStopping=false').params.earlyStopping).toBe(false);
    expect(createForecaster('gbm:earlyStopping=no').params.earlyStopping).toBe(false);
    expect(() => createForecaster('gbm:earlyStopping=maybe')).toThrow(/earlyStopping/);
    expect(() => createForecaster('random-forest:maxFeatures=many')).toThrow(/maxFeatures/);
    expect(() => createForecaster('gbm:task=classify')).toThrow(/task/);
  });
});
