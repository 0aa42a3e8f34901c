/** Synthetic count data and test-only forecasters for the ensemble and selection tests. */
import { z } from 'zod';
import { createTensor, type CountTensor } from '../../../src/tensor/count-tensor.js';
import { poissonForecast } from '../../../src/models/distribution.js';
import { registerForecaster, listForecasters } from '../../../src/models/registry.js';
import type { Forecaster, History } from '../../../src/models/forecaster.js';
import { Rng } from '../../../src/util/rng.js';

const DAY = 86_400_000;

/** T × R × C Poisson counts with rate(p, r, c), daily periods from 2020-01-01 UTC. */
export function syntheticTensor(T: number, R: number, C: number, rate: (p: number, r: number, c: number) => number, seed = 1): CountTensor {
  const rng = new Rng(seed), data = new Float32Array(T * R * C);
  for (let p = 0; p < T; p++) for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) data[(p * R + r) * C + c] = rng.poisson(rate(p, r, c));
  return createTensor({
    periods: T, regions: R, categories: C, unit: 'day', tz: 'UTC',
    categoryNames: Array.from({ length: C }, (_, c) => `cat${c}`), regionIds: Array.from({ length: R }, (_, r) => `r${r}`),
    periodStart: Float64Array.from({ length: T }, (_, p) => Date.UTC(2020, 0, 1) + p * DAY),
  }, data);
}

/** The generating rate of the current synthetic data, read by the `test-oracle` forecaster. */
export const oracle: { rate: (p: number, r: number, c: number) => number } = { rate: () => 1 };

/** What the `test-spy` forecaster saw: history lengths at each fit and predict. */
export const spyLog: { kind: 'fit' | 'predict'; periods: number }[] = [];

if (!listForecasters().some((f) => f.name === 'test-oracle')) {
  registerForecaster({
    name: 'test-oracle', family: 'baseline', description: 'test only: the true generating rate (Poisson)',
    params: z.object({ scale: z.coerce.number().positive().default(1) }),
    create: (p): Forecaster => ({
      name: 'test-oracle', params: p, fit() {}, fitted: () => ({ betweenRefits: 'conditioned' as const }),
      predict(h: History, horizon: number) {
        const { regions: R, categories: C, periods: T } = h.tensor, mean = new Float32Array(horizon * R * C);
        for (let s = 0; s < horizon; s++) for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) mean[(s * R + r) * C + c] = p.scale * oracle.rate(T + s, r, c);
        return poissonForecast(mean, horizon, R, C);
      },
    }),
  });
  registerForecaster({
    name: 'test-spy', family: 'baseline', description: 'test only: records the history lengths it is shown, forecasts the last period',
    params: z.object({}),
    create: (p): Forecaster => ({
      name: 'test-spy', params: p, fitted: () => ({ betweenRefits: 'conditioned' as const }),
      fit(h: History) { spyLog.push({ kind: 'fit', periods: h.tensor.periods }); },
      predict(h: History, horizon: number) {
        spyLog.push({ kind: 'predict', periods: h.tensor.periods });
        const { regions: R, categories: C, periods: T } = h.tensor, RC = R * C, mean = new Float32Array(horizon * RC);
        for (let s = 0; s < horizon; s++) for (let j = 0; j < RC; j++) mean[s * RC + j] = h.tensor.data[(T - 1) * RC + j] + 0.1;
        return poissonForecast(mean, horizon, R, C);
      },
    }),
  });
}
