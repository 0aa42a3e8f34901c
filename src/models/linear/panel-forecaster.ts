/**
 * `panel-fe`: the economist's model of area crime as a forecaster and an explanation tool. A fixed-effects panel
 * regression (Poisson FE by default, or the linear within estimator) of each (area, category) series on
 * time-varying regressors — time-varying covariates (weather, monthly economic indicators; lagged), calendar
 * dummies, and the log of recent counts in the area and its neighbours — with cluster-robust standard errors by
 * area. Static indicators (poverty, income…) are absorbed by the area effects, so they are related to the
 * estimated effects in a second-stage between regression (`summary().between`).
 *
 * Forecast: μ = exp(α_unit + x′β) (linear: max(0, α + x′β)); a unit with no event in the training window gets a
 * floor of half an event over that window. Dispersion: negative-binomial size per category fitted on the
 * predictions for the last `validation` periods by a fit that did not see them (as the other feature models).
 */
import { z } from 'zod';
import type { FitOptions, FitSummary, Forecast, Forecaster, History } from '../forecaster.js';
import { flag, registerForecaster } from '../registry.js';
import { buildFeatures } from '../../features/build.js';
import { featureSpecSchema, type FeatureSpec } from '../../features/spec.js';
import type { FeatureMatrix } from '../../features/matrix.js';
import { fitNegBinSize, withNegBin } from '../dispersion.js';
import { poissonForecast } from '../distribution.js';
import { coefficientTable, fitPanel, type CoefficientRow, type PanelFit } from './panel-fe.js';
import { betweenRegression, type BetweenResult } from './panel-between.js';

const intList = featureSpecSchema.shape.lags;

export const panelParams = z.object({
  ...featureSpecSchema.shape,
  family: z.enum(['poisson', 'linear']).default('poisson'),
  trainPeriods: z.coerce.number().int().positive().default(365),
  validation: z.coerce.number().int().nonnegative().default(28),
  dist: z.enum(['poisson', 'negbin']).default('negbin'),
  /** Enter count features as log(x + 0.5) (the scale on which a log-link model is linear). */
  logCounts: flag(true),
  // panel defaults: a few dynamic terms and calendar dummies; every other feature family is opt-in
  lags: intList.default([1]),
  windows: intList.default([7, 30]),
  spatialWindows: intList.default([7]),
  otherCategories: flag(false),
  calendarOneHot: flag(true),
  categoryFeature: flag(false),
});
export type PanelParams = z.infer<typeof panelParams>;

const COUNT_PREFIX = /^(lag_|mean_|max_|other_mean_|nbr_mean_|nr_)/;

/** The fit's own statistics, plus the tables an analyst reads. */
export interface PanelSummary extends Pick<PanelFit, 'family' | 'n' | 'skipped' | 'units' | 'clusters' | 'iterations' | 'converged' | 'logLik' | 'r2Within'> {
  /** Time-varying regressors with cluster-robust SEs (by area); `status` says which were absorbed/collinear. */
  coefficients: CoefficientRow[];
  /** Static covariates, absorbed by the area effects (explained in `between`). */
  absorbed: string[];
  between?: BetweenResult;
  /** Area effect per (region, category) unit on the link scale. */
  effects: { region: string; category: string; effect: number }[];
}

export interface PanelDesign {
  X: Float64Array;
  k: number;
  names: string[];
  y: Float32Array;
  rows: number;
  group: Int32Array;
  region: Int32Array;
}

export class PanelForecaster implements Forecaster {
  readonly name = 'panel-fe';
  private fitResult: PanelFit | null = null;
  private names: string[] = [];
  private means = new Float64Array(0);
  private floorRate = new Float64Array(0);
  private size: Float64Array | null = null;
  private last: { history: History; from: number } | null = null;

  constructor(readonly params: Readonly<PanelParams>) {}

  private spec(): Partial<FeatureSpec> {
    const s: Record<string, unknown> = {};
    for (const k of Object.keys(featureSpecSchema.shape)) s[k] = (this.params as Record<string, unknown>)[k];
    return s as Partial<FeatureSpec>;
  }

