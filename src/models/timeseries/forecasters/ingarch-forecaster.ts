/** `ingarch`: Poisson / negative-binomial INGARCH(1,1) with day-of-week effects for every series — the count model. */
import { z } from 'zod';
import { registerForecaster } from '../../registry.js';
import { SeriesForecaster, countSeriesFitter, seriesParams } from './series-forecaster.js';

export const ingarchParams = z.object({
  link: z.enum(['identity', 'log']).default('identity'),
  family: z.enum(['negbin', 'poisson']).default('negbin'),
  ...seriesParams,
});

registerForecaster({
  name: 'ingarch',
  family: 'timeseries',
  description: 'INGARCH(1,1) count time series per region × category (λ_t = ω + α y_{t−1} + β λ_{t−1}, identity or log-linear link, day-of-week factor), Poisson quasi-ML with NB size; forecasts and intervals never negative.',
  params: ingarchParams,
  create: (p) => {
    const count = countSeriesFitter(p.link, p.family);
    return new SeriesForecaster('ingarch', p, count, count);
  },
});
