/** Shapes shared by every published evaluation protocol. */
import type { BacktestResult } from '../backtest/engine.js';
import type { Statistic } from '../uncertainty.js';
import type { SpatialUnits } from '../../space/units.js';
import type { RunFitSummary } from '../../models/fit-summary.js';
import type { ExternalMark, ExternalSpec, MissingPolicy } from '../external/types.js';

export interface ProtocolOptions {
  /** Folder holding the shared benchmark data (default: ../shared/data beside the package, or $CRIMECAST_SHARED_DATA). */
  dataDir?: string;
  /** Spec of the model the paired tests compare against (default: the first model). */
  reference?: string;
  /** Bootstrap resamples over test periods (default 1000). */
  bootstrap?: number;
  /** Circular block length of the bootstrap in test periods, or 'auto' (P^(1/3)); default 1 (independent periods). */
  block?: number | 'auto';
  seed?: number;
  /** Re-fit every this many test periods (default 1: every origin; models are always given the longer history). */
  refitEvery?: number;
  /**
   * Binary protocols: P(≥1) at or above this counts as a predicted occurrence (default 0.5). 'validation': each
   * model's threshold is chosen on validation days before the test span (where the protocol supports it).
   */
  threshold?: number | 'validation';
  /** Worker threads for several models (see runBacktests). */
  workers?: number;
  onProgress?: (message: string, fraction: number) => void;
  /** Forecasts read from files, scored as extra rows (protocols that set `acceptsExternal`). */
  external?: ExternalSpec[];
  /** What cells missing from an external long table mean (default: refuse). */
  externalMissing?: MissingPolicy;
}

/** A metric as a function of the per-period contribution totals (so ratio metrics bootstrap correctly). */
export interface MetricDef {
  name: string;
  better: 'lower' | 'higher';
  stat: Statistic;
}

export interface MetricResult {
  value: number;
  /** 95% percentile-bootstrap interval over test periods (NaN when there are too few periods to resample). */
  lo: number;
  hi: number;
  better: 'lower' | 'higher';
  /** Paired bootstrap of this model minus the reference on the same resampled periods. */
  vsReference?: { diff: number; lo: number; hi: number; p: number };
}

export interface ModelReport {
  spec: string;
  name: string;
  params: Readonly<Record<string, unknown>>;
  family: string;
  metrics: Record<string, MetricResult>;
  timing: { fits: number; updates: number; fitMs: number; updateMs: number; predictMs: number };
  /** What the model did over the run (sub-models, fallbacks with shares, backend, how new periods reached it). */
  fitted: RunFitSummary;
  /** Things to read before trusting the row: large fallbacks, mixtures of models, frozen forecasts, where it ran. */
  warnings: string[];
  /** Headline (pooled) metrics on which the model is significantly worse than the reference (paired 95% CI excludes 0). */
  worseThanReference: string[];
  /** Expected count per region in the last test period, summed over categories (for maps). */
  lastPeriodRisk: Float32Array;
  /** Set for a forecast read from a file: file, sha256, kind (count / boxes / ranking) and what was done to it. */
  external?: ExternalMark;
  /** Mean forecast ÷ mean actual over all scored cells, per category group ("bias/all"), with its 95% CI; count forecasts only. */
  bias?: Record<string, { value: number; lo: number; hi: number }>;
}

export interface ProtocolResult {
  protocol: string;
  description: string;
  /** How this implementation reads the paper's protocol (splits, masks, thresholds, known deviations). */
  notes: string[];
  categories: string[];
  regionIds: string[];
  /** Start instants (UTC ms) of the test periods. */
  testPeriodStart: Float64Array;
  reference: string;
  /** Metric names in display order. */
  metricNames: string[];
  models: ModelReport[];
  /** Per-period predictions of every model (means and P(≥1), [period][region][category]). */
  backtests: BacktestResult[];
  /** Observed counts of the test periods, [period][region][category] (for hit-rate curves in reports). */
  observed?: Float32Array;
  /** The spatial units (areas and geometry for maps), when the protocol has them. */
  units?: SpatialUnits;
}

export interface Protocol {
  name: string;
  description: string;
  run(models: string[], opts?: ProtocolOptions): Promise<ProtocolResult>;
  /** Whether run() scores `opts.external` files as extra rows. */
  acceptsExternal?: boolean;
}
