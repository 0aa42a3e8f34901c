import { describe, expect, it } from 'vitest';
import { createForecaster } from '../../../src/models/registry.js';
import '../../../src/models/hotspot/hotspot-forecaster.js';
import '../../../src/models/baselines/index.js';
import { createTensor } from '../../../src/tensor/count-tensor.js';
import { capturedRate, DAY, gammaPoissonField } from './field.js';

describe('hotspot forecaster', () => {
  // sparse: 60 days at ~0.03 crimes per cell-day, cell rates near their neighbourhood's (gamma shape 8)
  const f = gammaPoissonField(30, 60, 8, 11, 0.03);
  const history = { tensor: f.tensor, units: f.units };

  it('ranks cells by the known intensity better than the long-run counts (historical-average)', async () => {
    const m = createForecaster('hotspot');
    await m.fit(history);
    const fc = await m.predict(history, 1);
    const ha = createForecaster('historical-average');
    await ha.fit(history);
    const base = await ha.predict(history, 1);
    const k = Math.round(0.05 * f.units.n);
    const ours = capturedRate(fc.mean, f.rate, k), theirs = capturedRate(base.mean, f.rate, k);
    // share of the true rate in the top 5% of cells: the shrunk rates find clearly more of it (0.189 vs 0.162)
    expect(ours).toBeGreaterThan(theirs * 1.1);
    expect(ours).toBeLessThanOrEqual(capturedRate(f.rate, f.rate, k));
  });

  it('reports its choices, validation likelihood against the raw rate, and the floored share', async () => {
    const m = createForecaster('hotspot');
    await m.fit(history);
    const s = m.fitted();
    expect(s.betweenRefits).toBe('conditioned');
    expect(s.parameters!['prior[0]']).toMatch(/neighbourhood|cell-total|city/);
    // the chosen candidate is at least as likely on validation as the raw long-run rate
    expect(Number(s.parameters!['validLogLik[0]'])).toBeGreaterThanOrEqual(Number(s.parameters!['validLogLikRaw[0]']));
    expect(s.parts!.reduce((n, p) => n + p.count, 0)).toBe(1);
  });

  it('is deterministic and forecasts the same rate at each step of a non-daily horizon', async () => {
    const a = createForecaster('hotspot'), b = createForecaster('hotspot');
    await a.fit(history); await b.fit(history);
    const fa = await a.predict(history, 2), fb = await b.predict(history, 2);
    expect(Array.from(fa.mean)).toEqual(Array.from(fb.mean));
  });

  it('picks a short half-life when half of the cells change their rate, and follows the change', async () => {
    const R = 40, P = 400, data = new Float32Array(P * R);
    // cells 0–19 jump from 0.2 to 2 per period 120 periods before the end; cells 20–39 stay at 1 (deterministic counts)
    for (let p = 0; p < P; p++) for (let r = 0; r < R; r++) data[p * R + r] = r < 20 ? (p >= P - 120 ? 2 : (p % 5 === 0 ? 1 : 0)) : 1;
    const tensor = createTensor({
      periods: P, regions: R, categories: 1, categoryNames: ['a'], regionIds: Array.from({ length: R }, (_, r) => `r${r}`),
      periodStart: Float64Array.from({ length: P }, (_, p) => p * DAY), unit: 'day', tz: 'UTC',
    }, data);
    const m = createForecaster('hotspot:weekday=off');
    await m.fit({ tensor });
    const s = m.fitted();
    expect(s.parameters!['halfLifeDays[0]']).toBe(90); // the shortest candidate
    // without units the prior is city-wide, and the summary says so
    expect(s.fallbacks!.some((x) => /city-wide prior/.test(x.what) && x.count === x.of)).toBe(true);
    const fc = await m.predict({ tensor }, 1);
    expect(fc.mean[0]).toBeGreaterThan(fc.mean[30]); // the changed cells now rank above the steady ones
  });

  it('refuses bad parameters with the fix in the message', () => {
    expect(() => createForecaster('hotspot:priors=neighbourhood/kde')).toThrow(/unknown prior kind.*kde/);
    expect(() => createForecaster('hotspot:alphas=1/x')).toThrow(/alphas/);
    expect(() => createForecaster('hotspot').predict({ tensor: f.tensor }, 1)).toThrow(/before fit/);
  });
});
