/** `ets`: exponential smoothing per (region, category) series (automatic model by AICc), count model for sparse series. */
import { z } from 'zod';
import { registerForecaster } from '../../registry.js';
import { UserError } from '../../../util/errors.js';
import { advanceEts, autoEts, etsStart, etsState, fitEts, forecastEts, type EtsModel, type EtsSpec } from '../ets.js';
import { saneForecast } from '../auto-arima.js';
import { SeriesForecaster, seriesParams, type FittedSeries, type SeriesFitter } from './series-forecaster.js';

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

/** A fitted ETS model as a series filter: the state advances at the fitted smoothing parameters. */
export function etsFittedSeries(model: EtsModel, fallback?: string): FittedSeries {
  let state = etsState(model);
  const parameters: Record<string, number> = { 'ETS α': model.alpha };
  if (model.spec.trend !== 'N') parameters['ETS β'] = model.beta;
  if (model.spec.season !== 'N') parameters['ETS γ'] = model.gamma;
  if (model.spec.trend === 'Ad') parameters['ETS φ'] = model.phi;
  return {
    label: model.label,
    fallback,
    parameters,
    update: (y) => advanceEts(model, state, y),
    restart: () => { state = etsStart(model); },
    skipped: () => state.skipped,
    forecast(h) {
      const f = forecastEts(model, h, state);
      return { mean: f.mean, variance: f.se.map((s) => s * s) };
    },
  };
}

export function etsFitter(p: z.infer<typeof etsParams>): SeriesFitter {
  return (y, ctx) => {
    const { model, fallback } = etsSeriesModel(y, p.model, ctx.period);
    return etsFittedSeries(model, fallback);
  };
}

registerForecaster({
  name: 'ets',
  family: 'timeseries',
  description: 'Exponential smoothing (ETS state space: simple, Holt, damped, Holt–Winters additive/multiplicative; auto by AICc) per region × category series, INGARCH count model below countThreshold, NB predictive law from the forecast mean and variance.',
  params: etsParams,
  create: (p) => new SeriesForecaster('ets', p, etsFitter(p)),
});
