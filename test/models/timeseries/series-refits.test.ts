/**
 * Per-series forecasters fit only when the engine says so: predict never fits, update advances the filters at
 * the fitted parameters, and the fit summary says which series went to the count model.
 */
import { describe, expect, it } from 'vitest';
import { createTensor, slicePeriods, type CountTensor } from '../../../src/tensor/count-tensor.js';
import { binningFromStart } from '../../../src/time/bins.js';
import { calendarFeatures } from '../../../src/time/calendar.js';
import { runBacktest } from '../../../src/evaluate/backtest/engine.js';
import { fitWarnings } from '../../../src/models/fit-summary.js';
import { createForecaster } from '../../../src/models/registry.js';
import { SeriesForecaster, countSeriesFitter, type SeriesFitter } from '../../../src/models/timeseries/forecasters/series-forecaster.js';
import '../../../src/models/timeseries/forecasters/index.js';
import { Rng } from '../../../src/util/rng.js';

const TZ = 'America/Chicago';

/** R regions × 2 categories of daily counts; the first `busy` regions have means near 20, the rest below 1. */
function panel(days: number, R: number, busy: number, seed = 1): CountTensor {
  const C = 2, rng = new Rng(seed);
  const b = binningFromStart('day', TZ, '2016-01-04', days);
  const dow = calendarFeatures(b.periodStart, 'day', TZ).dow;
  const weekly = [1, 1, 1, 1.1, 1.3, 1.2, 0.5];
  const data = new Float32Array(days * R * C);
  for (let p = 0; p < days; p++) for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) {
    const base = r < busy ? 20 + 5 * c : 0.2 + 0.05 * r;
    data[(p * R + r) * C + c] = rng.poisson(base * weekly[dow[p]]);
  }
  return createTensor({ periods: days, regions: R, categories: C, categoryNames: ['THEFT', 'BATTERY'], regionIds: Array.from({ length: R }, (_, r) => `r${r}`), periodStart: Float64Array.from(b.periodStart), unit: 'day', tz: TZ }, data);
}

const PARAMS = { window: 730, countThreshold: 3, reconcile: 'bu' as const, holidays: true };

/** The INGARCH fitter, counting the series it fits. */
function countingFitter(): { fitter: SeriesFitter; calls: () => number } {
  const inner = countSeriesFitter();
  let calls = 0;
  return { fitter: (y, ctx) => { calls++; return inner(y, ctx); }, calls: () => calls };
}

