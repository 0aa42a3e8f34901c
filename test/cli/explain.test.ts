import { describe, expect, it } from 'vitest';
import { explainModel } from '../../src/cli/explain-model.js';
import { explainText } from '../../src/cli/commands/explain.js';
import { createTensor } from '../../src/tensor/count-tensor.js';
import { localDateToUtc, stepPeriod } from '../../src/time/bins.js';
import { Rng } from '../../src/util/rng.js';
import type { History } from '../../src/models/forecaster.js';
import '../../src/models/all.js';

/** 40 regions × 90 days; counts Poisson with mean 0.1 + 3·x_r, x a static covariate; "noise" is an unrelated one. */
function history(): History {
  const R = 40, P = 90, tz = 'UTC', rng = new Rng(11);
  const periodStart = new Float64Array(P);
  for (let p = 0, t = localDateToUtc('2024-01-01', tz); p < P; p++, t = stepPeriod(t, 'day', tz)) periodStart[p] = t;
  const tensor = createTensor({ periods: P, regions: R, categories: 1, unit: 'day', tz, periodStart, regionIds: Array.from({ length: R }, (_, r) => `r${r}`), categoryNames: ['all'] });
  const x = Float64Array.from({ length: R }, (_, r) => r / (R - 1));
  const values = new Float64Array(R * 2);
  for (let r = 0; r < R; r++) { values[r * 2] = x[r]; values[r * 2 + 1] = rng.random(); }
  for (let p = 0; p < P; p++) for (let r = 0; r < R; r++) {
    // Poisson draw by inversion
    const mu = 0.1 + 3 * x[r];
    let k = 0, q = Math.exp(-mu), s = q;
    const u = rng.random();
    while (u > s) { k++; q *= mu / k; s += q; }
    tensor.data[p * R + r] = k;
  }
  return { tensor, covariates: { names: ['x', 'noise'], values } };
}

describe('crimecast explain (permutation importance and partial dependence on held-out periods)', () => {
  it('finds the covariate that drives the counts, and its partial dependence rises', async () => {
    const h = history();
    const r = await explainModel(h, 'gbm:trainPeriods=60,validation=0,lags=1,windows=7,calendar=false', { holdout: 14, repeats: 3, seed: 2, top: 2, grid: 6, maxRows: 300 });
    expect(r.metric).toBe('Poisson deviance per row');
    expect(r.trainPeriods).toEqual([0, 76]);
    expect(r.holdoutPeriods).toEqual([76, 90]);
    expect(r.rows).toEqual({ heldOut: 14 * 40, used: 300, sampled: true });
    const imp = Object.fromEntries(r.importance.map((f) => [f.feature, f.increase]));
    // the static covariate carries the signal (the recent means are noisy copies of it); the noise one adds nothing
    expect(r.importance[0].feature).toBe('cov_x');
    expect(imp.cov_x).toBeGreaterThan(0.5);
    expect(imp.cov_noise).toBeLessThan(0.05);
    // partial dependence follows the truth 0.1 + 3x from the lowest to the highest grid value
    const pd = r.partialDependence[0];
    expect(pd.feature).toBe('cov_x');
    expect(pd.grid.length).toBeGreaterThan(3);
    expect(pd.mean[0]).toBeLessThan(0.6);
    expect(Math.abs(pd.mean[pd.mean.length - 1] - (0.1 + 3 * pd.grid[pd.grid.length - 1]))).toBeLessThan(0.6);
    for (let k = 1; k < pd.mean.length; k++) expect(pd.mean[k]).toBeGreaterThanOrEqual(pd.mean[k - 1] - 0.1);
    const text = explainText(r, { train: 'a', holdout: 'b' });
    expect(text).toMatch(/mean ± sd over 3 repeats, seed 2/);
    expect(text).toMatch(/a seeded sample of 560/);
  });

  it('refuses a model that builds no features, and a hold-out that leaves nothing to train on', async () => {
    await expect(explainModel(history(), 'moving-average', { holdout: 7, repeats: 1, seed: 1, top: 1, grid: 3, maxRows: 100 })).rejects.toThrow(/needs a feature learner/);
    await expect(explainModel(history(), 'gbm', { holdout: 89, repeats: 1, seed: 1, top: 1, grid: 3, maxRows: 100 })).rejects.toThrow(/--holdout 89 leaves 1 of 90/);
  });
});
