/**
 * Any feature-based learner as a Forecaster: builds the feature matrix from the history (no look-ahead),
 * trains on the most recent `trainPeriods` periods, and forecasts the next periods from the same features.
 *
 * Predictive distribution (issue #12): count learners give a mean; a negative-binomial size per category is
 * fitted on the learner's own predictions for the last `validation` periods, made by a fit that did not see
 * them. Occurrence learners give p = P(y ≥ 1); on count data this becomes the Poisson with the same P(≥1),
 * mean −ln(1 − p), and on binary data a Bernoulli.
 */
import { z } from 'zod';
import type { FitOptions, FitSummary, Forecast, Forecaster, History } from '../forecaster.js';
import { buildFeatures } from '../../features/build.js';
import { featureSpecSchema, type FeatureSpec } from '../../features/spec.js';
import { selectColumns, type FeatureMatrix } from '../../features/matrix.js';
import { mutualInformation, topK } from '../explain/mutual-information.js';
import { fitNegBinSize, withNegBin } from '../dispersion.js';
import { bernoulliForecast, poissonForecast } from '../distribution.js';
import type { Learner } from './learner.js';

/** Parameters every feature-based forecaster accepts (plus the feature spec's). */
export const learnedParams = {
  trainPeriods: z.coerce.number().int().positive().default(365),
  validation: z.coerce.number().int().nonnegative().default(28),
  dist: z.enum(['poisson', 'negbin']).default('negbin'),
  /** Weight of positive rows for occurrence learners ("balanced" = n_neg/n_pos, like sklearn). */
  classWeight: z.union([z.literal('balanced'), z.coerce.number().positive()]).default(1),
  /** Keep only the k features with the highest mutual information with the target on the training rows (0 = all). */
  select: z.coerce.number().int().nonnegative().default(0),
  ...featureSpecSchema.shape,
};

export interface LearnedParams {
  trainPeriods: number;
  validation: number;
  dist: 'poisson' | 'negbin';
  classWeight: 'balanced' | number;
  select: number;
}

export class FeatureForecaster implements Forecaster {
  private learner: Learner | null = null;
  private size: Float64Array | null = null;
  private binary = false;
  /** Names of the feature columns of the last fit (for explanations). */
  featureNames: string[] = [];
  /** Columns kept by `select` (null = all), chosen on training rows only. */
  private columns: number[] | null = null;

  constructor(
    readonly name: string,
    readonly params: Readonly<LearnedParams & Partial<FeatureSpec> & Record<string, unknown>>,
    private readonly makeLearner: () => Learner,
  ) {}

  private spec(): Partial<FeatureSpec> {
    const s: Record<string, unknown> = {};
    for (const k of Object.keys(featureSpecSchema.shape)) if (this.params[k] !== undefined) s[k] = this.params[k];
    return s as Partial<FeatureSpec>;
  }

  /** Feature rows for target periods [from, to), restricted to the selected columns once a fit chose them. */
  features(history: History, from: number, to: number): FeatureMatrix {
    const m = buildFeatures(history, { from, to }, this.spec());
    return this.columns ? selectColumns(m, this.columns) : m;
  }

  private weights(learner: Learner, y: Float32Array): Float32Array | undefined {
    if (learner.target !== 'occurrence' || this.params.classWeight === 1) return undefined;
    let pos = 0;
    for (const v of y) if (v > 0) pos++;
    const w = this.params.classWeight === 'balanced' ? (y.length - pos) / Math.max(pos, 1) : this.params.classWeight;
    return Float32Array.from(y, (v) => (v > 0 ? w : 1));
  }

  private async train(history: History, from: number, to: number, seed?: number): Promise<Learner> {
    if (this.params.select > 0) {
      // feature selection sees only the rows this fit trains on
      this.columns = null;
      const all = this.features(history, from, to);
      if (this.params.select < all.nCols) this.columns = topK(mutualInformation(all.X, all.nRows, all.nCols, all.y), this.params.select).sort((a, b) => a - b);
    }
    const m = this.features(history, from, to);
    const learner = this.makeLearner();
    const y = learner.target === 'occurrence' ? Float32Array.from(m.y, (v) => (v > 0 ? 1 : 0)) : m.y;
    await learner.fit(m.X, m.nRows, m.nCols, y, { sampleWeight: this.weights(learner, y), seed });
    this.featureNames = m.names;
    return learner;
  }

  async fit(history: History, opts: FitOptions = {}): Promise<void> {
    const T = history.tensor.periods;
    if (T < 2) throw new Error(`${this.name}: needs at least 2 periods of history, got ${T}`);
    let maxV = 0;
    for (const v of history.tensor.data) if (v > maxV) maxV = v;
    this.binary = maxV <= 1;
    const from = Math.max(1, T - this.params.trainPeriods);
    const V = Math.min(this.params.validation, Math.floor((T - from) / 3));
    this.size = null;
    if (this.params.dist === 'negbin' && V > 0) {
      // dispersion from predictions on periods the model did not train on
      const early = await this.train(history, from, T - V, opts.seed);
      opts.onProgress?.(0.4, 'validation');
      const val = this.features(history, T - V, T);
      const mu = this.toMean(early, early.predict(val.X, val.nRows));
      const C = history.tensor.categories;
      this.size = new Float64Array(C);
      for (let c = 0; c < C; c++) {
        const ys: number[] = [], ms: number[] = [];
        for (let i = 0; i < val.nRows; i++) if (val.rowCategory[i] === c) { ys.push(val.y[i]); ms.push(mu[i]); }
        this.size[c] = fitNegBinSize(ys, ms);
      }
    }
    this.learner = await this.train(history, from, T, opts.seed);
    opts.onProgress?.(1);
  }

  private toMean(learner: Learner, pred: Float32Array): Float32Array {
    if (learner.target === 'count') return pred.map((v) => (Number.isFinite(v) && v > 0 ? v : 0));
    return pred.map((p) => -Math.log(Math.max(1e-7, 1 - Math.min(Math.max(p, 0), 1 - 1e-7))));
  }

  predict(history: History, horizon: number): Forecast {
    if (!this.learner) throw new Error(`${this.name}: predict called before fit`);
    const T = history.tensor.periods, R = history.tensor.regions, C = history.tensor.categories;
    const m = this.features(history, T, T + horizon);
    const raw = this.learner.predict(m.X, m.nRows);
    // rows come out period-major, then region, then category — the Forecast layout
    if (this.learner.target === 'occurrence' && this.binary) {
      return bernoulliForecast(raw.map((p) => Math.min(Math.max(p, 0), 1)), horizon, R, C);
    }
    const mean = this.toMean(this.learner, raw);
    const f = poissonForecast(mean, horizon, R, C);
    return this.params.dist === 'negbin' && this.size ? withNegBin(f, this.size) : f;
  }

  /** The fitted learner (for explanations). */
  get fittedLearner(): Learner | null {
    return this.learner;
  }

  /** The learner is fixed since fit; features (lags, recent counts, covariates) are built from the history at predict. */
  fitted(): FitSummary {
    const parameters: Record<string, number | string> = { features: this.featureNames.length };
    if (this.columns) parameters.selectedFeatures = this.columns.length;
    this.size?.forEach((k, c) => { parameters[`nbSize[${c}]`] = k; });
    return { betweenRefits: 'conditioned', parameters };
  }
}
