import { describe, it, expect } from 'vitest';
import '../../../src/models/linear/glm-forecasters.js';
import { createForecaster } from '../../../src/models/registry.js';
import { createTensor } from '../../../src/tensor/count-tensor.js';
import { Rng } from '../../../src/util/rng.js';
import { probAtLeastOne } from '../../../src/models/distribution.js';
import type { History } from '../../../src/models/forecaster.js';

const DAY = 86_400_000;

/** 240 days × 30 regions × 2 categories with rates λ_rc and a weekend uplift of ×1.5. */
function simulated(seed = 1) {
  const T = 240, R = 30, C = 2;
  const rng = new Rng(seed);
  const rate = Float64Array.from({ length: R * C }, () => 0.2 + 3 * rng.random());
  const start = Date.UTC(2017, 0, 2, 6); // a Monday, Chicago midnight
  const weekend = (p: number) => (p % 7 >= 5 ? 1.5 : 1);
  const data = new Float32Array(T * R * C);
  for (let p = 0; p < T; p++) for (let k = 0; k < R * C; k++) data[p * R * C + k] = rng.poisson(rate[k] * weekend(p));
  const tensor = createTensor({
    periods: T, regions: R, categories: C, categoryNames: ['A', 'B'], regionIds: Array.from({ length: R }, (_, r) => `r${r}`),
    periodStart: Float64Array.from({ length: T }, (_, p) => start + p * DAY), unit: 'day', tz: 'America/Chicago',
  }, data);
  return { tensor, rate, weekend };
}

describe('feature-based forecasters', () => {
  it('poisson-glm learns per-cell rates and the weekly pattern from lag/window/calendar features', async () => {
    const { tensor, rate, weekend } = simulated();
    const h: History = { tensor };
    const f = createForecaster('poisson-glm:trainPeriods=200,windows=7;56,lags=1;7,calendarOneHot=true');
    await f.fit(h, { seed: 1 });
    const fc = await f.predict(h, 2);
    expect(fc.mean.length).toBe(2 * 30 * 2);
    // periods 240 (day 240 % 7 = 2, weekday) and 241
    // compare with the 56-day moving average, which cannot know the weekly pattern
    let err = 0, errMa = 0;
    for (let hh = 0; hh < 2; hh++) for (let k = 0; k < 60; k++) {
      const truth = rate[k] * weekend(240 + hh);
      let ma = 0;
      for (let p = 240 - 56; p < 240; p++) ma += tensor.data[p * 60 + k] / 56;
      err += Math.abs(Math.log(fc.mean[hh * 60 + k] / truth));
      errMa += Math.abs(Math.log(Math.max(ma, 1e-3) / truth));
    }
    expect(err / 120).toBeLessThan(0.15);
    expect(err).toBeLessThan(errMa);
    expect(fc.dist.family).toBe('negbin'); // size fitted on held-out validation periods
  });

  it('logistic gives P(≥1) that maps to a Poisson mean with the same P(≥1)', async () => {
    const { tensor } = simulated(2);
    const h: History = { tensor };
    const f = createForecaster('logistic:trainPeriods=150,validation=0,classWeight=balanced');
    await f.fit(h);
    const fc = await f.predict(h, 1);
    const p = probAtLeastOne(fc);
    for (let i = 0; i < fc.mean.length; i++) expect(p[i]).toBeCloseTo(1 - Math.exp(-fc.mean[i]), 5);
  });

  it('rejects unknown parameters with a message naming the valid ones', () => {
    expect(() => createForecaster('poisson-glm:windw=3')).toThrow(/no parameter "windw".*windows/);
  });
});
