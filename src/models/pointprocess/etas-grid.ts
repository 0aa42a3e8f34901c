/**
 * `etas-grid`: the PredPol-style grid ETAS forecaster (Mohler et al. 2015). One Hawkes process per
 * (region, category) stream with its own background rate; θ and ω per category or shared by all.
 * The forecast for each period is the model's expected count (every generation of offspring included);
 * with `simulate=N` the predictive distribution is N branching-process draws, which keep the clustering
 * across periods that a per-cell Poisson would lose.
 */
import { z } from 'zod';
import type { FitOptions, FitSummary, Forecast, Forecaster, History } from '../forecaster.js';
import { registerForecaster } from '../registry.js';
import { excitationAtEnd, fitGridEtas, groupByStream, type GridEtasFit } from './etas-grid-em.js';
import { gridEventsFromHistory } from './grid-events.js';
import { forecastStreams } from './hawkes-forecast.js';
import { fitWindow } from './time-window.js';

const params = z.object({
  /** Days of history to fit on (0 = all). */
  window: z.coerce.number().min(0).default(365),
  iterations: z.coerce.number().int().min(1).default(300),
  tol: z.coerce.number().positive().default(1e-5),
  /** separate: θ, ω per category; shared: one θ, ω for all categories (μ always per region and category). */
  categories: z.enum(['separate', 'shared']).default('separate'),
  /** Event times: incidents when the History has them (auto), or always from the count tensor. */
  source: z.enum(['auto', 'tensor']).default('auto'),
  /** Where tensor counts are placed within their period. */
  placement: z.enum(['random', 'midpoint']).default('random'),
  theta0: z.coerce.number().positive().max(0.99).default(0.5),
  omega0: z.coerce.number().positive().default(0.1),
  maxOmega: z.coerce.number().positive().default(1000),
  /** 0: Poisson predictive distribution; N > 0: N simulated futures ('samples'). */
  simulate: z.coerce.number().int().min(0).default(0),
});
export type EtasGridParams = z.infer<typeof params>;

export class EtasGridForecaster implements Forecaster {
  readonly name = 'etas-grid';
  private result: GridEtasFit | null = null;
  private seed = 1;
  constructor(readonly params: EtasGridParams) {}

  /** The fitted parameters (null before fit). */
  get fitResult(): GridEtasFit | null {
    return this.result;
  }

  /** μ, θ, ω fixed since fit; the excitation is recomputed from the history handed to predict. */
  fitted(): FitSummary {
    const f = this.result;
    if (!f) return { betweenRefits: 'conditioned' };
    const parameters: Record<string, number | boolean> = { iterations: f.iterations, converged: f.converged, backgroundShare: f.backgroundShare };
    const groups = Math.max(...f.groupOf) + 1;
    for (let g = 0; g < groups; g++) { parameters[`theta[${g}]`] = f.theta[g]; parameters[`omega[${g}]`] = f.omega[g]; }
    return {
      betweenRefits: 'conditioned', parameters,
      notes: f.converged ? undefined : [`EM stopped at the iteration limit (${f.iterations}) before converging`],
    };
  }

  fit(history: History, opts: FitOptions = {}): void {
    this.seed = opts.seed ?? 1;
    const p = this.params;
    const tens = history.tensor;
    const win = fitWindow(tens, p.window);
    const ev = gridEventsFromHistory(history, win, { placement: p.placement, seed: this.seed, useIncidents: p.source === 'auto' });
    const data = groupByStream(ev.t, ev.stream, ev.nStreams, win.T);
    const C = tens.categories;
    const groupOf = Int32Array.from({ length: ev.nStreams }, (_, s) => (p.categories === 'separate' ? s % C : 0));
    this.result = fitGridEtas(data, {
      groupOf, maxIter: p.iterations, tol: p.tol, theta0: p.theta0, omega0: p.omega0, maxOmega: p.maxOmega,
      onIteration: (it) => {
        if (opts.signal?.aborted) throw new Error('ETAS fit aborted');
        opts.onProgress?.(Math.min(1, (it + 1) / p.iterations), `EM iteration ${it + 1}`);
      },
    });
  }

  predict(history: History, horizon: number): Forecast {
    const fit = this.result;
    if (!fit) throw new Error('etas-grid: predict called before fit');
    const p = this.params, tens = history.tensor;
    const R = tens.regions, C = tens.categories, nS = R * C;
    if (fit.mu.length !== nS) throw new Error(`etas-grid: fitted on ${fit.mu.length} streams, asked to predict ${nS}`);
    // the excitation is recomputed from the history handed to predict, so a model fitted once can roll forward
    const win = fitWindow(tens, p.window);
    const ev = gridEventsFromHistory(history, win, { placement: p.placement, seed: this.seed, useIncidents: p.source === 'auto' });
    const S = excitationAtEnd(groupByStream(ev.t, ev.stream, nS, win.T), fit.omega, fit.groupOf);
    const st = {
      mu: fit.mu, S,
      theta: Float64Array.from(fit.groupOf, (g) => fit.theta[g]),
      omega: Float64Array.from(fit.groupOf, (g) => fit.omega[g]),
    };
    const { mean, samples } = forecastStreams(st, win.periodDays, horizon, p.simulate, this.seed ^ 0x5eed);
    const dist = samples ? { family: 'samples' as const, n: p.simulate, samples } : { family: 'poisson' as const };
    return { horizon, regions: R, categories: C, mean, dist };
  }
}

registerForecaster({
  name: 'etas-grid',
  family: 'pointprocess',
  description: 'Grid ETAS self-exciting point process (Mohler et al. 2015, PredPol): per-cell background + exponential triggering, fitted by EM',
  params,
  needs: {},
  create: (p) => new EtasGridForecaster(p),
});
