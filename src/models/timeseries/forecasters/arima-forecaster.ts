/** `arima`: (S)ARIMA(X) per (region, category) series, automatic or given order, count model for sparse series. */
import { z } from 'zod';
import { registerForecaster } from '../../registry.js';
import { UserError } from '../../../util/errors.js';
import { advanceArima, arimaStart, arimaState, fitArima, forecastArima, type ArimaModel, type ArimaOrder } from '../arima.js';
import { autoArima, guardedArimaForecast } from '../auto-arima.js';
import { SeriesForecaster, seriesParams, type FittedSeries, type SeriesFitter } from './series-forecaster.js';

/** "auto", "p,d,q" or "p,d,q,P,D,Q" (seasonal period from the data's unit). */
export function parseOrder(spec: string, period: number): ArimaOrder | 'auto' {
  if (spec.trim() === 'auto') return 'auto';
  const v = spec.split(/[,/ ]+/).map(Number);
  if (!(v.length === 3 || v.length === 6) || v.some((x) => !Number.isInteger(x) || x < 0 || x > 10)) {
    throw new UserError(`arima order "${spec}" is not valid`, 'write order=auto, order=p/d/q or order=p/d/q/P/D/Q, e.g. order=1/0/1');
  }
  return v.length === 3 ? { p: v[0], d: v[1], q: v[2] } : { p: v[0], d: v[1], q: v[2], P: v[3], D: v[4], Q: v[5], s: period };
}

export const arimaParams = z.object({
  order: z.string().default('auto'),
  /** Weekly pattern: day-of-week regressors (fast), seasonal ARIMA terms, or none. */
  seasonal: z.enum(['dummies', 'sarima', 'none']).default('dummies'),
  /** Largest p and q searched by auto-ARIMA. */
  maxOrder: z.coerce.number().int().min(0).max(5).default(3),
  ...seriesParams,
});

/**
 * A fitted (S)ARIMA(X) model as a series filter: the Kalman state advances at the fitted coefficients; the
 * calendar regressors of new and forecast periods come with the calendar slices (only when the model uses them:
 * a fallback order fitted without regressors ignores them).
 */
export function arimaFittedSeries(model: ArimaModel, label: string, fallback?: string): FittedSeries {
  let state = arimaState(model);
  const o = model.order;
  return {
    label,
    fallback,
    parameters: { 'ARIMA p': o.p, 'ARIMA d': o.d, 'ARIMA q': o.q },
    update: (y, cal) => advanceArima(model, state, y, model.xreg ? cal.xreg : undefined),
    restart: () => { state = arimaStart(model); },
    forecast(h, future) {
      const f = forecastArima(model, h, model.xreg ? future.xreg : undefined, state);
      return { mean: f.mean, variance: f.se.map((s) => s * s) };
    },
  };
}

export function arimaFitter(p: z.infer<typeof arimaParams>): SeriesFitter {
  return (y, ctx) => {
    const xreg = p.seasonal === 'dummies' ? ctx.xreg : undefined;
    const names = p.seasonal === 'dummies' ? ctx.xregNames : undefined;
    const order = parseOrder(p.order, ctx.period);
    const make = (): ArimaModel => (order === 'auto'
      ? autoArima(y, { period: p.seasonal === 'sarima' ? ctx.period : 1, xreg, xregNames: names, maxP: p.maxOrder, maxQ: p.maxOrder, maxModels: 20 }).model
      : fitArima(y, order, { xreg, xregNames: names, mean: true }));
    // the forecast guard runs once, here, at a typical horizon: the model it keeps (or the simpler one that
    // replaced it, with the reason) is the one every later forecast uses
    const probe = guardedArimaForecast(y, Math.max(7, ctx.period), make, xreg ? ctx.xregFuture(Math.max(7, ctx.period)) : undefined);
    return arimaFittedSeries(probe.model, probe.label, probe.fallback);
  };
}

registerForecaster({
  name: 'arima',
  family: 'timeseries',
  description: 'ARIMA per region × category series (auto order by AICc à la Hyndman–Khandakar, day-of-week and holiday regressors, exact ML), INGARCH count model below countThreshold, NB predictive law matching the forecast mean and variance; optional reconciliation to a citywide model.',
  params: arimaParams,
  create: (p) => new SeriesForecaster('arima', p, arimaFitter(p)),
});
