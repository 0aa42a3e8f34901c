/**
 * A forecaster defined by a rule "mean of step h given the history" (moving average, persistence, seasonal naive…),
 * with a Poisson predictive distribution or a negative binomial whose size is fitted on one-step residuals.
 */
import { z } from 'zod';
import type { FitOptions, FitSummary, Forecast, Forecaster, History } from '../forecaster.js';
import type { CountTensor } from '../../tensor/count-tensor.js';
import { countForecast, fitOneStepDispersion, type CountFamily } from './one-step-dispersion.js';

/** Fills `out` (regions × categories) with the forecast mean of the period h steps after the history (h = 0: next). */
export type StepMean = (history: CountTensor, h: number, out: Float32Array) => void;

/** Distribution options every mean baseline accepts. */
export const distParams = {
  dist: z.enum(['poisson', 'negbin']).default('poisson'),
  /** Periods at the end of the history whose one-step residuals fit the negative-binomial size. */
  dispersionPeriods: z.coerce.number().int().positive().default(30),
};

export class MeanBaseline implements Forecaster {
  private size: Float64Array | undefined;

  constructor(
    readonly name: string,
    readonly params: Readonly<Record<string, unknown>> & { dist: CountFamily; dispersionPeriods: number },
    private readonly stepMean: StepMean,
  ) {}

  fit(history: History, _opts?: FitOptions): void {
    if (this.params.dist !== 'negbin') return;
    const one = (h: CountTensor) => {
      const out = new Float32Array(h.regions * h.categories);
      this.stepMean(h, 0, out);
      return out;
    };
    this.size = fitOneStepDispersion(history.tensor, one, this.params.dispersionPeriods);
  }

  predict(history: History, horizon: number): Forecast {
    const t = history.tensor;
    const RC = t.regions * t.categories;
    const mean = new Float32Array(horizon * RC);
    for (let h = 0; h < horizon; h++) this.stepMean(t, h, mean.subarray(h * RC, (h + 1) * RC));
    if (this.params.dist === 'negbin' && !this.size) throw new Error(`${this.name}: predict called before fit (the negative-binomial size is fitted)`);
    return countForecast(mean, horizon, t.regions, t.categories, this.params.dist, this.size);
  }

  fitted(): FitSummary {
    const parameters: Record<string, number | string> = { dist: this.params.dist };
    if (this.size) this.size.forEach((k, c) => { parameters[`size[${c}]`] = k; });
    return { betweenRefits: 'conditioned', parameters };
  }
}
