/**
 * Shared machinery of the per-series forecasters (arima, ets, stl, ingarch): one model per (region, category)
 * column of the count tensor, fitted once per `fit`; low-count series go to the INGARCH count model, because
 * a Gaussian model of a series that is mostly zeros forecasts negative counts and meaningless intervals.
 * Optionally a citywide model per category is fitted too and the regional forecasts are reconciled to it.
 */
import { z } from 'zod';
import type { FitOptions, FitSummary, Forecast, Forecaster, History } from '../../forecaster.js';
import type { CountTensor } from '../../../tensor/count-tensor.js';
import { negbinForecast } from '../../distribution.js';
import { fitIngarch, forecastIngarch, intensityFloor, type IngarchLink } from '../ingarch.js';
import { reconcileToTotal, type ReconcileMethod } from '../reconcile.js';
import { calendarContext, type CalendarContext } from './calendar-context.js';
import { countSizeFromMoments } from './count-moments.js';

/** A fitted model of one series that can forecast h steps: mean, variance, and an NB size when it is a count model. */
export interface FittedSeries {
  label: string;
  /** Why a simpler model replaced the requested one, when it did. */
  fallback?: string;
  forecast(h: number): { mean: Float64Array; variance: Float64Array; size?: number };
}

export type SeriesFitter = (y: Float64Array, ctx: CalendarContext) => FittedSeries;

export { flag } from '../../registry.js';
import { flag } from '../../registry.js';

/** Parameters every per-series forecaster accepts. */
export const seriesParams = {
  /** Fit on at most the last `window` periods (0 = all). */
  window: z.coerce.number().int().nonnegative().default(730),
  /** Series whose mean count over the window is below this use the INGARCH count model (0 disables). */
  countThreshold: z.coerce.number().nonnegative().default(3),
  /** Reconcile regional forecasts with a citywide model per category: bu (bottom-up, unchanged), ols, wls. */
  reconcile: z.enum(['bu', 'ols', 'wls']).default('bu'),
  /** Day-of-week / holiday effects where the period unit allows. */
  holidays: flag(true),
};

export interface SeriesFitReport {
  series: number;
  /** How many series each model label was used for. */
  models: Record<string, number>;
  /** Series that fell back to the count model because their mean was below the threshold. */
  countFallback: number;
  /** Series whose requested model failed or exploded and was replaced (by label of the replacement). */
  guardFallbacks: { region: string; category: string; reason: string }[];
  fitSeconds: number;
}

/**
 * The INGARCH count model as a series fitter. Beyond one step the predictive law is NB(λ̂_{n+h}, k): it ignores
 * the extra spread from the unknown intermediate counts, so intervals are slightly narrow for h > 1.
 */
export function countSeriesFitter(link: IngarchLink = 'identity', family: 'poisson' | 'negbin' = 'negbin'): SeriesFitter {
  return (y, ctx) => {
    const m = fitIngarch(y, { link, family, season: ctx.season, seasonLevels: ctx.seasonLevels });
    return {
      label: m.degenerate ? 'ingarch (all zeros)' : `ingarch-${link}`,
      forecast(h) {
        const mean = forecastIngarch(m, h, ctx.futureSeason(h));
        const variance = mean.map((mu) => mu + (Number.isFinite(m.size) ? (mu * mu) / m.size : 0));
        return { mean, variance, size: m.size };
      },
    };
  };
}

function seriesOf(t: CountTensor, r: number, c: number, from: number): Float64Array {
  const { regions: R, categories: C } = t, n = t.periods - from, y = new Float64Array(n);
  for (let p = 0; p < n; p++) y[p] = t.data[((from + p) * R + r) * C + c];
  return y;
}

function citySeries(t: CountTensor, c: number, from: number): Float64Array {
  const { regions: R, categories: C } = t, n = t.periods - from, y = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    let s = 0;
    const off = (from + p) * R * C + c;
    for (let r = 0; r < R; r++) s += t.data[off + r * C];
    y[p] = s;
  }
  return y;
}

export class SeriesForecaster implements Forecaster {
  private series: FittedSeries[] = [];
  private city: FittedSeries[] = [];
  private fittedKey = '';
  report: SeriesFitReport | undefined;

  constructor(
    readonly name: string,
    readonly params: Readonly<Record<string, unknown>> & { window: number; countThreshold: number; reconcile: ReconcileMethod; holidays: boolean },
    private readonly fitter: SeriesFitter,
    private readonly countFitter: SeriesFitter = countSeriesFitter(),
  ) {}

  private key(t: CountTensor): string {
    return `${t.periods}:${t.regions}:${t.categories}:${t.periods ? t.periodStart[t.periods - 1] : 0}`;
  }

