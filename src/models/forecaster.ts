/**
 * The one contract every CrimeCast model implements, scikit-learn style:
 * hyper-parameters at construction, `fit` learns state from the past, `predict` forecasts the next periods.
 *
 * No look-ahead by construction: the backtest engine hands `fit`/`predict` a History whose tensor is a
 * prefix view ending at the cut-off and whose incidents all occurred strictly before it.
 */
import type { IncidentTable } from '../data/incident-table.js';
import type { SpatialUnits } from '../space/units.js';
import type { CountTensor } from '../tensor/count-tensor.js';
import type { PredictiveDistribution } from './distribution-types.js';

export interface Covariates {
  /** Column names. */
  names: string[];
  /** regions × names, row-major (value of covariate j in region r at r * names.length + j). NaN = missing. */
  values: Float64Array;
}

/**
 * Covariates that change over time (economic indicators by month, weather by day), aligned with the tensor's
 * period axis. In a History they never extend past its last period: models use them lagged.
 */
export interface TimeCovariates {
  names: string[];
  /** True: one series per region; false: one city-wide series shared by every region. */
  perRegion: boolean;
  /** periods × (perRegion ? regions : 1) × names, row-major; NaN = missing. */
  values: Float64Array;
  /** Number of periods the values cover. */
  periods: number;
}

export interface History {
  /** Counts of every period strictly before the cut-off (periods × regions × categories). */
  tensor: CountTensor;
  /** Raw incidents that occurred strictly before the cut-off, when available (KDE, point processes, near-repeat). */
  incidents?: IncidentTable;
  /** Region index of each incident (aligned with `incidents`; -1 outside the study area). */
  incidentRegion?: Int32Array;
  /** Category index of each incident in the tensor's category axis (-1 when the category is not forecast). */
  incidentCategory?: Int32Array;
  /** The spatial unit set: areas, centroids, adjacency, geometry. */
  units?: SpatialUnits;
  /** Static per-region covariates (socio-economic, demographic, risk terrain). */
  covariates?: Covariates;
  /** Time-varying covariates for periods strictly before the cut-off. */
  timeCovariates?: TimeCovariates;
}

export interface FitOptions {
  /** Seed for every random choice the model makes (deterministic under a seed). */
  seed?: number;
  /** Called with a fraction in [0, 1] as fitting progresses. */
  onProgress?: (fraction: number, message?: string) => void;
  signal?: AbortSignal;
}

/**
 * A forecast of the next `horizon` periods after the history's end.
 * Arrays are laid out [h][r][c] (index = (h * regions + r) * categories + c).
 */
export interface Forecast {
  horizon: number;
  regions: number;
  categories: number;
  /** Expected count per cell. */
  mean: Float32Array;
  /** Full predictive distribution; expected count and P(≥1) derive from it. */
  dist: PredictiveDistribution;
}

/**
 * How periods that arrive after the last fit reach a model's forecasts (the engine, not the model, decides when
 * to refit; between refits it calls `update`):
 * - `conditioned`: predict reads them from the History it is handed (lags, recent rates, excitation); learned
 *   parameters stay as fitted.
 * - `updated`: `update` advances the model's state with them (filters, kernel surfaces) at fixed parameters.
 * - `frozen`: they are ignored until the next refit. The engine reports every forecast made from a frozen state.
 */
export type BetweenRefits = 'conditioned' | 'updated' | 'frozen';

/** A part of the data handled by a sub-model or a fallback: `count` of `of` series/cells/fits. */
export interface FitShare {
  count: number;
  of: number;
}

/** What a fitted model actually did: the same shape for every model, printed by the CLI, the report and the API. */
export interface FitSummary {
  betweenRefits: BetweenRefits;
  /** A few learned scalars worth showing (not weight matrices). */
  parameters?: Record<string, number | string | boolean>;
  /** Which sub-model handled which share of the series (e.g. ETS(A,N,N) 32 of 672, ingarch 640 of 672). */
  parts?: (FitShare & { model: string })[];
  /** Every fallback taken: what replaced what, why, and on which share of the data. */
  fallbacks?: (FitShare & { what: string; reason: string })[];
  /** Compute backend (e.g. "wasm", "cpu") and threads actually used. */
  backend?: string;
  threads?: number;
  notes?: string[];
}

export interface Forecaster {
  /** Registered model name, e.g. "moving-average". */
  readonly name: string;
  /** Resolved hyper-parameters (defaults filled in). */
  readonly params: Readonly<Record<string, unknown>>;
  /** Learn parameters and state from the history. Only the engine (backtest, scheduler, CLI) calls it. */
  fit(history: History, opts?: FitOptions): void | Promise<void>;
  /**
   * Between refits the engine calls this with the longer history before `predict`: advance the state cheaply at
   * fixed parameters. Never refits. Models that only condition on the History in `predict` need not implement it.
   */
  update?(history: History): void | Promise<void>;
  /** Forecast the `horizon` periods after the history's end. Never fits: a model fitted earlier forecasts as fitted. */
  predict(history: History, horizon: number): Forecast | Promise<Forecast>;
  /** What the last fit (and the updates since) did. */
  fitted(): FitSummary;
}
