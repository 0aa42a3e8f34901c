/**
 * `stl`: STL/MSTL decomposition (weekly, plus yearly when three years of daily data exist), the seasonally
 * adjusted series forecast by ETS, ARIMA or drift, and the last seasonal cycle of each component added back.
 */
import { z } from 'zod';
import { registerForecaster } from '../../registry.js';
import { mstl } from '../stl.js';
import { autoArima, guardedArimaForecast } from '../auto-arima.js';
import { etsFittedSeries, etsSeriesModel } from './ets-forecaster.js';
import { arimaFittedSeries } from './arima-forecaster.js';
import { SeriesForecaster, flag, seriesParams, type FittedSeries, type SeriesFitter } from './series-forecaster.js';

export const stlParams = z.object({
  /** Model of the seasonally adjusted series. */
  method: z.enum(['ets', 'arima', 'drift']).default('ets'),
  /** Add a yearly cycle (365 days) when the window holds three years of daily data (two cycles overfit). */
  yearly: flag(true),
  robust: flag(false),
  ...seriesParams,
});

/**
 * A fitted STL forecaster as a series filter. The decomposition and the adjusted series' model are fixed at the
 * fit; a new period's seasonal part is the seasonal-naive continuation of the last fitted cycle of each
 * component (what the forecast assumes), its adjusted value y − seasonal advances the adjusted model's state.
 */
export interface StlForecastModel extends FittedSeries {
  periods: number[];
  /** Last full cycle of each seasonal component, oldest first. */
  lastCycles: Float64Array[];
}

/** Random walk with drift: ŷ_{n+h} = y_n + h·drift, variance σ²h(1 + h/(n − 1)). */
export function driftForecast(y: Float64Array, h: number): { mean: Float64Array; variance: Float64Array } {
  const n = y.length, drift = n > 1 ? (y[n - 1] - y[0]) / (n - 1) : 0;
  let s2 = 0;
  for (let t = 1; t < n; t++) s2 += (y[t] - y[t - 1] - drift) ** 2;
  s2 /= Math.max(1, n - 2);
  return driftFrom(y[n - 1], n, drift, s2, h);
}

function driftFrom(last: number, n: number, drift: number, s2: number, h: number): { mean: Float64Array; variance: Float64Array } {
  const mean = new Float64Array(h), variance = new Float64Array(h);
  for (let j = 1; j <= h; j++) { mean[j - 1] = last + j * drift; variance[j - 1] = s2 * j * (1 + j / Math.max(1, n - 1)); }
  return { mean, variance };
}

/** Drift model with the drift and innovation variance fixed at the fit; the state is the last value and the count. */
function driftSeries(y: Float64Array): FittedSeries {
  const n0 = y.length, drift = n0 > 1 ? (y[n0 - 1] - y[0]) / (n0 - 1) : 0;
  let s2 = 0;
  for (let t = 1; t < n0; t++) s2 += (y[t] - y[t - 1] - drift) ** 2;
  s2 /= Math.max(1, n0 - 2);
  let last = y[n0 - 1], n = n0;
  return {
    label: 'drift',
    parameters: { 'drift per period': drift },
    update: (v) => { if (v.length) { last = v[v.length - 1]; n += v.length; } },
    restart: () => { last = NaN; n = 0; },
    forecast: (h) => driftFrom(last, n, drift, s2, h),
  };
}

export function fitStlForecast(y: Float64Array, periods: number[], method: 'ets' | 'arima' | 'drift', robust = false): StlForecastModel {
  const dec = mstl(y, periods, { robust });
  const n0 = y.length, adj = Float64Array.from(dec.trend);
  for (let i = 0; i < n0; i++) adj[i] += dec.remainder[i];
  const lastCycles = dec.periods.map((p, k) => dec.seasonals[k].slice(n0 - p));
  let inner: FittedSeries;
  if (method === 'ets') {
    const e = etsSeriesModel(adj, 'auto', 1);
    inner = etsFittedSeries(e.model, e.fallback);
  } else if (method === 'arima') {
    const probe = guardedArimaForecast(adj, 7, () => autoArima(adj, { maxP: 3, maxQ: 3, maxModels: 20 }).model);
    inner = arimaFittedSeries(probe.model, probe.label, probe.fallback);
  } else {
    inner = driftSeries(adj);
  }
  const none = {};
  // the seasonal part of period t (counted from the window's start) continues the last fitted cycle
  const seasonalAt = (t: number) => {
    let v = 0;
    dec.periods.forEach((p, k) => { v += lastCycles[k][(((t - n0) % p) + p) % p]; });
    return v;
  };
  let seen = n0;
  return {
    periods: dec.periods,
    lastCycles,
    label: `STL+${inner.label}` + (dec.periods.length ? `[${dec.periods.join(',')}]` : ''),
    fallback: inner.fallback,
    parameters: inner.parameters,
    update(v) {
      // inside the fitted window (a restarted filter) the decomposition's own adjusted values are used
      const a = new Float64Array(v.length);
      for (let i = 0; i < v.length; i++) { const t = seen + i; a[i] = t < n0 ? adj[t] : v[i] - seasonalAt(t); }
      inner.update(a, none);
      seen += v.length;
    },
    restart() { inner.restart(); seen = 0; },
    skipped: inner.skipped,
    forecast(h) {
      const f = inner.forecast(h, none), mean = Float64Array.from(f.mean);
      for (let j = 0; j < h; j++) mean[j] += seasonalAt(seen + j);
      return { mean, variance: f.variance };
    },
  };
}

/** Forecast = adjusted forecast + the seasonal naive forecast of every component. */
export function forecastStl(m: StlForecastModel, h: number): { mean: Float64Array; variance: Float64Array } {
  return m.forecast(h, {});
}

export function stlFitter(p: z.infer<typeof stlParams>): SeriesFitter {
  return (y, ctx): FittedSeries => {
    const periods = ctx.period > 1 ? [ctx.period] : [];
    if (p.yearly && ctx.period === 7 && y.length >= 3 * 365) periods.push(365);
    return fitStlForecast(y, periods, p.method, p.robust);
  };
}

registerForecaster({
  name: 'stl',
  family: 'timeseries',
  description: 'STL/MSTL decomposition (weekly + yearly) per region × category series, seasonally adjusted series forecast by ETS, ARIMA or drift plus the last seasonal cycle; INGARCH count model below countThreshold; NB predictive law.',
  params: stlParams,
  create: (p) => new SeriesForecaster('stl', p, stlFitter(p)),
});