  fit(history: History, opts: FitOptions = {}): void {
    const t = history.tensor, { regions: R, categories: C } = t;
    if (t.periods < 3) throw new RangeError(`${this.name}: needs at least 3 periods of history`);
    const t0 = performance.now();
    const from = this.params.window > 0 ? Math.max(0, t.periods - this.params.window) : 0;
    const ctx = calendarContext(t, t.periods - from, { holidays: this.params.holidays });
    const report: SeriesFitReport = { series: R * C, models: {}, countFallback: 0, guardFallbacks: [], fitSeconds: 0 };
    this.series = new Array(R * C);
    const total = R * C + (this.params.reconcile === 'bu' ? 0 : C);
    let done = 0;
    for (let r = 0; r < R; r++) {
      for (let c = 0; c < C; c++) {
        if (opts.signal?.aborted) throw new Error(`${this.name}: fit aborted`);
        const y = seriesOf(t, r, c, from);
        let mean = 0;
        for (const v of y) mean += v / y.length;
        const useCount = mean < this.params.countThreshold;
        if (useCount) report.countFallback++;
        const f = (useCount ? this.countFitter : this.fitter)(y, ctx);
        this.series[r * C + c] = f;
        report.models[f.label] = (report.models[f.label] ?? 0) + 1;
        if (f.fallback) report.guardFallbacks.push({ region: t.regionIds[r], category: t.categoryNames[c], reason: f.fallback });
        if (++done % 16 === 0) opts.onProgress?.(done / total, `${done}/${total} series`);
      }
    }
    // the city series are large counts: always the requested model
    this.city = [];
    if (this.params.reconcile !== 'bu') {
      for (let c = 0; c < C; c++) {
        this.city.push(this.fitter(citySeries(t, c, from), ctx));
        opts.onProgress?.(++done / total);
      }
    }
    report.fitSeconds = (performance.now() - t0) / 1000;
    this.report = report;
    this.fittedKey = this.key(t);
  }

  /** Which model each series got, and every fallback with its share. */
  fitted(): FitSummary {
    const r = this.report;
    if (!r) return { betweenRefits: 'conditioned' };
    const parts = Object.entries(r.models).map(([model, count]) => ({ model, count, of: r.series }));
    const fallbacks: NonNullable<FitSummary['fallbacks']> = [];
    if (r.countFallback) {
      fallbacks.push({ what: `INGARCH count model instead of ${this.name}`, reason: `series mean below countThreshold=${this.params.countThreshold}`, count: r.countFallback, of: r.series });
    }
    const byReason = new Map<string, number>();
    for (const g of r.guardFallbacks) {
      const why = g.reason.replace(/\(.*\)/, '(…)');
      byReason.set(why, (byReason.get(why) ?? 0) + 1);
    }
    for (const [reason, count] of byReason) fallbacks.push({ what: 'simpler model', reason, count, of: r.series });
    return { betweenRefits: 'conditioned', parts, fallbacks: fallbacks.length ? fallbacks : undefined };
  }

  predict(history: History, horizon: number): Forecast {
    const t = history.tensor, { regions: R, categories: C } = t;
    if (this.fittedKey !== this.key(t)) this.fit(history);
    const RC = R * C, floor = intensityFloor(Math.min(t.periods, this.params.window || t.periods));
    const mean = new Float32Array(horizon * RC), size = new Float32Array(horizon * RC);
    const varAll = new Float64Array(horizon * RC);
    for (let i = 0; i < RC; i++) {
      const f = this.series[i].forecast(horizon);
      for (let h = 0; h < horizon; h++) {
        const mu = Math.max(f.mean[h], floor), v = Math.max(f.variance[h], 0);
        mean[h * RC + i] = mu;
        varAll[h * RC + i] = v;
        size[h * RC + i] = f.size !== undefined ? f.size : countSizeFromMoments(mu, v);
      }
    }
    if (this.params.reconcile !== 'bu') {
      const b = new Float64Array(R), bv = new Float64Array(R);
      for (let c = 0; c < C; c++) {
        const cityF = this.city[c].forecast(horizon);
        for (let h = 0; h < horizon; h++) {
          for (let r = 0; r < R; r++) { b[r] = mean[h * RC + r * C + c]; bv[r] = varAll[h * RC + r * C + c]; }
          const rec = reconcileToTotal(b, Math.max(0, cityF.mean[h]), this.params.reconcile, { bottomVariance: bv, totalVariance: cityF.variance[h] });
          for (let r = 0; r < R; r++) mean[h * RC + r * C + c] = Math.max(rec[r], floor);
        }
      }
    }
    return negbinForecast(mean, size, horizon, R, C);
  }
}
