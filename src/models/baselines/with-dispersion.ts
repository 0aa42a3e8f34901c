/**
 * Issue #12 for any model: wrap a Forecaster whose forecasts are Poisson (a bare mean) so they become negative
 * binomial, with one size per category fitted on its own one-step residuals over the last V history periods.
 * The inner model is fitted on the history minus those V periods, predicts each of them from the periods
 * before it (predict with a longer history, no refit), and is then re-fitted on the whole history.
 */
import type { FitOptions, Forecast, Forecaster, History } from '../forecaster.js';
import { slicePeriods } from '../../tensor/count-tensor.js';
import { takeIncidents } from '../../data/incident-table.js';
import { fitNegBinSize, withNegBin } from '../dispersion.js';
import { countBefore } from '../../util/sorted.js';

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
      await this.inner.fit(prefix(history, from), opts);
      const n = (T - from) * R;
      const y = Array.from({ length: C }, () => new Float64Array(n));
      const mu = Array.from({ length: C }, () => new Float64Array(n));
      for (let t = from, k = 0; t < T; t++, k += R) {
        const f = await this.inner.predict(prefix(history, t), 1);
        const obs = history.tensor.data.subarray(t * R * C, (t + 1) * R * C);
        for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) { y[c][k + r] = obs[r * C + c]; mu[c][k + r] = f.mean[r * C + c]; }
      }
      this.size = Float64Array.from({ length: C }, (_, c) => fitNegBinSize(y[c], mu[c]));
    }
    await this.inner.fit(history, opts);
  }

  async predict(history: History, horizon: number): Promise<Forecast> {
    const f = await this.inner.predict(history, horizon);
    // only a bare mean is widened; a model with its own distribution keeps it
    return this.size && f.dist.family === 'poisson' ? withNegBin(f, this.size) : f;
  }
}

/** The history as it stood at the start of period t (tensor prefix; incidents before periodStart[t]). */
function prefix(h: History, t: number): History {
  const out: History = { ...h, tensor: slicePeriods(h.tensor, 0, t) };
  if (h.incidents && t < h.tensor.periods) {
    const inc = h.incidents, cut = h.tensor.periodStart[t];
    if (isSorted(inc.t)) {
      // incidents handed by the backtest are time-sorted prefixes, so a binary search finds the cut
      const k = countBefore(inc.t, cut);
      out.incidents = { ...inc, n: k, id: inc.id.slice(0, k), t: inc.t.subarray(0, k), lat: inc.lat.subarray(0, k), lon: inc.lon.subarray(0, k), cat: inc.cat.subarray(0, k), attrs: undefined };
      out.incidentRegion = h.incidentRegion?.subarray(0, k);
      out.incidentCategory = h.incidentCategory?.subarray(0, k);
    } else {
      const idx: number[] = [];
      for (let i = 0; i < inc.n; i++) if (inc.t[i] < cut) idx.push(i);
      out.incidents = takeIncidents(inc, idx);
      out.incidentRegion = h.incidentRegion && Int32Array.from(idx, (i) => h.incidentRegion![i]);
      out.incidentCategory = h.incidentCategory && Int32Array.from(idx, (i) => h.incidentCategory![i]);
    }
  }
  return out;
}

function isSorted(t: Float64Array): boolean {
  for (let i = 1; i < t.length; i++) if (t[i] < t[i - 1]) return false;
  return true;
}
