import { describe, expect, it } from 'vitest';
import '../../../src/models/all.js';
import { createForecaster } from '../../../src/models/registry.js';
import type { PanelForecaster } from '../../../src/models/linear/panel-forecaster.js';
import type { History } from '../../../src/models/forecaster.js';
import { createTensor } from '../../../src/tensor/count-tensor.js';
import { binningFromStart } from '../../../src/time/bins.js';
import { Rng } from '../../../src/util/rng.js';

/** 40 areas × 2 categories × 240 days: log μ = α_rc + 0.4·w(t−1), α_rc = 0.2 + 0.6·poverty_r − 0.5·[c = 1] + noise. */
function simulated(): { history: History; w: Float64Array; poverty: Float64Array } {
  const rng = new Rng(21);
  const R = 40, C = 2, T = 240;
  const poverty = Float64Array.from({ length: R }, () => rng.normal());
  const income = Float64Array.from({ length: R }, () => rng.normal()); // no effect
  const w = Float64Array.from({ length: T }, (_, t) => Math.sin((2 * Math.PI * t) / 60) + rng.normal(0, 0.5));
  const alpha = Float64Array.from({ length: R * C }, (_, u) => 0.2 + 0.6 * poverty[Math.floor(u / C)] - (u % C === 1 ? 0.5 : 0) + rng.normal(0, 0.1));
  const data = new Float32Array(T * R * C);
  for (let t = 1; t < T; t++) for (let u = 0; u < R * C; u++) data[t * R * C + u] = rng.poisson(Math.exp(alpha[u] + 0.4 * w[t - 1]));
  const tz = 'America/Chicago';
  const tensor = createTensor({
    periods: T, regions: R, categories: C, categoryNames: ['THEFT', 'BATTERY'], regionIds: Array.from({ length: R }, (_, r) => String(r + 1)),
    periodStart: Float64Array.from(binningFromStart('day', tz, '2016-01-01', T).periodStart), unit: 'day', tz,
  }, data);
  const cov = new Float64Array(R * 2);
  for (let r = 0; r < R; r++) { cov[r * 2] = poverty[r]; cov[r * 2 + 1] = income[r]; }
  return {
    history: {
      tensor,
      covariates: { names: ['poverty', 'income'], values: cov },
      timeCovariates: { names: ['temp'], perRegion: false, values: w, periods: T },
    },
    w, poverty,
  };
}

describe('panel-fe forecaster', () => {
  it('recovers the time-varying effect, explains area effects by static indicators, forecasts and explains cells', async () => {
    const { history, w } = simulated();
    const f = createForecaster('panel-fe:lags=,windows=,spatialWindows=,calendar=false,dist=poisson,trainPeriods=239') as PanelForecaster;
    await f.fit(history, { seed: 1 });
    const s = f.summary();
    expect(s.converged).toBe(true);
    const temp = s.coefficients.find((c) => c.name === 'tv_temp')!;
    expect(Math.abs(temp.coef - 0.4)).toBeLessThan(3 * temp.se);
    expect(temp.se).toBeLessThan(0.03);
    expect(temp.p).toBeLessThan(1e-6);
    expect(s.absorbed).toEqual(['poverty', 'income']);
    expect(s.clusters).toBe(40);
    const between = Object.fromEntries(s.between!.rows.map((r) => [r.name, r]));
    expect(Math.abs(between.poverty.coef - 0.6)).toBeLessThan(3 * between.poverty.se);
    expect(Math.abs(between.income.coef)).toBeLessThan(3 * between.income.se);
    expect(between['category=BATTERY'].coef).toBeCloseTo(-0.5, 1);

    const T = history.tensor.periods;
    const fc = await f.predict(history, 1);
    const [cell] = f.explainCells(history, [{ region: 3, category: 1 }]);
    expect(Math.log(fc.mean[3 * 2 + 1])).toBeCloseTo(cell.link, 5);
    expect(cell.contributions[0].feature).toBe('tv_temp');
    expect(cell.contributions[0].value).toBeCloseTo(w[T - 1], 6); // the last known value
    expect(cell.link - cell.areaEffect).toBeCloseTo(temp.coef * w[T - 1], 6);
  });

  it('linear family, calendar dummies and count features: dummy traps are dropped, forecasts are finite and ≥ 0', async () => {
    const { history } = simulated();
    const f = createForecaster('panel-fe:family=linear,validation=20') as PanelForecaster;
    await f.fit(history, { seed: 1 });
    const s = f.summary();
    // one weekday and one month level are collinear with the area effects
    expect(s.coefficients.filter((c) => c.status === 'collinear').length).toBeGreaterThanOrEqual(2);
    expect(s.coefficients.find((c) => c.name === 'log_mean_30')!.status).toBe('kept');
    const fc = await f.predict(history, 3);
    expect(fc.mean.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    expect(fc.dist.family).toBe('negbin');
  });

  it('rejects bad parameters with a message naming them', () => {
    expect(() => createForecaster('panel-fe:family=probit')).toThrow(/family/);
  });
});
