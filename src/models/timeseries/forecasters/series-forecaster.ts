/**
 * Shared machinery of the per-series forecasters (arima, ets, stl, ingarch): one model per (region, category)
 * column of the count tensor, fitted once per `fit`; low-count series go to the INGARCH count model, because
 * a Gaussian model of a series that is mostly zeros forecasts negative counts and meaningless intervals.
 * Optionally a citywide model per category is fitted too and the regional forecasts are reconciled to it.
 *
 * Only `fit` estimates anything. Every series model is a filter: `update` (and `predict`, handed a history the
 * state has not seen) advances each filter over the new periods at the fitted parameters; a history that is
 * shorter than the state, or whose already-seen periods changed, restarts the filters from the fitted window's
 * start — still at the fitted parameters.
 */
import { z } from 'zod';
import type { FitOptions, FitSummary, Forecast, Forecaster, History } from '../../forecaster.js';
import type { CountTensor } from '../../../tensor/count-tensor.js';
import { nextPeriodStarts } from '../../../time/bins.js';
import { UserError } from '../../../util/errors.js';
import { negbinForecast } from '../../distribution.js';
import { advanceIngarch, fitIngarch, forecastIngarch, ingarchStart, ingarchState, intensityFloor, type IngarchLink } from '../ingarch.js';
import { reconcileToTotal, type ReconcileMethod } from '../reconcile.js';
import { calendarContext, type CalendarContext, type CalendarSlice } from './calendar-context.js';
import { countSizeFromMoments } from './count-moments.js';

/**
 * A fitted model of one series, kept as a filter state at the end of the observations it has seen. Its
 * parameters never change after the fit; `update` and `restart` move only the state.
 */
export interface FittedSeries {
  label: string;
  /** Why a simpler model replaced the requested one, when it did. */
  fallback?: string;
  /** A few fitted scalars worth showing (medians over series appear in the forecaster's summary). */
  parameters?: Record<string, number>;
  /** Advance the state over the observations that follow those already seen (with their calendar values). */
  update(y: Float64Array, cal: CalendarSlice): void;
  /** Back to the state before the first observation of the fitted window. */
  restart(): void;
  /** Observations since the last restart that could not correct the state (counted, never hidden). */
  skipped?(): number;
  /** Forecast the h periods after the last observation seen; `future` holds their calendar values. */
  forecast(h: number, future: CalendarSlice): { mean: Float64Array; variance: Float64Array; size?: number };
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
  /** Periods in the fitted window. */
  fitPeriods: number;
  /** Times the filters were restarted from the window's start (a shorter history, or revised counts). */
  restarts: number;
  /** Forecast means that came out non-finite and were replaced by the intensity floor. */
  nonFinite: number;
}

/**
 * The INGARCH count model as a series fitter. Beyond one step the predictive law is NB(λ̂_{n+h}, k): it ignores
 * the extra spread from the unknown intermediate counts, so intervals are slightly narrow for h > 1.
 */
