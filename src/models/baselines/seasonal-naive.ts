/**
 * Seasonal naive: the same phase of the previous season (same weekday last week with season=7 on daily data;
 * season=52 on weekly or 364 on daily data for "same week last year"), optionally averaged over the last
 * `seasons` seasons. Step h reuses the most recent observed period of its phase, so horizons beyond one season
 * repeat the pattern instead of feeding forecasts back in.
 */
import { z } from 'zod';
import { registerForecaster } from '../registry.js';
import { MeanBaseline, distParams } from './mean-baseline.js';
import { lagMean } from './history-stats.js';

/** Lags (1 = last period) of the `seasons` most recent periods in the same phase as step h (0 = next period). */
export function seasonalLags(season: number, seasons: number, h: number): number[] {
  const j0 = Math.ceil((h + 1) / season);
  return Array.from({ length: seasons }, (_, j) => season * (j0 + j) - h);
}

registerForecaster({
  name: 'seasonal-naive',
  family: 'baseline',
  description: 'Same phase of the last season (e.g. same weekday last week), optionally averaged over `seasons` seasons.',
  params: z.object({
    season: z.coerce.number().int().positive().default(7),
    seasons: z.coerce.number().int().positive().default(1),
    ...distParams,
  }),
  create: (p) => new MeanBaseline('seasonal-naive', p, (t, h, out) => { lagMean(t, seasonalLags(p.season, p.seasons, h), out); }),
});
