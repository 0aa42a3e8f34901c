/**
 * `stl`: STL/MSTL decomposition (weekly, plus yearly when three years of daily data exist), the seasonally
 * adjusted series forecast by ETS, ARIMA or drift, and the last seasonal cycle of each component added back.
 */
import { z } from 'zod';
import { registerForecaster } from '../../registry.js';
import { forecastEts } from '../ets.js';
import { mstl } from '../stl.js';
import { autoArima, guardedArimaForecast } from '../auto-arima.js';
import { etsSeriesModel } from './ets-forecaster.js';
import { SeriesForecaster, flag, seriesParams, type FittedSeries, type SeriesFitter } from './series-forecaster.js';

export const stlParams = z.object({
  /** Model of the seasonally adjusted series. */
  method: z.enum(['ets', 'arima', 'drift']).default('ets'),
  /** Add a yearly cycle (365 days) when the window holds three years of daily data (two cycles overfit). */
  yearly: flag(true),
  robust: flag(false),
  ...seriesParams,
});

export interface StlForecastModel {
  periods: number[];
  /** Last full cycle of each seasonal component, oldest first. */
  lastCycles: Float64Array[];
  label: string;
  fallback?: string;
  adjusted: (h: number) => { mean: Float64Array; variance: Float64Array };
}

/** Random walk with drift: ŷ_{n+h} = y_n + h·drift, variance σ²h(1 + h/(n − 1)). */
export function driftForecast(y: Float64Array, h: number): { mean: Float64Array; variance: Float64Array } {
  const n = y.length, drift = n > 1 ? (y[n - 1] - y[0]) / (n - 1) : 0;
  let s2 = 0;
  for (let t = 1; t < n; t++) s2 += (y[t] - y[t - 1] - drift) ** 2;
  s2 /= Math.max(1, n - 2);
  const mean = new Float64Array(h), variance = new Float64Array(h);
  for (let j = 1; j <= h; j++) { mean[j - 1] = y[n - 1] + j * drift; variance[j - 1] = s2 * j * (1 + j / Math.max(1, n - 1)); }
  return { mean, variance };
}

export function fitStlForecast(y: Float64Array, periods: number[], method: 'ets' | 'arima' | 'drift', robust = false): StlForecastModel {
  const dec = mstl(y, periods, { robust });
  const n = y.length, adj = Float64Array.from(dec.trend);
  for (let i = 0; i < n; i++) adj[i] += dec.remainder[i];
  const lastCycles = dec.periods.map((p, k) => dec.seasonals[k].slice(n - p));
  let label: string, fallback: string | undefined, adjusted: StlForecastModel['adjusted'];
  if (method === 'ets') {
    const e = etsSeriesModel(adj, 'auto', 1);
    label = `STL+${e.model.label}`; fallback = e.fallback;
    adjusted = (h) => { const f = forecastEts(e.model, h); return { mean: f.mean, variance: f.se.map((s) => s * s) }; };
  } else if (method === 'arima') {
    const probe = guardedArimaForecast(adj, 7, () => autoArima(adj, { maxP: 3, maxQ: 3, maxModels: 20 }).model);
    label = `STL+${probe.label}`; fallback = probe.fallback;
    adjusted = (h) => { const g = guardedArimaForecast(adj, h, () => probe.model); return { mean: g.mean, variance: g.se.map((s) => s * s) }; };
  } else {
    label = 'STL+drift';
    adjusted = (h) => driftForecast(adj, h);
  }
  return { periods: dec.periods, lastCycles, label: label + (dec.periods.length ? `[${dec.periods.join(',')}]` : ''), fallback, adjusted };
}

/** Forecast = adjusted forecast + the seasonal naive forecast of every component. */
export function forecastStl(m: StlForecastModel, h: number): { mean: Float64Array; variance: Float64Array } {
  const f = m.adjusted(h), mean = Float64Array.from(f.mean);
  m.periods.forEach((p, k) => { for (let j = 0; j < h; j++) mean[j] += m.lastCycles[k][j % p]; });
  return { mean, variance: f.variance };
}

export function stlFitter(p: z.infer<typeof stlParams>): SeriesFitter {
  return (y, ctx): FittedSeries => {
    const periods = ctx.period > 1 ? [ctx.period] : [];
    if (p.yearly && ctx.period === 7 && y.length >= 3 * 365) periods.push(365);
    const m = fitStlForecast(y, periods, p.method, p.robust);
    return { label: m.label, fallback: m.fallback, forecast: (h) => forecastStl(m, h) };
  };
}

registerForecaster({
  name: 'stl',
  family: 'timeseries',
  description: 'STL/MSTL decomposition (weekly + yearly) per region × category series, seasonally adjusted series forecast by ETS, ARIMA or drift plus the last seasonal cycle; INGARCH count model below countThreshold; NB predictive law.',
  params: stlParams,
  create: (p) => new SeriesForecaster('stl', p, stlFitter(p)),
});