export function countSeriesFitter(link: IngarchLink = 'identity', family: 'poisson' | 'negbin' = 'negbin'): SeriesFitter {
  return (y, ctx) => {
    const m = fitIngarch(y, { link, family, season: ctx.season, seasonLevels: ctx.seasonLevels });
    let state = ingarchState(m);
    const parameters: Record<string, number> = m.degenerate ? {} : { 'ingarch ω': m.omega, 'ingarch α': m.alpha, 'ingarch β': m.beta };
    if (!m.degenerate && Number.isFinite(m.size)) parameters['ingarch NB size'] = m.size;
    return {
      label: m.degenerate ? 'ingarch (all zeros)' : `ingarch-${link}`,
      parameters,
      update: (yNew, cal) => advanceIngarch(m, state, yNew, cal.season),
      restart: () => { state = ingarchStart(m); },
      forecast(h, future) {
        const mean = forecastIngarch(m, h, future.season, state);
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

/** Index of the period starting at `time` in a sorted period axis, or −1. */
function periodIndex(starts: Float64Array, time: number): number {
  let lo = 0, hi = starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] === time) return mid;
    if (starts[mid] < time) lo = mid + 1; else hi = mid - 1;
  }
  return -1;
}

/** A fingerprint of one period's counts, to notice counts revised after the state saw them. */
function periodChecksum(t: CountTensor, p: number): number {
  const RC = t.regions * t.categories, off = p * RC;
  let s = 0;
  for (let i = 0; i < RC; i++) s += t.data[off + i] * (1 + ((i * 0.6180339887498949) % 1));
  return s;
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export class SeriesForecaster implements Forecaster {
  private series: FittedSeries[] = [];
  private city: FittedSeries[] = [];
  private ctx: CalendarContext | undefined;
  /** Start time of the fitted window's first period, and per-period checksums of the periods the state has seen. */
  private windowStart = NaN;
  private checks = new Float64Array(0);
  private seen = 0;
  /** Where the state last read its counts: a history over the same memory need not be checked again. */
  private lastData: { buffer: ArrayBufferLike; offset: number } | undefined;
  report: SeriesFitReport | undefined;

  constructor(
    readonly name: string,
    readonly params: Readonly<Record<string, unknown>> & { window: number; countThreshold: number; reconcile: ReconcileMethod; holidays: boolean },
    private readonly fitter: SeriesFitter,
    private readonly countFitter: SeriesFitter = countSeriesFitter(),
  ) {}

  fit(history: History, opts: FitOptions = {}): void {
    const t = history.tensor, { regions: R, categories: C } = t;
    if (t.periods < 3) throw new RangeError(`${this.name}: needs at least 3 periods of history`);
    const t0 = performance.now();
    const from = this.params.window > 0 ? Math.max(0, t.periods - this.params.window) : 0;
    const ctx = calendarContext(t, t.periods - from, { holidays: this.params.holidays });
    const report: SeriesFitReport = { series: R * C, models: {}, countFallback: 0, guardFallbacks: [], fitSeconds: 0, fitPeriods: t.periods - from, restarts: 0, nonFinite: 0 };
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
    this.ctx = ctx;
    this.windowStart = t.periodStart[from];
    this.seen = 0;
    this.recordSeen(t, from, t.periods);
    this.lastData = { buffer: t.data.buffer, offset: t.data.byteOffset + from * R * C * t.data.BYTES_PER_ELEMENT };
  }

  private recordSeen(t: CountTensor, a: number, b: number): void {
    if (this.seen + (b - a) > this.checks.length) {
      const grown = new Float64Array(Math.max(2 * this.checks.length, this.seen + (b - a) + 64));
      grown.set(this.checks.subarray(0, this.seen));
      this.checks = grown;
    }
    for (let p = a; p < b; p++) this.checks[this.seen++] = periodChecksum(t, p);
  }

  /** Advance every filter over periods [a, b) of `t` (at the fitted parameters). */
  private advance(t: CountTensor, a: number, b: number): void {
    if (b <= a) return;
    const { regions: R, categories: C } = t, RC = R * C, k = b - a;
    const cal = this.ctx!.at(t.periodStart.subarray(a, b));
    const y = new Float64Array(k);
    for (let i = 0; i < RC; i++) {
      for (let p = 0; p < k; p++) y[p] = t.data[(a + p) * RC + i];
      this.series[i].update(y, cal);
    }
    for (let c = 0; c < this.city.length; c++) {
      y.fill(0);
      for (let p = 0; p < k; p++) for (let r = 0; r < R; r++) y[p] += t.data[(a + p) * RC + r * C + c];
      this.city[c].update(y, cal);
    }
    this.recordSeen(t, a, b);
  }

  /**
   * Bring the filters to the end of `history` at the fitted parameters: advance over the periods they have not
   * seen, or, when the history is shorter than the state or revised counts the state saw, restart them from the
   * fitted window's start and run them over the history.
   */
  private sync(history: History): void {
    const t = history.tensor;
    if (!this.ctx || !this.report) throw new Error(`${this.name}: predict or update called before fit`);
    if (t.regions * t.categories !== this.series.length) {
      throw new UserError(`${this.name}: fitted on ${this.series.length} series, handed a history with ${t.regions} regions × ${t.categories} categories`, 'fit the model on the same regions and categories it forecasts');
    }
    const start = periodIndex(t.periodStart, this.windowStart);
    if (start < 0) {
      throw new UserError(`${this.name}: the history does not contain the first period of the fitted window (${new Date(this.windowStart).toISOString()})`, 'fit the model again on this history');
    }
    const avail = t.periods - start;
    let consistent = avail >= this.seen;
    const here = { buffer: t.data.buffer, offset: t.data.byteOffset + start * t.regions * t.categories * t.data.BYTES_PER_ELEMENT };
    if (consistent && !(here.buffer === this.lastData?.buffer && here.offset === this.lastData.offset)) {
      for (let p = 0; p < this.seen; p++) {
        if (periodChecksum(t, start + p) !== this.checks[p]) { consistent = false; break; }
      }
    }
    if (consistent) {
      this.advance(t, start + this.seen, t.periods);
    } else {
      for (const f of this.series) f.restart();
      for (const f of this.city) f.restart();
      this.seen = 0;
      this.report.restarts++;
      this.advance(t, start, t.periods);
    }
    this.lastData = here;
  }

  /** Between refits: advance every series' filter over the new periods at the fitted parameters. */
  update(history: History): void {
    this.sync(history);
  }

  /** Which model each series got, every fallback with its share, and medians of the fitted parameters. */
  fitted(): FitSummary {
    const r = this.report;
    if (!r) return { betweenRefits: 'updated' };
    const parts = Object.entries(r.models).map(([model, count]) => ({ model, count, of: r.series }));
    const fallbacks: NonNullable<FitSummary['fallbacks']> = [];
    // for `ingarch` the count model is the requested model: no fallback
    if (r.countFallback && this.fitter !== this.countFitter) {
      fallbacks.push({ what: `INGARCH count model instead of ${this.name}`, reason: `series mean below countThreshold=${this.params.countThreshold}`, count: r.countFallback, of: r.series });
    }
    const byReason = new Map<string, number>();
    for (const g of r.guardFallbacks) {
      const why = g.reason.replace(/\(.*\)/, '(…)');
      byReason.set(why, (byReason.get(why) ?? 0) + 1);
    }
    for (const [reason, count] of byReason) fallbacks.push({ what: 'simpler model', reason, count, of: r.series });
    const values = new Map<string, number[]>();
    for (const f of this.series) for (const [k, v] of Object.entries(f.parameters ?? {})) {
      if (!Number.isFinite(v)) continue;
      const list = values.get(k) ?? [];
      list.push(v);
      values.set(k, list);
    }
    const parameters: Record<string, number> = {};
    for (const [k, v] of values) parameters[`median ${k} (${v.length} series)`] = +median(v).toPrecision(4);
    const notes: string[] = [`parameters fitted on ${r.fitPeriods} periods; between refits each series' filter state advances over new periods at fixed parameters`];
    if (r.restarts) notes.push(`filters restarted from the fitted window's start ${r.restarts} time(s) (a shorter history, or counts revised after they were seen)`);
    const skipped = this.series.reduce((a, f) => a + (f.skipped?.() ?? 0), 0);
    if (skipped) notes.push(`${skipped} observations left the state uncorrected (multiplicative-error ETS with a non-positive one-step mean)`);
    if (r.nonFinite) notes.push(`${r.nonFinite} non-finite forecast means replaced by the intensity floor`);
    return { betweenRefits: 'updated', parameters: Object.keys(parameters).length ? parameters : undefined, parts, fallbacks: fallbacks.length ? fallbacks : undefined, notes };
  }

  /** Forecast from the filter states, brought to the end of `history` first (never refits). */
  predict(history: History, horizon: number): Forecast {
    const t = history.tensor, { regions: R, categories: C } = t;
    this.sync(history);
    const future = this.ctx!.at(nextPeriodStarts(t, horizon));
    const RC = R * C, floor = intensityFloor(Math.min(t.periods, this.params.window || t.periods));
    const mean = new Float32Array(horizon * RC), size = new Float32Array(horizon * RC);
    const varAll = new Float64Array(horizon * RC);
    for (let i = 0; i < RC; i++) {
      const f = this.series[i].forecast(horizon, future);
      for (let h = 0; h < horizon; h++) {
        let mu = Math.max(f.mean[h], floor);
        if (!Number.isFinite(mu)) { mu = floor; this.report!.nonFinite++; }
        const v = Math.max(f.variance[h], 0);
        mean[h * RC + i] = mu;
        varAll[h * RC + i] = v;
        size[h * RC + i] = f.size !== undefined ? f.size : countSizeFromMoments(mu, v);
      }
    }
    if (this.params.reconcile !== 'bu') {
      const b = new Float64Array(R), bv = new Float64Array(R);
      for (let c = 0; c < C; c++) {
        const cityF = this.city[c].forecast(horizon, future);
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