  /** Design rows for target periods [from, to): static covariates and the category are left out (absorbed). Public for comparisons (bench/panel.mjs). */
  design(history: History, from: number, to: number): PanelDesign {
    const m: FeatureMatrix = buildFeatures(history, { from, to }, this.spec());
    const keep = m.names.flatMap((n, j) => (n.startsWith('cov_') || n === 'category' ? [] : [j]));
    const names = keep.map((j) => (this.params.logCounts && COUNT_PREFIX.test(m.names[j]) ? `log_${m.names[j]}` : m.names[j]));
    const k = keep.length, C = history.tensor.categories;
    const X = new Float64Array(m.nRows * k);
    for (let i = 0; i < m.nRows; i++) {
      for (let a = 0; a < k; a++) {
        const v = m.X[i * m.nCols + keep[a]];
        X[i * k + a] = this.params.logCounts && COUNT_PREFIX.test(m.names[keep[a]]) ? Math.log(v + 0.5) : v;
      }
    }
    const group = Int32Array.from(m.rowRegion, (r, i) => r * C + m.rowCategory[i]);
    return { X, k, names, y: m.y, rows: m.nRows, group, region: m.rowRegion };
  }

  private train(history: History, from: number, to: number): void {
    const d = this.design(history, from, to);
    const R = history.tensor.regions, C = history.tensor.categories;
    const clusterOfGroup = Int32Array.from({ length: R * C }, (_, u) => Math.floor(u / C));
    this.fitResult = fitPanel({ y: d.y, X: d.X, k: d.k, group: d.group, groups: R * C, clusterOfGroup }, { family: this.params.family });
    this.names = d.names;
    // column means impute missing values at forecast time; the floor covers units with no events
    this.means = new Float64Array(d.k);
    const cnt = new Float64Array(d.k), perUnit = new Float64Array(R * C);
    for (let i = 0; i < d.rows; i++) {
      perUnit[d.group[i]]++;
      for (let a = 0; a < d.k; a++) { const v = d.X[i * d.k + a]; if (Number.isFinite(v)) { this.means[a] += v; cnt[a]++; } }
    }
    for (let a = 0; a < d.k; a++) this.means[a] = cnt[a] ? this.means[a] / cnt[a] : 0;
    this.floorRate = Float64Array.from(perUnit, (n) => 0.5 / Math.max(n, 1));
    this.last = { history, from };
  }

  private meanFor(d: PanelDesign): Float32Array {
    const f = this.fitResult!;
    const mu = new Float32Array(d.rows);
    for (let i = 0; i < d.rows; i++) {
      const u = d.group[i], a = f.alpha[u];
      if (!Number.isFinite(a)) { mu[i] = this.floorRate[u]; continue; }
      let eta = a;
      for (const j of f.kept) {
        const v = d.X[i * d.k + j];
        eta += f.coef[j] * (Number.isFinite(v) ? v : this.means[j]);
      }
      mu[i] = this.params.family === 'poisson' ? Math.exp(Math.min(eta, 30)) : Math.max(eta, 0);
    }
    return mu;
  }

  fit(history: History, opts: FitOptions = {}): void {
    const T = history.tensor.periods;
    if (T < 3) throw new Error(`panel-fe: needs at least 3 periods of history, got ${T}`);
    const from = Math.max(1, T - this.params.trainPeriods);
    const V = Math.min(this.params.validation, Math.floor((T - from) / 3));
    this.size = null;
    if (this.params.dist === 'negbin' && V > 0) {
      this.train(history, from, T - V);
      opts.onProgress?.(0.4, 'validation');
      const val = this.design(history, T - V, T);
      const mu = this.meanFor(val);
      const C = history.tensor.categories;
      this.size = new Float64Array(C);
      for (let c = 0; c < C; c++) {
        const ys: number[] = [], ms: number[] = [];
        for (let i = 0; i < val.rows; i++) if (val.group[i] % C === c) { ys.push(val.y[i]); ms.push(mu[i]); }
        this.size[c] = fitNegBinSize(ys, ms);
      }
    }
    this.train(history, from, T);
    opts.onProgress?.(1);
  }

