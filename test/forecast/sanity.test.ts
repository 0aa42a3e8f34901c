/** A forecast product never flags zero-risk cells and says when its total leaves the recent rate behind. */
import { describe, expect, it } from 'vitest';
import type { FitSummary, Forecast, Forecaster, History } from '../../src/models/forecaster.js';
import { poissonForecast } from '../../src/models/distribution.js';
import { totalVersusRecent } from '../../src/forecast/produce.js';
import { createTensor } from '../../src/tensor/count-tensor.js';

const R = 50, DAY = 86_400_000;
function history(perDay: number): History {
  const tensor = createTensor({ periods: 60, regions: R, categories: 1, categoryNames: ['all'], regionIds: Array.from({ length: R }, (_, r) => `r${r}`),
    periodStart: Float64Array.from({ length: 60 }, (_, p) => Date.UTC(2024, 0, 1) + p * DAY), unit: 'day', tz: 'UTC' });
  for (let p = 0; p < 60; p++) for (let k = 0; k < perDay; k++) tensor.data[p * R + ((p * 7 + k * 13) % R)]++;
  return { tensor };
}
const flat = (total: number): Forecast => poissonForecast(new Float32Array(R).fill(total / R), 1, R, 1);

describe('forecast sanity', () => {
  it('a total near the recent rate passes; one far above its own interval is reported with the figures', () => {
    const h = history(40);
    expect(totalVersusRecent(h, flat(42), 1)).toBeUndefined();
    // Poisson total 60 has sd √60 ≈ 7.7: 20 above the recent 40 is outside ±15.2
    expect(totalVersusRecent(h, flat(60), 1)).toBe("the forecast total 60.0 is +50% from the last 28 periods' rate (40.0 over 1 period), outside the forecast's own 95% interval (±15.2): check the model's level before acting on it");
  });
});

describe('flagging', () => {
  it('zero-risk cells are never flagged to fill the coverage', async () => {
    const { produceForecast } = await import('../../src/forecast/produce.js');
    const { registerForecaster } = await import('../../src/models/registry.js');
    const { z } = await import('zod');
    // a model with risk in 3 cells only
    class ThreeCells implements Forecaster {
      readonly name = 'three-cells'; readonly params = {};
      fit() {}
      predict(h: History, horizon: number): Forecast {
        const m = new Float32Array(horizon * h.tensor.regions);
        m[5] = 3; m[9] = 2; m[11] = 1;
        return poissonForecast(m, horizon, h.tensor.regions, 1);
      }
      fitted(): FitSummary { return { betweenRefits: 'conditioned' }; }
    }
    registerForecaster({ name: 'test-three-cells', family: 'baseline', description: 'test', params: z.object({}), create: () => new ThreeCells() });
    const { buildGrid } = await import('../../src/space/grid.js');
    const units = buildGrid({ cell: 100, bbox: { minLat: 41.8, minLon: -87.7, maxLat: 41.8 + 0.0045 * 5, maxLon: -87.7 + 0.006 * 10 } });
    const h = history(10);
    const t = createTensor({ ...h.tensor, regions: units.n, regionIds: units.ids, periods: 60, categories: 1, categoryNames: ['all'], periodStart: h.tensor.periodStart, unit: 'day', tz: 'UTC' });
    const p = await produceForecast({ tensor: t, units }, 'test-three-cells', 1, { coverage: 0.2 });
    expect(p.flagged.reduce((a, b) => a + b, 0)).toBe(3);
    expect(p.warnings[0]).toMatch(/^only 3 regions have expected crime above zero: \d+ more would be needed to fill 20\.0% of the area, and are not flagged$/);
  });
});
