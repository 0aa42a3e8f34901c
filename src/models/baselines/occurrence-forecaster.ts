/** Occurrence baselines for binary protocols: a rule gives P(≥1 event) per cell, forecast as a Bernoulli. */
import type { FitSummary, Forecast, Forecaster, History } from '../forecaster.js';
import type { CountTensor } from '../../tensor/count-tensor.js';
import { bernoulliForecast } from '../distribution.js';

/** Fills `out` (regions × categories) with P(≥1 event) in the next period given the history. */
export type OccurrenceRule = (history: CountTensor, out: Float32Array) => void;

export class OccurrenceBaseline implements Forecaster {
  constructor(readonly name: string, readonly params: Readonly<Record<string, unknown>>, private readonly rule: OccurrenceRule) {}

  fit(_history: History): void {}

  /** A rule of the history handed to predict: nothing is learned, every period is seen. */
  fitted(): FitSummary {
    return { betweenRefits: 'conditioned' };
  }

  /** Binary rules have no dynamics: the next-period probability is repeated over the horizon. */
  predict(history: History, horizon: number): Forecast {
    const t = history.tensor;
    const RC = t.regions * t.categories;
    const mean = new Float32Array(horizon * RC);
    this.rule(t, mean.subarray(0, RC));
    for (let h = 1; h < horizon; h++) mean.copyWithin(h * RC, 0, RC);
    return bernoulliForecast(mean, horizon, t.regions, t.categories);
  }
}