  /** Coefficients fixed since fit; regressors (recent counts, covariates) are read from the history at predict. */
  fitted(): FitSummary {
    const f = this.fitResult;
    if (!f) return { betweenRefits: 'conditioned' };
    const parameters: Record<string, number | string | boolean> = { family: f.family, converged: f.converged, iterations: f.iterations };
    this.names.forEach((n, j) => { if (Number.isFinite(f.coef[j])) parameters[n] = f.coef[j]; });
    const dropped = f.status.filter((s) => s !== 'kept').length;
    return {
      betweenRefits: 'conditioned', parameters,
      notes: dropped ? [`${dropped} of ${f.status.length} regressors absorbed by the area effects or dropped as collinear`] : undefined,
    };
  }

  predict(history: History, horizon: number): Forecast {
    if (!this.fitResult) throw new Error('panel-fe: predict called before fit');
    const T = history.tensor.periods, R = history.tensor.regions, C = history.tensor.categories;
    const mu = this.meanFor(this.design(history, T, T + horizon));
    const f = poissonForecast(mu, horizon, R, C);
    return this.params.dist === 'negbin' && this.size ? withNegBin(f, this.size) : f;
  }

  /** Coefficients with cluster-robust SEs, and the between regression of the area effects on static covariates. */
  summary(): PanelSummary {
    const f = this.fitResult;
    if (!f || !this.last) throw new Error('panel-fe: summary called before fit');
    const { history } = this.last;
    const t = history.tensor, C = t.categories;
    const effects = Array.from(f.alpha, (a, u) => ({ region: t.regionIds[Math.floor(u / C)], category: t.categoryNames[u % C], effect: a }));
    let between: BetweenResult | undefined;
    const cov = history.covariates;
    if (cov && cov.names.length) {
      const U = f.alpha.length;
      between = betweenRegression(
        f.alpha, Int32Array.from({ length: U }, (_, u) => Math.floor(u / C)), Int32Array.from({ length: U }, (_, u) => u % C),
        t.categoryNames, cov.values, cov.names,
      );
    }
    return {
      family: f.family, coefficients: coefficientTable(this.names, f), absorbed: cov ? cov.names : [], between,
      n: f.n, skipped: f.skipped, units: f.units, clusters: f.clusters, iterations: f.iterations, converged: f.converged,
      logLik: f.logLik, r2Within: f.r2Within, effects,
    };
  }

  /**
   * "Why is this cell high": the forecast's link-scale value for the first forecast period split into the area
   * effect and each regressor's contribution β_j x_j (exact: they sum to the link value).
   */
  explainCells(history: History, cells: { region: number; category: number }[]): { region: string; category: string; link: number; areaEffect: number; contributions: { feature: string; value: number; contribution: number }[] }[] {
    const f = this.fitResult;
    if (!f) throw new Error('panel-fe: explain called before fit');
    const t = history.tensor, C = t.categories;
    const d = this.design(history, t.periods, t.periods + 1);
    return cells.map(({ region, category }) => {
      const i = region * C + category;
      const areaEffect = f.alpha[d.group[i]];
      const contributions = f.kept.map((j) => {
        const raw = d.X[i * d.k + j];
        const value = Number.isFinite(raw) ? raw : this.means[j];
        return { feature: this.names[j], value, contribution: f.coef[j] * value };
      }).sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
      const link = areaEffect + contributions.reduce((s, c) => s + c.contribution, 0);
      return { region: t.regionIds[region], category: t.categoryNames[category], link, areaEffect, contributions };
    });
  }
}

registerForecaster({
  name: 'panel-fe',
  family: 'linear',
  description: 'Fixed-effects panel regression (Poisson FE or within OLS) of area crime on time-varying covariates, calendar and recent counts; cluster-robust SEs; static indicators explained in a between regression.',
  params: panelParams,
  create: (p) => new PanelForecaster(p),
});
