/** `ets`: exponential smoothing per (region, category) series (automatic model by AICc), count model for sparse series. */
import { z } from 'zod';
import { registerForecaster } from '../../registry.js';
import { UserError } from '../../../util/errors.js';
import { autoEts, fitEts, forecastEts, type EtsModel, type EtsSpec } from '../ets.js';
import { saneForecast } from '../auto-arima.js';
import { SeriesForecaster, seriesParams, type SeriesFitter } from './series-forecaster.js';

/** "ANN", "AAdA", "MAM" … → spec (error, trend with optional d for damped, season). */
export function parseEtsSpec(s: string, period: number): EtsSpec {
  const m = /^([AM])([AN]d?|Ad)([ANM])$/.exec(s.trim());
  if (!m || (m[2] === 'Nd')) throw new UserError(`ETS model "${s}" is not valid`, 'use auto or three letters error/trend/season such as ANN, AAN, AAdN, AAA, MAM');
  return { error: m[1] as 'A' | 'M', trend: m[2] as 'N' | 'A' | 'Ad', season: m[3] as 'N' | 'A' | 'M', period };
}

export const etsParams = z.object({
  model: z.string().default('auto'),
  ...seriesParams,
});

/** Fit ETS to a series (auto or given) and guard its forecasts, falling back to simple exponential smoothing. */
export function etsSeriesModel(y: Float64Array, spec: string, period: number): { model: EtsModel; fallback?: string } {
  let model: EtsModel;
  let fallback: string | undefined;
  try {
    model = spec === 'auto' ? autoEts(y, { period }).model : fitEts(y, parseEtsSpec(spec, period));
  } catch (e) {
    if (e instanceof UserError) throw e;
    fallback = `${spec} failed (${(e as Error).message}); using ETS(A,N,N)`;
    model = fitEts(y, { error: 'A', trend: 'N', season: 'N' });
  }
  if (!fallback && !saneForecast(y, forecastEts(model, Math.max(7, period)))) {
    fallback = `${model.label} gave non-finite or exploding forecasts; using ETS(A,N,N)`;
    model = fitEts(y, { error: 'A', trend: 'N', season: 'N' });
  }
  return { model, fallback };
}

export function etsFitter(p: z.infer<typeof etsParams>): SeriesFitter {
  return (y, ctx) => {
    const { model, fallback } = etsSeriesModel(y, p.model, ctx.period);
    return {
      label: model.label,
      fallback,
      forecast(h) {
        const f = forecastEts(model, h);
        return { mean: f.mean, variance: f.se.map((s) => s * s) };
      },
    };
  };
}

registerForecaster({
  name: 'ets',
  family: 'timeseries',
  description: 'Exponential smoothing (ETS state space: simple, Holt, damped, Holt–Winters additive/multiplicative; auto by AICc) per region × category series, INGARCH count model below countThreshold, NB predictive law from the forecast mean and variance.',
  params: etsParams,
  create: (p) => new SeriesForecaster('ets', p, etsFitter(p)),
});