describe('per-series forecasters between refits', () => {
  it('refitEvery=1000 over 20 test days: one fit (each series fitted once), 19 updates, predict never fits', async () => {
    const tensor = panel(200, 5, 1);
    const { fitter, calls } = countingFitter();
    const model = new SeriesForecaster('ingarch', PARAMS, fitter, fitter);
    let fitCalls = 0;
    const fit = model.fit.bind(model);
    model.fit = (h, o) => { fitCalls++; fit(h, o); };
    const r = await runBacktest({ tensor }, model, { testStart: 180, testEnd: 200, refitEvery: 1000 });
    expect([r.fits, r.updates]).toEqual([1, 19]);
    expect(fitCalls).toBe(1);
    expect(calls()).toBe(10);
    expect(r.fitted).toMatchObject({ fits: 1, updates: 19, frozenOrigins: 0, betweenRefits: 'updated' });
    // the count model is what `ingarch` asked for: sparse series are not a fallback there
    expect(r.fitted.fallbacks).toBeUndefined();
    // the forecasts moved with the new days: the last origin's forecast is not the first one's
    let diff = 0;
    for (let i = 0; i < 10; i++) diff += Math.abs(r.mean[19 * 10 + i] - r.mean[i]);
    expect(diff).toBeGreaterThan(0.05);
  });

  it('daily updates equal a model restarted from its fitted start on the longer history (all sub-models)', async () => {
    const tensor = panel(170, 2, 1);
    for (const spec of ['ingarch', 'ets', 'arima:order=1/0/1', 'stl', 'stl:method=arima', 'stl:method=drift', 'ets:reconcile=wls']) {
      const f = createForecaster(spec) as SeriesForecaster;
      f.fit({ tensor: slicePeriods(tensor, 0, 150) });
      const last = { tensor: slicePeriods(tensor, 0, 170) };
      // day by day, as the engine between refits
      for (let t = 151; t <= 170; t++) f.update({ tensor: slicePeriods(tensor, 0, t) });
      const fa = f.predict(last, 7);
      expect(f.report!.restarts, spec).toBe(0);
      // handed a shorter history (ensemble validation does this): restart from the fitted start, then on again
      f.update({ tensor: slicePeriods(tensor, 0, 155) });
      expect(f.report!.restarts, spec).toBe(1);
      const fb = f.predict(last, 7);
      let worst = 0;
      for (let i = 0; i < fa.mean.length; i++) worst = Math.max(worst, Math.abs(fa.mean[i] - fb.mean[i]) / Math.max(1, fa.mean[i]));
      expect(worst, spec).toBeLessThan(1e-6); // float32 forecasts
      // the calendar moved on: from day 170 the busy series still has its Sunday dip (0.5×) below Friday (1.3×)
      if (!spec.includes('drift')) {
        const next = Float64Array.from({ length: 7 }, (_, h) => tensor.periodStart[169] + (h + 1) * 86_400_000 + 3_600_000 * 2);
        const dow = calendarFeatures(next, 'day', TZ).dow;
        expect(fa.mean[dow.indexOf(6) * 4], spec).toBeLessThan(0.75 * fa.mean[dow.indexOf(4) * 4]);
      }
    }
  });

  it('counts revised after the state saw them restart the filters; a history without the fitted start is refused', () => {
    const tensor = panel(200, 3, 1);
    const f = createForecaster('ets') as SeriesForecaster;
    f.fit({ tensor: slicePeriods(tensor, 0, 190) });
    const revised = { ...tensor, data: Float32Array.from(tensor.data) };
    revised.data[100 * 6] += 30;
    const fresh = createForecaster('ets') as SeriesForecaster;
    fresh.fit({ tensor: slicePeriods(tensor, 0, 190) });
    const fr = f.predict({ tensor: slicePeriods(revised, 0, 195) }, 1);
    expect(f.report!.restarts).toBe(1);
    // the same as a model that saw the unrevised history first, then the revision (also a restart)
    fresh.update({ tensor: slicePeriods(tensor, 0, 193) });
    const ff = fresh.predict({ tensor: slicePeriods(revised, 0, 195) }, 1);
    for (let i = 0; i < 6; i++) expect(ff.mean[i]).toBeCloseTo(fr.mean[i], 5);
    expect(() => f.predict({ tensor: slicePeriods(tensor, 5, 195) }, 1)).toThrow(/first period of the fitted window/);
  });

  it('fitted() reports the share of series handed to the count model, merged over refits', async () => {
    // 6 regions × 2 categories, 2 busy regions: 8 of 12 series are sparse
    const tensor = panel(200, 6, 2);
    const f = createForecaster('ets:model=ANN') as SeriesForecaster;
    f.fit({ tensor: slicePeriods(tensor, 0, 180) });
    const s = f.fitted();
    expect(s.betweenRefits).toBe('updated');
    expect(s.fallbacks).toContainEqual({ what: 'INGARCH count model instead of ets', reason: 'series mean below countThreshold=3', count: 8, of: 12 });
    const count = s.parts!.filter((p) => p.model.startsWith('ingarch')).reduce((a, p) => a + p.count, 0);
    const ets = s.parts!.filter((p) => p.model.startsWith('ETS')).reduce((a, p) => a + p.count, 0);
    expect([count, ets]).toEqual([8, 4]);
    expect(s.parameters!['median ingarch α (8 series)']).toBeGreaterThanOrEqual(0);
    const r = await runBacktest({ tensor }, 'ets:model=ANN', { testStart: 180, refitEvery: 10 });
    expect([r.fits, r.updates]).toEqual([2, 18]);
    expect(r.fitted.fallbacks).toContainEqual(expect.objectContaining({ what: 'INGARCH count model instead of ets', count: 16, of: 24 }));
    expect(fitWarnings(r.fitted).join('\n')).toMatch(/fallback on 67% \(16 of 24\): INGARCH count model instead of ets/);
  });
});
