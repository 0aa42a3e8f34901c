import { describe, expect, it } from 'vitest';
import { createTensor, type CountTensor } from '../../../src/tensor/count-tensor.js';
import { binningFromStart } from '../../../src/time/bins.js';
import { calendarFeatures } from '../../../src/time/calendar.js';
import { createForecaster } from '../../../src/models/registry.js';
import { quantile } from '../../../src/models/distribution.js';
import { SeriesForecaster } from '../../../src/models/timeseries/forecasters/series-forecaster.js';
import '../../../src/models/timeseries/forecasters/index.js';
import { Rng } from '../../../src/util/rng.js';

/** 6 regions × 2 categories of daily counts: region 0 busy with a weekly pattern, the rest sparse. */
function makeTensor(days: number, seed = 1): CountTensor {
  const R = 6, C = 2, rng = new Rng(seed);
  const b = binningFromStart('day', 'America/Chicago', '2016-01-04', days);
  const dow = calendarFeatures(b.periodStart, 'day', 'America/Chicago').dow;
  const data = new Float32Array(days * R * C);
  const weekly = [1, 1, 1, 1.1, 1.3, 1.2, 0.5];
  for (let p = 0; p < days; p++) for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) {
    const base = r === 0 ? 20 + 5 * c : 0.3 + 0.1 * r;
    data[(p * R + r) * C + c] = rng.poisson(base * weekly[dow[p]]);
  }
  return createTensor({ periods: days, regions: R, categories: C, categoryNames: ['THEFT', 'BATTERY'], regionIds: ['a', 'b', 'c', 'd', 'e', 'f'], periodStart: Float64Array.from(b.periodStart), unit: 'day', tz: 'America/Chicago' }, data);
}

describe('time-series forecasters', () => {
  const tensor = makeTensor(280);
  const history = { tensor };

  for (const spec of ['arima', 'ets', 'stl', 'ingarch', 'arima:order=1/0/1', 'ets:model=AAdA', 'stl:method=drift', 'ingarch:link=log,family=poisson']) {
    it(`${spec}: finite, non-negative forecasts with a count distribution`, async () => {
      const f = createForecaster(spec);
      await f.fit(history, { seed: 1 });
      const fc = await f.predict(history, 7);
      expect(fc.mean.length).toBe(7 * 12);
      expect(fc.dist.family).toBe('negbin');
      for (let i = 0; i < fc.mean.length; i++) {
        expect(Number.isFinite(fc.mean[i])).toBe(true);
        expect(fc.mean[i]).toBeGreaterThan(0);
        expect(quantile(fc, i, 0.05)).toBeGreaterThanOrEqual(0);
      }
      const report = (f as SeriesForecaster).report!;
      expect(report.series).toBe(12);
      // only region 0 has means above the default threshold of 3
      expect(report.countFallback).toBe(10);
      // the busy series follows the weekly pattern: Sunday (0.5×) well below Friday (1.3×)
      const day = calendarFeatures(Float64Array.from({ length: 7 }, (_, h) => tensor.periodStart[tensor.periods - 1] + (h + 1) * 86_400_000), 'day', 'America/Chicago').dow;
      const sun = day.indexOf(6), fri = day.indexOf(4);
      if (!spec.includes('drift')) expect(fc.mean[sun * 12]).toBeLessThan(0.75 * fc.mean[fri * 12]);
      // near the truth for the busy cell (20 × weekly)
      expect(Math.abs(fc.mean[fri * 12] - 26)).toBeLessThan(6);
    });
  }

  it('OLS / WLS reconciliation keeps counts non-negative and moves the map towards the city model', async () => {
    const bu = createForecaster('ets'), ols = createForecaster('ets:reconcile=ols'), wls = createForecaster('ets:reconcile=wls');
    for (const f of [bu, ols, wls]) await f.fit(history);
    const [a, b, c] = await Promise.all([bu, ols, wls].map((f) => f.predict(history, 3)));
    let changed = 0;
    for (let i = 0; i < a.mean.length; i++) {
      expect(b.mean[i]).toBeGreaterThan(0); expect(c.mean[i]).toBeGreaterThan(0);
      if (Math.abs(a.mean[i] - b.mean[i]) > 1e-6) changed++;
    }
    expect(changed).toBeGreaterThan(0);
  });

  it('predict on a different history restarts the filters at the fitted parameters (never refits), and rejects bad orders', async () => {
    const f = createForecaster('ingarch') as SeriesForecaster;
    await f.fit(history);
    const fitSeconds = f.report!.fitSeconds;
    // other counts over the same days, and 20 more: the state saw counts that are no longer there
    const longer = { tensor: makeTensor(300, 2) };
    const fc = await f.predict(longer, 1);
    expect(fc.mean.length).toBe(12);
    expect(f.report!.restarts).toBe(1);
    expect(f.report!.fitSeconds).toBe(fitSeconds);
    expect(() => createForecaster('arima:order=1/0').fit(history)).toThrow(/order/);
    expect(() => createForecaster('ets:model=XYZ').fit(history)).toThrow(/ETS model/);
  });
});
