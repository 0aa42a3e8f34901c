/**
 * Issue #12 for any model: wrap a Forecaster whose forecasts are Poisson (a bare mean) so they become negative
 * binomial, with one size per category fitted on its own one-step residuals over the last V history periods.
 * The inner model is fitted on the history minus those V periods, predicts each of them from the periods
 * before it (predict with a longer history, no refit), and is then re-fitted on the whole history.
 */
import type { FitOptions, FitSummary, Forecast, Forecaster, History } from '../forecaster.js';
import { historyBefore } from '../history-prefix.js';
import { fitNegBinSize, withNegBin } from '../dispersion.js';

export class WithOneStepDispersion implements Forecaster {
  readonly name: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** Fitted NB size per category (Infinity = no over-dispersion found). */
  size?: Float64Array;

  constructor(private readonly inner: Forecaster, private readonly V = 30) {
    this.name = inner.name;
    this.params = { ...inner.params, dist: 'negbin', dispersionPeriods: V };
  }

  async fit(history: History, opts?: FitOptions): Promise<void> {
    const T = history.tensor.periods, { regions: R, categories: C } = history.tensor;
    const from = Math.max(1, T - this.V);
    if (T - from >= 1) {
      await this.inner.fit(historyBefore(history, from), opts);
      const n = (T - from) * R;
      const y = Array.from({ length: C }, () => new Float64Array(n));
      const mu = Array.from({ length: C }, () => new Float64Array(n));
      for (let t = from, k = 0; t < T; t++, k += R) {
        const h = historyBefore(history, t);
        await this.inner.update?.(h);
        const f = await this.inner.predict(h, 1);
        const obs = history.tensor.data.subarray(t * R * C, (t + 1) * R * C);
        for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) { y[c][k + r] = obs[r * C + c]; mu[c][k + r] = f.mean[r * C + c]; }
      }
      this.size = Float64Array.from({ length: C }, (_, c) => fitNegBinSize(y[c], mu[c]));
    }
    await this.inner.fit(history, opts);
  }

  async update(history: History): Promise<void> {
    await this.inner.update?.(history);
  }

  fitted(): FitSummary {
    const s = this.inner.fitted();
    const parameters = { ...s.parameters };
    this.size?.forEach((k, c) => { parameters[`nbSize[${c}]`] = k; });
    return { ...s, parameters, notes: [...(s.notes ?? []), `negative-binomial size per category fitted on one-step residuals of the last ${this.V} periods`] };
  }

  async predict(history: History, horizon: number): Promise<Forecast> {
    const f = await this.inner.predict(history, horizon);
    // only a bare mean is widened; a model with its own distribution keeps it
    return this.size && f.dist.family === 'poisson' ? withNegBin(f, this.size) : f;
  }
}

/** The history as it stood at the start of period t (tensor prefix; incidents before periodStart[t]). */
